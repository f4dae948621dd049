"""The built-in stages' output contracts: each built-in plugin's plugin.json points at the schema of what it
produces (`output_schema`), the file is there and is a schema, and what the real workers answer validates
against it: the four Swift workers, a real broker and the seed documents, checked stage by stage.

Needs the executables of `swift build` (make test builds them first), like test_batch_submit.py.
"""

import glob
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import pytest
from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
sys.path.insert(0, PYTHON_DIR)

from docpipe_mdp import Client  # noqa: E402

REPO = pathlib.Path(HERE).parents[2]
BIN = pathlib.Path(os.environ.get("DOCPIPE_BIN_DIR", REPO / ".build" / "debug"))
# The plugins whose output has a type in DocProtocol (protocol/swift/StageOutputs.swift), by service.
BUILT_IN = {
    "extractor": "extractor_output",
    "classifier": "classifier_output",
    "summarizer": "summarizer_output",
    "storage-writer": "storage_output",
}


def manifest(service):
    with open(REPO / "plugins" / service / "plugin.json", encoding="utf-8") as f:
        return json.load(f)


def output_schema(service):
    """The schema the plugin's manifest points at, resolved against the plugin's folder as docpipe does."""
    path = (REPO / "plugins" / service / manifest(service)["output_schema"]).resolve()
    with open(path, encoding="utf-8") as f:
        return path, json.load(f)


@pytest.mark.parametrize("service", sorted(BUILT_IN))
def test_manifest_points_at_the_schema_of_its_output(service):
    found = manifest(service)
    assert found["service"] == service
    assert "output" not in found, "a built-in plugin points at its schema rather than copying it"
    path, schema = output_schema(service)
    assert path == (REPO / "protocol" / "schemas" / f"{BUILT_IN[service]}.schema.json").resolve()
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(f"/{BUILT_IN[service]}.schema.json")


def test_every_built_in_plugin_with_a_typed_output_is_listed_here():
    """A new built-in plugin with an `output_schema` gets its real output checked below too."""
    declared = set()
    for path in glob.glob(str(REPO / "plugins" / "*" / "plugin.json")):
        with open(path, encoding="utf-8") as f:
            if "output_schema" in json.load(f):
                declared.add(os.path.basename(os.path.dirname(path)))
    assert declared == set(BUILT_IN)


def test_the_golden_outputs_validate_and_so_does_a_broken_one_not():
    for service, name in BUILT_IN.items():
        _, schema = output_schema(service)
        examples = glob.glob(str(REPO / "protocol" / "examples" / f"{name}*.json"))
        assert examples, name
        for example in examples:
            with open(example, encoding="utf-8") as f:
                errors = list(Draft202012Validator(schema).iter_errors(json.load(f)))
            assert not errors, (example, [e.message for e in errors])
    _, extractor = output_schema("extractor")
    with open(REPO / "protocol" / "examples" / "extractor_output.json", encoding="utf-8") as f:
        broken = json.load(f)
    broken["entities"][0]["type"] = "planet"
    assert not Draft202012Validator(extractor).is_valid(broken)
    del broken["content_hash"]
    assert not Draft202012Validator(extractor).is_valid(broken)


def test_the_sdks_test_extractor_output_fits_the_contract():
    from docpipe_mdp.testing import extractor_results, make_request

    _, schema = output_schema("extractor")
    for output in (extractor_results("Two words. Three more words.", title="Counting"), extractor_results("")):
        errors = list(Draft202012Validator(schema).iter_errors(output))
        assert not errors, [e.message for e in errors]
    assert extractor_results("x")["content_hash"] == make_request("s", "x").results["extractor"]["content_hash"]
    assert "title" not in extractor_results("x")


def wait_for(condition, what, timeout=30.0, processes=()):
    deadline = time.monotonic() + timeout
    while not condition():
        for process in processes:
            assert process.poll() is None, f"{process.args[0]} exited with {process.returncode} while waiting for {what}"
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.1)


@pytest.fixture
def pipeline():
    """A real broker and one worker of each built-in plugin on an ipc endpoint in a fresh folder."""
    missing = [p for p in ["docpipe"] + [f"docpipe-{s}" for s in BUILT_IN] if not (BIN / p).exists()]
    assert not missing, f"{missing} missing in {BIN}: run `swift build` first (make test does)"
    folder = tempfile.mkdtemp(prefix="dpso-")
    endpoint = f"ipc://{folder}/broker.sock"
    common = ["--broker", endpoint, "--data", folder, "--log-level", "warning", "--heartbeat-ms", "500"]
    processes = [subprocess.Popen([str(BIN / "docpipe"), "broker", "--bind", endpoint, "--data", folder,
                                   "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        wait_for(lambda: os.path.exists(f"{folder}/broker.sock"), "the broker's socket", processes=processes)
        for service in BUILT_IN:
            processes.append(subprocess.Popen([str(BIN / f"docpipe-{service}")] + common + ["--concurrency", "1"],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        client = Client(endpoint, timeout=5.0, retry_for=30.0)
        try:
            def registered():
                services = {s.name: s.workers for s in client.status().services}
                return all(services.get(s, 0) > 0 for s in BUILT_IN)
            wait_for(registered, "the four workers to register", processes=processes)
            yield client
        finally:
            client.close()
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        shutil.rmtree(folder, ignore_errors=True)


def test_the_real_workers_answer_what_their_schemas_say(pipeline):
    seeds = sorted(glob.glob(str(REPO / "seeds" / "*")))
    assert len(seeds) >= 3
    jobs = [pipeline.submit(seed) for seed in seeds]
    for seed, job_id in zip(seeds, jobs):
        job = pipeline.wait(job_id, timeout=120)
        assert job.state == "done", (seed, job.error)
        for service, name in BUILT_IN.items():
            _, schema = output_schema(service)
            output = job.results[service]
            errors = list(Draft202012Validator(schema).iter_errors(output))
            assert not errors, (seed, service, [e.message for e in errors])
        assert job.results["storage-writer"]["outcome"] in ("inserted", "unchanged", "new_version")
