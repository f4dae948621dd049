"""An MDP/0.1 client (ZeroMQ RFC 7) for docpipe's broker services and any worker service."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Sequence, Union

import zmq

from . import protocol as mdp
from .curve_keys import CurveKeys
from .messages import decode_json, encode_json, standby_reply

log = logging.getLogger("docpipe_mdp.client")


class MDPTimeout(TimeoutError):
    """No reply within the timeout; the request may or may not have been served."""


class MDPClient:
    """A synchronous MDP client: one request, then its reply.

    It uses a DEALER socket and, after a timeout, throws the socket away and opens a new one, so a late
    reply to an abandoned request can never be mistaken for the answer to the next one (RFC 7's
    recommended recovery, the "lazy pirate").

    `broker` is one endpoint or several: a comma-separated string (`"tcp://a:5555,tcp://b:5555"`) or a
    list, an active broker and its standbys (SPEC: "Failover: active and standby brokers"). The client talks
    to one endpoint at a time. It moves to the next one, round robin, on a fresh socket, when a request
    times out or when the answer is a standby's 503 `standby` ErrorReply, and sends the same request there
    at once. Within one call it tries each endpoint at most once, each for `timeout_ms`: when none answers
    it raises MDPTimeout, and when every one that answered said `standby` it returns that 503 reply, as any
    503, so the caller's retry-after logic applies; the next call starts at the next endpoint. With a single
    endpoint nothing of this happens: a timeout raises and a 503 is returned, as from any broker.

    `curve` makes every socket a CURVE client of a broker that requires it (see `curve_keys.resolve`).
    """

    def __init__(self, broker: Union[str, Sequence[str]] = mdp.DEFAULT_BROKER,
                 context: Optional[zmq.Context] = None, curve: Optional[CurveKeys] = None):
        self.endpoints: List[str] = mdp.parse_endpoints(broker)
        self.index = 0
        self.ctx = context or zmq.Context.instance()
        self.curve = curve
        self.socket: Optional[zmq.Socket] = None

    @property
    def broker(self) -> str:
        """The endpoint the client talks to now."""
        return self.endpoints[self.index]

    @broker.setter
    def broker(self, broker: Union[str, Sequence[str]]) -> None:
        self.close()
        self.endpoints, self.index = mdp.parse_endpoints(broker), 0

    def _connect(self) -> zmq.Socket:
        if self.socket is None:
            self.socket = self.ctx.socket(zmq.DEALER)
            self.socket.setsockopt(zmq.LINGER, 0)
            if self.curve is not None:
                self.curve.apply(self.socket)
            self.socket.connect(self.broker)
        return self.socket

    def _next_endpoint(self) -> None:
        """Closes the socket and moves on to the next endpoint (a fresh socket is made on the next send)."""
        self.close()
        self.index = (self.index + 1) % len(self.endpoints)

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close(linger=0)
            self.socket = None

    def __enter__(self) -> "MDPClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _request_once(self, service: str, body: mdp.Body, timeout_ms: int) -> Optional[List[bytes]]:
        """One request to the current endpoint: the reply body frames, or None after `timeout_ms` (the socket
        is then closed)."""
        socket = self._connect()
        socket.send_multipart(mdp.client_request(service, body))
        if not socket.poll(timeout_ms, zmq.POLLIN):
            self.close()
            return None
        try:
            reply = mdp.decode_at_client(socket.recv_multipart())
        except mdp.ProtocolError:
            self.close()
            raise
        if reply.service != service:
            self.close()
            raise mdp.ProtocolError.bad_frame(f"reply for service '{reply.service}', expected '{service}'")
        return reply.body

    def request(self, service: str, body: mdp.Body = None, timeout_ms: int = 2500) -> List[bytes]:
        """Sends one request and returns the reply body frames; raises MDPTimeout when none comes.

        With several endpoints, a call MAY take up to `len(endpoints) * timeout_ms`."""
        if isinstance(body, dict):
            body = encode_json(body)
        if len(self.endpoints) == 1:
            frames = self._request_once(service, body, timeout_ms)
            if frames is None:
                raise MDPTimeout(f"no reply from {service} at {self.broker} within {timeout_ms} ms")
            return frames
        standby: Optional[List[bytes]] = None
        silent: List[str] = []
        for _ in range(len(self.endpoints)):
            endpoint = self.broker
            frames = self._request_once(service, body, timeout_ms)
            if frames is None:
                log.info("no reply from %s at %s within %d ms; trying the next broker", service, endpoint, timeout_ms)
                silent.append(endpoint)
                self.index = (self.index + 1) % len(self.endpoints)
                continue
            if standby_reply(frames) is not None:
                log.info("%s is a standby broker; trying the next broker", endpoint)
                standby = frames
                self._next_endpoint()
                continue
            return frames
        if standby is not None:
            return standby
        raise MDPTimeout(f"no reply from {service} at {', '.join(silent)} within {timeout_ms} ms each")

    def request_json(self, service: str, message: Any, timeout_ms: int = 2500) -> Dict[str, Any]:
        """Sends a JSON message (dict or message object) and returns the reply body as a dict."""
        body = message.to_json() if hasattr(message, "to_json") else encode_json(message)
        frames = self.request(service, body, timeout_ms)
        if len(frames) != 1:
            raise mdp.ProtocolError.bad_body(f"expected one JSON frame from {service}, got {len(frames)}")
        return decode_json(frames[0], "reply")

    def has_service(self, name: str, timeout_ms: int = 2500) -> bool:
        """Asks MMI (`mmi.service`) whether any worker serves `name`."""
        frames = self.request(mdp.MMI_SERVICE, name, timeout_ms)
        return frames[:1] == [b"200"]
