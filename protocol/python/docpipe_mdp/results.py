"""What the high-level client returns: plain dataclasses, so results print, compare and serialise easily."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from .messages import BUSY, ErrorReply, SubmitBatchEntry

FINAL_JOB_STATES = ("done", "failed")


@dataclass(frozen=True)
class Refusal:
    """Why a document was not accepted: the broker's ErrorReply (or batch entry), or the client's own
    reason for a file it could not read (`unreadable_file`)."""

    status: int
    reason: str
    message: str
    retry_after_ms: Optional[int] = None

    @property
    def temporary(self) -> bool:
        """True for 503 refusals (busy, shutting down, journal outage, standby): the same request may
        succeed later."""
        return self.status == BUSY

    @classmethod
    def from_error_reply(cls, reply: ErrorReply) -> "Refusal":
        return cls(reply.status, reply.reason, reply.message, reply.retry_after_ms)

    @classmethod
    def from_entry(cls, entry: SubmitBatchEntry) -> "Refusal":
        return cls(entry.status, entry.reason or "refused", entry.message or "", entry.retry_after_ms)


@dataclass(frozen=True)
class SubmittedFile:
    """One file of `submit_many`: accepted (with its job and document ids) or refused (with the refusal)."""

    path: str
    job_id: Optional[str] = None
    document_id: Optional[str] = None
    refusal: Optional[Refusal] = None

    @property
    def accepted(self) -> bool:
        return self.job_id is not None


@dataclass
class SubmitManyResult:
    """Every file of a `submit_many` call, in the order they were given (folders expanded, sorted)."""

    files: List[SubmittedFile] = field(default_factory=list)

    @property
    def accepted(self) -> List[SubmittedFile]:
        return [f for f in self.files if f.accepted]

    @property
    def refused(self) -> List[SubmittedFile]:
        return [f for f in self.files if not f.accepted]

    @property
    def job_ids(self) -> List[str]:
        """The jobs of the accepted files, in order."""
        return [f.job_id for f in self.files if f.job_id is not None]

    @property
    def ok(self) -> bool:
        """True when every file was accepted."""
        return all(f.accepted for f in self.files)


@dataclass(frozen=True)
class SearchHit:
    """One document found by `search`, best first.

    `rank` is only comparable between hits of the same search (SQLite's bm25 negated, or PostgreSQL's
    ts_rank_cd); `snippet` has the matched words marked «like this». `extra` keeps any field this version of
    the client does not know, so a newer `docpipe search --json` loses nothing."""

    id: str
    title: Optional[str] = None
    snippet: str = ""
    rank: float = 0.0
    topic: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)
