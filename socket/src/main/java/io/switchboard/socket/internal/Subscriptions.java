package io.switchboard.socket.internal;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A counted set of subscription prefixes. The counts live in a map. Matching scans the prefixes while there are a
 * few, and beyond that walks a trie of them, one node per octet, so it costs at most the length of the topic however
 * many prefixes there are; adding or removing a prefix costs its length. Changes are synchronised; {@link #matches}
 * takes no lock: the array is replaced whole, and every trie node's children are one immutable {@link Edges} object,
 * replaced whole when a child comes or goes, so the I/O thread and senders match while another thread subscribes.
 */
final class Subscriptions {
  /** Up to this many distinct prefixes, matching scans them in an array: faster than the trie for a few. */
  private static final int FEW = 8;
  private static final byte[][] NONE = new byte[0][];
  private final Map<Key, Integer> counts = new HashMap<>();
  private final Node root = new Node();
  /** The distinct prefixes while there are at most {@link #FEW}; null when there are more (the trie decides). */
  private volatile byte[][] few = NONE;

  /** Adds one subscription; returns whether the prefix is new. */
  synchronized boolean add(byte[] prefix) {
    Key key = new Key(prefix);
    Integer n = counts.get(key);
    counts.put(key, n == null ? 1 : n + 1);
    if (n == null) {
      insert(prefix);
      refreshFew();
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
    delete(prefix);
    refreshFew();
    return true;
  }

  /** Removes everything; returns the prefixes that were there. */
  synchronized List<byte[]> clear() {
    List<byte[]> all = prefixes();
    counts.clear();
    for (byte[] prefix : all) {
      delete(prefix);
    }
    refreshFew();
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
    byte[][] array = few;
    if (array != null) {
      for (byte[] prefix : array) {
        if (prefix.length <= data.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length)) {
          return true;
        }
      }
      return false;
    }
    Node node = root;
    if (node.present) {
      return true;
    }
    for (byte b : data) {
      node = node.edges.child(b);
      if (node == null) {
        return false;
      }
      if (node.present) {
        return true;
      }
    }
    return false;
  }

  /** Whether any prefix starts the readable octets of {@code data}; as {@link #matches(byte[])}, without a copy. */
  boolean matches(ByteBuf data) {
    int at = data.readerIndex();
    int length = data.readableBytes();
    byte[][] array = few;
    if (array != null) {
      for (byte[] prefix : array) {
        if (prefix.length <= length && startsWith(data, at, prefix)) {
          return true;
        }
      }
      return false;
    }
    Node node = root;
    if (node.present) {
      return true;
    }
    for (int i = 0; i < length; i++) {
      node = node.edges.child(data.getByte(at + i));
      if (node == null) {
        return false;
      }
      if (node.present) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(ByteBuf data, int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (data.getByte(at + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private void refreshFew() {
    if (counts.size() > FEW) {
      few = null;
      return;
    }
    byte[][] array = new byte[counts.size()][];
    int i = 0;
    for (Key key : counts.keySet()) {
      array[i++] = key.bytes;
    }
    few = array;
  }

  private void insert(byte[] prefix) {
    Node node = root;
    for (byte b : prefix) {
      Node next = node.edges.child(b);
      if (next == null) {
        next = new Node();
        node.edges = node.edges.with(b, next);
      }
      node = next;
    }
    node.present = true;
  }

  /** Unmarks {@code prefix} and prunes the nodes that no longer lead to one. */
  private void delete(byte[] prefix) {
    Node[] path = new Node[prefix.length + 1];
    path[0] = root;
    for (int i = 0; i < prefix.length; i++) {
      path[i + 1] = path[i].edges.child(prefix[i]);
    }
    path[prefix.length].present = false;
    for (int i = prefix.length; i > 0 && !path[i].present && path[i].edges.isEmpty(); i--) {
      path[i - 1].edges = path[i - 1].edges.without(prefix[i - 1]);
    }
  }

  /** One octet of a prefix: whether a prefix ends here, and the octets that may follow. */
  private static final class Node {
    volatile boolean present;
    volatile Edges edges = Edges.NONE;
  }

  /** A node's children, sorted by octet; immutable, so a reader sees keys and nodes that belong together. */
  private static final class Edges {
    static final Edges NONE = new Edges(new byte[0], new Node[0]);
    final byte[] keys;
    final Node[] nodes;

    private Edges(byte[] keys, Node[] nodes) {
      this.keys = keys;
      this.nodes = nodes;
    }

    Node child(byte b) {
      int i = Arrays.binarySearch(keys, b);
      return i >= 0 ? nodes[i] : null;
    }

    boolean isEmpty() {
      return keys.length == 0;
    }

    Edges with(byte b, Node node) {
      int at = -Arrays.binarySearch(keys, b) - 1;
      byte[] k = new byte[keys.length + 1];
      Node[] n = new Node[nodes.length + 1];
      System.arraycopy(keys, 0, k, 0, at);
      System.arraycopy(nodes, 0, n, 0, at);
      k[at] = b;
      n[at] = node;
      System.arraycopy(keys, at, k, at + 1, keys.length - at);
      System.arraycopy(nodes, at, n, at + 1, nodes.length - at);
      return new Edges(k, n);
    }

    Edges without(byte b) {
      int at = Arrays.binarySearch(keys, b);
      byte[] k = new byte[keys.length - 1];
      Node[] n = new Node[nodes.length - 1];
      System.arraycopy(keys, 0, k, 0, at);
      System.arraycopy(nodes, 0, n, 0, at);
      System.arraycopy(keys, at + 1, k, at, k.length - at);
      System.arraycopy(nodes, at + 1, n, at, n.length - at);
      return new Edges(k, n);
    }
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
