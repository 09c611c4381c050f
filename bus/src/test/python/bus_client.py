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
            if frames[0] == b"ERROR":
                print("node error: %r" % frames, file=sys.stderr)
                sys.exit(1)
            if frames[0] == verb:
                return frames

    sock.send_multipart([b"HELLO", b"py-client", b"1"])
    expect(b"WELCOME")
    sock.send_multipart([b"JOIN", b"B"])
    expect(b"JOINED")
    sock.send_multipart([b"HANDLE", b"A", b"py.echo"])
    expect(b"HANDLING")
    print("ready", flush=True)

    while True:
        frames = receive()
        verb = frames[0]
        if verb == b"EVENT":
            channel, event, fmt, data, sender = frames[1:6]
            assert channel == b"B" and fmt == b"json", frames
            if event == b"log":
                print("event %s from %s: %s" % (event.decode(), sender.decode(), json.loads(data)), flush=True)
                sock.send_multipart([b"EMIT", b"A", b"seen", b"json", data])
                sock.send_multipart([b"REQUEST", b"A", b"echo", b"json", json.dumps({"from": "python"}).encode(),
                                     b"r1"])
        elif verb == b"REQUEST":
            channel, event, fmt, data, sender, route, request_id = frames[1:8]
            sock.send_multipart([b"REPLY", route, request_id, b"json",
                                 json.dumps({"py": json.loads(data)}).encode()])
        elif verb == b"REPLY":
            request_id, fmt, data = frames[1:4]
            print("reply %s: %s" % (request_id.decode(), data.decode()), flush=True)
            break
        elif verb == b"FAIL":
            print("request failed: %r" % frames, file=sys.stderr)
            sys.exit(1)
    sock.send_multipart([b"BYE"])
    sock.close()
    ctx.term()


if __name__ == "__main__":
    main(sys.argv[1])
