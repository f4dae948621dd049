"""The Python stage SDK (docpipe_mdp.stage, docpipe_mdp.testing) against the schemas and golden examples,
and over a real socket. Every socket wait has a timeout; every thread started here is stopped."""

import json
import os
import shutil
import sys
import tempfile
import threading

import pytest
import zmq
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
PROTOCOL_DIR = os.path.dirname(PYTHON_DIR)
sys.path.insert(0, PYTHON_DIR)

from docpipe_mdp import StageFailure, extracted_text, run_worker, stage_handler  # noqa: E402
from docpipe_mdp import protocol as mdp  # noqa: E402
from docpipe_mdp.messages import StageRequest  # noqa: E402
from docpipe_mdp.stage import argument_parser  # noqa: E402
from docpipe_mdp.testing import make_request, result_of, run_stage  # noqa: E402


def _schemas():
    schemas = {}
    for name in os.listdir(os.path.join(PROTOCOL_DIR, "schemas")):
        with open(os.path.join(PROTOCOL_DIR, "schemas", name), encoding="utf-8") as f:
            schemas[name] = json.load(f)
    return schemas


SCHEMAS = _schemas()
REGISTRY = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in SCHEMAS.values())
RESULT_SCHEMA = Draft202012Validator(SCHEMAS["stage_result.schema.json"], registry=REGISTRY)
REQUEST_SCHEMA = Draft202012Validator(SCHEMAS["stage_request.schema.json"], registry=REGISTRY)
with open(os.path.join(PROTOCOL_DIR, "examples", "stage_request.json"), "rb") as f:
    GOLDEN_REQUEST = f.read()


def shout(request):
    text = extracted_text(request)
    if not text.strip():
        raise StageFailure("no_text", "nothing to shout")
    return {"loud": text.upper()}


def test_handler_answers_the_golden_request_with_a_valid_result():
    result = stage_handler("extractor", shout)(json.loads(GOLDEN_REQUEST)).to_dict()
    RESULT_SCHEMA.validate(result)
    assert result["status"] == "ok" and result["job_id"] == "job-7f3a9c2e41d05b86"
    assert result["stage"] == "extractor" and result["worker"].startswith("extractor@")
    assert result["output"]["loud"].startswith("NATO PLANS TO DEVELOP")  # no extractor results: the raw content
    later = json.loads(GOLDEN_REQUEST)
    later["stage"], later["results"] = "shouter", {"extractor": {"text": "clean text"}}
    assert stage_handler("shouter", shout)(later).output == {"loud": "CLEAN TEXT"}


@pytest.mark.parametrize("process,code,reason,retryable", [
    (shout, 422, "no_text", False),
    (lambda r: (_ for _ in ()).throw(StageFailure("store_busy", "locked", code=503, retryable=True)),
     503, "store_busy", True),
    (lambda r: 1 / 0, 500, "worker_error", True),
    (lambda r: ["not", "a", "dict"], 500, "worker_error", False),
])
def test_errors_map_as_in_workerkit(process, code, reason, retryable):
    result = result_of(process, "   ").to_dict()
    RESULT_SCHEMA.validate(result)
    assert result["status"] == "error"
    assert (result["error"]["code"], result["error"]["reason"], result["error"]["retryable"]) == (code, reason, retryable)


def test_a_body_that_is_not_a_stage_request_gets_a_400():
    handle = stage_handler("shouter", shout)
    # job_id and stage readable: a StageResult error the broker can attribute (SPEC, "Pipeline" 3).
    result = handle({"v": 1, "job_id": "job-1", "stage": "shouter"}).to_dict()
    RESULT_SCHEMA.validate(result)
    assert result["error"]["code"] == 400 and result["error"]["reason"] == "bad_request"
    assert "missing field" in result["error"]["message"]
    # Not even that: an ErrorReply.
    for body in (b"plain bytes", {"v": 1, "job_id": "job-1"}):
        reply = handle(body).to_dict()
        Draft202012Validator(SCHEMAS["error_reply.schema.json"], registry=REGISTRY).validate(reply)
        assert reply["status"] == 400 and reply["reason"] == "bad_request"


def test_testing_helpers_build_what_the_broker_sends():
    request = make_request("shouter", "Hello there. Bye!")
    REQUEST_SCHEMA.validate(request.to_dict())
    assert request.document.id.startswith("doc-") and request.attempt == 1
    assert request.results["extractor"]["sentence_count"] == 2
    assert run_stage(shout, "hi") == {"loud": "HI"}
    with pytest.raises(AssertionError, match="no_text"):
        run_stage(shout, "")


def test_worker_flags_match_workerkit():
    args = argument_parser("x").parse_args(["--broker", "ipc:///tmp/b", "--data", "/d", "--heartbeat-ms", "100",
                                            "--liveness", "5", "--log-level", "warning", "--shutdown-grace-ms", "1"])
    assert (args.broker, args.data, args.heartbeat_ms, args.liveness, args.log_level) == \
        ("ipc:///tmp/b", "/d", 100, 5, "warning")
    assert (args.concurrency, args.prefetch) == (1, 0)
    more = argument_parser("x").parse_args(["--concurrency", "4", "--prefetch", "3"])
    assert (more.concurrency, more.prefetch) == (4, 3)


def test_concurrency_and_prefetch_come_from_the_environment_too(monkeypatch):
    monkeypatch.setenv("DOCPIPE_CONCURRENCY", "8")
    monkeypatch.setenv("DOCPIPE_PREFETCH", "4")
    args = argument_parser("x").parse_args([])
    assert (args.concurrency, args.prefetch) == (8, 4)
    monkeypatch.setenv("DOCPIPE_PREFETCH", "four")
    with pytest.raises(SystemExit, match="DOCPIPE_PREFETCH"):
        argument_parser("x")


def test_stage_worker_over_a_real_socket():
    folder = tempfile.mkdtemp(prefix="dpstage")
    context = zmq.Context()
    router = context.socket(zmq.ROUTER)
    router.setsockopt(zmq.LINGER, 0)
    endpoint = "ipc://" + os.path.join(folder, "b.ipc")
    router.bind(endpoint)
    stop = threading.Event()
    thread = threading.Thread(target=run_worker, daemon=True, args=("shouter", stage_handler("shouter", shout)),
                              kwargs=dict(broker=endpoint, heartbeat_ms=100, stop=stop, context=context,
                                          handle_signals=False))
    thread.start()
    try:
        def next_command(command):
            for _ in range(50):
                assert router.poll(5000, zmq.POLLIN), "nothing from the worker in time"
                identity, *frames = router.recv_multipart()
                if frames[2] == command:
                    return identity, frames
            raise AssertionError("command never came")

        identity, ready = next_command(mdp.READY)
        assert ready[3] == b"shouter"
        request = make_request("shouter", "over the wire")
        router.send_multipart([identity] + mdp.request(b"tok", request.to_json()))
        _, reply = next_command(mdp.REPLY)
        assert reply[3:5] == [b"tok", b""]
        result = json.loads(reply[5])
        RESULT_SCHEMA.validate(result)
        assert result["output"] == {"loud": "OVER THE WIRE"}
        assert StageRequest.from_json(request.to_json()) == request
    finally:
        stop.set()
        thread.join(timeout=5)
        router.close(linger=0)
        context.destroy(linger=0)
        shutil.rmtree(folder, ignore_errors=True)
    assert not thread.is_alive()
