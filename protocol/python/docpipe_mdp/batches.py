"""The pure part of submitting many documents: how they are grouped into requests, what a reply means for
each of them, and how long to keep trying a busy broker. No sockets, files or clocks of its own."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, TypeVar

from .messages import ACCEPTED, BUSY, MULTI_STATUS, TOO_LARGE, Document, ErrorReply, SubmitBatchReply
from .protocol import ProtocolError
from .results import Refusal

# As `docpipe submit` does (SPEC "SubmitBatchRequest"): far below the broker's 1000 documents and 64 MiB, so
# journalling one request never stalls the broker and a refusal as too large is rare.
MAX_BATCH_DOCUMENTS = 100
MAX_BATCH_BYTES = 8 << 20

T = TypeVar("T")


def group(items: Iterable[Tuple[T, Document]], max_documents: int = MAX_BATCH_DOCUMENTS,
          max_bytes: int = MAX_BATCH_BYTES) -> Iterator[List[Tuple[T, Document]]]:
    """Consecutive groups of at most `max_documents` documents and `max_bytes` of content (as sent: base64
    for binary files); a document bigger than `max_bytes` goes alone. Reads `items` lazily, so files are
    read one request ahead, not all at once."""
    batch: List[Tuple[T, Document]] = []
    size = 0
    for key, document in items:
        length = len(document.content.encode("utf-8")) if document.encoding == "utf8" else len(document.content)
        if batch and (len(batch) == max_documents or size + length > max_bytes):
            yield batch
            batch, size = [], 0
        batch.append((key, document))
        size += length
    if batch:
        yield batch


@dataclass
class Settlement:
    """What one reply to a batch request means for each document sent.

    `outcomes` maps positions in the request to a job id and document id (accepted) or a Refusal; `retry` are
    the positions refused 503, to send again after `retry_after_ms`; `split` is set when the whole request was
    too large and should be sent again as two halves."""

    outcomes: Dict[int, Tuple[Optional[str], Optional[str], Optional[Refusal]]] = field(default_factory=dict)
    retry: List[int] = field(default_factory=list)
    retry_after_ms: int = 0
    busy: Optional[Refusal] = None  # the 503 refusal behind `retry`, reported if the client gives up
    split: bool = False


def settle(count: int, reply: Dict[str, Any]) -> Settlement:
    """Reads the reply to a batch of `count` documents (SPEC "SubmitBatchReply"): 202/207 has an entry per
    document; anything else is one ErrorReply for all of them. Raises ProtocolError when the reply does not
    fit the request."""
    out = Settlement()
    status = reply.get("status")
    if status in (ACCEPTED, MULTI_STATUS) and "jobs" in reply:
        entries = SubmitBatchReply.from_dict(reply).jobs
        if len(entries) != count:
            raise ProtocolError.bad_body(f"SubmitBatchReply: {len(entries)} entries for {count} documents")
        for position, entry in enumerate(entries):
            if entry.accepted:
                out.outcomes[position] = (entry.job_id, entry.document_id, None)
            elif entry.status == BUSY:
                out.retry.append(position)
                out.retry_after_ms = max(out.retry_after_ms, entry.retry_after_ms or 0)
                out.busy = Refusal.from_entry(entry)
            else:
                out.outcomes[position] = (None, None, Refusal.from_entry(entry))
        return out
    refusal = Refusal.from_error_reply(ErrorReply.from_dict(reply))
    if refusal.status == TOO_LARGE and count > 1:
        out.split = True
    elif refusal.temporary:
        out.retry = list(range(count))
        out.retry_after_ms = refusal.retry_after_ms or 0
        out.busy = refusal
    else:
        out.outcomes = {position: (None, None, refusal) for position in range(count)}
    return out


def halves(items: Sequence[T]) -> List[Sequence[T]]:
    """A too-large request as two smaller ones."""
    middle = len(items) // 2
    return [items[:middle], items[middle:]]


class RetryWindow:
    """How long a client keeps trying a broker that is busy or silent: `retry_for` seconds counted from the
    last progress (a document accepted), as `docpipe submit --retry-for` does.

    `delay_after_busy` honours the broker's `retry_after_ms` (at least `min_delay`); `delay_after_silence`
    backs off from `min_delay`, doubling up to `max_delay`. Both return None once waiting would go past the
    window: then the caller gives up."""

    def __init__(self, retry_for: float, clock: Callable[[], float] = time.monotonic,
                 min_delay: float = 0.05, max_delay: float = 2.0):
        self.retry_for = retry_for
        self.clock = clock
        self.min_delay = min_delay
        self.max_delay = max_delay
        self.since = clock()
        self.silences = 0

    def progress(self) -> None:
        """Something was accepted (or answered): the window starts again."""
        self.since = self.clock()
        self.silences = 0

    def _fits(self, delay: float) -> Optional[float]:
        return delay if self.clock() + delay - self.since <= self.retry_for else None

    def delay_after_busy(self, retry_after_ms: Optional[int]) -> Optional[float]:
        return self._fits(max((retry_after_ms or 0) / 1000, self.min_delay))

    def delay_after_silence(self) -> Optional[float]:
        delay = min(self.min_delay * (2 ** self.silences), self.max_delay)
        self.silences += 1
        return self._fits(delay)
