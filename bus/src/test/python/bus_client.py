#!/usr/bin/env python3
"""A bus client in Python, written from docs/protocol.md alone: pyzmq's DEALER talking to a Switchboard node.

Usage: bus_client.py ENDPOINT

It greets the node, joins channel B, handles requests for "py.echo" on A, and says "ready". Then, for every event
"log" that reaches it on B, it emits "seen" on A with the same data; after one such event it sends a request for
"echo" on A, prints the reply's data, and exits 0. Every step is time-boxed: it exits 1 when the node is silent.
"""
import json
import sys

import zmq


def header(*fields):
    """A header frame: the verb and its fields joined by NUL octets."""
    return b"\0".join(f if isinstance(f, bytes) else f.encode() for f in fields)


def main(endpoint):
    ctx = zmq.Context()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.IDENTITY, b"py-client")
    sock.setsockopt(zmq.LINGER, 2000)
    sock.connect(endpoint)
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)

    def receive():
        if not poller.poll(10000):
            print("the node was silent for 10 s", file=sys.stderr)
            sys.exit(1)
        return sock.recv_multipart()

    def expect(verb):
        while True:
            frames = receive()
            fields = frames[0].split(b"\0")
            if fields[0] == b"ERROR":
                print("node error: %r" % fields, file=sys.stderr)
                sys.exit(1)
            if fields[0] == verb:
                return fields

    sock.send_multipart([header("HELLO", "py-client", "1")])
    expect(b"WELCOME")
    sock.send_multipart([header("JOIN", "B")])
    expect(b"JOINED")
    sock.send_multipart([header("HANDLE", "A", "py.echo")])
    expect(b"HANDLING")
    print("ready", flush=True)

    while True:
        frames = receive()
        fields = frames[0].split(b"\0")
        verb = fields[0]
        if verb == b"EVENT":
            # one or more events: a header and a data frame each
            for head, data in zip(frames[0::2], frames[1::2]):
                channel, event, fmt, sender = head.split(b"\0")[1:5]
                assert channel == b"B" and fmt == b"json", head
                if event == b"log":
                    print("event %s from %s: %s" % (event.decode(), sender.decode(), json.loads(data)), flush=True)
                    sock.send_multipart([header("EMIT", "A", "seen", "json"), data])
                    sock.send_multipart([header("REQUEST", "A", "echo", "json", "r1"),
                                         json.dumps({"from": "python"}).encode()])
        elif verb == b"REQUEST":
            channel, event, fmt, sender, request_id = fields[1:6]
            route, data = frames[1:3]
            sock.send_multipart([header("REPLY", request_id, "json"), route,
                                 json.dumps({"py": json.loads(data)}).encode()])
        elif verb == b"REPLY":
            request_id, fmt = fields[1:3]
            print("reply %s: %s" % (request_id.decode(), frames[1].decode()), flush=True)
            break
        elif verb == b"FAIL":
            print("request failed: %r" % fields, file=sys.stderr)
            sys.exit(1)
    sock.send_multipart([header("BYE")])
    sock.close()
    ctx.term()


if __name__ == "__main__":
    main(sys.argv[1])
