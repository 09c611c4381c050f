/** Test fixtures: peers from other ZeroMQ libraries (JeroMQ, libzmq through pyzmq and Node), ports, closers. */
module io.switchboard.testkit {
  requires transitive io.switchboard.socket;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires transitive org.zeromq.jeromq;

  exports io.switchboard.testkit;
}
