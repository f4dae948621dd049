"""docpipe-mdp as a user gets it: `pip install` of protocol/python into a fresh venv (pyzmq from PyPI), then,
with that venv's python and nothing from this checkout on its path, a plugin made by `docpipe new-plugin`
serving a pipeline stage and docpipe_mdp.Client submitting, waiting, reading status and searching, all
against the real broker and workers built by `swift build`.

Nothing here skips: a missing executable, venv module or package index is a failure that says what to do.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
PYTHON_DIR = HERE.parent
REPO = PYTHON_DIR.parents[1]
BIN = pathlib.Path(os.environ.get("DOCPIPE_BIN_DIR", REPO / ".build" / "debug"))
SEED = REPO / "seeds" / "nato-russia-strategy.txt"
sys.path.insert(0, str(PYTHON_DIR))

from docpipe_mdp import Busy, Client, MDPClient  # noqa: E402


def clean_env(**extra):
    """The environment of a user's shell: no PYTHONPATH or venv of ours leaking in."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(extra)
    return env


def run(command, timeout, what, **kwargs):
    try:
        done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, **kwargs)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} ran over {timeout} s: {' '.join(map(str, command))}")
    assert done.returncode == 0, f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


def executable(name):
    path = BIN / name
    assert path.exists(), f"{path} is missing: run `swift build` first (make test does)"
    return path


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh venv with docpipe-mdp installed from a copy of protocol/python (setuptools builds in the
    source folder; the copy keeps the checkout clean)."""
    folder = tmp_path_factory.mktemp("venv")
    source = folder / "docpipe-mdp"
    shutil.copytree(PYTHON_DIR, source,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".pytest_cache", "tests"))
    run([sys.executable, "-m", "venv", folder / "env"], 120,
        "creating a venv (Debian's python3 needs `apt-get install python3-venv`; make deps installs it)")
    python = folder / "env" / "bin" / "python"
    run([python, "-m", "pip", "install", "--disable-pip-version-check", "-q", source], 600,
        "pip install ./protocol/python into the fresh venv (it needs PyPI for pyzmq and setuptools)",
        cwd=folder, env=clean_env())
    return python


@pytest.fixture(scope="module")
def plugin(tmp_path_factory):
    """The Python plugin `docpipe new-plugin word-count --language python` writes."""
    folder = tmp_path_factory.mktemp("plugins")
    run([executable("docpipe"), "new-plugin", "word-count", "--language", "python", "--dir", folder,
         "--sdk", REPO], 60, "docpipe new-plugin")
    return folder / "word-count"


class Processes:
    """Child processes of one test, each with its stderr in a file; all killed (by pid) at the end."""

    def __init__(self, folder):
        self.folder = folder
        self.children = []

    def start(self, label, command, **kwargs):
        log = open(self.folder / f"{label}.log", "wb")
        child = subprocess.Popen([str(c) for c in command], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                 **kwargs)
        self.children.append((label, child, log))
        return child

    def logs(self):
        return "\n".join(f"--- {label}:\n" + (self.folder / f"{label}.log").read_text(errors="replace")[-2000:]
                         for label, _, _ in self.children)

    def stop(self):
        for _, child, log in reversed(self.children):
            if child.poll() is None:
                child.kill()
            child.wait(timeout=10)
            log.close()


@pytest.fixture()
def processes(tmp_path):
    group = Processes(tmp_path)
    yield group
    group.stop()


def start_broker(processes, folder, config):
    folder.mkdir(exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config))
    endpoint = f"ipc://{folder}/broker.sock"
    broker = processes.start("broker", [executable("docpipe"), "broker", "--bind", endpoint, "--data", folder,
                                        "--log-level", "warning"])
    deadline = time.monotonic() + 20
    while not (folder / "broker.sock").exists():
        assert broker.poll() is None, "broker exited:\n" + processes.logs()
        assert time.monotonic() < deadline, "broker did not bind within 20 s:\n" + processes.logs()
        time.sleep(0.05)
    return endpoint


def wait_for_services(endpoint, services, processes, timeout=30):
    deadline = time.monotonic() + timeout
    with MDPClient(endpoint) as mmi:
        for service in services:
            while not mmi.has_service(service, timeout_ms=2000):
                assert time.monotonic() < deadline, f"{service} did not register in {timeout} s:\n" + processes.logs()
                time.sleep(0.1)


def start_plugin(processes, venv, plugin, endpoint):
    """As its manifest says (`python3 word_count.py`, run in its folder), with the venv's python."""
    command = json.loads((plugin / "plugin.json").read_text())["command"]
    assert command == ["python3", "word_count.py"]
    return processes.start("word-count", [venv, command[1], "--broker", endpoint, "--log-level", "warning"],
                           cwd=plugin, env=clean_env())


def test_pip_install_gives_a_typed_package_with_pyzmq_from_the_index(venv, tmp_path):
    probe = ("import json, pathlib, importlib.metadata as m, docpipe_mdp, zmq; "
             "print(json.dumps({'file': docpipe_mdp.__file__, 'zmq': zmq.__file__, 'version': docpipe_mdp.__version__,"
             " 'dist': m.version('docpipe-mdp'), 'requires': m.requires('docpipe-mdp'),"
             " 'typed': (pathlib.Path(docpipe_mdp.__file__).parent / 'py.typed').exists()}))")
    found = json.loads(run([venv, "-c", probe], 60, "importing docpipe_mdp in the venv", cwd=tmp_path,
                           env=clean_env()).stdout)
    env_root = str(venv.parent.parent)
    assert found["file"].startswith(env_root) and found["zmq"].startswith(env_root), found
    version = {}
    exec((PYTHON_DIR / "docpipe_mdp" / "_version.py").read_text(), version)
    assert found["version"] == found["dist"] == version["__version__"]
    assert found["typed"] and any(r.startswith("pyzmq") for r in found["requires"])


def test_the_scaffolded_plugin_and_the_client_work_from_the_installed_package(venv, plugin, processes, tmp_path):
    source = (plugin / "word_count.py").read_text()
    assert "sys.path" not in source and "import docpipe_mdp" in source
    data = tmp_path / "data"
    endpoint = start_broker(processes, data, {"pipelines": {
        "default": {"stages": ["extractor", "word-count", "storage-writer"]},
        "stuck": {"stages": ["nobody-serves-this"]}}})
    processes.start("extractor", [executable("docpipe-extractor"), "--broker", endpoint, "--data", data])
    processes.start("storage-writer", [executable("docpipe-storage-writer"), "--broker", endpoint, "--data", data])
    start_plugin(processes, venv, plugin, endpoint)
    wait_for_services(endpoint, ["extractor", "word-count", "storage-writer"], processes)

    folder = tmp_path / "inbox"
    (folder / "more").mkdir(parents=True)
    (folder / "one.txt").write_text("Harbour board minutes: the ferry timetable changes in March.")
    (folder / "more" / "two.md").write_text("# Library hours\n\nThe library opens at nine on Saturdays.")
    (folder / "empty.txt").write_text("")
    session = run([venv, HERE / "installed_client_session.py", endpoint, executable("docpipe"), data, SEED, folder],
                  180, "the client session in the venv", cwd=tmp_path, env=clean_env())
    out = json.loads(session.stdout)

    assert out["module"].startswith(str(venv.parent.parent))
    assert out["file"]["state"] == "done", processes.logs()
    assert out["file"]["stages_done"] == ["extractor", "word-count", "storage-writer"]
    assert out["file"]["word_count"]["words"] > 300
    assert out["bytes"] == {"state": "done", "word_count": {"words": 7, "characters": 38}}
    many = {pathlib.Path(f["path"]).name: f for f in out["many"]["files"]}
    assert list(many) == ["empty.txt", "two.md", "one.txt"]  # folders recursively, sorted by path
    assert many["empty.txt"]["refusal"] == "empty_document" and many["empty.txt"]["job_id"] is None
    assert many["one.txt"]["job_id"] and many["two.md"]["job_id"]
    assert out["many"]["states"] == ["done", "done"]
    assert "submitted 3/3 files (1 refused)" in session.stderr
    assert out["unknown_pipeline"]["status"] == 404 and out["unknown_pipeline"]["reason"] == "unknown_pipeline"
    assert out["wait_timeout"]["state"] == "queued" and "did not finish within 1 s" in out["wait_timeout"]["text"]
    assert out["status"]["role"] in (None, "active")
    assert out["status"]["services"]["word-count"] == 1 and out["status"]["done"] >= 4
    assert [h["title"] for h in out["search"]] == ["NATO plans to develop new strategy for Russia"]
    assert "founding" in out["search"][0]["snippet"]


def test_a_full_broker_is_retried_after_retry_after_then_reported_busy(venv, plugin, processes, tmp_path):
    """max_jobs 1 and a pipeline whose only stage is the plugin: while one job waits, a second submit is
    refused 503 busy. With no time to retry that is Busy; with time, the client waits as told and gets in
    once the plugin (started meanwhile) has finished the first job."""
    data = tmp_path / "data"
    endpoint = start_broker(processes, data, {"pipelines": {"default": {"stages": ["word-count"]}}, "max_jobs": 1})
    with Client(endpoint, timeout=5, retry_for=0) as impatient:
        first = impatient.submit(b"the first document")
        with pytest.raises(Busy) as refused:
            impatient.submit(b"the second document")
        assert refused.value.status == 503 and refused.value.reason == "busy"
        assert refused.value.refusal.retry_after_ms is not None
        many = impatient.submit_many([SEED])
        assert not many.ok and many.refused[0].refusal.reason == "busy"

    start_plugin(processes, venv, plugin, endpoint)
    with Client(endpoint, timeout=5, retry_for=60) as patient:
        busy_before = patient.status().counters.get("busy_replies", 0)
        second = patient.submit(b"the second document")
        assert patient.status().counters.get("busy_replies", 0) > busy_before
        assert patient.wait(first, timeout=60).state == "done"
        assert patient.wait(second, timeout=60).results["word-count"] == {"words": 3, "characters": 19}
