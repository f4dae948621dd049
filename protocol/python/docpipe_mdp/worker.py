"""An MDP/0.1 worker (ZeroMQ RFC 7) for docpipe stages, in the manner of the Swift WorkerKit runner.

`run_worker(service, handler)` registers for one service and answers each REQUEST with the handler's
reply. It heartbeats both ways, reconnects with back-off when the broker goes silent or says DISCONNECT,
keeps heartbeating while a slow handler runs (on a helper thread), echoes the opaque client token, and
sends DISCONNECT when stopped (SIGINT/SIGTERM, or the `stop` event).

The handler runs on `concurrency` requests at once (default 1; each call on a thread of its own, so the
handler must then be thread-safe — worth it for handlers that wait on I/O, not for CPU-bound Python, which
the GIL runs one at a time anyway). With `prefetch=P` the worker holds up to P more requests waiting, so the
next document is already here when one finishes, instead of a broker round trip away; on stop, the waiting
ones are not started, and the DISCONNECT hands them back to the broker. Above one request in all, READY
carries docpipe's identity frame with credit `concurrency + prefetch` (SPEC: "Credit-based flow control");
otherwise READY is plain MDP (no identity frame) and the broker holds the worker to one request, as RFC 7 says.

`broker` may name several endpoints, an active broker and its standbys ("tcp://a:5555,tcp://b:5555" or a
list; SPEC: "Failover: active and standby brokers"): the worker connects to the first, and each reconnect —
after a DISCONNECT (a standby sends one for every worker message) or after the broker fell silent — goes to
the next one, round robin.
"""

from __future__ import annotations

import collections
import json
import logging
import os
import signal
import socket as _socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Deque, Dict, Optional, Sequence, Tuple, Union

import zmq

from . import protocol as mdp
from ._version import __version__
from .messages import ErrorBody, ErrorReply, StageResult, WorkerIdentity, encode_json

log = logging.getLogger("docpipe_mdp.worker")

Handler = Callable[[Any], Any]

INITIAL_BACKOFF_MS = 1000
MAX_BACKOFF_MS = 30000
#: The most requests a broker keeps outstanding with one worker (Swift: `WorkerIdentity.maxCredit`).
MAX_CREDIT = 1024


def worker_name(service: str) -> str:
    return f"{service}@{_socket.gethostname()}:{os.getpid()}"


def _parse_body(frames: list) -> Any:
    """A single JSON-object frame becomes a dict; anything else is given raw (bytes, or a list of frames)."""
    if len(frames) == 1:
        try:
            value = json.loads(frames[0].decode("utf-8"))
            if isinstance(value, dict):
                return value
        except (UnicodeDecodeError, ValueError):
            pass
        return frames[0]
    return list(frames)


def _reply_frames(result: Any) -> list:
    if result is None:
        return []
    if hasattr(result, "to_json"):
        return [result.to_json()]
    if isinstance(result, (dict, list)) and not (isinstance(result, list) and all(isinstance(f, bytes) for f in result)):
        return [encode_json(result)]
    return mdp.body_frames(result)


def _crash_reply(body: Any, service: str, error: BaseException) -> list:
    """The answer a worker owes even when its handler raised (SPEC: one reply per REQUEST).

    A StageRequest gets a StageResult error, so the broker can retry the stage; any other body gets an
    ErrorReply.
    """
    message = f"{type(error).__name__}: {error}"
    job_id = body.get("job_id") if isinstance(body, dict) else None
    stage = body.get("stage") if isinstance(body, dict) else None
    if isinstance(job_id, str) and job_id and isinstance(stage, str) and stage:
        failure = StageResult.failure(
            job_id=job_id, stage=stage, worker=worker_name(service),
            error=ErrorBody(code=500, reason="handler_error", message=message, retryable=True),
        )
        return [failure.to_json()]
    return [ErrorReply(status=500, reason="handler_error", message=message).to_json()]


def run_worker(
    service: str,
    handler: Handler,
    broker: Union[str, Sequence[str]] = mdp.DEFAULT_BROKER,
    heartbeat_ms: int = mdp.HEARTBEAT_INTERVAL_MS,
    liveness: int = mdp.HEARTBEAT_LIVENESS,
    *,
    stop: Optional[threading.Event] = None,
    context: Optional[zmq.Context] = None,
    handle_signals: bool = True,
    max_backoff_ms: int = MAX_BACKOFF_MS,
    concurrency: int = 1,
    prefetch: int = 0,
) -> None:
    """Serves `service` until stopped.

    `handler` gets the request body — a dict when it is one JSON object (a StageRequest for pipeline
    stages), else the raw bytes (or a list of frames) — and returns the reply body: a dict or message
    object (sent as JSON), bytes/str (one frame), a list of bytes (several frames), or None (no body).
    If the handler raises, the worker replies a StageResult error (500 `handler_error`, retryable) to a
    StageRequest, and an ErrorReply (500 `handler_error`) to anything else.

    `broker` is one endpoint or several (a comma-separated string or a list): with several, each reconnect
    goes to the next one, and when every endpoint of a round turned the worker away at once (DISCONNECT
    before anything else: standbys) it waits its back-off before the next round.

    `concurrency` is how many requests the handler works on at once, and `prefetch` how many more to hold
    waiting; together at most MAX_CREDIT (see the module's note).

    Stops on SIGINT/SIGTERM when called from the main thread with `handle_signals`, or when `stop` is
    set; either way it sends DISCONNECT before returning.
    """
    if mdp.is_reserved(service):
        raise ValueError(f"service name '{service}' is reserved for the broker (mmi.*, docpipe.*)")
    if concurrency < 1 or prefetch < 0 or concurrency + prefetch > MAX_CREDIT:
        raise ValueError(
            f"concurrency must be at least 1 and prefetch at least 0, together at most {MAX_CREDIT} "
            f"(got concurrency {concurrency}, prefetch {prefetch})")
    endpoints = mdp.parse_endpoints(broker)
    stop = stop or threading.Event()
    ctx = context or zmq.Context.instance()
    previous = {}
    if handle_signals and threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
        # A spawning parent may have left them blocked in the inherited mask; then they would never arrive.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=f"mdp-{service}")
    try:
        _WorkerLoop(service, handler, endpoints, heartbeat_ms, liveness, stop, ctx, executor, max_backoff_ms,
                    concurrency, prefetch).run()
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        for signum, handler_before in previous.items():
            signal.signal(signum, handler_before)


class _WorkerLoop:
    def __init__(self, service, handler, endpoints, heartbeat_ms, liveness, stop, ctx, executor, max_backoff_ms,
                 concurrency=1, prefetch=0):
        self.service, self.handler = service, handler
        self.endpoints, self.index = list(endpoints), 0
        self.turned_away = 0  # connections in a row that got DISCONNECT before anything else (several endpoints)
        self.heartbeat_s = heartbeat_ms / 1000.0
        self.liveness = liveness
        self.stop, self.ctx, self.executor = stop, ctx, executor
        self.max_backoff_s = max_backoff_ms / 1000.0
        self.drain_s = self.heartbeat_s * liveness
        self.backoff_s = min(INITIAL_BACKOFF_MS / 1000.0, self.max_backoff_s)
        self.socket: Optional[zmq.Socket] = None
        self.pending: Deque[Tuple[bytes, list]] = collections.deque()
        # Requests the handler is on: each one's future, with the client token and body to answer.
        self.busy: Dict[Future, Tuple[bytes, Any]] = {}
        self.concurrency, self.prefetch = concurrency, prefetch
        self.poller = zmq.Poller()
        # The handler's thread says it is done through this pipe, so the reply leaves at once: polling the
        # socket alone, a finished handler waited for the poll's timeout (20 ms), and a worker whose handler
        # takes microseconds answered about 45 requests a second.
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        self.wake_lock = threading.Lock()
        self.poller.register(self.wake_r, zmq.POLLIN)

    # -- connection ---------------------------------------------------------------------------

    @property
    def broker(self) -> str:
        """The endpoint of the current (or next) connection."""
        return self.endpoints[self.index]

    def next_endpoint(self) -> None:
        """A reconnect goes to the next endpoint, round robin (with one endpoint: the same one)."""
        self.index = (self.index + 1) % len(self.endpoints)

    def connect(self) -> None:
        self.socket = self.ctx.socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.connect(self.broker)
        self.poller.register(self.socket, zmq.POLLIN)
        identity = None
        if self.concurrency + self.prefetch > 1:
            this_worker = WorkerIdentity.of_this_process(version=__version__)
            this_worker.credit = self.concurrency + self.prefetch
            identity = this_worker.to_json()
        self.send(mdp.ready(self.service, identity))
        self.heard_at = time.monotonic()
        self.heard_anything = False
        log.info("worker for %s connected to %s", self.service, self.broker)

    def close(self) -> None:
        if self.socket is not None:
            self.poller.unregister(self.socket)
            self.socket.close(linger=0)
            self.socket = None

    def wake(self, _future: Future) -> None:
        """Runs on the handler's thread when it finishes: one byte down the pipe the loop polls."""
        with self.wake_lock:
            if self.wake_w < 0:
                return  # the loop has ended and closed the pipe
            try:
                os.write(self.wake_w, b"\0")
            except BlockingIOError:
                pass  # the pipe is full of wake-ups already

    def drain_wake_pipe(self) -> None:
        try:
            while os.read(self.wake_r, 4096):
                pass
        except BlockingIOError:
            pass  # empty

    def close_wake_pipe(self) -> None:
        with self.wake_lock:
            os.close(self.wake_r)
            os.close(self.wake_w)
            self.wake_w = -1

    def send(self, frames: list) -> None:
        assert self.socket is not None
        self.socket.send_multipart(frames)
        self.sent_at = time.monotonic()

    def reconnect_after_backoff(self, why: str) -> None:
        log.warning("worker for %s: %s; reconnecting in %.1fs", self.service, why, self.backoff_s)
        self.close()
        self.abandon_work()
        self.stop.wait(self.backoff_s)
        self.backoff_s = min(self.backoff_s * 2, self.max_backoff_s)
        self.turned_away = 0  # this wait already paced the round
        self.next_endpoint()
        if not self.stop.is_set():
            self.connect()

    def abandon_work(self) -> None:
        # The broker re-queues what this connection had in flight; a reply on a new socket would be stale.
        self.pending.clear()
        self.busy.clear()

    # -- loop ---------------------------------------------------------------------------------

    def run(self) -> None:
        self.connect()
        try:
            drain_until: Optional[float] = None
            while True:
                if self.stop.is_set():
                    # Drain: give a running handler a little time to finish and reply, take nothing new.
                    drain_until = drain_until or time.monotonic() + self.drain_s
                    if not self.busy or time.monotonic() > drain_until:
                        break
                else:
                    self.start_requests()
                timeout_ms = max(1, min(100, int(self.heartbeat_s * 1000)))
                assert self.socket is not None
                ready = dict(self.poller.poll(timeout_ms))
                if self.wake_r in ready:
                    # A handler finished (each one writes a byte when it does): answer every finished one.
                    self.drain_wake_pipe()
                    self.finish_requests()
                if self.socket in ready and not self.receive():
                    continue
                now = time.monotonic()
                if now - self.heard_at > self.heartbeat_s * self.liveness:
                    self.reconnect_after_backoff("broker silent")
                    continue
                if now - self.sent_at >= self.heartbeat_s:
                    self.send(mdp.heartbeat())
                if self.socket is None:
                    break
            if self.socket is not None:
                self.send(mdp.disconnect())
                self.poller.unregister(self.socket)
                self.socket.close(linger=500)
                self.socket = None
        finally:
            self.close()
            self.close_wake_pipe()

    def receive(self) -> bool:
        """Handles one inbound message; False when the connection was replaced."""
        assert self.socket is not None
        frames = self.socket.recv_multipart()
        self.heard_at = time.monotonic()
        try:
            message = mdp.decode_at_worker(frames)
        except mdp.ProtocolError as error:
            log.warning("worker for %s: dropped message: %s", self.service, error)
            message = None
        turned_away = isinstance(message, mdp.Disconnect) and not self.heard_anything and len(self.endpoints) > 1
        self.heard_anything = True
        if turned_away:
            # A standby answers READY with DISCONNECT: try the next endpoint at once, and only when the whole
            # round turned us away, wait the back-off (a failover in progress), so as not to spin.
            self.turned_away += 1
        else:
            self.turned_away = 0
            self.backoff_s = min(INITIAL_BACKOFF_MS / 1000.0, self.max_backoff_s)
        if isinstance(message, mdp.Request):
            self.pending.append((message.client, message.body))
        elif isinstance(message, mdp.Disconnect):
            log.info("worker for %s: broker at %s sent DISCONNECT; re-registering", self.service, self.broker)
            self.close()
            self.abandon_work()
            if self.turned_away >= len(self.endpoints):
                self.turned_away = 0
                log.warning("worker for %s: every broker turned it away (standbys?); trying again in %.1fs",
                            self.service, self.backoff_s)
                self.stop.wait(self.backoff_s)
                self.backoff_s = min(self.backoff_s * 2, self.max_backoff_s)
            self.next_endpoint()
            if not self.stop.is_set():
                self.connect()
            return False
        return True

    def start_requests(self) -> None:
        while len(self.busy) < self.concurrency and self.pending:
            client, frames = self.pending.popleft()
            body = _parse_body(frames)
            future = self.executor.submit(self.handler, body)
            self.busy[future] = (client, body)
            future.add_done_callback(self.wake)

    def finish_requests(self) -> None:
        for future in [f for f in self.busy if f.done()]:
            client, body = self.busy.pop(future)
            error = future.exception()
            if error is not None:
                log.error("worker for %s: handler failed: %r", self.service, error)
                reply = _crash_reply(body, self.service, error)
            else:
                try:
                    reply = _reply_frames(future.result())
                except (TypeError, ValueError) as bad:
                    reply = _crash_reply(body, self.service, bad)
            self.send(mdp.reply(client, reply))
