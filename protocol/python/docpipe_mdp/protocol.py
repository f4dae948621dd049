"""MDP/0.1 framing (ZeroMQ RFC 7) as docpipe uses it; mirrors protocol/swift/MDP.swift.

Frame lists here start with the empty delimiter frame and exclude the peer identity that a ROUTER
socket adds or strips, exactly as the tables in protocol/SPEC.md. The MDP/0.2 (RFC 18) constants at the
end mirror protocol/swift/MDP02.swift, for peers that speak 0.2 to the docpipe broker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Sequence, Union

CLIENT_HEADER = b"MDPC01"
WORKER_HEADER = b"MDPW01"

READY = b"\x01"
REQUEST = b"\x02"
REPLY = b"\x03"
HEARTBEAT = b"\x04"
DISCONNECT = b"\x05"

COMMAND_NAMES = {READY: "READY", REQUEST: "REQUEST", REPLY: "REPLY", HEARTBEAT: "HEARTBEAT", DISCONNECT: "DISCONNECT"}

DEFAULT_BROKER = "tcp://127.0.0.1:5555"
HEARTBEAT_INTERVAL_MS = 2500
HEARTBEAT_LIVENESS = 3

# Service names (RFC 8 MMI and docpipe's own broker services).
MMI_SERVICE = "mmi.service"
SUBMIT = "docpipe.submit"
JOB = "docpipe.job"
STATUS = "docpipe.status"
DEAD_LETTERS = "docpipe.dlq"
RELOAD = "docpipe.reload"
WORKERS = "docpipe.workers"
JOBS = "docpipe.jobs"

# ---- MDP/0.2 (ZeroMQ RFC 18), accepted by the broker alongside 0.1 on the same socket -----------------
#
# Two dialects: RFC 18 as written (no empty delimiter frame; client commands REQUEST 0x01, PARTIAL 0x02,
# FINAL 0x03; replies to clients carry the service frame), and the "delimited" dialect that majortomo
# speaks (a leading empty frame; client commands numbered like the worker's; replies to clients have no
# service frame). Worker commands are the same in both. The broker answers each peer in its own dialect.

CLIENT_HEADER_02 = b"MDPC02"
WORKER_HEADER_02 = b"MDPW02"

# Worker commands (MDPW02), both dialects.
READY_02 = b"\x01"
REQUEST_02 = b"\x02"
PARTIAL_02 = b"\x03"
FINAL_02 = b"\x04"
HEARTBEAT_02 = b"\x05"
DISCONNECT_02 = b"\x06"

# Client commands (MDPC02) as RFC 18 writes them.
CLIENT_REQUEST_02 = b"\x01"
CLIENT_PARTIAL_02 = b"\x02"
CLIENT_FINAL_02 = b"\x03"

# Client commands (MDPC02) in the delimited dialect: the worker numbers.
DELIMITED_CLIENT_REQUEST_02 = REQUEST_02
DELIMITED_CLIENT_PARTIAL_02 = PARTIAL_02
DELIMITED_CLIENT_FINAL_02 = FINAL_02

COMMAND_NAMES_02 = {READY_02: "READY", REQUEST_02: "REQUEST", PARTIAL_02: "PARTIAL", FINAL_02: "FINAL",
                    HEARTBEAT_02: "HEARTBEAT", DISCONNECT_02: "DISCONNECT"}


def parse_endpoints(broker: "Union[str, Sequence[str]]") -> List[str]:
    """The broker endpoints a peer may use, in order: a comma-separated string (`"tcp://a:5555,tcp://b:5555"`,
    as `--broker` and `DOCPIPE_BROKER` take it) or a list of them. Blanks around commas are ignored; an empty
    list is a ValueError. One endpoint is the usual case; several are an active broker and its standbys
    (SPEC: "Failover: active and standby brokers")."""
    items = broker.split(",") if isinstance(broker, str) else [part for item in broker for part in item.split(",")]
    endpoints = [item.strip() for item in items if item.strip()]
    if not endpoints:
        raise ValueError(f"no broker endpoint in {broker!r}")
    return endpoints


def is_reserved(service: str) -> bool:
    """Names no worker may register: the broker answers these itself."""
    return service.startswith("mmi.") or service.startswith("docpipe.")


Frames = List[bytes]
Body = Union[bytes, str, Sequence[bytes], None]


class ProtocolError(Exception):
    """Bytes from a peer that could not be understood; `counter` is `bad_frame` or `bad_body`."""

    def __init__(self, why: str, counter: str = "bad_frame"):
        super().__init__(why)
        self.why = why
        self.counter = counter

    @classmethod
    def bad_frame(cls, why: str) -> "ProtocolError":
        return cls(why, "bad_frame")

    @classmethod
    def bad_body(cls, why: str) -> "ProtocolError":
        return cls(why, "bad_body")


def body_frames(body: Body) -> Frames:
    """A body as frames: bytes/str is one frame, a sequence is several, None is none."""
    if body is None:
        return []
    if isinstance(body, str):
        return [body.encode("utf-8")]
    if isinstance(body, (bytes, bytearray, memoryview)):
        return [bytes(body)]
    return [bytes(frame) for frame in body]


# ---- builders ---------------------------------------------------------------------------------

def client_request(service: str, body: Body = None) -> Frames:
    return [b"", CLIENT_HEADER, service.encode("utf-8")] + body_frames(body)


def client_reply(service: str, body: Body = None) -> Frames:
    return [b"", CLIENT_HEADER, service.encode("utf-8")] + body_frames(body)


def ready(service: str, identity: bytes | None = None) -> Frames:
    """READY; `identity` is docpipe's optional identity frame (a JSON WorkerIdentity), plain MDP omits it."""
    frames = [b"", WORKER_HEADER, READY, service.encode("utf-8")]
    return frames + [bytes(identity)] if identity is not None else frames


def request(client: bytes, body: Body = None) -> Frames:
    return [b"", WORKER_HEADER, REQUEST, client, b""] + body_frames(body)


def reply(client: bytes, body: Body = None) -> Frames:
    return [b"", WORKER_HEADER, REPLY, client, b""] + body_frames(body)


def heartbeat() -> Frames:
    return [b"", WORKER_HEADER, HEARTBEAT]


def disconnect() -> Frames:
    return [b"", WORKER_HEADER, DISCONNECT]


# ---- parsed messages --------------------------------------------------------------------------

@dataclass(frozen=True)
class ClientRequest:
    service: str
    body: Frames = field(default_factory=list)


@dataclass(frozen=True)
class Ready:
    service: str
    identity: bytes | None = None  # docpipe's optional identity frame, undecoded


@dataclass(frozen=True)
class Request:
    client: bytes
    body: Frames = field(default_factory=list)


@dataclass(frozen=True)
class Reply:
    client: bytes
    body: Frames = field(default_factory=list)


@dataclass(frozen=True)
class Heartbeat:
    pass


@dataclass(frozen=True)
class Disconnect:
    pass


@dataclass(frozen=True)
class ClientReply:
    service: str
    body: Frames = field(default_factory=list)


def _utf8(frame: bytes) -> str | None:
    try:
        return frame.decode("utf-8")
    except UnicodeDecodeError:
        return None


def printable(frame: bytes) -> str:
    """A short, log-safe rendering of a frame that may hold anything."""
    prefix = frame[:16]
    more = "…" if len(frame) > 16 else ""
    text = _utf8(prefix)
    if text is not None and all(not c.isascii() or c.isalnum() or (c.isprintable() and not c.isspace()) for c in text):
        return text + more
    return prefix.hex() + more


# ---- parsers ----------------------------------------------------------------------------------

def decode_at_broker(frames: Sequence[bytes]):
    """Parses a message as the broker receives it (identity frame already removed)."""
    frames = [bytes(f) for f in frames]
    if len(frames) < 2:
        raise ProtocolError.bad_frame(f"expected at least 2 frames, got {len(frames)}")
    if frames[0]:
        raise ProtocolError.bad_frame("first frame must be empty (MDP delimiter)")
    header = frames[1]
    if header == CLIENT_HEADER:
        if len(frames) < 3:
            raise ProtocolError.bad_frame("client request without a service frame")
        service = _utf8(frames[2])
        if not service:
            raise ProtocolError.bad_frame("service name is empty or not UTF-8")
        return ClientRequest(service, frames[3:])
    if header == WORKER_HEADER:
        if len(frames) < 3 or len(frames[2]) != 1:
            raise ProtocolError.bad_frame("worker message without a command byte")
        command = frames[2]
        if command == READY:
            service = _utf8(frames[3]) if len(frames) in (4, 5) else None
            if not service:
                raise ProtocolError.bad_frame(
                    "READY needs one non-empty UTF-8 service frame (and optionally an identity frame)")
            return Ready(service, frames[4] if len(frames) == 5 else None)
        if command == REPLY:
            if len(frames) < 5 or not frames[3] or frames[4]:
                raise ProtocolError.bad_frame("REPLY needs client address, empty frame, body")
            return Reply(frames[3], frames[5:])
        if command == HEARTBEAT:
            if len(frames) != 3:
                raise ProtocolError.bad_frame("HEARTBEAT takes no frames")
            return Heartbeat()
        if command == DISCONNECT:
            return Disconnect()
        if command == REQUEST:
            raise ProtocolError.bad_frame("REQUEST is sent by the broker, never to it")
        raise ProtocolError.bad_frame(f"unknown worker command 0x{command[0]:x}")
    raise ProtocolError.bad_frame(f"unknown protocol header '{printable(header)}'; expected MDPC01 or MDPW01")


def decode_at_worker(frames: Sequence[bytes]):
    """Parses a message as a worker receives it from the broker."""
    frames = [bytes(f) for f in frames]
    if len(frames) < 3 or frames[0] or frames[1] != WORKER_HEADER or len(frames[2]) != 1:
        raise ProtocolError.bad_frame("not an MDP/0.1 worker message")
    command = frames[2]
    if command == REQUEST:
        if len(frames) < 5 or frames[4]:
            raise ProtocolError.bad_frame("REQUEST needs client address, empty frame")
        return Request(frames[3], frames[5:])
    if command == HEARTBEAT:
        return Heartbeat()
    if command == DISCONNECT:
        return Disconnect()
    raise ProtocolError.bad_frame("unexpected command for a worker")


def decode_at_client(frames: Sequence[bytes]) -> ClientReply:
    """Parses a reply at a client, with or without the leading empty frame (REQ sockets strip it)."""
    frames = [bytes(f) for f in frames]
    rest = frames[1:] if frames and not frames[0] else frames
    service = _utf8(rest[1]) if len(rest) >= 2 else None
    if len(rest) < 2 or rest[0] != CLIENT_HEADER or service is None:
        raise ProtocolError.bad_frame("not an MDP/0.1 client reply")
    return ClientReply(service, rest[2:])
