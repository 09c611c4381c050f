package io.switchboard.testkit;

/** Every pattern against libzmq (ZMTP 3.1, through pyzmq) over tcp and ipc. */
class LibzmqInteropIT extends InteropConformance {
  @Override
  protected PeerLibrary library() {
    return new LibzmqLibrary();
  }
}
