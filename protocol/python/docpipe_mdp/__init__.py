"""docpipe for Python: a client for docpipe brokers, and the SDK for writing pipeline stages (plugins).

Clients: `Client` submits documents, waits for their jobs, reads the broker's status and searches the store;
`MDPClient` is the MDP/0.1 transport underneath, for any service. Plugins: `docpipe_mdp.stage`
(StageFailure, stage_handler, main — WorkerKit's counterpart) and `docpipe_mdp.testing` (run a stage without
a broker — WorkerKitTesting's counterpart).

The wire protocol is protocol/SPEC.md in the docpipe repository; its JSON Schemas are the source of truth, and
messages.py is generated from them (tools/gen_protocol.py).
"""

from . import messages, protocol
from ._version import __version__
from .api import Client
from .client import MDPClient, MDPTimeout
from .curve_keys import CurveKeyError, CurveKeys
from .errors import Busy, DocpipeError, Refused, SearchUnavailable, Unreachable, WaitTimeout
from .messages import (
    BrokerStatus, Document, ErrorBody, ErrorReply, FailoverStatus, JobCounts, JobQuery, JobStatus, MESSAGES,
    ServiceInfo, StageRequest, StageResult, SubmitBatchReply, SubmitBatchRequest, SubmitReply, SubmitRequest,
)
from .protocol import ProtocolError
from .results import Refusal, SearchHit, SubmitManyResult, SubmittedFile
from .stage import StageFailure, extracted_text, stage_handler
from .worker import run_worker

__all__ = [
    "BrokerStatus", "Busy", "Client", "CurveKeyError", "CurveKeys", "DocpipeError", "Document", "ErrorBody", "ErrorReply", "FailoverStatus",
    "JobCounts", "JobQuery", "JobStatus", "MDPClient", "MDPTimeout", "MESSAGES", "ProtocolError", "Refusal",
    "Refused", "SearchHit", "SearchUnavailable", "ServiceInfo", "StageFailure", "StageRequest", "StageResult",
    "SubmitBatchReply", "SubmitBatchRequest", "SubmitManyResult", "SubmitReply", "SubmitRequest", "SubmittedFile",
    "Unreachable", "WaitTimeout", "__version__", "extracted_text", "messages", "protocol", "run_worker",
    "stage_handler",
]
