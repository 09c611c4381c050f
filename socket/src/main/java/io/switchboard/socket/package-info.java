/**
 * Switchboard's sockets: {@link io.switchboard.socket.Context}, {@link io.switchboard.socket.Socket}, {@link
 * io.switchboard.socket.SocketType}, {@link io.switchboard.socket.Message}, {@link io.switchboard.socket.Poller} (one
 * wait over many sockets), options, endpoints and monitor events.
 *
 * <p>Every socket speaks ZMTP 3.1 (3.0 with 3.0 peers) over tcp and ipc, so it talks to libzmq, JeroMQ, pyzmq and
 * Node's {@code zeromq}; inproc endpoints pass messages by reference within one context.
 */
package io.switchboard.socket;
