package io.switchboard.testkit;

/** Every pattern against JeroMQ (ZMTP 3.0) over tcp. */
class JeromqInteropIT extends InteropConformance {
  @Override
  protected PeerLibrary library() {
    return new JeromqLibrary();
  }
}
