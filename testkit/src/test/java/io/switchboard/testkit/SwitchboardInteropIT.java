package io.switchboard.testkit;

/** Every pattern between two Switchboard contexts over tcp and ipc. */
class SwitchboardInteropIT extends InteropConformance {
  @Override
  protected PeerLibrary library() {
    return new SwitchboardLibrary();
  }
}
