package io.switchboard.socket.internal;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bound endpoint: its listening channel, the connections it accepted, and for ipc the socket file. */
final class Binding {
  private final String endpoint;
  private final Channel server;
  private final ChannelGroup children;
  private final Path ipcFile;

  private Binding(String endpoint, Channel server, Path ipcFile) {
    this.endpoint = endpoint;
    this.server = server;
    this.children = server == null ? null : new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    this.ipcFile = ipcFile;
  }

  static Binding inproc(String endpoint) {
    return new Binding(endpoint, null, null);
  }

  static Binding network(String endpoint, Channel server, Path ipcFile) {
    return new Binding(endpoint, server, ipcFile);
  }

  String endpoint() {
    return endpoint;
  }

  void accepted(Channel child) {
    children.add(child);
  }

  /** Stops listening, closes every accepted connection and removes the ipc file. */
  void close() {
    if (server == null) {
      return;
    }
    server.close().awaitUninterruptibly(1000);
    children.close().awaitUninterruptibly(1000);
    if (ipcFile != null) {
      try {
        Files.deleteIfExists(ipcFile);
      } catch (IOException e) {
        // The file is only a name; a stale one is replaced by the next bind.
      }
    }
  }
}
