/** ZeroMQ's socket types over tcp, ipc and inproc, with PLAIN and CURVE security; the wire layer stays inside. */
module io.switchboard.socket {
  requires transitive io.netty.transport;
  requires static micrometer.core;   // only io.switchboard.socket.metrics uses it
  requires io.switchboard.zmtp;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.common;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires org.jctools.core;
  requires org.slf4j;

  exports io.switchboard.socket;
  exports io.switchboard.socket.metrics;
  exports io.switchboard.socket.security;
}
