package io.switchboard.socket.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A counted set of subscription prefixes. Changes are synchronised; {@link #matches} reads an immutable snapshot
 * without locking, so the I/O thread and senders match while another thread subscribes.
 */
final class Subscriptions {
  private static final byte[][] NONE = new byte[0][];
  private final Map<Key, Integer> counts = new HashMap<>();
  private volatile byte[][] snapshot = NONE;

  /** Adds one subscription; returns whether the prefix is new. */
  synchronized boolean add(byte[] prefix) {
    Key key = new Key(prefix);
    Integer n = counts.get(key);
    counts.put(key, n == null ? 1 : n + 1);
    if (n == null) {
      refresh();
      return true;
    }
    return false;
  }

  /** Removes one subscription; returns whether the prefix is now gone. An unknown prefix is ignored. */
  synchronized boolean remove(byte[] prefix) {
    Key key = new Key(prefix);
    Integer n = counts.get(key);
    if (n == null) {
      return false;
    }
    if (n > 1) {
      counts.put(key, n - 1);
      return false;
    }
    counts.remove(key);
    refresh();
    return true;
  }

  /** Removes everything; returns the prefixes that were there. */
  synchronized List<byte[]> clear() {
    List<byte[]> all = prefixes();
    counts.clear();
    refresh();
    return all;
  }

  /** The distinct prefixes. */
  synchronized List<byte[]> prefixes() {
    List<byte[]> all = new ArrayList<>(counts.size());
    for (Key key : counts.keySet()) {
      all.add(key.bytes);
    }
    return all;
  }

  /** Whether any prefix starts {@code data}. */
  boolean matches(byte[] data) {
    for (byte[] prefix : snapshot) {
      if (startsWith(data, prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    int n = prefix.length;
    if (n > data.length) {
      return false;
    }
    return Arrays.equals(data, 0, n, prefix, 0, n);
  }

  private void refresh() {
    byte[][] next = new byte[counts.size()][];
    int i = 0;
    for (Key key : counts.keySet()) {
      next[i++] = key.bytes;
    }
    snapshot = next;
  }

  /** A byte array compared by content. */
  static final class Key {
    final byte[] bytes;
    private final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override public boolean equals(Object o) {
      return o instanceof Key && Arrays.equals(bytes, ((Key) o).bytes);
    }

    @Override public int hashCode() {
      return hash;
    }
  }
}
