"""Third-party MDP/0.2 peers (the `majortomo` package from PyPI) through the real docpipe broker.

The broker speaks MDP/0.1 and MDP/0.2 on one socket; these tests start the built `docpipe broker`
binary on a private ipc:// endpoint and exchange requests with majortomo's Worker and Client, also
across generations (a 0.2 client served by a 0.1 worker and the other way round).
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time

import pytest
import zmq
from majortomo import Client, Worker

REPO = pathlib.Path(__file__).resolve().parents[3]
BIN = pathlib.Path(os.environ.get("DOCPIPE_BIN_DIR", REPO / ".build" / "debug"))
SPEC_WORKER = REPO / "protocol" / "python" / "examples" / "spec_worker.py"
SPEC_CLIENT = REPO / "protocol" / "python" / "examples" / "spec_client.py"


@pytest.fixture()
def broker():
    docpipe = BIN / "docpipe"
    assert docpipe.exists(), f"{docpipe} is missing: run `swift build` first (make test does)"
    folder = tempfile.mkdtemp(prefix="dpmt-")
    endpoint = f"ipc://{folder}/broker.sock"
    process = subprocess.Popen(
        [str(docpipe), "broker", "--bind", endpoint, "--data", folder, "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(f"{folder}/broker.sock"):
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "broker did not bind within 20 s"
            time.sleep(0.05)
        yield endpoint
    finally:
        process.kill()
        process.wait(timeout=10)


def serve_majortomo(endpoint, service, stop, parts=2):
    """A majortomo MDP/0.2 worker: each request gets `parts - 1` PARTIAL replies and a FINAL."""
    worker = Worker(endpoint, service.encode(), heartbeat_interval=0.5, heartbeat_timeout=5.0)
    worker.connect()
    try:
        while not stop.is_set():
            try:
                client, body = worker.wait_for_request()
            except Exception:  # timeouts and broker restarts: keep serving until told to stop
                continue
            text = b"".join(body)
            replies = [text.upper() + b" part %d" % i for i in range(1, parts)]
            for reply in replies:
                worker.send_reply_partial(client, [reply])
            worker.send_reply_final(client, [text.upper()])
    finally:
        worker.close()


def wait_for_service(endpoint, service, timeout=20):
    """MMI (RFC 8) through an MDP/0.2 client: until the broker reports the service as present."""
    client = Client(endpoint)
    client.connect()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            client.send(b"mmi.service", service.encode())
            answer = b"".join(client.recv_all_as_list(timeout=5.0))
            if answer == b"200":
                return
            time.sleep(0.1)
        raise AssertionError(f"service {service} never became available")
    finally:
        client.close()


def test_majortomo_worker_and_client_exchange_partial_and_final_replies(broker):
    stop = threading.Event()
    thread = threading.Thread(target=serve_majortomo, args=(broker, "mt.echo", stop, 3), daemon=True)
    thread.start()
    try:
        wait_for_service(broker, "mt.echo")
        client = Client(broker)
        client.connect()
        try:
            client.send(b"mt.echo", b"hello from majortomo")
            replies = client.recv_all_as_list(timeout=10.0)
            assert replies == [b"HELLO FROM MAJORTOMO part 1", b"HELLO FROM MAJORTOMO part 2",
                               b"HELLO FROM MAJORTOMO"]
        finally:
            client.close()
    finally:
        stop.set()
        thread.join(timeout=10)


def test_mdp01_client_is_served_by_an_mdp02_worker(broker):
    stop = threading.Event()
    thread = threading.Thread(target=serve_majortomo, args=(broker, "mt.upper", stop, 2), daemon=True)
    thread.start()
    try:
        wait_for_service(broker, "mt.upper")
        result = subprocess.run(
            [sys.executable, str(SPEC_CLIENT), "--broker", broker, "--service", "mt.upper", "--body", "old client",
             "--timeout", "10000"], capture_output=True, timeout=30)
        assert result.returncode == 0, result.stderr.decode()
        # The 0.1 client sees only the FINAL answer; the PARTIAL is counted and dropped by the broker.
        assert b"OLD CLIENT" in result.stdout
        assert b"part" not in result.stdout
    finally:
        stop.set()
        thread.join(timeout=10)


def test_mdp02_client_is_served_by_the_spec_written_mdp01_worker(broker):
    worker = subprocess.Popen(
        [sys.executable, str(SPEC_WORKER), "--broker", broker, "--service", "echo.upper", "--heartbeat-ms", "500"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_service(broker, "echo.upper")
        client = Client(broker)
        client.connect()
        try:
            client.send(b"echo.upper", b"new client")
            assert client.recv_all_as_list(timeout=10.0) == [b"NEW CLIENT"]
        finally:
            client.close()
    finally:
        worker.kill()
        worker.wait(timeout=10)


def test_mdp02_client_reaches_the_broker_services(broker):
    client = Client(broker)
    client.connect()
    try:
        client.send(b"docpipe.status", b"{}")
        status = json.loads(b"".join(client.recv_all_as_list(timeout=10.0)))
        assert status["status"] == 200
        assert "default" in status["pipelines"]
        client.send(b"docpipe.submit", b"{not json")
        error = json.loads(b"".join(client.recv_all_as_list(timeout=10.0)))
        assert error["status"] == 400 and error["reason"] == "bad_json"
    finally:
        client.close()


def test_garbage_in_mdp02_framing_gets_disconnect(broker):
    context = zmq.Context.instance()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(broker)
    try:
        socket.send_multipart([b"MDPW02", b"\x09"])
        assert socket.poll(5000), "no answer to an unknown MDPW02 command"
        assert socket.recv_multipart() == [b"MDPW02", b"\x06"]
        socket.send_multipart([b"", b"MDPW02", b"\x09"])   # the delimited dialect gets its own framing back
        assert socket.poll(5000), "no answer to an unknown delimited MDPW02 command"
        assert socket.recv_multipart() == [b"", b"MDPW02", b"\x06"]
    finally:
        socket.close()
