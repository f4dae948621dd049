"""The batch form of docpipe.submit in the Python binding: both request forms, the reply, and its limits."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
EXAMPLES_DIR = os.path.join(os.path.dirname(PYTHON_DIR), "examples")
sys.path.insert(0, PYTHON_DIR)

from docpipe_mdp import MDPClient, ProtocolError, SubmitBatchReply, SubmitBatchRequest, SubmitRequest  # noqa: E402
from docpipe_mdp import messages as msgs  # noqa: E402

REPO = pathlib.Path(HERE).parents[2]
BIN = pathlib.Path(os.environ.get("DOCPIPE_BIN_DIR", REPO / ".build" / "debug"))


def example(name):
    with open(os.path.join(EXAMPLES_DIR, name), "rb") as f:
        return f.read()


def test_both_forms_decode_from_the_same_service_body():
    single = msgs.decode_submit(example("submit_request.json"))
    assert isinstance(single, SubmitRequest) and single.document.name == "nato-russia-strategy.txt"
    batch = msgs.decode_submit(example("submit_batch_request.json"))
    assert isinstance(batch, SubmitBatchRequest) and batch.pipeline == "default"
    assert [d.name for d in batch.documents] == [
        "minutes-2024-03-03.txt", "minutes-2024-03-10.txt", "minutes-2024-03-17.txt"]


def test_single_form_is_unchanged_on_the_wire():
    document = msgs.Document(content="hello")
    assert SubmitRequest(document=document).to_json() == (
        b'{"document":{"content":"hello","encoding":"utf8","metadata":{},"v":1},"pipeline":"default","v":1}')
    assert SubmitBatchRequest(documents=[document]).to_json() == (
        b'{"documents":[{"content":"hello","encoding":"utf8","metadata":{},"v":1}],"pipeline":"default","v":1}')


@pytest.mark.parametrize("body,error", [
    ('{"v":1,"pipeline":"p","document":{"v":1,"content":"a"},"documents":[{"v":1,"content":"b"}]}', "not both"),
    ('{"v":1,"pipeline":"p","documents":[]}', "'documents' is empty"),
    ('{"v":1,"pipeline":"p"}', "missing field 'document'"),
    ('{"v":1,"pipeline":"p","documents":{}}', "wrong type at 'documents'"),
    ('{"v":1,"pipeline":"p","documents":[{"v":1}]}', "missing field 'content'"),
])
def test_bad_submit_bodies_are_refused(body, error):
    with pytest.raises(ProtocolError, match=error):
        msgs.decode_submit(body)


def test_a_batch_is_at_most_a_thousand_documents():
    documents = [{"v": 1, "content": str(i)} for i in range(msgs.MAX_BATCH_DOCUMENTS)]
    body = json.dumps({"v": 1, "pipeline": "p", "documents": documents})
    assert len(msgs.decode_submit(body).documents) == msgs.MAX_BATCH_DOCUMENTS
    documents.append({"v": 1, "content": "one too many"})
    with pytest.raises(ProtocolError, match="the limit is 1000"):
        msgs.decode_submit(json.dumps({"v": 1, "pipeline": "p", "documents": documents}))


def test_reply_entries_and_status():
    partial = SubmitBatchReply.from_json(example("submit_batch_reply.partial.json"))
    assert partial.status == msgs.MULTI_STATUS == 207
    assert [j.accepted for j in partial.jobs] == [True, False, False]
    busy, empty = partial.jobs[1], partial.jobs[2]
    assert (busy.status, busy.reason, busy.retry_after_ms) == (msgs.BUSY, "busy", 500)
    assert (empty.status, empty.reason, empty.retry_after_ms) == (msgs.BAD_REQUEST, "empty_document", None)
    assert msgs.reply_status(example("submit_batch_reply.json")) == 202

    # The status follows from the entries unless given.
    accepted = msgs.SubmitBatchEntry(status=202, job_id="job-1", document_id="doc-1")
    refused = msgs.SubmitBatchEntry(status=404, reason="unknown_pipeline", message="no pipeline named 'x'")
    assert SubmitBatchReply(jobs=[accepted]).status == 202
    assert SubmitBatchReply(jobs=[accepted, refused]).status == 207
    assert SubmitBatchReply(jobs=[accepted, refused]).to_json() == (
        b'{"jobs":[{"document_id":"doc-1","job_id":"job-1","status":202},'
        b'{"message":"no pipeline named \'x\'","reason":"unknown_pipeline","status":404}],"status":207,"v":1}')
    with pytest.raises(ProtocolError, match="missing field 'reason'"):
        SubmitBatchReply.from_json(b'{"v":1,"status":207,"jobs":[{"status":503,"message":"m"}]}')


def test_the_swift_broker_answers_a_python_batch():
    """A batch encoded here is admitted by the real broker (no workers needed: 202 means journalled)."""
    docpipe = BIN / "docpipe"
    assert docpipe.exists(), f"{docpipe} is missing: run `swift build` first (make test does)"
    folder = tempfile.mkdtemp(prefix="dpbt-")
    endpoint = f"ipc://{folder}/broker.sock"
    broker = subprocess.Popen([str(docpipe), "broker", "--bind", endpoint, "--data", folder, "--log-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(f"{folder}/broker.sock"):
            assert broker.poll() is None and time.monotonic() < deadline, "broker did not start"
            time.sleep(0.05)
        documents = [msgs.Document(content="first"), msgs.Document(content=""), msgs.Document(content="third")]
        with MDPClient(endpoint) as client:
            body = client.request("docpipe.submit", SubmitBatchRequest(documents=documents).to_json(),
                                  timeout_ms=10000)
            reply = SubmitBatchReply.from_json(body[0])
            assert reply.status == msgs.MULTI_STATUS
            assert [j.accepted for j in reply.jobs] == [True, False, True]
            assert reply.jobs[1].reason == "empty_document"
            assert reply.jobs[0].document_id == documents[0].document_id()

            both = dict(SubmitBatchRequest(documents=documents[:1]).to_dict(), document=documents[0].to_dict())
            refused = msgs.ErrorReply.from_json(client.request("docpipe.submit", msgs.encode_json(both))[0])
            assert (refused.status, refused.reason) == (msgs.BAD_REQUEST, "bad_request")
    finally:
        broker.kill()
        broker.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
