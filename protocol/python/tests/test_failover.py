"""Failover (issue #13): BrokerStatus `role`/`failover`, and the SDK's client and worker given several broker
endpoints, an active broker and its standbys, against fake brokers made here with pyzmq.

A fake broker is a ROUTER socket on an ipc:// path served by a thread. As a standby it answers every worker
message with DISCONNECT and every client request but `docpipe.status` and `mmi.*` with the 503 `standby`
ErrorReply; as the active one it registers workers, heartbeats them, answers `docpipe.status` and
`docpipe.submit` itself and hands requests for worker services to a worker; "silent" answers nothing.
Every wait is bounded; every thread and socket made here is stopped and closed.
"""

import collections
import json
import os
import re
import shutil
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

from docpipe_mdp import MDPClient, MDPTimeout, ProtocolError, run_worker  # noqa: E402
from docpipe_mdp import messages as msgs  # noqa: E402
from docpipe_mdp import protocol as mdp  # noqa: E402
from docpipe_mdp.stage import argument_parser  # noqa: E402

# How much earlier than its timeout a wait may end (poll timeouts are whole milliseconds).
SLACK = 0.02


def _schemas():
    schemas = {}
    for name in os.listdir(os.path.join(PROTOCOL_DIR, "schemas")):
        with open(os.path.join(PROTOCOL_DIR, "schemas", name), encoding="utf-8") as f:
            schemas[name[: -len(".schema.json")]] = json.load(f)
    return schemas


SCHEMAS = _schemas()
REGISTRY = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in SCHEMAS.values())
SPEC = open(os.path.join(PROTOCOL_DIR, "SPEC.md"), encoding="utf-8").read()


def validator(name):
    return Draft202012Validator(SCHEMAS[name], registry=REGISTRY)


def load_example(name):
    with open(os.path.join(PROTOCOL_DIR, "examples", name), encoding="utf-8") as f:
        return json.load(f)


def standby_error(active="tcp://10.0.0.1:5555"):
    return msgs.ErrorReply(status=503, reason="standby", retry_after_ms=500,
                           message=f"this broker is a standby; the active broker is {active}")


def status_of(role, endpoint):
    status = msgs.BrokerStatus.from_dict(load_example("broker_status.minimal.json"))
    status.endpoint = endpoint
    status.role = role
    status.failover = msgs.FailoverStatus(journal="postgres", role_since=1764763200.5, failovers=1, lease_epoch=2,
                                          active_endpoint="tcp://10.0.0.1:5555", active_since=1764763200.25,
                                          last_failover_at=1764763200.25)
    return status


# ---- messages --------------------------------------------------------------------------------------

def test_broker_status_role_and_failover_round_trip_and_validate():
    for role in ("active", "standby"):
        status = status_of(role, "tcp://10.0.0.2:5555")
        value = json.loads(status.to_json())
        assert validator("broker_status").is_valid(value), list(validator("broker_status").iter_errors(value))
        assert value["role"] == role and value["failover"]["lease_epoch"] == 2
        again = msgs.BrokerStatus.from_json(status.to_json())
        assert again == status and again.is_standby == (role == "standby")
        assert again.to_json() == msgs.encode_json(value)


def test_failover_optional_fields_and_older_brokers():
    # A broker before 0.5 says neither: it is active.
    minimal = msgs.BrokerStatus.from_dict(load_example("broker_status.minimal.json"))
    assert minimal.role is None and minimal.failover is None and not minimal.is_standby
    assert b'"role"' not in minimal.to_json() and b'"failover"' not in minimal.to_json()
    # The embedded journal: one broker, no lease.
    log = msgs.FailoverStatus(journal="log", role_since=1764763200.0)
    assert log.to_dict() == {"journal": "log", "role_since": 1764763200.0, "failovers": 0}
    minimal.role, minimal.failover = "active", log
    assert validator("broker_status").is_valid(json.loads(minimal.to_json()))
    assert msgs.FailoverStatus.from_dict(log.to_dict()) == log


@pytest.mark.parametrize("change,words", [
    (lambda m: m.update(role="primary"), "bad value at 'role'"),
    (lambda m: m["failover"].pop("failovers"), "missing field 'failovers'"),
    (lambda m: m["failover"].update(journal="sqlite"), "bad value at 'failover.journal'"),
    (lambda m: m["failover"].update(lease_epoch="2"), "wrong type at 'failover.lease_epoch'"),
    (lambda m: m["failover"].update(role_since=None), "null at 'failover.role_since'"),
])
def test_bad_role_or_failover_is_named(change, words):
    value = json.loads(status_of("standby", "tcp://b:5555").to_json())
    change(value)
    assert not validator("broker_status").is_valid(value)
    with pytest.raises(ProtocolError, match=re.escape(words)):
        msgs.BrokerStatus.from_dict(value)


def test_standby_reply_is_recognised():
    reply = standby_error()
    assert validator("error_reply").is_valid(reply.to_dict())
    assert msgs.standby_reply([reply.to_json()]) == reply
    busy = msgs.ErrorReply(status=503, reason="busy", message="full", retry_after_ms=1000)
    for frames in ([busy.to_json()], [b"200"], [b"{nope"], [reply.to_json(), b"x"], [], [b'{"status":503}'],
                   [b'{"status":503,"reason":"standby"}']):
        assert msgs.standby_reply(frames) is None, frames


def test_endpoint_lists():
    assert mdp.parse_endpoints("tcp://a:1") == ["tcp://a:1"]
    assert mdp.parse_endpoints(" tcp://a:1, tcp://b:2 ,") == ["tcp://a:1", "tcp://b:2"]
    assert mdp.parse_endpoints(["tcp://a:1", "tcp://b:2,tcp://c:3"]) == ["tcp://a:1", "tcp://b:2", "tcp://c:3"]
    for empty in ("", " , ", []):
        with pytest.raises(ValueError):
            mdp.parse_endpoints(empty)
    client = MDPClient("tcp://127.0.0.1:1,tcp://127.0.0.1:2")
    assert client.endpoints == ["tcp://127.0.0.1:1", "tcp://127.0.0.1:2"] and client.broker == "tcp://127.0.0.1:1"
    client.broker = "tcp://127.0.0.1:3"
    assert client.endpoints == ["tcp://127.0.0.1:3"]
    client.close()


def test_worker_flags_take_an_endpoint_list(monkeypatch):
    monkeypatch.setenv("DOCPIPE_BROKER", "tcp://10.0.0.1:5555,tcp://10.0.0.2:5555")
    args = argument_parser("test").parse_args([])
    assert mdp.parse_endpoints(args.broker) == ["tcp://10.0.0.1:5555", "tcp://10.0.0.2:5555"]
    args = argument_parser("test").parse_args(["--broker", "tcp://x:1,tcp://y:2"])
    assert mdp.parse_endpoints(args.broker) == ["tcp://x:1", "tcp://y:2"]


def test_spec_describes_failover():
    section = SPEC.split("### Failover: active and standby brokers\n", 1)[1].split("\n### ", 1)[0]
    for words in ("lease", "epoch", "DISCONNECT", "`docpipe.status`", "retry_after_ms", "comma-separated",
                  "round robin", "exclusive lock", "idempotent"):
        assert words in section, words
    table = SPEC.split("### BrokerStatus", 1)[1].split("\n### ", 1)[0]
    for field in SCHEMAS["broker_status"]["properties"]:
        assert f"| `{field}` |" in table, f"SPEC BrokerStatus table lacks `{field}`"
    row = next(line for line in SPEC.splitlines() if line.startswith("| 503 |"))
    assert "`standby`" in row
    assert '"reason": "standby"' in SPEC


# ---- fake brokers ----------------------------------------------------------------------------------

class FakeBroker:
    """A broker stand-in on an ipc:// path, served by its own thread: `role` is "active", "standby" or
    "silent" and may change while it runs (a standby taking the lease is `promote()`)."""

    def __init__(self, context, role, heartbeat_ms=50):
        self.dir = tempfile.mkdtemp(prefix="dpfail")
        self.endpoint = "ipc://" + os.path.join(self.dir, "broker.ipc")
        self.role = role
        self.heartbeat_s = heartbeat_ms / 1000.0
        self.events = []  # ("ready", service) / ("worker", command) / ("request", service), in order
        self.workers = {}  # identity -> service
        self.idle = collections.deque()  # identities of workers waiting for work
        self.queue = collections.deque()  # (client identity, service, body) waiting for a worker
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.socket = context.socket(zmq.ROUTER)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.bind(self.endpoint)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def promote(self):
        self.role = "active"

    def saw(self, event):
        with self.lock:
            return event in self.events

    def count(self, event):
        with self.lock:
            return self.events.count(event)

    def record(self, event):
        with self.lock:
            self.events.append(event)

    def run(self):
        beat_at = time.monotonic()
        try:
            while not self.stop.is_set():
                if self.socket.poll(10, zmq.POLLIN):
                    identity, *frames = self.socket.recv_multipart()
                    self.handle(identity, frames)
                if self.role == "active":
                    self.dispatch()
                    if time.monotonic() - beat_at >= self.heartbeat_s:
                        beat_at = time.monotonic()
                        for worker in list(self.workers):
                            self.socket.send_multipart([worker] + mdp.heartbeat())
        finally:
            self.socket.close(linger=0)

    def reply(self, identity, service, body):
        self.socket.send_multipart([identity] + mdp.client_reply(service, body))

    def handle(self, identity, frames):
        message = mdp.decode_at_broker(frames)
        if isinstance(message, mdp.ClientRequest):
            service = message.service
            self.record(("request", service))
            if self.role == "silent":
                return
            if service == mdp.STATUS:
                self.reply(identity, service, status_of(self.role, self.endpoint).to_json())
            elif service.startswith("mmi."):
                asked = message.body[0].decode() if message.body else ""
                served = self.role == "active" and asked in self.workers.values()
                self.reply(identity, service, b"200" if served else b"404")
            elif self.role == "standby":
                self.reply(identity, service, standby_error().to_json())
            elif service == mdp.SUBMIT:
                self.reply(identity, service, msgs.encode_json(
                    {"v": 1, "status": 202, "job_id": "job-0000000000000001", "endpoint": self.endpoint}))
            else:
                self.queue.append((identity, service, message.body))
            return
        name = type(message).__name__.lower()
        if self.role != "active":
            self.record(("worker", name))
            if self.role == "standby":
                self.socket.send_multipart([identity] + mdp.disconnect())
            return
        if isinstance(message, mdp.Ready):
            self.record(("ready", message.service))
            self.workers[identity] = message.service
            self.idle.append(identity)
        elif isinstance(message, mdp.Reply):
            self.record(("reply", self.workers.get(identity)))
            self.reply(message.client, self.workers[identity], message.body)
            self.idle.append(identity)
        elif isinstance(message, mdp.Disconnect):
            self.workers.pop(identity, None)
            if identity in self.idle:
                self.idle.remove(identity)

    def dispatch(self):
        for item in list(self.queue):
            client, service, body = item
            worker = next((w for w in self.idle if self.workers.get(w) == service), None)
            if worker is None:
                continue
            self.idle.remove(worker)
            self.queue.remove(item)
            self.socket.send_multipart([worker] + mdp.request(client, body))

    def close(self):
        """Stops answering at once, as a broker whose machine died: silence, then nothing at all."""
        self.stop.set()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive(), "fake broker thread did not stop"
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def context():
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


@pytest.fixture
def brokers(context):
    made = []

    def make(role):
        broker = FakeBroker(context, role)
        made.append(broker)
        return broker

    yield make
    for broker in made:
        if not broker.stop.is_set():
            broker.close()


def eventually(condition, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


class Worker:
    """The SDK worker in a thread, serving `echo.upper`; always stopped and joined."""

    def __init__(self, context, broker, heartbeat_ms=100, liveness=5):
        self.stop = threading.Event()
        self.thread = threading.Thread(target=run_worker, daemon=True, kwargs=dict(
            service="echo.upper", handler=lambda body: body.upper(), broker=broker, heartbeat_ms=heartbeat_ms,
            liveness=liveness, stop=self.stop, context=context, handle_signals=False))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "worker thread did not stop"


# ---- the client ------------------------------------------------------------------------------------

def test_one_standby_endpoint_answers_as_any_broker(brokers, context):
    standby = brokers("standby")
    with MDPClient(standby.endpoint, context=context) as client:
        refused = client.request_json(mdp.SUBMIT, {"v": 1}, timeout_ms=5000)
        assert refused == standby_error().to_dict() and validator("error_reply").is_valid(refused)
        status = msgs.BrokerStatus.from_dict(client.request_json(mdp.STATUS, {}, timeout_ms=5000))
        assert status.is_standby and status.failover.journal == "postgres"
        assert not client.has_service("echo.upper", timeout_ms=5000)
        assert client.broker == standby.endpoint
    assert standby.count(("request", mdp.SUBMIT)) == 1


def test_client_and_worker_move_past_the_standby(brokers, context):
    standby, active = brokers("standby"), brokers("active")
    endpoints = f"{standby.endpoint},{active.endpoint}"
    with Worker(context, endpoints):
        eventually(lambda: active.saw(("ready", "echo.upper")), what="READY at the active broker")
        assert standby.events[0] == ("worker", "ready"), "the worker starts at the first endpoint"
        with MDPClient(endpoints, context=context) as client:
            assert client.request("echo.upper", b"hello", timeout_ms=5000) == [b"HELLO"]
            assert standby.saw(("request", "echo.upper")) and client.broker == active.endpoint
            assert active.saw(("reply", "echo.upper"))
            # Once there, it stays with the active broker.
            accepted = client.request_json(mdp.SUBMIT, {"v": 1}, timeout_ms=5000)
            assert accepted["status"] == 202 and accepted["endpoint"] == active.endpoint
            assert msgs.BrokerStatus.from_dict(client.request_json(mdp.STATUS, {}, timeout_ms=5000)).role == "active"
        assert standby.count(("request", mdp.SUBMIT)) == 0 and standby.count(("worker", "ready")) == 1


def test_client_when_every_broker_is_standby(brokers, context):
    first, second = brokers("standby"), brokers("standby")
    with MDPClient([first.endpoint, second.endpoint], context=context) as client:
        frames = client.request(mdp.SUBMIT, b'{"v":1}', timeout_ms=5000)
        assert msgs.standby_reply(frames) == standby_error()  # returned like any 503: retry after retry_after_ms
        assert first.count(("request", mdp.SUBMIT)) == 1 and second.count(("request", mdp.SUBMIT)) == 1
        assert client.broker == first.endpoint  # round robin goes on after the last one asked
        # The second takes the lease: the next call finds it.
        second.promote()
        assert client.request_json(mdp.SUBMIT, {"v": 1}, timeout_ms=5000)["endpoint"] == second.endpoint
        assert client.broker == second.endpoint


def test_client_moves_on_after_a_timeout(brokers, context):
    silent, active = brokers("silent"), brokers("active")
    with MDPClient([silent.endpoint, active.endpoint], context=context) as client:
        started = time.monotonic()
        assert client.request_json(mdp.SUBMIT, {"v": 1}, timeout_ms=300)["endpoint"] == active.endpoint
        # A poll's timeout is whole milliseconds and may end a little early: allow 20 ms of slack.
        assert time.monotonic() - started >= 0.3 - SLACK
        assert silent.count(("request", mdp.SUBMIT)) == 1 and active.count(("request", mdp.SUBMIT)) == 1


def test_client_gives_up_after_each_endpoint_once(brokers, context):
    first, second = brokers("silent"), brokers("silent")
    with MDPClient([first.endpoint, second.endpoint], context=context) as client:
        started = time.monotonic()
        with pytest.raises(MDPTimeout, match="within 200 ms each"):
            client.request(mdp.SUBMIT, b"{}", timeout_ms=200)
        # Two waits of 200 ms (CI once measured 399.98 ms: hence the slack).
        assert 0.4 - SLACK <= time.monotonic() - started < 5
        assert first.count(("request", mdp.SUBMIT)) == 1 and second.count(("request", mdp.SUBMIT)) == 1
    # A standby among silent brokers: its 503 is the answer, so the caller waits and tries again.
    silent, standby = brokers("silent"), brokers("standby")
    with MDPClient([silent.endpoint, standby.endpoint], context=context) as client:
        assert client.request_json(mdp.SUBMIT, {}, timeout_ms=200)["reason"] == "standby"


def test_single_endpoint_timeout_is_unchanged(brokers, context):
    silent = brokers("silent")
    with MDPClient(silent.endpoint, context=context) as client:
        with pytest.raises(MDPTimeout, match=f"at {re.escape(silent.endpoint)} within 200 ms$"):
            client.request(mdp.SUBMIT, b"{}", timeout_ms=200)
        assert client.broker == silent.endpoint


# ---- the worker ------------------------------------------------------------------------------------

def test_worker_follows_the_lease_when_the_active_broker_dies(brokers, context):
    active, standby = brokers("active"), brokers("standby")
    endpoints = [active.endpoint, standby.endpoint]
    with Worker(context, endpoints, heartbeat_ms=100, liveness=3), MDPClient(endpoints, context=context) as client:
        eventually(lambda: active.saw(("ready", "echo.upper")), what="READY at the first endpoint")
        assert client.request("echo.upper", b"one", timeout_ms=5000) == [b"ONE"]
        assert not standby.events, "nothing goes to the standby while the active broker answers"
        # The active broker's machine dies; the standby takes the lease.
        standby.promote()
        active.close()
        eventually(lambda: standby.saw(("ready", "echo.upper")), timeout=10, what="READY at the other endpoint")
        # The client's request to the dead broker times out, and goes to the new active one at once.
        assert client.request("echo.upper", b"two", timeout_ms=500) == [b"TWO"]
        assert client.broker == standby.endpoint


def test_worker_turned_away_everywhere_backs_off(brokers, context):
    first, second = brokers("standby"), brokers("standby")
    with Worker(context, [first.endpoint, second.endpoint]):
        eventually(lambda: second.saw(("worker", "ready")), what="READY at the second endpoint")
        time.sleep(1.5)
        readies = first.count(("worker", "ready")) + second.count(("worker", "ready"))
        assert 2 <= readies <= 6, f"a worker that every broker turns away must not spin ({readies} READYs)"
        first.promote()
        eventually(lambda: first.saw(("ready", "echo.upper")), timeout=10, what="READY once a broker is active")
