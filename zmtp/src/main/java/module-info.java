/** ZMTP 3.0 and 3.1 on Netty: the greeting, the NULL, PLAIN and CURVE handshakes, and the frame codec. */
module io.switchboard.zmtp {
  requires transitive io.netty.buffer;
  requires transitive io.netty.codec;
  requires transitive io.netty.common;
  requires transitive io.netty.transport;
  requires org.bouncycastle.provider;

  exports io.switchboard.zmtp;
}
