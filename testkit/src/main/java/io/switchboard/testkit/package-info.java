/**
 * Test helpers shared by every module: peers from other ZeroMQ libraries (JeroMQ in this JVM, libzmq through pyzmq
 * in a child process) behind one {@link io.switchboard.testkit.PeerLibrary} interface; the interop conformance
 * suite {@link io.switchboard.testkit.InteropConformance} that runs every pattern against a peer library; and
 * {@link io.switchboard.testkit.Closer}, which closes what a test opened after it.
 */
package io.switchboard.testkit;
