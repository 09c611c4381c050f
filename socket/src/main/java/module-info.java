/** ZeroMQ's socket types over tcp, ipc and inproc, with PLAIN and CURVE security; the wire layer stays inside. */
module io.switchboard.socket {
  requires transitive io.netty.transport;
  requires static micrometer.core;   // only io.switchboard.socket.metrics uses it
  requires io.switchboard.zmtp;
  requires transitive io.netty.buffer;   // DirectMessage hands out ByteBufs
  requires io.netty.codec;
  requires transitive io.netty.common;   // and is ReferenceCounted
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires org.jctools.core;
  requires org.slf4j;

  exports io.switchboard.socket;
  exports io.switchboard.socket.metrics;
  exports io.switchboard.socket.security;
}
