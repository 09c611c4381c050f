"""A libzmq (pyzmq) peer with PLAIN or CURVE security, for Switchboard's security interop tests.

server plain USER PASS            bind a REP socket, admit USER/PASS through a ZAP handler, echo until "quit"
server curve SECRET_Z85           bind a REP socket as CURVE server, admit any client key, echo until "quit"
client plain USER PASS ENDPOINT   connect a REQ socket, send "hello", print the reply or TIMEOUT
client curve SECRET_Z85 SERVER_PUBLIC_Z85 ENDPOINT

The first line printed is "OK <endpoint>" for a server; a client prints "OK <reply>" or "TIMEOUT".
"""
import sys
import time

import zmq
from zmq.auth.thread import ThreadAuthenticator


def main(args):
    ctx = zmq.Context()
    role, mechanism = args[0], args[1]
    if role == "server":
        auth = ThreadAuthenticator(ctx)
        auth.start()
        sock = ctx.socket(zmq.REP)
        if mechanism == "plain":
            auth.configure_plain(domain="*", passwords={args[2]: args[3]})
            sock.plain_server = True
        else:
            auth.configure_curve(domain="*", location=zmq.auth.CURVE_ALLOW_ANY)
            secret = args[2].encode()
            sock.curve_secretkey = secret
            sock.curve_publickey = zmq.curve_public(secret)
            sock.curve_server = True
        sock.bind("tcp://127.0.0.1:*")
        print("OK " + sock.last_endpoint.decode(), flush=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if sock.poll(100):
                frames = sock.recv_multipart()
                sock.send_multipart(frames)
                if frames == [b"quit"]:
                    break
        sock.close(linger=500)
        auth.stop()
    else:
        sock = ctx.socket(zmq.REQ)
        sock.linger = 0
        if mechanism == "plain":
            sock.plain_username = args[2].encode()
            sock.plain_password = args[3].encode()
            endpoint = args[4]
        else:
            secret = args[2].encode()
            sock.curve_secretkey = secret
            sock.curve_publickey = zmq.curve_public(secret)
            sock.curve_serverkey = args[3].encode()
            endpoint = args[4]
        sock.connect(endpoint)
        sock.send(b"hello")
        if sock.poll(5000):
            print("OK " + b" ".join(sock.recv_multipart()).decode(), flush=True)
        else:
            print("TIMEOUT", flush=True)
        sock.close()
    ctx.term()


if __name__ == "__main__":
    main(sys.argv[1:])
