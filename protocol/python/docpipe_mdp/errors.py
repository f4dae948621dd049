"""The exceptions `docpipe_mdp.Client` raises: each says what happened and carries the broker's own words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # only for annotations: results imports nothing from here
    from .messages import JobStatus
    from .results import Refusal, SubmitManyResult


class DocpipeError(Exception):
    """Base class of every error the high-level client raises (ProtocolError and MDPTimeout are the
    transport's own)."""


class Refused(DocpipeError):
    """The broker answered, and the answer was no: an ErrorReply such as 404 `unknown_pipeline`,
    400 `empty_document` or 413 `too_large`. Sending the same request again will not help."""

    def __init__(self, refusal: "Refusal", what: str = "request"):
        self.refusal = refusal
        super().__init__(f"{what} refused: {refusal.status} {refusal.reason}: {refusal.message}")

    @property
    def status(self) -> int:
        return self.refusal.status

    @property
    def reason(self) -> str:
        return self.refusal.reason


class Busy(Refused):
    """The broker kept answering 503 (`busy`, `shutting_down`, `journal_unavailable`, `standby`) for longer
    than the client's `retry_for`, although the client waited each `retry_after_ms` it was told."""


class Unreachable(DocpipeError, TimeoutError):
    """No broker answered for longer than the client's `retry_for`. A request sent just before may or may
    not have been accepted; submitting the same document again is safe (the store keeps it once).

    `partial` holds what `submit_many` had settled before the broker went quiet, else None."""

    def __init__(self, message: str, partial: "Optional[SubmitManyResult]" = None):
        super().__init__(message)
        self.partial = partial


class WaitTimeout(DocpipeError, TimeoutError):
    """`wait` ran out of time before the job reached `done` or `failed`; `last` is the latest JobStatus seen
    (None if the broker never answered)."""

    def __init__(self, job_id: str, timeout: float, last: "Optional[JobStatus]"):
        where = f"still {last.state}" + (f" at {last.stage}" if last.stage else "") if last else "no answer"
        super().__init__(f"job {job_id} did not finish within {timeout:g} s ({where})")
        self.job_id = job_id
        self.last = last


class SearchUnavailable(DocpipeError):
    """`search` could not run `docpipe search`: the executable is missing, failed, or printed something
    that is not search results. The message says which, and what to do."""
