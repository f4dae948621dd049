"""Pipeline stages in Python, the way WorkerKit does them in Swift.

A stage is a service name and a function `process(request: StageRequest) -> dict`. `stage_handler` turns
that function into an MDP handler (decode the StageRequest, time the call, wrap the output or the error in a
StageResult), and `main` runs it as a worker process with the flags every docpipe worker understands::

    from docpipe_mdp.stage import StageFailure, extracted_text, main

    def process(request):
        text = extracted_text(request)
        if not text:
            raise StageFailure("no_text", "nothing to shout")
        return {"loud": text.upper()}

    if __name__ == "__main__":
        main("shouter", process, summary="Shouts documents.")

Errors map as WorkerKit maps them: `StageFailure` as given (422, not retryable, unless told otherwise),
any other exception a retryable 500 `worker_error`, a body that is not a StageRequest a 400 `bad_request`.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import time
from typing import Any, Callable, Dict, List, Optional, Union

from . import protocol as mdp
from .messages import BAD_REQUEST, INTERNAL_ERROR, UNPROCESSABLE, ErrorBody, ErrorReply, StageRequest, StageResult
from .protocol import ProtocolError
from .worker import MAX_CREDIT, run_worker, worker_name

log = logging.getLogger("docpipe_mdp.stage")

Process = Callable[[StageRequest], Dict[str, Any]]


class StageFailure(Exception):
    """A stage failure reported on purpose (Swift: `StageFailure`): code, snake_case reason, message.

    `retryable=True` asks the broker to try again later (transient trouble); False fails the job (the
    input can never work).
    """

    def __init__(self, reason: str, message: str, code: int = UNPROCESSABLE, retryable: bool = False):
        super().__init__(f"{code} {reason}: {message}")
        self.body = ErrorBody(code=code, reason=reason, message=message, retryable=retryable)


def extracted_text(request: StageRequest) -> str:
    """The extractor's text, else the raw content of a UTF-8 document (Swift: `StageRequest.text`)."""
    extractor = request.results.get("extractor")
    if isinstance(extractor, dict) and isinstance(extractor.get("text"), str):
        return extractor["text"]
    return request.document.content if request.document.encoding == "utf8" else ""


def stage_result(service: str, process: Process, request: StageRequest,
                 worker: Optional[str] = None) -> StageResult:
    """Runs `process` once and returns the StageResult the broker would receive."""
    started = time.monotonic()
    extra = {"worker": worker} if worker else {}

    def elapsed() -> float:
        return round((time.monotonic() - started) * 1000, 3)

    try:
        output = process(request)
    except StageFailure as failure:
        log.warning("%s: stage failed for %s: %s", service, request.job_id, failure)
        return StageResult.failure(request.job_id, request.stage, failure.body, duration_ms=elapsed(), **extra)
    except Exception as error:  # noqa: BLE001 — any bug must still answer the broker
        log.exception("%s: stage raised for %s", service, request.job_id)
        body = ErrorBody(code=INTERNAL_ERROR, reason="worker_error", message=f"{type(error).__name__}: {error}",
                         retryable=True)
        return StageResult.failure(request.job_id, request.stage, body, duration_ms=elapsed(), **extra)
    if not isinstance(output, dict):
        body = ErrorBody(code=INTERNAL_ERROR, reason="worker_error", retryable=False,
                         message=f"process returned {type(output).__name__}, expected a dict (a JSON object)")
        return StageResult.failure(request.job_id, request.stage, body, duration_ms=elapsed(), **extra)
    return StageResult.ok(request.job_id, request.stage, output, duration_ms=elapsed(), **extra)


def stage_handler(service: str, process: Process) -> Callable[[Any], Union[StageResult, ErrorReply]]:
    """An MDP handler for `run_worker` that speaks StageRequest/StageResult around `process`."""
    identity = worker_name(service)

    def handle(body: Any) -> Union[StageResult, ErrorReply]:
        try:
            if not isinstance(body, dict):
                raise ProtocolError.bad_body("StageRequest: expected a JSON object")
            request = StageRequest.from_dict(body)
        except ProtocolError as error:
            log.warning("%s: request is not a StageRequest: %s", service, error)
            # SPEC, "Pipeline" 3: a StageResult error when job_id and stage can be read, else an ErrorReply.
            job_id = body.get("job_id") if isinstance(body, dict) else None
            stage = body.get("stage") if isinstance(body, dict) else None
            if isinstance(job_id, str) and job_id and isinstance(stage, str) and stage:
                failure = ErrorBody(code=BAD_REQUEST, reason="bad_request", message=str(error), retryable=False)
                return StageResult.failure(job_id, stage, failure, worker=identity)
            return ErrorReply(status=BAD_REQUEST, reason="bad_request", message=str(error))
        return stage_result(service, process, request, worker=identity)

    return handle


def argument_parser(summary: str) -> argparse.ArgumentParser:
    """The flags every docpipe worker takes (Swift: `WorkerOptions`), so `docpipe up` can start any of them."""
    parser = argparse.ArgumentParser(description=summary)
    parser.add_argument("--broker", default=os.environ.get("DOCPIPE_BROKER", mdp.DEFAULT_BROKER),
                        help="broker endpoint to connect to; several, separated by commas (an active broker "
                             "and its standbys), are tried in turn on each reconnect")
    parser.add_argument("--data", default=os.environ.get("DOCPIPE_HOME", "docpipe-data"),
                        help="data folder (for stages that keep files)")
    parser.add_argument("--heartbeat-ms", type=int, default=mdp.HEARTBEAT_INTERVAL_MS,
                        help="heartbeat interval in milliseconds")
    parser.add_argument("--liveness", type=int, default=mdp.HEARTBEAT_LIVENESS,
                        help="missed heartbeats before the broker is considered gone")
    parser.add_argument("--log-level", default="info",
                        help="debug, info, notice, warning, error or critical")
    parser.add_argument("--shutdown-grace-ms", type=int, default=10000,
                        help="accepted for compatibility with Swift workers")
    parser.add_argument("--concurrency", type=int, default=_env_int("DOCPIPE_CONCURRENCY", 1),
                        help="requests the stage works on at once, each on a thread of its own (so `process` "
                             "must be thread-safe): for stages that wait on I/O; Python's GIL runs CPU-bound "
                             "ones one at a time anyway. Default: $DOCPIPE_CONCURRENCY, else 1")
    parser.add_argument("--prefetch", type=int, default=_env_int("DOCPIPE_PREFETCH", 0),
                        help="requests held waiting beyond those in progress, so the next document is here "
                             "when one is done (worth it for stages of milliseconds a document); the waiting "
                             "ones are handed back on shutdown. Default: $DOCPIPE_PREFETCH, else 0")
    return parser


def _env_int(name: str, default: int) -> int:
    """An integer from the environment; the default when it is unset, and a clear error when it is not a number."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"${name} must be a whole number, not {value!r}") from None


def main(service: str, process: Process, summary: str = "A docpipe stage worker.",
         argv: Optional[List[str]] = None) -> None:
    """Parses the worker flags, sets up logging, and serves `service` until SIGINT/SIGTERM."""
    args = argument_parser(summary).parse_args(argv)
    level = {"notice": "INFO", "trace": "DEBUG"}.get(args.log_level, args.log_level.upper())
    logging.basicConfig(level=getattr(logging, level, logging.INFO),
                        format=f"%(asctime)s %(levelname)s {service}: %(message)s")
    # A parent may start us with signals blocked (Swift's Foundation.Process does: its children inherit a
    # mask meant for libdispatch's signalfd); then SIGTERM from a supervisor would never reach the handler.
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    if args.concurrency < 1 or args.prefetch < 0 or args.concurrency + args.prefetch > MAX_CREDIT:
        raise SystemExit(f"--concurrency must be at least 1 and --prefetch at least 0, together at most "
                         f"{MAX_CREDIT} (got {args.concurrency} and {args.prefetch})")
    run_worker(service, stage_handler(service, process), broker=args.broker, heartbeat_ms=args.heartbeat_ms,
               liveness=args.liveness, concurrency=args.concurrency, prefetch=args.prefetch)
