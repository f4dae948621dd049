"""Checks the Python binding and the example workers against protocol/SPEC.md, the schemas and the golden examples.

Every socket wait has a timeout, and every thread or subprocess started here is stopped.
"""

import copy
import glob
import importlib.util
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pytest
import zmq
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
PROTOCOL_DIR = os.path.dirname(PYTHON_DIR)
sys.path.insert(0, PYTHON_DIR)

from docpipe_mdp import MESSAGES, MDPClient, MDPTimeout, ProtocolError, run_worker  # noqa: E402
from docpipe_mdp import messages as msgs  # noqa: E402
from docpipe_mdp import protocol as mdp  # noqa: E402

SCHEMAS = {
    os.path.basename(path)[: -len(".schema.json")]: json.load(open(path, encoding="utf-8"))
    for path in glob.glob(os.path.join(PROTOCOL_DIR, "schemas", "*.schema.json"))
}
REGISTRY = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in SCHEMAS.values())
EXAMPLES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(PROTOCOL_DIR, "examples", "*.json")))
SPEC = open(os.path.join(PROTOCOL_DIR, "SPEC.md"), encoding="utf-8").read()
SPEC_WORKER_PATH = os.path.join(PYTHON_DIR, "examples", "spec_worker.py")
SPEC_CLIENT_PATH = os.path.join(PYTHON_DIR, "examples", "spec_client.py")


def message_name(file_name):
    return file_name.split(".", 1)[0]


def load_example(file_name):
    with open(os.path.join(PROTOCOL_DIR, "examples", file_name), "rb") as f:
        return f.read()


def validator(name):
    return Draft202012Validator(SCHEMAS[name], registry=REGISTRY)


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- schemas and golden examples -----------------------------------------------------------------

def test_every_schema_is_valid_draft_2020_12():
    assert len(SCHEMAS) == 27  # 23 messages and the 4 built-in stage outputs
    for name, schema in SCHEMAS.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith("/" + name + ".schema.json")


def test_schemas_examples_and_codecs_match():
    example_names = {message_name(f) for f in EXAMPLES}
    assert set(SCHEMAS) == example_names, "every schema needs an example and every example a schema"
    assert set(SCHEMAS) == set(MESSAGES), "every schema needs a Python message class"


@pytest.mark.parametrize("file_name", EXAMPLES)
def test_example_validates_against_its_schema(file_name):
    errors = list(validator(message_name(file_name)).iter_errors(json.loads(load_example(file_name))))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("file_name", EXAMPLES)
def test_example_is_canonically_formatted(file_name):
    raw = load_example(file_name).decode("utf-8")
    value = json.loads(raw)
    assert raw == json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("file_name", EXAMPLES)
def test_python_message_round_trips_example(file_name):
    raw = load_example(file_name)
    message = MESSAGES[message_name(file_name)].from_json(raw)
    encoded = message.to_json()
    assert json.loads(encoded) == json.loads(raw)
    assert encoded == msgs.encode_json(json.loads(raw)), "to_json must write sorted, compact keys"


def test_spec_json_blocks_are_valid_messages():
    blocks = re.findall(r"```json\n(.*?)```", SPEC, re.S)
    assert len(blocks) >= 10
    for block in blocks:
        value = json.loads(block)
        matching = [n for n in SCHEMAS if validator(n).is_valid(value)]
        assert matching, "SPEC example matches no schema: " + block[:80]


def _mutate(file_name, change):
    value = json.loads(load_example(file_name))
    change(value)
    return value


BROKEN = [
    ("job_query.json", lambda m: m.pop("v")),
    ("job_query.json", lambda m: m.update(v=2)),
    ("job_query.json", lambda m: m.update(job_id=7)),
    ("job_query.json", lambda m: m.update(extra=True)),
    ("document.json", lambda m: m.pop("content")),
    ("document.json", lambda m: m.update(encoding="latin1")),
    ("document.json", lambda m: m["metadata"].update(year=2024)),
    ("document.base64.json", lambda m: m.update(content="not base64!")),
    ("error_body.json", lambda m: m.update(retryable="yes")),
    ("error_body.json", lambda m: m.update(code=200)),
    ("error_body.json", lambda m: m.update(reason="Not Snake")),
    ("stage_request.json", lambda m: m.update(attempt=0)),
    ("stage_request.json", lambda m: m.pop("results")),
    ("stage_request.json", lambda m: m["document"].pop("v")),
    ("stage_request.classifier.json", lambda m: m["results"].update(extractor="text")),
    ("stage_result.ok.json", lambda m: m.pop("output")),
    ("stage_result.ok.json", lambda m: m.update(status="done")),
    ("stage_result.ok.json", lambda m: m.update(error={"code": 500, "reason": "x", "message": "x", "retryable": True})),
    ("stage_result.error.json", lambda m: m.pop("error")),
    ("stage_result.error.json", lambda m: m["error"].pop("retryable")),
    ("submit_request.json", lambda m: m.pop("pipeline")),
    ("submit_reply.json", lambda m: m.update(status=200)),
    ("submit_batch_request.json", lambda m: m.update(documents=[])),
    ("submit_batch_request.json", lambda m: m.update(document=m["documents"][0])),
    ("submit_batch_request.json", lambda m: m["documents"][0].pop("content")),
    ("submit_batch_reply.json", lambda m: m.update(status=207, jobs=[])),
    ("submit_batch_reply.json", lambda m: m["jobs"][0].pop("job_id")),
    ("submit_batch_reply.partial.json", lambda m: m.update(status=202)),
    ("submit_batch_reply.partial.json", lambda m: m["jobs"][1].pop("retry_after_ms")),
    ("submit_batch_reply.partial.json", lambda m: m["jobs"][2].update(job_id="job-1")),
    ("job_status.done.json", lambda m: m.update(stage="storage-writer")),
    ("job_status.running.json", lambda m: m.pop("stage")),
    ("job_status.failed.json", lambda m: m.pop("error")),
    ("job_status.running.json", lambda m: m.update(state="paused")),
    ("job_status.running.json", lambda m: m.update(stages_done="extractor")),
    ("broker_status.json", lambda m: m["jobs"].pop("done")),
    ("broker_status.json", lambda m: m["counters"].update(bad_frame=-1)),
    ("broker_status.json", lambda m: m["services"][0].update(cpu=1)),
    ("error_reply.busy.json", lambda m: m.pop("retry_after_ms")),
    ("error_reply.unknown_job.json", lambda m: m.update(status=200)),
    ("error_reply.unknown_job.json", lambda m: m.pop("reason")),
    ("error_reply.shutting_down.json", lambda m: m.pop("retry_after_ms")),
    ("error_reply.timeout.json", lambda m: m.update(status=600)),
    ("job_status.dead_letter.json", lambda m: m.update(history={})),
    ("job_status.dead_letter.json", lambda m: m["history"][0].update(outcome="skipped")),
    ("job_status.dead_letter.json", lambda m: m["history"][1].pop("error")),
    ("job_status.dead_letter.json", lambda m: m["history"][0].update(attempt=0)),
    ("stage_attempt.ok.json", lambda m: m.update(error={"code": 500, "reason": "x", "message": "x", "retryable": True})),
    ("stage_attempt.timeout.json", lambda m: m.pop("at")),
    ("stage_attempt.timeout.json", lambda m: m.update(v=1)),
    ("dead_letter_request.list.json", lambda m: m.update(op="purge")),
    ("dead_letter_request.list.json", lambda m: m.update(limit=-1)),
    ("dead_letter_request.list.json", lambda m: m.update(job_id="job-1")),
    ("dead_letter_request.show.json", lambda m: m.pop("job_id")),
    ("dead_letter_request.show.json", lambda m: m.update(limit=5)),
    ("dead_letter_request.retry.json", lambda m: m.pop("job_id")),
    ("dead_letter_request.retry.json", lambda m: m.update(all=True)),
    ("dead_letter_request.drop_all.json", lambda m: m.update(all=False)),
    ("dead_letter_list.json", lambda m: m.pop("total")),
    ("dead_letter_list.json", lambda m: m["jobs"][0].pop("failed_at")),
    ("dead_letter_list.json", lambda m: m["jobs"][0].update(state="failed")),
    ("dead_letter_action_reply.json", lambda m: m.update(op="list")),
    ("dead_letter_action_reply.json", lambda m: m.update(status=202)),
    ("dead_letter_action_reply.json", lambda m: m.update(job_ids="job-5e0b8d3f27c1a946")),
    ("latency_summary.json", lambda m: m.pop("p99")),
    ("latency_summary.json", lambda m: m.update(count=0)),
    ("latency_summary.json", lambda m: m.update(mean=12.5)),
    ("stage_stats.json", lambda m: m.pop("dead_lettered")),
    ("stage_stats.json", lambda m: m.update(oldest_queued_s=None)),
    ("stage_stats.json", lambda m: m.update(done=1.5)),
    ("stage_stats.json", lambda m: m["latency_ms"].pop("max")),
    ("broker_totals.json", lambda m: m.pop("workers_known")),
    ("broker_totals.json", lambda m: m.update(queued=-1)),
    ("broker_status.json", lambda m: m.update(totals=[])),
    ("broker_status.json", lambda m: m["stages"][0].update(cpu=1)),
    ("broker_status.json", lambda m: m["totals"].pop("in_per_s")),
    ("stage_attempt.error.json", lambda m: m.update(duration_ms=-1)),
    ("stage_attempt.error.json", lambda m: m.update(worker=4124)),
    ("worker_identity.json", lambda m: m.update(pid="4121")),
    ("worker_identity.json", lambda m: m.update(v=1)),
    ("worker_list.json", lambda m: m["workers"][0].update(state="gone")),
    ("worker_list.json", lambda m: m["workers"][0].update(protocol="MDP/0.3")),
    ("worker_list.json", lambda m: m["workers"][0].update(id="not hex")),
    ("worker_list.json", lambda m: m["workers"][0].pop("last_heartbeat_s")),
    ("worker_list.json", lambda m: m["workers"][0].update(inflight=-1)),
    ("worker_list.json", lambda m: m["workers"][0].update(credit=0)),
    ("worker_list.json", lambda m: m["workers"][0].update(credit=1025)),
    ("worker_list.json", lambda m: m.update(status=202)),
    ("job_list_request.json", lambda m: m.update(limit=0)),
    ("job_list_request.failed.json", lambda m: m.update(state="dead")),
    ("job_list.json", lambda m: m["jobs"][0].pop("stage")),
    ("job_list.json", lambda m: m["jobs"][3].update(stage="storage-writer")),
    ("job_list.json", lambda m: m["jobs"][0].pop("updated_at")),
    ("job_list.json", lambda m: m.update(jobs={})),
]


@pytest.mark.parametrize("file_name,change", BROKEN, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BROKEN)])
def test_broken_message_fails_validation(file_name, change):
    assert not validator(message_name(file_name)).is_valid(_mutate(file_name, change))


def test_new_optional_fields_may_be_absent():
    assert validator("broker_status").is_valid(json.loads(load_example("broker_status.minimal.json")))
    value = _mutate("broker_status.json", lambda m: [m["totals"].pop(k) for k in ("oldest_queued_s", "end_to_end_ms")])
    assert validator("broker_status").is_valid(value)
    value = _mutate("worker_list.json", lambda m: [m["workers"][0].pop(k) for k in ("host", "pid", "version", "latency_ms")])
    assert validator("worker_list").is_valid(value)
    assert validator("worker_identity").is_valid({})
    assert validator("job_list_request").is_valid({"v": 1})


def test_operator_messages_in_python():
    status = msgs.BrokerStatus.from_json(load_example("broker_status.json"))
    assert status.totals.workers_known == 7 and status.totals.end_to_end_ms.count == 862
    assert [s.service for s in status.stages] == ["classifier", "extractor", "storage-writer", "summarizer"]
    assert all(s.failed == s.retried + s.dead_lettered for s in status.stages)
    minimal = msgs.BrokerStatus.from_json(load_example("broker_status.minimal.json"))
    assert minimal.totals is None and minimal.stages is None
    assert b"totals" not in minimal.to_json() and b"stages" not in minimal.to_json()
    workers = msgs.WorkerList.from_json(load_example("worker_list.json"))
    assert {w.protocol for w in workers.workers} == {"MDP/0.1", "MDP/0.2"}
    assert any(w.host is None and w.pid is None for w in workers.workers)
    jobs = msgs.JobList.from_json(load_example("job_list.json"))
    assert [j.updated_at for j in jobs.jobs] == sorted((j.updated_at for j in jobs.jobs), reverse=True)
    assert msgs.JobListRequest().to_json() == b'{"v":1}'
    assert msgs.JobListRequest(state="failed", limit=5).to_json() == b'{"limit":5,"state":"failed","v":1}'
    with pytest.raises(ProtocolError, match="JobListRequest: bad value at 'state'"):
        msgs.JobListRequest.from_json(b'{"v":1,"state":"paused"}')
    with pytest.raises(ProtocolError, match="JobListRequest: missing field 'v'"):
        msgs.JobListRequest.from_json(b"{}")
    done = msgs.JobStatus.from_json(load_example("job_status.done.json"))
    last = done.history[-1]
    assert (last.worker, last.duration_ms, last.attempt) == ("worker-1:4124", 4.75, done.attempts)
    attempt = msgs.StageAttempt(stage="x", attempt=1, outcome="ok", at=1, worker="h:1", duration_ms=2.5)
    assert attempt.to_json() == b'{"at":1,"attempt":1,"duration_ms":2.5,"outcome":"ok","stage":"x","worker":"h:1"}'


def test_stage_outputs_are_open():
    value = _mutate("stage_result.ok.json", lambda m: m["output"].update(anything={"goes": [1, None]}))
    assert validator("stage_result").is_valid(value)
    value = _mutate("stage_request.json", lambda m: m["results"].update(custom={"x": 1}))
    assert validator("stage_request").is_valid(value)


# ---- Python message helpers -----------------------------------------------------------------------

@pytest.mark.parametrize("cls,body,field", [
    (msgs.StageRequest, '{"v":1,"pipeline":"default","stage":"x","attempt":1,"document":{"v":1,"content":""},"results":{}}', "job_id"),
    (msgs.SubmitRequest, '{"v":1,"pipeline":"default","document":{"v":1}}', "content"),
    (msgs.JobQuery, '{"job_id":"j"}', "v"),
])
def test_missing_field_is_named(cls, body, field):
    with pytest.raises(ProtocolError) as caught:
        cls.from_json(body)
    assert f"missing field '{field}'" in str(caught.value)
    assert caught.value.counter == "bad_body"


def test_wrong_types_and_bad_bodies():
    with pytest.raises(ProtocolError, match="wrong type at 'attempt'"):
        msgs.StageRequest.from_json(b'{"v":1,"job_id":"j","pipeline":"p","stage":"s","attempt":true,"document":{"v":1,"content":""},"results":{}}')
    with pytest.raises(ProtocolError, match="wrong type at 'document.content'"):
        msgs.SubmitRequest.from_json(b'{"v":1,"pipeline":"p","document":{"v":1,"content":5}}')
    with pytest.raises(ProtocolError, match="empty body"):
        msgs.JobQuery.from_json(b"")
    with pytest.raises(ProtocolError, match="not valid JSON"):
        msgs.JobQuery.from_json(b"{nope")


def test_dead_letter_helpers():
    listing_request = msgs.DeadLetterRequest.list(limit=50)
    assert listing_request.to_json() == msgs.encode_json(json.loads(load_example("dead_letter_request.list.json")))
    retry = msgs.DeadLetterRequest.retry("job-5e0b8d3f27c1a946")
    assert json.loads(retry.to_json()) == json.loads(load_example("dead_letter_request.retry.json"))
    drop_all = msgs.DeadLetterRequest.drop(all=True)
    assert json.loads(drop_all.to_json()) == json.loads(load_example("dead_letter_request.drop_all.json"))
    assert validator("dead_letter_request").is_valid(json.loads(msgs.DeadLetterRequest.show("j").to_json()))
    for bad in (lambda: msgs.DeadLetterRequest.retry(), lambda: msgs.DeadLetterRequest.drop("j", all=True)):
        with pytest.raises(ValueError):
            bad()
    with pytest.raises(ProtocolError, match="bad value at 'op'"):
        msgs.DeadLetterRequest.from_json(b'{"v":1,"op":"purge"}')

    status = msgs.JobStatus.from_json(load_example("job_status.dead_letter.json"))
    assert status.state == "failed" and status.history[-1].outcome == "timeout"
    assert status.history[-1].error == status.error and status.history[-1].attempt == status.attempts
    assert msgs.JobStatus.from_json(load_example("job_status.running.json")).history is None
    with pytest.raises(ProtocolError, match="wrong type at 'history.1.attempt'"):
        msgs.JobStatus.from_dict(_mutate("job_status.dead_letter.json", lambda m: m["history"][1].update(attempt="2")))

    listing = msgs.DeadLetterList.from_json(load_example("dead_letter_list.json"))
    entry = next(e for e in listing.jobs if e.job_id == status.job_id)
    assert (entry.stage, entry.attempts, entry.failed_at) == (status.history[-1].stage, status.attempts, status.updated_at)
    assert msgs.DeadLetterActionReply(op="retry", job_ids=[status.job_id]).to_json() == msgs.encode_json(
        json.loads(load_example("dead_letter_action_reply.json")))


def test_document_defaults_and_content_hash():
    document = msgs.Document.from_json(b'{"v":1,"content":"hello"}')
    assert document.encoding == "utf8" and document.metadata == {}
    assert document.to_json() == b'{"content":"hello","encoding":"utf8","metadata":{},"v":1}'
    assert document.document_id() == "doc-2cf24dba5fb0a30e"  # same as Swift's ContentHash.documentID
    assert msgs.Document.from_bytes(b"hello").document_id() == "doc-2cf24dba5fb0a30e"
    binary = msgs.Document.from_bytes(b"\x00hello")
    assert binary.encoding == "base64" and binary.bytes == b"\x00hello"
    golden = msgs.Document.from_json(load_example("document.json"))
    assert golden.document_id() == golden.id


def test_reply_status_reads_any_reply():
    assert msgs.reply_status(load_example("submit_reply.json")) == 202
    assert msgs.reply_status(load_example("error_reply.busy.json")) == 503
    with pytest.raises(ProtocolError):
        msgs.reply_status(b'{"v":1}')


# ---- MDP framing ----------------------------------------------------------------------------------

def spec_section(heading):
    """The text of one SPEC.md section, from its heading to the next heading of any level."""
    start = SPEC.index(heading + "\n")
    end = re.search(r"^#{2,4} ", SPEC[start + len(heading):], re.M)
    return SPEC[start:start + len(heading) + (end.start() if end else len(SPEC))]


def test_spec_command_table_matches_constants():
    table = spec_section("### Worker messages (MDP/Worker, header `MDPW01`)")
    rows = dict(re.findall(r"^\| (READY|REQUEST|REPLY|HEARTBEAT|DISCONNECT) \| `0x(\d\d)` \|", table, re.M))
    assert rows == {"READY": "01", "REQUEST": "02", "REPLY": "03", "HEARTBEAT": "04", "DISCONNECT": "05"}
    for name, byte in rows.items():
        assert getattr(mdp, name) == bytes([int(byte, 16)])
    assert "`MDPC01`" in SPEC and "`MDPW01`" in SPEC


def test_spec_mdp02_tables_match_constants():
    workers = spec_section("#### Worker messages (header `MDPW02`)")
    rows = dict(re.findall(r"^\| (READY|REQUEST|PARTIAL|FINAL|HEARTBEAT|DISCONNECT) \| `0x(\d\d)` \|", workers, re.M))
    assert rows == {"READY": "01", "REQUEST": "02", "PARTIAL": "03", "FINAL": "04", "HEARTBEAT": "05", "DISCONNECT": "06"}
    for name, byte in rows.items():
        assert getattr(mdp, name + "_02") == bytes([int(byte, 16)])
    clients = spec_section("#### Client messages (header `MDPC02`)")
    rows = {name: (rfc, delimited) for name, rfc, delimited in
            re.findall(r"^\| (REQUEST|PARTIAL|FINAL) \| `0x(\d\d)` \| `0x(\d\d)` \|", clients, re.M)}
    assert rows == {"REQUEST": ("01", "02"), "PARTIAL": ("02", "03"), "FINAL": ("03", "04")}
    for name, (rfc, delimited) in rows.items():
        assert getattr(mdp, "CLIENT_" + name + "_02") == bytes([int(rfc, 16)])
        assert getattr(mdp, "DELIMITED_CLIENT_" + name + "_02") == bytes([int(delimited, 16)])
    assert mdp.CLIENT_HEADER_02 == b"MDPC02" and mdp.WORKER_HEADER_02 == b"MDPW02"
    for service in (mdp.RELOAD, mdp.WORKERS, mdp.JOBS, mdp.DEAD_LETTERS):
        assert f"### `{service}`" in SPEC and mdp.is_reserved(service)


def test_ready_identity_frame():
    identity = msgs.WorkerIdentity.from_json(load_example("worker_identity.json"))
    frames = mdp.ready("extractor", identity.to_json())
    assert frames == [b"", b"MDPW01", b"\x01", b"extractor", b'{"credit":16,"host":"worker-1","pid":4121,"version":"0.2.0"}']
    decoded = mdp.decode_at_broker(frames)
    assert decoded == mdp.Ready("extractor", identity.to_json())
    assert msgs.WorkerIdentity.from_json(decoded.identity) == identity
    assert mdp.decode_at_broker(mdp.ready("extractor")).identity is None
    with pytest.raises(ProtocolError, match="READY needs"):
        mdp.decode_at_broker(frames + [b"{}"])
    assert msgs.WorkerIdentity().to_json() == b"{}"
    here = msgs.WorkerIdentity.of_this_process("0.2.0")
    assert here.pid == os.getpid() and here.host and validator("worker_identity").is_valid(here.to_dict())


def test_builders_produce_spec_frames():
    assert mdp.ready("extractor") == [b"", b"MDPW01", b"\x01", b"extractor"]
    assert mdp.request(b"tok", b"{}") == [b"", b"MDPW01", b"\x02", b"tok", b"", b"{}"]
    assert mdp.reply(b"tok", [b"a", b"b"]) == [b"", b"MDPW01", b"\x03", b"tok", b"", b"a", b"b"]
    assert mdp.heartbeat() == [b"", b"MDPW01", b"\x04"]
    assert mdp.disconnect() == [b"", b"MDPW01", b"\x05"]
    assert mdp.client_request("docpipe.status", "{}") == [b"", b"MDPC01", b"docpipe.status", b"{}"]
    assert mdp.client_reply("mmi.service", b"404") == [b"", b"MDPC01", b"mmi.service", b"404"]


def test_decoders_accept_every_message():
    assert mdp.decode_at_broker(mdp.client_request("echo", b"x")) == mdp.ClientRequest("echo", [b"x"])
    assert mdp.decode_at_broker(mdp.ready("extractor")) == mdp.Ready("extractor")
    assert mdp.decode_at_broker(mdp.reply(b"tok", b"r")) == mdp.Reply(b"tok", [b"r"])
    assert mdp.decode_at_broker(mdp.heartbeat()) == mdp.Heartbeat()
    assert mdp.decode_at_broker(mdp.disconnect()) == mdp.Disconnect()
    assert mdp.decode_at_worker(mdp.request(b"tok", b"q")) == mdp.Request(b"tok", [b"q"])
    assert mdp.decode_at_worker(mdp.heartbeat()) == mdp.Heartbeat()
    assert mdp.decode_at_worker(mdp.disconnect()) == mdp.Disconnect()
    reply = mdp.client_reply("mmi.service", b"200")
    assert mdp.decode_at_client(reply) == mdp.decode_at_client(reply[1:]) == mdp.ClientReply("mmi.service", [b"200"])


@pytest.mark.parametrize("frames,words", [
    ([b"", b"MDPX01", b"echo"], "unknown protocol header"),
    ([b"", b"MDPW01", b"\x09"], "unknown worker command 0x9"),
    ([], "at least 2 frames"),
    ([b"x", b"MDPC01", b"echo"], "first frame must be empty"),
    ([b"", b"MDPC01"], "without a service"),
    ([b"", b"MDPW01", b"\x01"], "READY needs"),
    ([b"", b"MDPW01", b"\x01", b""], "READY needs"),
    ([b"", b"MDPW01", b"\x03", b"tok", b"x", b"body"], "REPLY needs"),
    ([b"", b"MDPW01", b"\x04", b"extra"], "HEARTBEAT"),
    ([b"", b"MDPW01", b"\x02", b"tok", b""], "REQUEST"),
])
def test_broker_decoder_rejects(frames, words):
    with pytest.raises(ProtocolError, match=re.escape(words)) as caught:
        mdp.decode_at_broker(frames)
    assert caught.value.counter == "bad_frame"


def test_worker_and_client_decoders_reject():
    for frames in ([], [b"", b"MDPW01"], [b"", b"MDPC01", b"\x02", b"t", b""], [b"", b"MDPW01", b"\x01", b"s"],
                   [b"", b"MDPW01", b"\x02", b"t"], [b"", b"MDPW01", b"\x09"]):
        with pytest.raises(ProtocolError):
            mdp.decode_at_worker(frames)
    for frames in ([], [b"", b"MDPC01"], [b"", b"MDPW01", b"echo"]):
        with pytest.raises(ProtocolError):
            mdp.decode_at_client(frames)


def test_reserved_names():
    assert mdp.is_reserved("mmi.service") and mdp.is_reserved("docpipe.submit")
    assert not mdp.is_reserved("extractor") and not mdp.is_reserved("echo.upper")
    with pytest.raises(ValueError):
        run_worker("docpipe.submit", lambda body: body, broker="inproc://never")


# ---- live sockets: a tiny fake broker --------------------------------------------------------------

class FakeBroker:
    """A ROUTER socket on an ipc:// path that the test drives by hand."""

    def __init__(self, context):
        self.dir = tempfile.mkdtemp(prefix="dpmdp")
        self.endpoint = "ipc://" + os.path.join(self.dir, "broker.ipc")
        self.socket = context.socket(zmq.ROUTER)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.bind(self.endpoint)

    def recv(self, timeout=5.0):
        """[identity, *frames] of the next message; fails the test after `timeout` seconds."""
        assert self.socket.poll(int(timeout * 1000), zmq.POLLIN), "fake broker: nothing received in time"
        return self.socket.recv_multipart()

    def expect(self, command, timeout=5.0, skip=(mdp.HEARTBEAT,)):
        """The next worker message with `command`, skipping heartbeats; returns (identity, frames)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"fake broker: no {mdp.COMMAND_NAMES[command]} in time"
            identity, *frames = self.recv(left)
            assert frames[:2] == [b"", b"MDPW01"], frames
            if frames[2] == command:
                return identity, frames
            assert frames[2] in skip, f"unexpected {frames}"

    def send(self, identity, frames):
        self.socket.send_multipart([identity] + frames)

    def close(self):
        self.socket.close(linger=0)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def context():
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


@pytest.fixture
def broker(context):
    fake = FakeBroker(context)
    yield fake
    fake.close()


class InThread:
    """Runs a worker function in a thread with a stop event; always stopped and joined."""

    def __init__(self, target, **kwargs):
        self.stop = threading.Event()
        self.thread = threading.Thread(target=target, kwargs=dict(kwargs, stop=self.stop), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive(), "worker thread did not stop"


STAGE_REQUEST = load_example("stage_request.json")


def check_upper_reply(frames, token):
    assert frames[:5] == [b"", b"MDPW01", b"\x03", token, b""]
    result = json.loads(frames[5])
    assert validator("stage_result").is_valid(result), result
    assert result["status"] == "ok" and result["job_id"] == "job-7f3a9c2e41d05b86"
    assert result["output"]["upper"].startswith("NATO PLANS TO DEVELOP NEW STRATEGY FOR RUSSIA")


def test_spec_worker_over_ipc(broker, context):
    spec_worker = load_module(SPEC_WORKER_PATH, "spec_worker_under_test")
    with InThread(spec_worker.serve, broker=broker.endpoint, service="echo.upper", heartbeat_ms=100, context=context) as worker:
        identity, ready = broker.expect(mdp.READY)
        assert ready == [b"", b"MDPW01", b"\x01", b"echo.upper"]
        token = b"\x00opaque-token\xff"
        broker.send(identity, mdp.request(token, STAGE_REQUEST))
        _, reply = broker.expect(mdp.REPLY)
        check_upper_reply(reply, token)
        broker.send(identity, mdp.request(b"t2", [b"hello", b"world"]))
        _, reply = broker.expect(mdp.REPLY)
        assert reply == [b"", b"MDPW01", b"\x03", b"t2", b"", b"HELLO", b"WORLD"]
        broker.expect(mdp.HEARTBEAT, timeout=2, skip=())
        worker.stop.set()
        broker.expect(mdp.DISCONNECT)


def test_sdk_worker_over_ipc(broker, context):
    seen = []

    def handler(body):
        seen.append(body)
        if body == b"boom" or (isinstance(body, dict) and body.get("attempt") == 9):
            raise RuntimeError("boom")
        if isinstance(body, dict):
            request = msgs.StageRequest.from_dict(body)
            return msgs.StageResult.ok(request.job_id, request.stage, {"upper": request.document.content.upper()})
        return body.upper() if isinstance(body, bytes) else [f.upper() for f in body]

    with InThread(run_worker, service="echo.upper", handler=handler, broker=broker.endpoint, heartbeat_ms=100,
                  liveness=3, context=context, handle_signals=False) as worker:
        identity, ready = broker.expect(mdp.READY)
        assert ready == mdp.ready("echo.upper")
        broker.send(identity, mdp.request(b"tok-1", STAGE_REQUEST))
        _, reply = broker.expect(mdp.REPLY)
        check_upper_reply(reply, b"tok-1")
        assert isinstance(seen[0], dict) and seen[0]["stage"] == "extractor"

        broker.send(identity, mdp.request(b"tok-2", b"plain bytes"))
        _, reply = broker.expect(mdp.REPLY)
        assert reply == mdp.reply(b"tok-2", b"PLAIN BYTES")

        retry = json.loads(STAGE_REQUEST)
        retry["attempt"] = 9
        broker.send(identity, mdp.request(b"tok-3", msgs.encode_json(retry)))
        _, reply = broker.expect(mdp.REPLY)
        failure = json.loads(reply[5])
        assert validator("stage_result").is_valid(failure), failure
        assert failure["status"] == "error" and failure["error"]["reason"] == "handler_error"
        assert failure["error"]["retryable"] is True and failure["stage"] == "extractor"

        broker.send(identity, mdp.request(b"tok-4", b"boom"))
        _, reply = broker.expect(mdp.REPLY)
        assert reply[3] == b"tok-4"
        error = json.loads(reply[5])
        assert validator("error_reply").is_valid(error) and error["status"] == 500

        broker.expect(mdp.HEARTBEAT, timeout=2, skip=())

        # DISCONNECT from the broker: the worker re-registers on a new socket.
        broker.send(identity, mdp.disconnect())
        identity2, _ = broker.expect(mdp.READY)
        assert identity2 != identity

        # A silent broker: after liveness x interval the worker reconnects (after its back-off).
        silent_since = time.monotonic()
        identity3, _ = broker.expect(mdp.READY, timeout=5)
        assert identity3 != identity2
        assert time.monotonic() - silent_since >= 0.25

        worker.stop.set()
        broker.expect(mdp.DISCONNECT)


def test_sdk_worker_keeps_heartbeating_while_busy(broker, context):
    release = threading.Event()

    def slow(body):
        release.wait(5)
        return b"done"

    # liveness 50: this fake broker sends no heartbeats, and the worker must not give up on it here.
    with InThread(run_worker, service="slow", handler=slow, broker=broker.endpoint, heartbeat_ms=100,
                  liveness=50, context=context, handle_signals=False):
        identity, _ = broker.expect(mdp.READY)
        broker.send(identity, mdp.request(b"tok", b"x"))
        for _ in range(3):
            broker.expect(mdp.HEARTBEAT, timeout=1, skip=())
        release.set()
        _, reply = broker.expect(mdp.REPLY)
        assert reply[5:] == [b"done"]


def test_sdk_worker_wakes_when_its_handler_finishes(context):
    """The handler's thread signals the loop's poll, so a reply does not wait for the poll's timeout (it waited
    20 ms, which held a worker with a quick handler to about 45 requests a second)."""
    from concurrent.futures import ThreadPoolExecutor
    from docpipe_mdp.worker import _WorkerLoop

    executor = ThreadPoolExecutor(max_workers=1)
    loop = _WorkerLoop("quick", lambda body: body, ["inproc://unused"], 100, 3, threading.Event(), context, executor,
                       1000)
    try:
        assert select.select([loop.wake_r], [], [], 0)[0] == [], "nothing has finished yet"
        loop.pending.append((b"tok", [b"x"]))
        loop.start_requests()
        next(iter(loop.busy)).result(timeout=5)
        assert select.select([loop.wake_r], [], [], 5)[0] == [loop.wake_r], "the finished handler did not wake the loop"
    finally:
        executor.shutdown(wait=True)
        loop.close_wake_pipe()


def test_sdk_worker_with_prefetch_advertises_its_credit_and_answers_one_at_a_time(broker, context):
    running, most, seen = [0], [0], []
    lock = threading.Lock()

    def handler(body):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
            seen.append(body)
        return body.upper()

    with InThread(run_worker, service="held", handler=handler, broker=broker.endpoint, heartbeat_ms=100,
                  liveness=50, context=context, handle_signals=False, prefetch=2):
        identity, ready = broker.expect(mdp.READY)
        assert ready[:4] == mdp.ready("held")
        advertised = msgs.WorkerIdentity.from_json(ready[4])
        assert advertised.credit == 3 and advertised.pid == os.getpid() and advertised.host
        for token in (b"t1", b"t2", b"t3"):
            broker.send(identity, mdp.request(token, token))
        replies = [broker.expect(mdp.REPLY)[1] for _ in range(3)]
    assert [r[3] for r in replies] == [b"t1", b"t2", b"t3"]
    assert [r[5:] for r in replies] == [[b"T1"], [b"T2"], [b"T3"]]
    assert seen == [b"t1", b"t2", b"t3"] and most[0] == 1, "one request at a time, the others held"


def test_sdk_worker_hands_back_the_requests_it_holds_when_stopped(broker, context):
    started, release, calls = threading.Event(), threading.Event(), []

    def handler(body):
        calls.append(body)
        started.set()
        release.wait(5)
        return b"done"

    with InThread(run_worker, service="held", handler=handler, broker=broker.endpoint, heartbeat_ms=100,
                  liveness=50, context=context, handle_signals=False, prefetch=2) as worker:
        identity, _ = broker.expect(mdp.READY)
        for token in (b"t1", b"t2", b"t3"):
            broker.send(identity, mdp.request(token, b"x"))
        assert started.wait(5), "the first request never started"
        time.sleep(0.2)  # the other two arrive and wait
        worker.stop.set()
        release.set()
        _, reply = broker.expect(mdp.REPLY)
        assert reply[3] == b"t1"
        broker.expect(mdp.DISCONNECT)
    assert calls == [b"x"], "requests held waiting are not started once the worker stops"


def test_sdk_worker_with_concurrency_works_on_several_requests_at_once(broker, context):
    both_in = threading.Barrier(2, timeout=5)  # passed only by two handlers running at the same time

    def handler(body):
        both_in.wait()
        return body.upper()

    with InThread(run_worker, service="io", handler=handler, broker=broker.endpoint, heartbeat_ms=100,
                  liveness=50, context=context, handle_signals=False, concurrency=2):
        identity, ready = broker.expect(mdp.READY)
        assert msgs.WorkerIdentity.from_json(ready[4]).credit == 2
        broker.send(identity, mdp.request(b"t1", b"a"))
        broker.send(identity, mdp.request(b"t2", b"b"))
        replies = {frames[3]: frames[5:] for frames in (broker.expect(mdp.REPLY)[1] for _ in range(2))}
    assert replies == {b"t1": [b"A"], b"t2": [b"B"]}, "both answered, neither broke the barrier"


def test_concurrency_and_prefetch_must_fit_a_credit():
    for bad in (dict(prefetch=1024), dict(concurrency=0), dict(concurrency=1000, prefetch=25), dict(prefetch=-1)):
        with pytest.raises(ValueError, match="concurrency"):
            run_worker("held", lambda body: body, broker="inproc://never", **bad)


def test_spec_worker_process_disconnects_on_sigterm(broker):
    process = subprocess.Popen(
        [sys.executable, SPEC_WORKER_PATH, "--broker", broker.endpoint, "--heartbeat-ms", "200"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        identity, ready = broker.expect(mdp.READY, timeout=10)
        assert ready[3] == b"echo.upper"
        broker.send(identity, mdp.request(b"tok", b"abc"))
        _, reply = broker.expect(mdp.REPLY)
        assert reply[5:] == [b"ABC"]
        process.send_signal(signal.SIGTERM)
        broker.expect(mdp.DISCONNECT)
        assert process.wait(timeout=5) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        process.stderr.close()


def _answer_client(broker, reply_for, count=1):
    """Serves `count` client requests on the fake broker in a thread; returns the thread."""

    def serve():
        for _ in range(count):
            identity, *frames = broker.recv(timeout=10)
            message = mdp.decode_at_broker(frames)
            broker.send(identity, mdp.client_reply(message.service, reply_for(message)))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


def test_sdk_client_request_and_timeout(broker, context):
    status = load_example("broker_status.json")
    thread = _answer_client(broker, lambda m: status if m.service == mdp.STATUS else (b"200" if m.body == [b"echo.upper"] else b"404"), 3)
    with MDPClient(broker.endpoint, context=context) as client:
        assert client.request_json(mdp.STATUS, {}, timeout_ms=5000)["status"] == 200
        assert client.has_service("echo.upper", timeout_ms=5000)
        assert not client.has_service("nobody", timeout_ms=5000)
        thread.join(timeout=5)
        started = time.monotonic()
        with pytest.raises(MDPTimeout):
            client.request("echo.upper", b"x", timeout_ms=200)
        assert time.monotonic() - started < 3


def test_spec_client_process(broker):
    thread = _answer_client(broker, lambda m: [m.service.encode(), b"".join(m.body).upper()])
    result = subprocess.run(
        [sys.executable, SPEC_CLIENT_PATH, "--broker", broker.endpoint, "--service", "echo.upper", "--body", "hi",
         "--timeout", "5000"], capture_output=True, timeout=20,
    )
    thread.join(timeout=5)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"echo.upper\nHI\n"
    timed_out = subprocess.run(
        [sys.executable, SPEC_CLIENT_PATH, "--broker", broker.endpoint, "--service", "x", "--timeout", "200"],
        capture_output=True, timeout=20,
    )
    assert timed_out.returncode == 1


@pytest.mark.parametrize("flavour", ["sdk", "spec"])
def test_broker_heartbeats_keep_the_worker_registered(broker, context, flavour):
    if flavour == "sdk":
        target = run_worker
        kwargs = dict(service="echo.upper", handler=lambda body: body, handle_signals=False, liveness=3)
    else:
        target = load_module(SPEC_WORKER_PATH, "spec_worker_heartbeat").serve
        kwargs = dict(service="echo.upper", liveness=3)
    with InThread(target, broker=broker.endpoint, heartbeat_ms=100, context=context, **kwargs) as worker:
        identity, _ = broker.expect(mdp.READY)
        until = time.monotonic() + 1.0  # more than three times liveness x interval
        while time.monotonic() < until:
            broker.send(identity, mdp.heartbeat())
            if broker.socket.poll(50, zmq.POLLIN):
                sender, *frames = broker.socket.recv_multipart()
                assert sender == identity and frames == mdp.heartbeat(), frames
        # Now fall silent: the worker gives up on this connection and registers again on a new one.
        identity2, _ = broker.expect(mdp.READY, timeout=5)
        assert identity2 != identity
        worker.stop.set()
        broker.expect(mdp.DISCONNECT)
