"""An MDP/0.1 client (ZeroMQ RFC 7) for docpipe's broker services and any worker service."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import zmq

from . import protocol as mdp
from .messages import decode_json, encode_json


class MDPTimeout(TimeoutError):
    """No reply within the timeout; the request may or may not have been served."""


class MDPClient:
    """A synchronous MDP client: one request, then its reply.

    It uses a DEALER socket and, after a timeout, throws the socket away and opens a new one, so a late
    reply to an abandoned request can never be mistaken for the answer to the next one (RFC 7's
    recommended recovery).
    """

    def __init__(self, broker: str = mdp.DEFAULT_BROKER, context: Optional[zmq.Context] = None):
        self.broker = broker
        self.ctx = context or zmq.Context.instance()
        self.socket: Optional[zmq.Socket] = None

    def _connect(self) -> zmq.Socket:
        if self.socket is None:
            self.socket = self.ctx.socket(zmq.DEALER)
            self.socket.setsockopt(zmq.LINGER, 0)
            self.socket.connect(self.broker)
        return self.socket

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close(linger=0)
            self.socket = None

    def __enter__(self) -> "MDPClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def request(self, service: str, body: mdp.Body = None, timeout_ms: int = 2500) -> List[bytes]:
        """Sends one request and returns the reply body frames; raises MDPTimeout when none comes."""
        if isinstance(body, dict):
            body = encode_json(body)
        socket = self._connect()
        socket.send_multipart(mdp.client_request(service, body))
        if not socket.poll(timeout_ms, zmq.POLLIN):
            self.close()
            raise MDPTimeout(f"no reply from {service} at {self.broker} within {timeout_ms} ms")
        try:
            reply = mdp.decode_at_client(socket.recv_multipart())
        except mdp.ProtocolError:
            self.close()
            raise
        if reply.service != service:
            self.close()
            raise mdp.ProtocolError.bad_frame(f"reply for service '{reply.service}', expected '{service}'")
        return reply.body

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
