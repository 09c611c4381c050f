package io.switchboard.socket;

/**
 * A snapshot of one socket's counters and queues, from {@link Socket#statistics()}.
 *
 * <p>Counters only grow, from the socket's creation. The tcp and ipc ones are exact; they are added to once per
 * batch of messages an I/O thread writes or reads, so keeping them costs the hot path next to nothing. The inproc
 * ones are kept in plain fields by the sending thread: exact when one thread at a time sends on a socket (the ZeroMQ
 * way), and able to miss a message when several send on one socket at the same instant.
 *
 * <p>Subscriptions that travel as messages (over inproc, and to and from ZMTP 3.0 peers) count as messages; those
 * sent as ZMTP 3.1 SUBSCRIBE and CANCEL commands do not.
 *
 * @param messagesSent messages handed to peers: written to tcp and ipc connections, passed to inproc peers
 * @param messagesReceived messages that arrived from peers, before any filtering by the socket type
 * @param bytesSent octets of message frame bodies written to tcp and ipc connections (frame headers not included;
 *     inproc moves references, not octets)
 * @param bytesReceived octets of message frame bodies read from tcp and ipc connections
 * @param dropped messages dropped by the socket: for a subscriber or peer at its high-water mark (PUB, XPUB,
 *     ROUTER, REP) or, on a ROUTER without {@code routerMandatory}, for an unknown routing id
 * @param queuedOutbound messages waiting in the socket's outbound queues now (for inproc, sent and not yet received)
 * @param queuedInbound messages waiting now for this socket's user to receive them
 * @param connections peers connected now
 * @param reconnects reconnection attempts scheduled after a lost or failed connection
 * @param handshakeFailures connections closed during their handshake (protocol violation, refused security, timeout)
 * @param protocolErrors connections closed after the handshake because the peer broke the protocol
 */
public record SocketStatistics(long messagesSent, long messagesReceived, long bytesSent, long bytesReceived,
    long dropped, long queuedOutbound, long queuedInbound, int connections, long reconnects, long handshakeFailures,
    long protocolErrors) {}
