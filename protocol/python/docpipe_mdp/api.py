"""`Client`: submit documents to a docpipe broker, wait for their jobs, read its status, search the store.

    from docpipe_mdp import Client

    with Client("tcp://127.0.0.1:5555") as docpipe:
        job_id = docpipe.submit("inbox/report.pdf")
        job = docpipe.wait(job_id, timeout=120)
        print(job.state, job.results["classifier"]["topic"])

The transport is MDPClient (MDP/0.1 over ZeroMQ, one request at a time, failover over an endpoint list);
this class adds what a program wants on top: retries that honour the broker's `retry_after_ms`, batches,
polling, typed results and typed errors.
"""

from __future__ import annotations

import os
import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, TextIO, Tuple, Union

import zmq

from . import protocol as mdp
from .batches import RetryWindow, group, halves, settle
from .client import MDPClient, MDPTimeout
from .curve_keys import resolve as resolve_curve_keys
from .documents import PathOrBytes, document, expand
from .errors import Busy, Refused, Unreachable, WaitTimeout
from .messages import (
    ACCEPTED, OK, BrokerStatus, Document, ErrorReply, JobQuery, JobStatus, SubmitBatchRequest, SubmitReply,
    SubmitRequest,
)
from .progress import ProgressLine
from .results import FINAL_JOB_STATES, Refusal, SearchHit, SubmitManyResult, SubmittedFile
from .store_search import find_docpipe, run_search


class Client:
    """A docpipe client: the operations of `docpipe submit`, `job`, `status` and `search` as methods.

    `broker` is an endpoint, a comma-separated list of them or a list (an active broker and its standbys);
    default `$DOCPIPE_BROKER`, else `tcp://127.0.0.1:5555`. `timeout` is how long one request waits for its
    reply (seconds). `retry_for` is how long the client keeps trying, counted from the last progress, while
    the broker answers 503 (it waits each `retry_after_ms` it is told) or does not answer at all; 0 never
    retries. `pipeline` is the default pipeline of submits.

    CURVE, for a broker on a network address: `server_key` is the broker's `server.key` file (or its Z85
    text) and `key` this client's `NAME.key_secret` from `docpipe keygen` (else `$DOCPIPE_SERVER_KEY` and
    `$DOCPIPE_KEY`, as the CLI). The key needs the `client` role to submit and `operator` for `status`.

    `search` runs the docpipe CLI (see `search`); `docpipe`, `data` and `store` say which executable, data
    folder and store it uses (else `$DOCPIPE`/PATH, `$DOCPIPE_HOME`, `$DOCPIPE_STORE`, as the CLI itself).

    Not thread-safe (one ZeroMQ socket): use one Client per thread.
    """

    def __init__(self, broker: Union[str, Sequence[str], None] = None, *, pipeline: str = "default",
                 timeout: float = 10.0, retry_for: float = 60.0, docpipe: Optional[str] = None,
                 data: Optional[str] = None, store: Optional[str] = None, server_key: Optional[str] = None,
                 key: Optional[str] = None, context: Optional[zmq.Context] = None,
                 sleep: Callable[[float], None] = time.sleep):
        if timeout <= 0 or retry_for < 0:
            raise ValueError("timeout must be positive and retry_for 0 or more seconds")
        broker = broker or os.environ.get("DOCPIPE_BROKER") or mdp.DEFAULT_BROKER
        self.transport = MDPClient(broker, context, curve=resolve_curve_keys(server_key, key))
        self.pipeline = pipeline
        self.timeout = timeout
        self.retry_for = retry_for
        self.docpipe = docpipe
        self.data = data
        self.store = store
        self._sleep = sleep

    def close(self) -> None:
        """Closes the socket; the client opens a new one if used again."""
        self.transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---- requests -------------------------------------------------------------------------------------

    def _request(self, service: str, message: Any, window: RetryWindow) -> Dict[str, Any]:
        """One request, sent again after silence until `window` runs out; raises Unreachable then."""
        while True:
            try:
                reply = self.transport.request_json(service, message, timeout_ms=int(self.timeout * 1000))
                return reply
            except MDPTimeout as error:
                delay = window.delay_after_silence()
                if delay is None:
                    raise Unreachable(f"{error}; gave up after retrying for {self.retry_for:g} s") from None
                self._sleep(delay)

    def _answer(self, service: str, message: Any, expected: int,
                retry_for: Optional[float] = None) -> Dict[str, Any]:
        """The reply with status `expected`, after riding out 503s and silence; any other reply is raised as
        Refused, a 503 that lasts past `retry_for` (default: the client's) as Busy."""
        window = RetryWindow(self.retry_for if retry_for is None else retry_for)
        while True:
            reply = self._request(service, message, window)
            if reply.get("status") == expected:
                return reply
            refusal = Refusal.from_error_reply(ErrorReply.from_dict(reply))
            if not refusal.temporary:
                raise Refused(refusal, service)
            delay = window.delay_after_busy(refusal.retry_after_ms)
            if delay is None:
                raise Busy(refusal, service)
            self._sleep(delay)

    # ---- submit ---------------------------------------------------------------------------------------

    def submit(self, source: PathOrBytes, *, filename: Optional[str] = None, pipeline: Optional[str] = None,
               metadata: Optional[Dict[str, str]] = None, content_type: Optional[str] = None) -> str:
        """Submits one document and returns its job id once the broker has journalled it (it will not be lost).

        `source` is a path (str or PathLike) or the document's bytes; a str is always a path. `filename` names
        the document (default: the file's name), `metadata` adds string pairs the stages read (for example
        `{"summary_sentences": "2"}`), `pipeline` picks a pipeline other than the client's default.

        Raises Refused (404 `unknown_pipeline`, 400 `empty_document`, 413 `too_large`, …), Busy when the broker
        stays busy past `retry_for`, Unreachable when no broker answers, OSError when the file cannot be read.
        """
        made = document(source, filename=filename, content_type=content_type, metadata=metadata)
        request = SubmitRequest(document=made, pipeline=pipeline or self.pipeline)
        return SubmitReply.from_dict(self._answer(mdp.SUBMIT, request, ACCEPTED)).job_id

    def submit_many(self, paths: Iterable[Union[str, "os.PathLike[str]"]], *, pipeline: Optional[str] = None,
                    metadata: Optional[Dict[str, str]] = None, progress: bool = False,
                    progress_stream: Optional[TextIO] = None) -> SubmitManyResult:
        """Submits files and folders (recursively, hidden files left out, as `docpipe submit`), up to 100
        documents or 8 MiB a request (SPEC "SubmitBatchRequest"), and returns every file's job id or refusal.

        Documents refused 503 are sent again after the broker's `retry_after_ms` until `retry_for` passes
        without a document accepted; then they are reported refused. A file that cannot be read is refused
        `unreadable_file`; it does not stop the others. With `progress=True` a line on stderr (or
        `progress_stream`) counts the files settled.

        Raises FileNotFoundError before sending anything when a path does not exist, and Unreachable (with
        `.partial`, the files settled so far) when no broker answers for `retry_for`.
        """
        files = expand(paths)
        outcomes: List[Optional[SubmittedFile]] = [None] * len(files)
        line = ProgressLine(len(files), progress_stream) if progress else None
        counts = {"settled": 0, "refused": 0}

        def record(index: int, job_id: Optional[str], document_id: Optional[str], refusal: Optional[Refusal]):
            outcomes[index] = SubmittedFile(files[index], job_id, document_id, refusal)
            counts["settled"] += 1
            counts["refused"] += refusal is not None
            if line:
                line.update(counts["settled"], counts["refused"])

        def readable() -> Iterable[Tuple[int, Document]]:
            for index, path in enumerate(files):
                try:
                    yield index, document(path, metadata=metadata)
                except (OSError, ValueError) as error:
                    record(index, None, None, Refusal(400, "unreadable_file", str(error)))

        window = RetryWindow(self.retry_for)
        try:
            for batch in group(readable()):
                self._submit_batch(batch, pipeline or self.pipeline, window, record)
        except Unreachable as error:
            error.partial = SubmitManyResult([o for o in outcomes if o is not None])
            raise
        finally:
            if line:
                line.finish(counts["settled"], counts["refused"])
        return SubmitManyResult([o for o in outcomes if o is not None])

    def _submit_batch(self, batch: Sequence[Tuple[int, Document]], pipeline: str, window: RetryWindow,
                      record: Callable[[int, Optional[str], Optional[str], Optional[Refusal]], None]) -> None:
        pending = list(batch)
        while pending:
            request = SubmitBatchRequest(documents=[d for _, d in pending], pipeline=pipeline)
            settled = settle(len(pending), self._request(mdp.SUBMIT, request, window))
            if settled.split:
                for half in halves(pending):
                    self._submit_batch(half, pipeline, window, record)
                return
            for position, (job_id, document_id, refusal) in sorted(settled.outcomes.items()):
                record(pending[position][0], job_id, document_id, refusal)
                if job_id is not None:
                    window.progress()
            pending = [pending[p] for p in settled.retry]
            if pending:
                delay = window.delay_after_busy(settled.retry_after_ms)
                if delay is None:
                    for index, _ in pending:
                        record(index, None, None, settled.busy)
                    return
                self._sleep(delay)

    # ---- jobs and status ------------------------------------------------------------------------------

    def job(self, job_id: str, retry_for: Optional[float] = None) -> JobStatus:
        """Where a job is now: state, stage, stages done, results so far, attempts. Raises Refused 404
        `unknown_job` for a job the broker does not know."""
        return JobStatus.from_dict(self._answer(mdp.JOB, JobQuery(job_id=job_id), OK, retry_for))

    def wait(self, job_id: str, timeout: float = 300.0, poll_interval: float = 0.5) -> JobStatus:
        """Polls the job until it is `done` or `failed` and returns its final JobStatus (`results` holds every
        stage's output; a failed job has `error`, and is in the dead-letter queue).

        Polls start at 50 ms and grow to `poll_interval`. Raises WaitTimeout (with the last status seen) after
        `timeout` seconds, Refused for an unknown job."""
        deadline = time.monotonic() + timeout
        delay, last = 0.05, None
        while True:
            try:
                last = self.job(job_id, retry_for=min(self.retry_for, max(0.0, deadline - time.monotonic())))
                if last.state in FINAL_JOB_STATES:
                    return last
            except (Busy, Unreachable):
                pass  # a broker restarting or failing over: keep asking until the deadline
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeout(job_id, timeout, last)
            self._sleep(min(delay, remaining))
            delay = min(delay * 2, poll_interval)

    def status(self) -> BrokerStatus:
        """The broker's snapshot, as `docpipe status --json`: workers, queues, per-stage rates and latencies,
        job counts, counters, failover role. Raises Unreachable when no broker answers."""
        return BrokerStatus.from_dict(self._answer(mdp.STATUS, {}, OK))

    # ---- search ---------------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> List[SearchHit]:
        """Full-text search over the stored documents, best first: all words must match, `"a phrase"`,
        `prefix*`; accents and case are ignored.

        Search is not a broker service: the store belongs to the CLI and the storage writers, so this runs
        `docpipe search --json` (the executable given as `Client(docpipe=…)`, else `$DOCPIPE`, else on PATH)
        against the client's `data` folder and `store` (else `$DOCPIPE_HOME`/`$DOCPIPE_STORE`, as the CLI).
        Raises SearchUnavailable when there is no executable or the search fails, with the CLI's message."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        executable = find_docpipe(self.docpipe)
        return run_search(executable, query, limit, data=self.data, store=self.store)
