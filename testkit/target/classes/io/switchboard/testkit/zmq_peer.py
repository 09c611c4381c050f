"""Drives one libzmq socket (through pyzmq) for Switchboard's interop tests.

One command per line on stdin, one answer line on stdout ("OK [result]" or "ERR reason").
Frames travel as hex, an empty frame as "-", frames separated by spaces.
"""
import sys

import zmq


def frames_out(frames):
    return " ".join(f.hex() if f else "-" for f in frames)


def frames_in(words):
    return [b"" if w == "-" else bytes.fromhex(w) for w in words]


def main():
    ctx = zmq.Context()
    sock = None
    print("OK libzmq %s" % zmq.zmq_version(), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        cmd, args = words[0], words[1:]
        try:
            result = ""
            if cmd == "socket":
                sock = ctx.socket(getattr(zmq, args[0]))
                sock.linger = 2000
                if len(args) > 1:
                    sock.setsockopt(zmq.IDENTITY, bytes.fromhex(args[1]))
            elif cmd == "bind":
                sock.bind(args[0])
                result = sock.last_endpoint.decode()
            elif cmd == "connect":
                sock.connect(args[0])
            elif cmd == "subscribe":
                sock.setsockopt(zmq.SUBSCRIBE, bytes.fromhex(args[0]) if args else b"")
            elif cmd == "send":
                sock.send_multipart(frames_in(args))
            elif cmd == "recv":
                if sock.poll(int(args[0])):
                    result = frames_out(sock.recv_multipart())
                else:
                    result = "TIMEOUT"
            elif cmd == "close":
                sock.close()
                ctx.term()
                print("OK", flush=True)
                return
            else:
                raise ValueError("unknown command " + cmd)
            print(("OK " + result).rstrip(), flush=True)
        except Exception as e:  # the test reads the reason
            print("ERR %s: %s" % (type(e).__name__, e), flush=True)


if __name__ == "__main__":
    main()
