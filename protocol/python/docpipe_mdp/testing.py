"""Test a Python stage without a broker (Swift: `WorkerKitTesting.WorkerTestKit`).

    from docpipe_mdp.testing import run_stage, stage_result

    def test_shouts():
        assert run_stage(process, "hello")["loud"] == "HELLO"
"""

from __future__ import annotations

import hashlib
from typing import Any, Dict, Optional

from .messages import Document, StageRequest, StageResult
from .stage import Process, stage_result


def make_request(stage: str, text: str = "", *, document: Optional[Document] = None,
                 results: Optional[Dict[str, Any]] = None, pipeline: str = "test", attempt: int = 1,
                 job_id: str = "job-0000000000000001") -> StageRequest:
    """The StageRequest the broker sends `stage`. Without `results`, the extractor's output for `text` is
    filled in (text, title, language, counts), so a later stage can be tested on its own."""
    document = document or Document(content=text)
    if document.id is None:
        document.id = document.document_id()
    if results is None:
        results = {"extractor": extractor_results(text)}
    return StageRequest(job_id=job_id, pipeline=pipeline, stage=stage, attempt=attempt, document=document,
                        results=results)


def extractor_results(text: str, title: Optional[str] = None, language: str = "en") -> Dict[str, Any]:
    """A minimal extractor output for plain text: text, title, language, counts and hash, no dates or entities.
    It fits protocol/schemas/extractor_output.schema.json, as Swift stages that decode it require; the real
    extractor says more (protocol/SPEC.md, "Stage outputs")."""
    sentences = [s for s in text.replace("!", ".").replace("?", ".").split(".") if s.strip()]
    output = {"text": text, "language": language, "content_type": "text/plain", "word_count": len(text.split()),
              "sentence_count": len(sentences) if text.strip() else 0, "dates": [], "entities": [],
              "content_hash": "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest(), "metadata": {}}
    if title is not None:
        output["title"] = title  # optional fields are left out, not null
    return output


def result_of(process: Process, text: str = "", stage: str = "test-stage", **request: Any) -> StageResult:
    """The StageResult the broker would receive for one request."""
    return stage_result(stage, process, make_request(stage, text, **request))


def run_stage(process: Process, text: str = "", stage: str = "test-stage", **request: Any) -> Dict[str, Any]:
    """Runs `process` once and returns its output; raises AssertionError with the error when it failed."""
    result = result_of(process, text, stage, **request)
    if result.status != "ok":
        raise AssertionError(f"stage failed: {result.error.to_dict() if result.error else result.to_dict()}")
    return result.output or {}
