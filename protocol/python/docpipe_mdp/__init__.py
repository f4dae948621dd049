"""docpipe's Python binding: MDP/0.1 framing, docpipe/1 JSON messages, a worker runner and a client.

See protocol/SPEC.md; the Swift types in protocol/swift are the source of truth.
"""

from . import messages, protocol
from .client import MDPClient, MDPTimeout
from .messages import (
    BrokerStatus, Document, ErrorBody, ErrorReply, JobCounts, JobQuery, JobStatus, MESSAGES, ServiceInfo,
    StageRequest, StageResult, SubmitReply, SubmitRequest,
)
from .protocol import ProtocolError
from .worker import run_worker

__version__ = "0.1.0"

__all__ = [
    "BrokerStatus", "Document", "ErrorBody", "ErrorReply", "JobCounts", "JobQuery", "JobStatus", "MDPClient",
    "MDPTimeout", "MESSAGES", "ProtocolError", "ServiceInfo", "StageRequest", "StageResult", "SubmitReply",
    "SubmitRequest", "messages", "protocol", "run_worker",
]
