package io.switchboard.bench;

/** The socket types the benchmarks use; the same names exist in both libraries. */
enum SocketKind {
  PUSH,
  PULL,
  PUB,
  SUB,
  REQ,
  REP,
  ROUTER,
  DEALER
}
