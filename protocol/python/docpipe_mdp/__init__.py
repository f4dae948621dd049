"""docpipe's Python binding: MDP/0.1 framing, docpipe/1 JSON messages, a worker runner and a client.

Plugins: `docpipe_mdp.stage` (StageFailure, stage_handler, main — WorkerKit's counterpart) and
`docpipe_mdp.testing` (run a stage without a broker — WorkerKitTesting's counterpart).

See protocol/SPEC.md; the Swift types in protocol/swift are the source of truth.
"""

from . import messages, protocol
from .client import MDPClient, MDPTimeout
from .messages import (
    BrokerStatus, Document, ErrorBody, ErrorReply, FailoverStatus, JobCounts, JobQuery, JobStatus, MESSAGES,
    ServiceInfo, StageRequest, StageResult, SubmitBatchReply, SubmitBatchRequest, SubmitReply, SubmitRequest,
)
from .protocol import ProtocolError
from .stage import StageFailure, extracted_text, stage_handler
from .worker import run_worker

__version__ = "0.1.0"

__all__ = [
    "BrokerStatus", "Document", "ErrorBody", "ErrorReply", "FailoverStatus", "JobCounts", "JobQuery", "JobStatus",
    "MDPClient", "MDPTimeout", "MESSAGES", "ProtocolError", "ServiceInfo", "StageRequest", "StageResult",
    "SubmitBatchReply", "SubmitBatchRequest", "SubmitReply",
    "StageFailure", "SubmitRequest", "extracted_text", "messages", "protocol", "run_worker", "stage_handler",
]
