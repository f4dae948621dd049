"""Runs documents through the real docpipe broker and worker executables and collects stage outputs.

The evaluation must measure what users run, not just the library: a broker on a free loopback port,
real worker processes, documents submitted with the Python MDP binding. Every process started here
is stopped here (terminate, then kill after a timeout).
"""
import base64
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "protocol" / "python"))
from docpipe_mdp import MDPClient  # noqa: E402

PIPELINES = {
    "classify": {"stages": ["classifier"]},
    "summarize": {"stages": ["extractor", "summarizer"]},
    "extract": {"stages": ["extractor"]},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A broker plus workers in a temporary data folder; use as a context manager."""

    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="docpipe-eval-"))
        (self.folder / "config.json").write_text(json.dumps({"pipelines": PIPELINES}))
        self.endpoint = f"tcp://127.0.0.1:{free_port()}"
        self.processes = []

    def __enter__(self):
        self.start("docpipe", "broker", "--bind", self.endpoint, "--data", str(self.folder), "--log-level", "warning")
        return self

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            self.stop(process)

    def start(self, name, *arguments):
        log = open(self.folder / f"{name}-{len(self.processes)}.log", "w")
        process = subprocess.Popen([str(self.binaries / name), *arguments], stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def worker(self, name, *arguments):
        return self.start(f"docpipe-{name}", "--broker", self.endpoint, "--log-level", "warning", *arguments)

    @staticmethod
    def stop(process):
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def wait_for_service(self, service, timeout=60):
        deadline = time.time() + timeout
        with MDPClient(self.endpoint) as client:
            while time.time() < deadline:
                try:
                    if client.has_service(service, timeout_ms=1000):
                        return
                except Exception:
                    pass
                time.sleep(0.2)
        raise TimeoutError(f"no {service} worker registered within {timeout}s")

    def process(self, documents, pipeline, window=64, timeout=1800):
        """Submits (content, metadata) pairs and returns each job's final status, in order."""
        results = [None] * len(documents)
        pending = {}
        next_index = 0
        deadline = time.time() + timeout
        with MDPClient(self.endpoint) as client:
            while next_index < len(documents) or pending:
                if time.time() > deadline:
                    raise TimeoutError(f"{len(pending)} jobs unfinished after {timeout}s")
                while next_index < len(documents) and len(pending) < window:
                    content, metadata = documents[next_index]
                    request = {"v": 1, "pipeline": pipeline,
                               "document": {"v": 1, "content": content, "encoding": "utf8",
                                            "name": f"eval-{next_index}.txt", "metadata": metadata}}
                    reply = client.request_json("docpipe.submit", request, timeout_ms=10000)
                    if reply.get("status") == 503:
                        break
                    if reply.get("status") != 202:
                        raise RuntimeError(f"submit refused: {reply}")
                    pending[reply["job_id"]] = next_index
                    next_index += 1
                for job_id, index in list(pending.items()):
                    status = client.request_json("docpipe.job", {"v": 1, "job_id": job_id}, timeout_ms=10000)
                    if status.get("state") in ("done", "failed", "dead_letter"):
                        results[index] = status
                        del pending[job_id]
                if pending:
                    time.sleep(0.01)
        return results


    def process_files(self, files, pipeline="extract", timeout=300):
        """Submits (name, bytes, metadata) one at a time, base64-encoded as a binary file is, and waits for each
        job; returns the final statuses in order. For evaluations that time or read one document at a time."""
        statuses = []
        with MDPClient(self.endpoint) as client:
            for name, data, metadata in files:
                document = {"v": 1, "name": name, "encoding": "base64",
                            "content": base64.b64encode(data).decode("ascii"), "metadata": metadata}
                reply = client.request_json("docpipe.submit", {"v": 1, "pipeline": pipeline, "document": document},
                                            timeout_ms=10000)
                if reply.get("status") != 202:
                    raise RuntimeError(f"{name}: submit refused: {reply}")
                deadline = time.time() + timeout
                while True:
                    status = client.request_json("docpipe.job", {"v": 1, "job_id": reply["job_id"]}, timeout_ms=10000)
                    if status.get("state") in ("done", "failed") or time.time() > deadline:
                        statuses.append(status)
                        break
                    time.sleep(0.02)
        return statuses


def run_through_workers(binaries: Path, workers, documents, pipeline):
    """A fresh cluster with `workers` ([(name, [arguments])]) processes (content, metadata) pairs on
    `pipeline`; returns (statuses, seconds, failed jobs)."""
    with Cluster(binaries) as cluster:
        for name, arguments in workers:
            cluster.worker(name, *arguments)
        for name, _ in workers:
            cluster.wait_for_service(name)
        started = time.time()
        statuses = cluster.process(documents, pipeline)
        seconds = time.time() - started
    failed = sum(1 for status in statuses if not status or status.get("state") != "done")
    return statuses, seconds, failed


def stage_field(status, stage, field):
    """One field of one stage's result in a job status, or None."""
    return (status or {}).get("results", {}).get(stage, {}).get(field)
