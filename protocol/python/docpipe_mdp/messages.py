"""docpipe/1 JSON message bodies; mirrors protocol/swift (the source of truth) and protocol/SPEC.md.

Every message class has `to_dict()`/`from_dict()` and `to_json()`/`from_json()`. `to_json` writes keys
sorted and leaves out optional fields that have no value, as the Swift encoder does. `from_json` raises
`ProtocolError` (counter `bad_body`) naming the missing or mistyped field.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, List, Optional, Sequence, Union

from .protocol import ProtocolError

VERSION = 1

# Status codes, in bands: 2xx ok, 3xx pending/temporary, 4xx the caller's fault, 5xx the server's.
OK = 200
ACCEPTED = 202
MULTI_STATUS = 207  # a batch submission of which some documents were refused: see each entry
PENDING = 300
BAD_REQUEST = 400
NOT_FOUND = 404
TOO_LARGE = 413
UNPROCESSABLE = 422
INTERNAL_ERROR = 500
NOT_IMPLEMENTED = 501
BUSY = 503
TIMEOUT = 504  # a client request to a worker service expired unserved; a stage that did not answer in time

JSONBytes = Union[bytes, bytearray, str]


def encode_json(value: Any) -> bytes:
    """The wire form of any JSON value: UTF-8, keys sorted, no insignificant whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode_json(data: JSONBytes, type_name: str = "message") -> Dict[str, Any]:
    if isinstance(data, (bytes, bytearray)):
        if not data:
            raise ProtocolError.bad_body(f"empty body, expected a JSON {type_name} object")
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError.bad_body("body is not valid JSON") from None
    try:
        value = json.loads(data)
    except ValueError:
        raise ProtocolError.bad_body("body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ProtocolError.bad_body(f"{type_name}: expected a JSON object")
    return value


def reply_status(data: JSONBytes) -> int:
    """The `status` of any reply body, read before decoding the rest (Swift: `ReplyHead`)."""
    status = decode_json(data, "reply").get("status")
    if not isinstance(status, int) or isinstance(status, bool):
        raise ProtocolError.bad_body("reply: missing field 'status'")
    return status


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_CHECKS = {
    "int": (_is_int, "an integer"),
    "number": (_is_number, "a number"),
    "str": (lambda v: isinstance(v, str), "a string"),
    "bool": (lambda v: isinstance(v, bool), "a boolean"),
    "object": (lambda v: isinstance(v, dict), "an object"),
    "array": (lambda v: isinstance(v, list), "an array"),
}


class _Reader:
    """Reads fields of one JSON object, raising errors that name the message and the field path."""

    def __init__(self, data: Any, type_name: str, path: str = ""):
        self.type_name = type_name
        self.path = path
        if not isinstance(data, dict):
            raise ProtocolError.bad_body(f"{type_name}: wrong type at '{path or '.'}'")
        self.data = data

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def required(self, key: str, kind: str) -> Any:
        if key not in self.data:
            raise ProtocolError.bad_body(f"{self.type_name}: missing field '{key}'")
        return self._check(key, kind)

    def optional(self, key: str, kind: str, default: Any = None) -> Any:
        if self.data.get(key) is None:
            return default
        return self._check(key, kind)

    def _check(self, key: str, kind: str) -> Any:
        value = self.data[key]
        if value is None:
            raise ProtocolError.bad_body(f"{self.type_name}: null at '{self._where(key)}'")
        test, _ = _CHECKS[kind]
        if not test(value):
            raise ProtocolError.bad_body(f"{self.type_name}: wrong type at '{self._where(key)}'")
        return value

    def enum(self, key: str, allowed: tuple, default: Any = None, required: bool = True) -> Any:
        value = self.required(key, "str") if required else self.optional(key, "str", default)
        if value is None and not required:
            return None
        if value not in allowed:
            raise ProtocolError.bad_body(f"{self.type_name}: bad value at '{self._where(key)}'")
        return value

    def nested(self, key: str, cls: Any, required: bool = True) -> Any:
        value = self.required(key, "object") if required else self.optional(key, "object")
        return None if value is None else cls.from_dict(value, path=self._where(key))

    def version(self) -> int:
        return self.required("v", "int")


def _put(out: Dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


class _Message:
    """Shared JSON plumbing; subclasses define `to_dict` and `from_dict`."""

    def to_json(self) -> bytes:
        return encode_json(self.to_dict())  # type: ignore[attr-defined]

    @classmethod
    def from_json(cls, data: JSONBytes):
        return cls.from_dict(decode_json(data, cls.__name__))  # type: ignore[attr-defined]


@dataclass
class Document(_Message):
    """A document as submitted: raw content (UTF-8 text or base64) plus what the submitter knows."""

    content: str
    id: Optional[str] = None
    name: Optional[str] = None
    content_type: Optional[str] = None
    encoding: str = "utf8"
    metadata: Dict[str, str] = field(default_factory=dict)
    v: int = VERSION

    @classmethod
    def from_bytes(cls, data: bytes, name: Optional[str] = None, content_type: Optional[str] = None,
                   id: Optional[str] = None) -> "Document":
        try:
            text = data.decode("utf-8")
            if "\x00" not in text:
                return cls(content=text, id=id, name=name, content_type=content_type)
        except UnicodeDecodeError:
            pass
        return cls(content=base64.b64encode(data).decode("ascii"), id=id, name=name,
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

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"v": self.v, "content": self.content, "encoding": self.encoding,
                               "metadata": dict(self.metadata)}
        _put(out, "id", self.id)
        _put(out, "name", self.name)
        _put(out, "content_type", self.content_type)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "Document":
        r = _Reader(data, "Document", path)
        metadata = r.optional("metadata", "object", {})
        for key, value in metadata.items():
            if not isinstance(value, str):
                raise ProtocolError.bad_body(f"Document: wrong type at '{r._where('metadata.' + key)}'")
        return cls(v=r.version(), content=r.required("content", "str"), id=r.optional("id", "str"),
                   name=r.optional("name", "str"), content_type=r.optional("content_type", "str"),
                   encoding=r.enum("encoding", ("utf8", "base64"), "utf8", required=False),
                   metadata=dict(metadata))


@dataclass
class ErrorBody(_Message):
    """An error inside another message: status code, snake_case reason, human message, retryable."""

    code: int
    reason: str
    message: str
    retryable: bool = False

    def to_dict(self) -> Dict[str, Any]:
        return {"code": self.code, "reason": self.reason, "message": self.message, "retryable": self.retryable}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "ErrorBody":
        r = _Reader(data, "ErrorBody", path)
        return cls(code=r.required("code", "int"), reason=r.required("reason", "str"),
                   message=r.required("message", "str"), retryable=r.required("retryable", "bool"))


def _results(r: _Reader) -> Dict[str, Any]:
    return dict(r.required("results", "object"))


@dataclass
class StageRequest(_Message):
    """What the broker sends a stage worker: one document at one stage of one job."""

    job_id: str
    pipeline: str
    stage: str
    attempt: int
    document: Document
    results: Dict[str, Any] = field(default_factory=dict)
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "job_id": self.job_id, "pipeline": self.pipeline, "stage": self.stage,
                "attempt": self.attempt, "document": self.document.to_dict(), "results": self.results}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "StageRequest":
        r = _Reader(data, "StageRequest", path)
        return cls(v=r.version(), job_id=r.required("job_id", "str"), pipeline=r.required("pipeline", "str"),
                   stage=r.required("stage", "str"), attempt=r.required("attempt", "int"),
                   document=r.nested("document", Document), results=_results(r))


@dataclass
class StageResult(_Message):
    """What a worker answers: `ok` with an output object, or `error` with an ErrorBody."""

    job_id: str
    stage: str
    status: str
    output: Optional[Dict[str, Any]] = None
    error: Optional[ErrorBody] = None
    duration_ms: Optional[float] = None
    worker: Optional[str] = None
    v: int = VERSION

    @classmethod
    def ok(cls, job_id: str, stage: str, output: Dict[str, Any], **extra: Any) -> "StageResult":
        return cls(job_id=job_id, stage=stage, status="ok", output=output, **extra)

    @classmethod
    def failure(cls, job_id: str, stage: str, error: ErrorBody, **extra: Any) -> "StageResult":
        return cls(job_id=job_id, stage=stage, status="error", error=error, **extra)

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"v": self.v, "job_id": self.job_id, "stage": self.stage, "status": self.status}
        _put(out, "output", self.output)
        _put(out, "error", self.error.to_dict() if self.error else None)
        _put(out, "duration_ms", self.duration_ms)
        _put(out, "worker", self.worker)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "StageResult":
        r = _Reader(data, "StageResult", path)
        return cls(v=r.version(), job_id=r.required("job_id", "str"), stage=r.required("stage", "str"),
                   status=r.enum("status", ("ok", "error")), output=r.optional("output", "object"),
                   error=r.nested("error", ErrorBody, required=False),
                   duration_ms=r.optional("duration_ms", "number"), worker=r.optional("worker", "str"))


@dataclass
class SubmitRequest(_Message):
    """Body of a `docpipe.submit` request: one document for one named pipeline."""

    document: Document
    pipeline: str = "default"
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "pipeline": self.pipeline, "document": self.document.to_dict()}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "SubmitRequest":
        r = _Reader(data, "SubmitRequest", path)
        return cls(v=r.version(), pipeline=r.required("pipeline", "str"), document=r.nested("document", Document))


@dataclass
class SubmitReply(_Message):
    """Reply to `docpipe.submit`: 202 means journalled, will not be lost."""

    job_id: str
    document_id: str
    status: int = ACCEPTED
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "status": self.status, "job_id": self.job_id, "document_id": self.document_id}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "SubmitReply":
        r = _Reader(data, "SubmitReply", path)
        return cls(v=r.version(), status=r.required("status", "int"), job_id=r.required("job_id", "str"),
                   document_id=r.required("document_id", "str"))


MAX_BATCH_DOCUMENTS = 1000


@dataclass
class SubmitBatchRequest(_Message):
    """Body of a batch `docpipe.submit` request: 1 to 1000 documents for one pipeline, each its own job."""

    documents: List[Document]
    pipeline: str = "default"
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "pipeline": self.pipeline, "documents": [d.to_dict() for d in self.documents]}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "SubmitBatchRequest":
        r = _Reader(data, "SubmitBatchRequest", path)
        documents = [Document.from_dict(d, r._where(f"documents.{i}"))
                     for i, d in enumerate(r.required("documents", "array"))]
        return cls(v=r.version(), pipeline=r.required("pipeline", "str"), documents=documents)


def decode_submit(data: JSONBytes) -> Union[SubmitRequest, SubmitBatchRequest]:
    """A `docpipe.submit` body in either form (Swift: `SubmitBody.decode`): exactly one of `document` and
    `documents`, and a batch of 1 to 1000 documents; anything else raises `ProtocolError`."""
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


@dataclass
class SubmitBatchEntry:
    """One document's outcome in a SubmitBatchReply: accepted (202, with its job) or refused (with why)."""

    status: int
    job_id: Optional[str] = None
    document_id: Optional[str] = None
    reason: Optional[str] = None
    message: Optional[str] = None
    retry_after_ms: Optional[int] = None

    @property
    def accepted(self) -> bool:
        return self.status == ACCEPTED

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"status": self.status}
        if self.accepted:
            out.update(job_id=self.job_id, document_id=self.document_id)
        else:
            out.update(reason=self.reason, message=self.message)
            _put(out, "retry_after_ms", self.retry_after_ms)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "SubmitBatchEntry":
        r = _Reader(data, "SubmitBatchReply", path)
        status = r.required("status", "int")
        if status == ACCEPTED:
            return cls(status=status, job_id=r.required("job_id", "str"), document_id=r.required("document_id", "str"))
        return cls(status=status, reason=r.required("reason", "str"), message=r.required("message", "str"),
                   retry_after_ms=r.optional("retry_after_ms", "int"))


@dataclass
class SubmitBatchReply(_Message):
    """Reply to a batch `docpipe.submit`: one entry per document, in order; 202 if all were accepted, else 207."""

    jobs: List[SubmitBatchEntry]
    status: Optional[int] = None
    v: int = VERSION

    def __post_init__(self) -> None:
        if self.status is None:
            self.status = ACCEPTED if all(j.accepted for j in self.jobs) else MULTI_STATUS

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "status": self.status, "jobs": [j.to_dict() for j in self.jobs]}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "SubmitBatchReply":
        r = _Reader(data, "SubmitBatchReply", path)
        jobs = [SubmitBatchEntry.from_dict(j, r._where(f"jobs.{i}")) for i, j in enumerate(r.required("jobs", "array"))]
        return cls(v=r.version(), status=r.required("status", "int"), jobs=jobs)


@dataclass
class JobQuery(_Message):
    """Body of a `docpipe.job` request."""

    job_id: str
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "job_id": self.job_id}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "JobQuery":
        r = _Reader(data, "JobQuery", path)
        return cls(v=r.version(), job_id=r.required("job_id", "str"))


JOB_STATES = ("queued", "running", "done", "failed")
ATTEMPT_OUTCOMES = ("ok", "error", "timeout", "lost")


@dataclass
class StageAttempt(_Message):
    """One try of one stage of a job and how it ended (`ok`, `error`, `timeout`); no `v`, only nested."""

    stage: str
    attempt: int
    outcome: str
    at: float
    error: Optional[ErrorBody] = None
    worker: Optional[str] = None  # who answered, as its StageResult said (docpipe workers: host:pid)
    duration_ms: Optional[float] = None  # the time the worker reported

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"stage": self.stage, "attempt": self.attempt, "outcome": self.outcome, "at": self.at}
        _put(out, "error", self.error.to_dict() if self.error else None)
        _put(out, "worker", self.worker)
        _put(out, "duration_ms", self.duration_ms)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "StageAttempt":
        r = _Reader(data, "StageAttempt", path)
        return cls(stage=r.required("stage", "str"), attempt=r.required("attempt", "int"),
                   outcome=r.enum("outcome", ATTEMPT_OUTCOMES), at=r.required("at", "number"),
                   error=r.nested("error", ErrorBody, required=False), worker=r.optional("worker", "str"),
                   duration_ms=r.optional("duration_ms", "number"))


@dataclass
class JobStatus(_Message):
    """Reply to `docpipe.job`: state, current stage, and every stage result so far."""

    job_id: str
    document_id: str
    pipeline: str
    state: str
    stages_done: List[str]
    attempts: int
    results: Dict[str, Any]
    created_at: float
    updated_at: float
    stage: Optional[str] = None
    error: Optional[ErrorBody] = None
    history: Optional[List[StageAttempt]] = None
    status: int = OK
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "v": self.v, "status": self.status, "job_id": self.job_id, "document_id": self.document_id,
            "pipeline": self.pipeline, "state": self.state, "stages_done": list(self.stages_done),
            "attempts": self.attempts, "results": self.results, "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        _put(out, "stage", self.stage)
        _put(out, "error", self.error.to_dict() if self.error else None)
        _put(out, "history", None if self.history is None else [a.to_dict() for a in self.history])
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "JobStatus":
        r = _Reader(data, "JobStatus", path)
        stages_done = r.required("stages_done", "array")
        if not all(isinstance(s, str) for s in stages_done):
            raise ProtocolError.bad_body("JobStatus: wrong type at 'stages_done'")
        history = r.optional("history", "array")
        if history is not None:
            history = [StageAttempt.from_dict(a, r._where(f"history.{i}")) for i, a in enumerate(history)]
        return cls(v=r.version(), status=r.required("status", "int"), job_id=r.required("job_id", "str"),
                   document_id=r.required("document_id", "str"), pipeline=r.required("pipeline", "str"),
                   state=r.enum("state", JOB_STATES), stage=r.optional("stage", "str"),
                   stages_done=list(stages_done), attempts=r.required("attempts", "int"), results=_results(r),
                   error=r.nested("error", ErrorBody, required=False), history=history,
                   created_at=r.required("created_at", "number"), updated_at=r.required("updated_at", "number"))


@dataclass
class ServiceInfo:
    """One MDP service in BrokerStatus: its queue and the workers that serve it."""

    name: str
    queued: int
    inflight: int
    workers: int
    idle: int

    def to_dict(self) -> Dict[str, Any]:
        return {"name": self.name, "queued": self.queued, "inflight": self.inflight, "workers": self.workers,
                "idle": self.idle}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "ServiceInfo":
        r = _Reader(data, "BrokerStatus", path)
        return cls(name=r.required("name", "str"), queued=r.required("queued", "int"),
                   inflight=r.required("inflight", "int"), workers=r.required("workers", "int"),
                   idle=r.required("idle", "int"))


@dataclass
class JobCounts:
    """Jobs the broker knows, by state, since its journal began."""

    accepted: int = 0
    queued: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0

    def to_dict(self) -> Dict[str, Any]:
        return {"accepted": self.accepted, "queued": self.queued, "running": self.running, "done": self.done,
                "failed": self.failed}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "JobCounts":
        r = _Reader(data, "BrokerStatus", path)
        return cls(**{k: r.required(k, "int") for k in ("accepted", "queued", "running", "done", "failed")})


@dataclass
class LatencySummary(_Message):
    """Latency percentiles in milliseconds, from a histogram; no `v`, only nested."""

    count: int
    p50: float
    p95: float
    p99: float
    max: float

    def to_dict(self) -> Dict[str, Any]:
        return {"count": self.count, "p50": self.p50, "p95": self.p95, "p99": self.p99, "max": self.max}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "LatencySummary":
        r = _Reader(data, "LatencySummary", path)
        return cls(count=r.required("count", "int"), p50=r.required("p50", "number"), p95=r.required("p95", "number"),
                   p99=r.required("p99", "number"), max=r.required("max", "number"))


@dataclass
class StageStats(_Message):
    """One stage (MDP service) in BrokerStatus.stages: queue, rates, totals since the journal began, latency."""

    service: str
    queued: int
    inflight: int
    in_per_s: float
    out_per_s: float
    done: int
    failed: int
    retried: int
    dead_lettered: int
    workers: int
    oldest_queued_s: Optional[float] = None
    latency_ms: Optional[LatencySummary] = None

    _INTS: ClassVar[tuple] = ("queued", "inflight", "done", "failed", "retried", "dead_lettered", "workers")

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"service": self.service, "in_per_s": self.in_per_s, "out_per_s": self.out_per_s}
        out.update({k: getattr(self, k) for k in self._INTS})
        _put(out, "oldest_queued_s", self.oldest_queued_s)
        _put(out, "latency_ms", self.latency_ms.to_dict() if self.latency_ms else None)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "StageStats":
        r = _Reader(data, "StageStats", path)
        return cls(service=r.required("service", "str"), in_per_s=r.required("in_per_s", "number"),
                   out_per_s=r.required("out_per_s", "number"),
                   oldest_queued_s=r.optional("oldest_queued_s", "number"),
                   latency_ms=r.nested("latency_ms", LatencySummary, required=False),
                   **{k: r.required(k, "int") for k in cls._INTS})


@dataclass
class BrokerTotals(_Message):
    """The broker-wide figures of BrokerStatus.totals."""

    in_per_s: float
    out_per_s: float
    queued: int
    dead_letters: int
    workers_known: int
    oldest_queued_s: Optional[float] = None
    end_to_end_ms: Optional[LatencySummary] = None

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"in_per_s": self.in_per_s, "out_per_s": self.out_per_s, "queued": self.queued,
                               "dead_letters": self.dead_letters, "workers_known": self.workers_known}
        _put(out, "oldest_queued_s", self.oldest_queued_s)
        _put(out, "end_to_end_ms", self.end_to_end_ms.to_dict() if self.end_to_end_ms else None)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "BrokerTotals":
        r = _Reader(data, "BrokerTotals", path)
        return cls(in_per_s=r.required("in_per_s", "number"), out_per_s=r.required("out_per_s", "number"),
                   queued=r.required("queued", "int"), dead_letters=r.required("dead_letters", "int"),
                   workers_known=r.required("workers_known", "int"),
                   oldest_queued_s=r.optional("oldest_queued_s", "number"),
                   end_to_end_ms=r.nested("end_to_end_ms", LatencySummary, required=False))


BROKER_ROLES = ("active", "standby")
JOURNAL_KINDS = ("log", "postgres")


@dataclass
class FailoverStatus(_Message):
    """BrokerStatus.failover: which journal, who holds the lease, since when, how often it changed hands.

    `journal` is `log` (the data folder's journal file: one broker) or `postgres` (shared: one active broker,
    any standbys). Times are Unix seconds. No `v`, only nested.
    """

    journal: str
    role_since: float
    failovers: int = 0
    active_endpoint: Optional[str] = None
    active_since: Optional[float] = None
    lease_epoch: Optional[int] = None
    last_failover_at: Optional[float] = None

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"journal": self.journal, "role_since": self.role_since, "failovers": self.failovers}
        _put(out, "active_endpoint", self.active_endpoint)
        _put(out, "active_since", self.active_since)
        _put(out, "lease_epoch", self.lease_epoch)
        _put(out, "last_failover_at", self.last_failover_at)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "FailoverStatus":
        r = _Reader(data, "FailoverStatus", path)
        return cls(journal=r.enum("journal", JOURNAL_KINDS), role_since=r.required("role_since", "number"),
                   failovers=r.required("failovers", "int"), active_endpoint=r.optional("active_endpoint", "str"),
                   active_since=r.optional("active_since", "number"), lease_epoch=r.optional("lease_epoch", "int"),
                   last_failover_at=r.optional("last_failover_at", "number"))


@dataclass
class BrokerStatus(_Message):
    """Reply to `docpipe.status`: a snapshot of the broker."""

    version: str
    endpoint: str
    uptime_s: float
    workers: int
    services: List[ServiceInfo]
    pipelines: Dict[str, List[str]]
    jobs: JobCounts
    counters: Dict[str, int]
    totals: Optional[BrokerTotals] = None
    stages: Optional[List[StageStats]] = None
    access: Optional[str] = None
    role: Optional[str] = None  # "active" or "standby"; absent (None) from brokers before 0.5: active
    failover: Optional[FailoverStatus] = None
    status: int = OK
    v: int = VERSION

    @property
    def is_standby(self) -> bool:
        """True when the broker says it is a standby; a broker that does not say is active."""
        return self.role == "standby"

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "v": self.v, "status": self.status, "version": self.version, "endpoint": self.endpoint,
            "uptime_s": self.uptime_s, "workers": self.workers, "services": [s.to_dict() for s in self.services],
            "pipelines": {k: list(v) for k, v in self.pipelines.items()}, "jobs": self.jobs.to_dict(),
            "counters": dict(self.counters),
        }
        _put(out, "totals", self.totals.to_dict() if self.totals else None)
        _put(out, "stages", None if self.stages is None else [s.to_dict() for s in self.stages])
        _put(out, "access", self.access)
        _put(out, "role", self.role)
        _put(out, "failover", self.failover.to_dict() if self.failover else None)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "BrokerStatus":
        r = _Reader(data, "BrokerStatus", path)
        services = [ServiceInfo.from_dict(s, f"services.{i}") for i, s in enumerate(r.required("services", "array"))]
        pipelines = r.required("pipelines", "object")
        counters = r.required("counters", "object")
        if not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in pipelines.values()):
            raise ProtocolError.bad_body("BrokerStatus: wrong type at 'pipelines'")
        if not all(_is_int(v) for v in counters.values()):
            raise ProtocolError.bad_body("BrokerStatus: wrong type at 'counters'")
        stages = r.optional("stages", "array")
        if stages is not None:
            stages = [StageStats.from_dict(s, r._where(f"stages.{i}")) for i, s in enumerate(stages)]
        return cls(v=r.version(), status=r.required("status", "int"), version=r.required("version", "str"),
                   endpoint=r.required("endpoint", "str"), uptime_s=r.required("uptime_s", "number"),
                   workers=r.required("workers", "int"), services=services,
                   pipelines={k: list(v) for k, v in pipelines.items()},
                   jobs=r.nested("jobs", JobCounts), counters=dict(counters),
                   totals=r.nested("totals", BrokerTotals, required=False), stages=stages,
                   access=r.optional("access", "str"), role=r.enum("role", BROKER_ROLES, required=False),
                   failover=r.nested("failover", FailoverStatus, required=False))


@dataclass
class ErrorReply(_Message):
    """The body of any failed reply from a `docpipe.*` service."""

    status: int
    reason: str
    message: str
    retry_after_ms: Optional[int] = None
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"v": self.v, "status": self.status, "reason": self.reason, "message": self.message}
        _put(out, "retry_after_ms", self.retry_after_ms)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "ErrorReply":
        r = _Reader(data, "ErrorReply", path)
        return cls(v=r.version(), status=r.required("status", "int"), reason=r.required("reason", "str"),
                   message=r.required("message", "str"), retry_after_ms=r.optional("retry_after_ms", "int"))


STANDBY = "standby"  # ErrorReply reason (503) of a standby broker: ask another endpoint, the active one


def standby_reply(frames: Sequence[bytes]) -> Optional[ErrorReply]:
    """The ErrorReply when a reply body is a standby broker's refusal (one JSON frame, 503 `standby`), else None.

    A standby broker answers every client request but `docpipe.status` and `mmi.*` so; a client that knows
    other endpoints moves on to the next one (SPEC: "Failover: active and standby brokers").
    """
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


DEAD_LETTER_OPS = ("list", "show", "retry", "drop")


@dataclass
class DeadLetterRequest(_Message):
    """Body of a `docpipe.dlq` request: `list`, `show` (job_id), `retry`/`drop` (job_id, or all=True)."""

    op: str
    job_id: Optional[str] = None
    all: Optional[bool] = None
    limit: Optional[int] = None
    v: int = VERSION

    @classmethod
    def list(cls, limit: Optional[int] = None) -> "DeadLetterRequest":
        return cls(op="list", limit=limit)

    @classmethod
    def show(cls, job_id: str) -> "DeadLetterRequest":
        return cls(op="show", job_id=job_id)

    @classmethod
    def retry(cls, job_id: Optional[str] = None, all: bool = False) -> "DeadLetterRequest":
        return cls._act("retry", job_id, all)

    @classmethod
    def drop(cls, job_id: Optional[str] = None, all: bool = False) -> "DeadLetterRequest":
        return cls._act("drop", job_id, all)

    @classmethod
    def _act(cls, op: str, job_id: Optional[str], all: bool) -> "DeadLetterRequest":
        if (job_id is None) == (not all):
            raise ValueError(f"{op}: give either job_id or all=True")
        return cls(op=op, job_id=job_id, all=True if all else None)

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"v": self.v, "op": self.op}
        _put(out, "job_id", self.job_id)
        _put(out, "all", self.all)
        _put(out, "limit", self.limit)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "DeadLetterRequest":
        r = _Reader(data, "DeadLetterRequest", path)
        return cls(v=r.version(), op=r.enum("op", DEAD_LETTER_OPS), job_id=r.optional("job_id", "str"),
                   all=r.optional("all", "bool"), limit=r.optional("limit", "int"))


@dataclass
class DeadLetterEntry:
    """One failed job in a DeadLetterList: which stage failed it, after how many attempts, and why."""

    job_id: str
    document_id: str
    pipeline: str
    stage: str
    attempts: int
    failed_at: float
    name: Optional[str] = None
    error: Optional[ErrorBody] = None

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"job_id": self.job_id, "document_id": self.document_id, "pipeline": self.pipeline,
                               "stage": self.stage, "attempts": self.attempts, "failed_at": self.failed_at}
        _put(out, "name", self.name)
        _put(out, "error", self.error.to_dict() if self.error else None)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "DeadLetterEntry":
        r = _Reader(data, "DeadLetterList", path)
        return cls(job_id=r.required("job_id", "str"), document_id=r.required("document_id", "str"),
                   pipeline=r.required("pipeline", "str"), stage=r.required("stage", "str"),
                   attempts=r.required("attempts", "int"), failed_at=r.required("failed_at", "number"),
                   name=r.optional("name", "str"), error=r.nested("error", ErrorBody, required=False))


@dataclass
class DeadLetterList(_Message):
    """Reply to `docpipe.dlq` `list`: `total` dead letters, the first `limit` of them, oldest failure first."""

    total: int
    jobs: List[DeadLetterEntry]
    status: int = OK
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "status": self.status, "total": self.total, "jobs": [j.to_dict() for j in self.jobs]}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "DeadLetterList":
        r = _Reader(data, "DeadLetterList", path)
        jobs = [DeadLetterEntry.from_dict(j, r._where(f"jobs.{i}")) for i, j in enumerate(r.required("jobs", "array"))]
        return cls(v=r.version(), status=r.required("status", "int"), total=r.required("total", "int"), jobs=jobs)


@dataclass
class DeadLetterActionReply(_Message):
    """Reply to `docpipe.dlq` `retry` or `drop`: the ids of the jobs acted on."""

    op: str
    job_ids: List[str]
    status: int = OK
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "status": self.status, "op": self.op, "job_ids": list(self.job_ids)}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "DeadLetterActionReply":
        r = _Reader(data, "DeadLetterActionReply", path)
        job_ids = r.required("job_ids", "array")
        if not all(isinstance(j, str) for j in job_ids):
            raise ProtocolError.bad_body("DeadLetterActionReply: wrong type at 'job_ids'")
        return cls(v=r.version(), status=r.required("status", "int"), op=r.enum("op", DEAD_LETTER_OPS),
                   job_ids=list(job_ids))


@dataclass
class WorkerIdentity(_Message):
    """docpipe's optional READY identity frame (after the service name): host, pid, version; no `v`."""

    host: Optional[str] = None
    pid: Optional[int] = None
    version: Optional[str] = None
    credit: Optional[int] = None

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        _put(out, "host", self.host)
        _put(out, "pid", self.pid)
        _put(out, "version", self.version)
        _put(out, "credit", self.credit)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "WorkerIdentity":
        r = _Reader(data, "WorkerIdentity", path)
        return cls(host=r.optional("host", "str"), pid=r.optional("pid", "int"), version=r.optional("version", "str"),
                   credit=r.optional("credit", "int"))

    @classmethod
    def of_this_process(cls, version: Optional[str] = None) -> "WorkerIdentity":
        import os
        import socket
        return cls(host=socket.gethostname(), pid=os.getpid(), version=version)


WORKER_STATES = ("idle", "busy", "stale")
MDP_PROTOCOLS = ("MDP/0.1", "MDP/0.2")


@dataclass
class WorkerInfo:
    """One connected worker in a WorkerList."""

    id: str
    service: str
    protocol: str
    state: str
    last_heartbeat_s: float
    inflight: int
    done: int
    failed: int
    uptime_s: float
    host: Optional[str] = None
    pid: Optional[int] = None
    version: Optional[str] = None
    latency_ms: Optional[LatencySummary] = None
    key: Optional[str] = None  # name of the CURVE key it authenticated with (CURVE brokers only)

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"id": self.id, "service": self.service, "protocol": self.protocol, "state": self.state,
                               "last_heartbeat_s": self.last_heartbeat_s, "inflight": self.inflight,
                               "done": self.done, "failed": self.failed, "uptime_s": self.uptime_s}
        _put(out, "host", self.host)
        _put(out, "pid", self.pid)
        _put(out, "version", self.version)
        _put(out, "latency_ms", self.latency_ms.to_dict() if self.latency_ms else None)
        _put(out, "key", self.key)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "WorkerInfo":
        r = _Reader(data, "WorkerList", path)
        return cls(id=r.required("id", "str"), service=r.required("service", "str"),
                   protocol=r.required("protocol", "str"), state=r.enum("state", WORKER_STATES),
                   last_heartbeat_s=r.required("last_heartbeat_s", "number"), inflight=r.required("inflight", "int"),
                   done=r.required("done", "int"), failed=r.required("failed", "int"),
                   uptime_s=r.required("uptime_s", "number"), host=r.optional("host", "str"),
                   pid=r.optional("pid", "int"), version=r.optional("version", "str"),
                   latency_ms=r.nested("latency_ms", LatencySummary, required=False),
                   key=r.optional("key", "str"))


@dataclass
class WorkerList(_Message):
    """Reply to `docpipe.workers`: every connected worker."""

    workers: List[WorkerInfo]
    status: int = OK
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "status": self.status, "workers": [w.to_dict() for w in self.workers]}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "WorkerList":
        r = _Reader(data, "WorkerList", path)
        workers = [WorkerInfo.from_dict(w, r._where(f"workers.{i}")) for i, w in enumerate(r.required("workers", "array"))]
        return cls(v=r.version(), status=r.required("status", "int"), workers=workers)


@dataclass
class JobListRequest(_Message):
    """Body of a `docpipe.jobs` request: recent jobs, optionally only one state or pipeline (limit 50 by default)."""

    state: Optional[str] = None
    pipeline: Optional[str] = None
    limit: Optional[int] = None
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"v": self.v}
        _put(out, "state", self.state)
        _put(out, "pipeline", self.pipeline)
        _put(out, "limit", self.limit)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "JobListRequest":
        r = _Reader(data, "JobListRequest", path)
        return cls(v=r.version(), state=r.enum("state", JOB_STATES, required=False),
                   pipeline=r.optional("pipeline", "str"), limit=r.optional("limit", "int"))


@dataclass
class JobListEntry:
    """One job in a JobList, in brief."""

    job_id: str
    document_id: str
    pipeline: str
    state: str
    attempts: int
    created_at: float
    updated_at: float
    name: Optional[str] = None
    stage: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"job_id": self.job_id, "document_id": self.document_id, "pipeline": self.pipeline,
                               "state": self.state, "attempts": self.attempts, "created_at": self.created_at,
                               "updated_at": self.updated_at}
        _put(out, "name", self.name)
        _put(out, "stage", self.stage)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "JobListEntry":
        r = _Reader(data, "JobList", path)
        return cls(job_id=r.required("job_id", "str"), document_id=r.required("document_id", "str"),
                   pipeline=r.required("pipeline", "str"), state=r.enum("state", JOB_STATES),
                   attempts=r.required("attempts", "int"), created_at=r.required("created_at", "number"),
                   updated_at=r.required("updated_at", "number"), name=r.optional("name", "str"),
                   stage=r.optional("stage", "str"))


@dataclass
class JobList(_Message):
    """Reply to `docpipe.jobs`: recent jobs, most recently changed first."""

    jobs: List[JobListEntry]
    status: int = OK
    v: int = VERSION

    def to_dict(self) -> Dict[str, Any]:
        return {"v": self.v, "status": self.status, "jobs": [j.to_dict() for j in self.jobs]}

    @classmethod
    def from_dict(cls, data: Dict[str, Any], path: str = "") -> "JobList":
        r = _Reader(data, "JobList", path)
        jobs = [JobListEntry.from_dict(j, r._where(f"jobs.{i}")) for i, j in enumerate(r.required("jobs", "array"))]
        return cls(v=r.version(), status=r.required("status", "int"), jobs=jobs)


#: Schema name (protocol/schemas/<name>.schema.json) → message class.
MESSAGES: Dict[str, Any] = {
    "document": Document,
    "error_body": ErrorBody,
    "stage_request": StageRequest,
    "stage_result": StageResult,
    "submit_request": SubmitRequest,
    "submit_reply": SubmitReply,
    "submit_batch_request": SubmitBatchRequest,
    "submit_batch_reply": SubmitBatchReply,
    "job_query": JobQuery,
    "job_status": JobStatus,
    "broker_status": BrokerStatus,
    "error_reply": ErrorReply,
    "stage_attempt": StageAttempt,
    "dead_letter_request": DeadLetterRequest,
    "dead_letter_list": DeadLetterList,
    "dead_letter_action_reply": DeadLetterActionReply,
    "latency_summary": LatencySummary,
    "stage_stats": StageStats,
    "broker_totals": BrokerTotals,
    "worker_identity": WorkerIdentity,
    "worker_list": WorkerList,
    "job_list_request": JobListRequest,
    "job_list": JobList,
}
