#!/usr/bin/env python3
"""A Majordomo (MDP/0.1, ZeroMQ RFC 7) client written straight from the specification.

Imports nothing from docpipe. Sends one request to a service and prints the reply body, one line per
frame. Exit status: 0 on a reply, 1 on timeout, 2 on a malformed reply.

    python3 spec_client.py --service docpipe.status --body '{}'
    python3 spec_client.py --service mmi.service --body echo.upper
"""

import argparse
import sys

import zmq

MDPC01 = b"MDPC01"                  # RFC 7: MDP/Client, version 0.1


def request(broker, service, body, timeout_ms, context=None):
    """Returns the reply body frames, or None on timeout. Raises ValueError on a malformed reply."""
    context = context or zmq.Context.instance()
    socket = context.socket(zmq.REQ)                  # REQ adds and strips the empty frame 0 itself
    socket.setsockopt(zmq.LINGER, 0)
    try:
        socket.connect(broker)
        socket.send_multipart([MDPC01, service.encode("utf-8")] + ([body] if body is not None else []))
        if not socket.poll(timeout_ms, zmq.POLLIN):
            return None
        frames = socket.recv_multipart()
        if len(frames) < 2 or frames[0] != MDPC01 or frames[1] != service.encode("utf-8"):
            raise ValueError("not an MDP/0.1 reply for %s: %r" % (service, frames[:2]))
        return frames[2:]
    finally:
        socket.close(linger=0)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Send one MDP/0.1 request and print the reply body")
    parser.add_argument("--broker", default="tcp://127.0.0.1:5555")
    parser.add_argument("--service", required=True)
    parser.add_argument("--body", default=None, help="request body (one frame); omit for none")
    parser.add_argument("--timeout", type=int, default=2500, help="milliseconds to wait for the reply")
    args = parser.parse_args(argv)
    body = args.body.encode("utf-8") if args.body is not None else None
    try:
        frames = request(args.broker, args.service, body, args.timeout)
    except ValueError as error:
        print("spec_client: %s" % error, file=sys.stderr)
        return 2
    if frames is None:
        print("spec_client: no reply from %s within %d ms" % (args.service, args.timeout), file=sys.stderr)
        return 1
    for frame in frames:
        sys.stdout.write(frame.decode("utf-8", errors="replace") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
