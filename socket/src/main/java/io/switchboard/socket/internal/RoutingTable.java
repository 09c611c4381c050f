package io.switchboard.socket.internal;

import java.util.Arrays;

/**
 * ROUTER's routing ids and their pipes: a lookup by the octets of an id, from any thread, that allocates nothing
 * (a map keyed by a wrapper object would make one per message sent).
 *
 * <p>An open-addressed table with linear probing, at most half full, replaced whole on every change (copy-on-write
 * under this object's monitor) and read through one volatile field without a lock. Changes come with connections,
 * lookups with messages, so copying on change is the cheap side. A reply usually carries the very array that the
 * request was received with (the pipe's own routing id), so a probe compares references before octets.
 */
final class RoutingTable {
  private record Entry(byte[] id, int hash, Pipe pipe) {}

  private static final int INITIAL_CAPACITY = 16;

  private volatile Entry[] table = new Entry[INITIAL_CAPACITY];
  /** Entries in {@link #table}; guarded by this object's monitor. */
  private int count;

  /** The pipe routed to by {@code id}, or null. */
  Pipe get(byte[] id) {
    Entry[] t = table;
    int mask = t.length - 1;
    int h = hash(id);
    for (int i = h & mask;; i = (i + 1) & mask) {
      Entry e = t[i];
      if (e == null) {
        return null;
      }
      if (e.id == id || e.hash == h && Arrays.equals(e.id, id)) {
        return e.pipe;
      }
    }
  }

  /** Routes {@code id} to {@code pipe} unless the id is taken; returns whether it was free. */
  synchronized boolean putIfAbsent(byte[] id, Pipe pipe) {
    if (get(id) != null) {
      return false;
    }
    Entry[] t = table;
    int capacity = t.length;
    while (2 * (count + 1) > capacity) {
      capacity *= 2;
    }
    Entry[] next = new Entry[capacity];
    for (Entry e : t) {
      if (e != null) {
        insert(next, e);
      }
    }
    insert(next, new Entry(id, hash(id), pipe));
    count++;
    table = next;
    return true;
  }

  /** Removes the route of {@code id} if it leads to {@code pipe}; returns whether it did. */
  synchronized boolean remove(byte[] id, Pipe pipe) {
    if (get(id) != pipe) {
      return false;
    }
    Entry[] t = table;
    Entry[] next = new Entry[t.length];
    for (Entry e : t) {
      if (e != null && !(e.pipe == pipe && Arrays.equals(e.id, id))) {
        insert(next, e);
      }
    }
    count--;
    table = next;
    return true;
  }

  private static void insert(Entry[] t, Entry entry) {
    int mask = t.length - 1;
    int i = entry.hash & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = entry;
  }

  /**
   * The octets' hash, mixed so that ids made from a counter (a zero and four octets, as ROUTER and libzmq make them)
   * spread over the table: {@link Arrays#hashCode(byte[])} gives thousands of them only a few hundred values, which
   * linear probing turns into long runs.
   */
  static int hash(byte[] id) {
    int h = 0x811C9DC5;
    for (byte b : id) {
      h = (h ^ (b & 0xFF)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    return h;
  }
}
