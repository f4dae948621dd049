#!/usr/bin/env python3
"""A Majordomo (MDP/0.1, ZeroMQ RFC 7) worker written straight from the specifications.

On purpose it imports nothing from docpipe: it shows that the docpipe broker serves any worker written
from RFC 7 and protocol/SPEC.md by someone else. It registers for one service (default "echo.upper")
and answers every request with its body upper-cased: a docpipe StageRequest gets a StageResult whose
output is {"upper": <document.content upper-cased>}; any other body comes back as its bytes upper-cased.

    python3 spec_worker.py --broker tcp://127.0.0.1:5555 --service echo.upper
"""

import argparse
import json
import os
import signal
import sys
import threading
import time

import zmq

MDPW01 = b"MDPW01"                  # RFC 7: MDP/Worker, version 0.1
READY, REQUEST, REPLY, HEARTBEAT, DISCONNECT = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"


def upper_body(body, fail=None):
    """The reply body frames for a request body (a list of frames); `fail` makes StageRequests fail."""
    if len(body) == 1:
        try:
            message = json.loads(body[0].decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            message = None
        if isinstance(message, dict) and "job_id" in message and isinstance(message.get("document"), dict):
            content = message["document"].get("content", "")
            if fail:                                 # --fail: a broken worker, for dead-letter tests
                return [json.dumps({
                    "v": 1, "job_id": message["job_id"], "stage": message.get("stage", ""), "status": "error",
                    "error": {"code": 503 if fail == "retryable" else 422, "reason": "spec_worker_fail",
                              "message": "spec_worker was started with --fail %s" % fail,
                              "retryable": fail == "retryable"},
                }, sort_keys=True, separators=(",", ":")).encode("utf-8")]
            result = {
                "v": 1,
                "job_id": message["job_id"],
                "stage": message.get("stage", ""),
                "status": "ok",
                "output": {"upper": content.upper() if isinstance(content, str) else ""},
                "worker": "spec_worker@%d" % os.getpid(),
            }
            return [json.dumps(result, sort_keys=True, separators=(",", ":")).encode("utf-8")]
    return [frame.upper() for frame in body]


def serve(broker, service, heartbeat_ms=2500, liveness=3, stop=None, context=None, delay_ms=0, fail=None,
          credit=None, crash_on=None):
    """Runs the worker until `stop` is set; sends DISCONNECT on the way out.

    `credit` advertises docpipe's credit in READY's identity frame (several requests held at once);
    `crash_on` makes the process exit at once, without a word to the broker, on a request whose body
    contains that text (a poison document, for the broker's dead-letter tests)."""
    stop = stop or threading.Event()
    context = context or zmq.Context.instance()
    interval = heartbeat_ms / 1000.0
    reconnect_delay = 1.0
    while not stop.is_set():
        socket = context.socket(zmq.DEALER)          # RFC 7: one DEALER socket per worker
        socket.setsockopt(zmq.LINGER, 0)
        socket.connect(broker)
        ready = [b"", MDPW01, READY, service.encode("utf-8")]
        if credit:
            ready.append(json.dumps({"credit": credit, "pid": os.getpid()}).encode("utf-8"))
        socket.send_multipart(ready)
        last_heard = last_sent = time.monotonic()
        reconnect = False
        pending = None                               # (due time, reply frames) while "working" (--delay-ms)
        while not stop.is_set() and not reconnect:
            if pending is not None and time.monotonic() >= pending[0]:
                socket.send_multipart(pending[1])
                last_sent = time.monotonic()
                pending = None
            if socket.poll(min(100, heartbeat_ms), zmq.POLLIN):
                frames = socket.recv_multipart()
                last_heard = time.monotonic()        # any message from the broker counts as a heartbeat
                reconnect_delay = 1.0
                if len(frames) < 3 or frames[0] != b"" or frames[1] != MDPW01:
                    continue                          # not MDP/0.1: drop it
                command = frames[2]
                if command == REQUEST and len(frames) >= 5 and frames[4] == b"":
                    client = frames[3]               # opaque: echo it back exactly
                    if crash_on and any(crash_on.encode("utf-8") in frame for frame in frames[5:]):
                        print("spec_worker: crashing on a poison request", file=sys.stderr, flush=True)
                        os._exit(3)
                    reply = [b"", MDPW01, REPLY, client, b""] + upper_body(frames[5:], fail)
                    if delay_ms > 0:                 # keep heartbeating while the "work" takes its time
                        pending = (time.monotonic() + delay_ms / 1000.0, reply)
                        print("spec_worker: working on a request", file=sys.stderr, flush=True)
                    else:
                        socket.send_multipart(reply)
                        last_sent = time.monotonic()
                elif command == DISCONNECT:
                    reconnect = True                 # RFC 7: close the socket and reconnect
                    reconnect_delay = 0.0
            now = time.monotonic()
            if now - last_heard > interval * liveness:
                print("spec_worker: broker silent, reconnecting", file=sys.stderr)
                reconnect = True
            elif now - last_sent >= interval:
                socket.send_multipart([b"", MDPW01, HEARTBEAT])
                last_sent = now
        if stop.is_set() and not reconnect:
            socket.send_multipart([b"", MDPW01, DISCONNECT])
            socket.close(linger=500)
            return
        socket.close(linger=0)
        stop.wait(reconnect_delay)
        reconnect_delay = min(max(reconnect_delay * 2, 1.0), 30.0)


def main(argv=None):
    parser = argparse.ArgumentParser(description="MDP/0.1 worker that upper-cases request bodies")
    parser.add_argument("--broker", default="tcp://127.0.0.1:5555")
    parser.add_argument("--service", default="echo.upper")
    parser.add_argument("--heartbeat-ms", type=int, default=2500)
    parser.add_argument("--liveness", type=int, default=3)
    parser.add_argument("--delay-ms", type=int, default=0, help="simulate slow work: reply this much later")
    parser.add_argument("--fail", choices=["retryable", "permanent"], help="answer every StageRequest with an error")
    parser.add_argument("--credit", type=int, help="advertise this credit in READY (requests held at once)")
    parser.add_argument("--crash-on", metavar="TEXT", help="exit at once on a request whose body contains TEXT")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # A parent may have left these blocked in the mask we inherited (spawned from a thread that blocks
    # them); a blocked SIGTERM would never reach the handler above.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    print("spec_worker: serving %s at %s" % (args.service, args.broker), file=sys.stderr, flush=True)
    serve(args.broker, args.service, args.heartbeat_ms, args.liveness, stop, delay_ms=args.delay_ms, fail=args.fail,
          credit=args.credit, crash_on=args.crash_on)
    return 0


if __name__ == "__main__":
    sys.exit(main())
