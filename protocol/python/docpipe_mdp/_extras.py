"""The hand-written half of the message classes: behaviour the schemas cannot say.

tools/gen_protocol.py mixes each `<Name>Extras` class below into the generated message class `<Name>` of
messages.py (it reads this file's class names, so a new mixin needs no change to the generator). Mixins hold
methods only, never fields: the fields, their types, defaults and the JSON mapping come from the schemas.
The functions at the end read message classes, so they import messages when called, not when loaded
(messages.py imports this module).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

from ._wire import JSONBytes, decode_json
from .protocol import ProtocolError
from .status_codes import ACCEPTED, BUSY, MULTI_STATUS

if TYPE_CHECKING:
    from .messages import Document, ErrorReply, StageResult, SubmitBatchRequest, SubmitRequest

STANDBY = "standby"  # ErrorReply reason (503) of a standby broker: ask another endpoint, the active one


class DocumentExtras:
    """A document as submitted: raw content (UTF-8 text or base64) plus what the submitter knows."""

    content: str
    encoding: str

    @classmethod
    def from_bytes(cls, data: bytes, name: Optional[str] = None, content_type: Optional[str] = None,
                   id: Optional[str] = None) -> "Document":
        try:
            text = data.decode("utf-8")
            if "\x00" not in text:
                return cls(content=text, id=id, name=name, content_type=content_type)  # type: ignore[call-arg]
        except UnicodeDecodeError:
            pass
        return cls(content=base64.b64encode(data).decode("ascii"), id=id, name=name,  # type: ignore[call-arg]
                   content_type=content_type, encoding="base64")

    @property
    def bytes(self) -> Optional[bytes]:
        """The raw bytes; None for base64 content that does not decode."""
        if self.encoding == "utf8":
            return self.content.encode("utf-8")
        try:
            return base64.b64decode(self.content, validate=True)
        except (binascii.Error, ValueError):
            return None

    def document_id(self) -> str:
        """The id the broker gives a document without one: `doc-` + 16 hex digits of its SHA-256."""
        raw = self.bytes if self.bytes is not None else self.content.encode("utf-8")
        return "doc-" + hashlib.sha256(raw).hexdigest()[:16]


class StageResultExtras:
    @classmethod
    def ok(cls, job_id: str, stage: str, output: dict, **extra: Any) -> "StageResult":
        return cls(job_id=job_id, stage=stage, status="ok", output=output, **extra)  # type: ignore[call-arg]

    @classmethod
    def failure(cls, job_id: str, stage: str, error: Any, **extra: Any) -> "StageResult":
        return cls(job_id=job_id, stage=stage, status="error", error=error, **extra)  # type: ignore[call-arg]


class SubmitBatchEntryExtras:
    status: int

    @property
    def accepted(self) -> bool:
        return self.status == ACCEPTED


class SubmitBatchReplyExtras:
    """The status may be left out when building one: 202 if every document was accepted, else 207."""

    jobs: list
    status: Optional[int]

    def __post_init__(self) -> None:
        if self.status is None:
            self.status = ACCEPTED if all(j.accepted for j in self.jobs) else MULTI_STATUS


class BrokerStatusExtras:
    role: Optional[str]

    @property
    def is_standby(self) -> bool:
        """True when the broker says it is a standby; a broker that does not say is active."""
        return self.role == "standby"


class DeadLetterRequestExtras:
    """Builders for the four operations: `list`, `show` (job_id), `retry`/`drop` (job_id, or all=True)."""

    @classmethod
    def list(cls, limit: Optional[int] = None):
        return cls(op="list", limit=limit)  # type: ignore[call-arg]

    @classmethod
    def show(cls, job_id: str):
        return cls(op="show", job_id=job_id)  # type: ignore[call-arg]

    @classmethod
    def retry(cls, job_id: Optional[str] = None, all: bool = False):
        return cls._act("retry", job_id, all)

    @classmethod
    def drop(cls, job_id: Optional[str] = None, all: bool = False):
        return cls._act("drop", job_id, all)

    @classmethod
    def _act(cls, op: str, job_id: Optional[str], all: bool):
        if (job_id is None) == (not all):
            raise ValueError(f"{op}: give either job_id or all=True")
        return cls(op=op, job_id=job_id, all=True if all else None)  # type: ignore[call-arg]


class WorkerIdentityExtras:
    @classmethod
    def of_this_process(cls, version: Optional[str] = None):
        import os
        import socket
        return cls(host=socket.gethostname(), pid=os.getpid(), version=version)  # type: ignore[call-arg]


def decode_submit(data: JSONBytes) -> Union["SubmitRequest", "SubmitBatchRequest"]:
    """A `docpipe.submit` body in either form (Swift: `SubmitBody.decode`): exactly one of `document` and
    `documents`, and a batch of 1 to MAX_BATCH_DOCUMENTS documents; anything else raises `ProtocolError`."""
    from .messages import MAX_BATCH_DOCUMENTS, SubmitBatchRequest, SubmitRequest

    value = decode_json(data, "SubmitRequest")
    if "document" in value and "documents" in value:
        raise ProtocolError.bad_body("SubmitRequest: send either 'document' or 'documents', not both")
    if "documents" not in value:
        return SubmitRequest.from_dict(value)
    batch = SubmitBatchRequest.from_dict(value)
    if not batch.documents:
        raise ProtocolError.bad_body("SubmitBatchRequest: 'documents' is empty; send at least one document")
    if len(batch.documents) > MAX_BATCH_DOCUMENTS:
        raise ProtocolError.bad_body(f"SubmitBatchRequest: {len(batch.documents)} documents; "
                                     f"the limit is {MAX_BATCH_DOCUMENTS} a request")
    return batch


def standby_reply(frames: Sequence[bytes]) -> Optional["ErrorReply"]:
    """The ErrorReply when a reply body is a standby broker's refusal (one JSON frame, 503 `standby`), else None.

    A standby broker answers every client request but `docpipe.status` and `mmi.*` so; a client that knows
    other endpoints moves on to the next one (SPEC: "Failover: active and standby brokers").
    """
    from .messages import ErrorReply

    if len(frames) != 1 or not frames[0].startswith(b"{"):
        return None
    try:
        value = json.loads(bytes(frames[0]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(value, dict) or value.get("status") != BUSY or value.get("reason") != STANDBY:
        return None
    try:
        return ErrorReply.from_dict(value)
    except ProtocolError:
        return None
