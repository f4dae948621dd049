"""docpipe_mdp.Client over CURVE: keys from `docpipe keygen`, read as the CLI reads them, against a real
broker that requires them; roles are the broker's to enforce (a client-only key is refused status)."""

import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
BIN = pathlib.Path(os.environ.get("DOCPIPE_BIN_DIR", HERE.parents[2] / ".build" / "debug"))

from docpipe_mdp import Client, CurveKeyError, Refused, Unreachable  # noqa: E402
from docpipe_mdp.curve_keys import parse_certificate, resolve  # noqa: E402


def docpipe():
    path = BIN / "docpipe"
    assert path.exists(), f"{path} is missing: run `swift build` first (make test does)"
    return str(path)


def keygen(folder, name, roles):
    made = subprocess.run([docpipe(), "keygen", name, "--out", str(folder), "--roles", roles], timeout=30,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert made.returncode == 0, f"docpipe keygen {name} failed: {made.stderr}"
    return folder / f"{name}.key", folder / f"{name}.key_secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_keys_are_read_as_the_cli_reads_them(tmp_path):
    public, secret = keygen(tmp_path, "alice", "client")
    assert parse_certificate(public.read_text())[1] is None
    derived, own_secret = parse_certificate(secret.read_text())
    assert derived == parse_certificate(public.read_text())[0] and own_secret
    bare = parse_certificate(derived + "\n")[0]
    assert bare == derived

    keys = resolve(str(public), str(secret), env={})
    assert (keys.server_public, keys.public, keys.secret) == (derived, derived, own_secret)
    assert resolve(derived, str(secret), env={}).server_public == derived  # the Z85 text itself
    assert resolve(None, None, env={"DOCPIPE_SERVER_KEY": str(public), "DOCPIPE_KEY": str(secret)}) == keys
    assert resolve(None, None, env={}) is None
    with pytest.raises(CurveKeyError, match="no own key"):
        resolve(str(public), None, env={})
    with pytest.raises(CurveKeyError, match="no server key"):
        resolve(None, str(secret), env={})
    with pytest.raises(CurveKeyError, match="pass the .key_secret file"):
        resolve(str(public), str(public), env={})
    secret.chmod(0o644)
    with pytest.raises(CurveKeyError, match="others can read it; run: chmod 600"):
        resolve(str(public), str(secret), env={})
    with pytest.raises(CurveKeyError, match="unreadable line"):
        parse_certificate("what is this\n", "bad.key")


def test_a_curve_broker_serves_authorized_keys_by_role(tmp_path):
    keys, authorized = tmp_path / "keys", tmp_path / "authorized_keys"
    keys.mkdir()
    authorized.mkdir()
    server_public, server_secret = keygen(keys, "server", "client")
    operator_public, operator_secret = keygen(keys, "alice", "client,operator")
    feeder_public, feeder_secret = keygen(keys, "feeder", "client")
    for public in (operator_public, feeder_public):
        shutil.copy(public, authorized)
    endpoint = f"tcp://127.0.0.1:{free_port()}"
    log = open(tmp_path / "broker.log", "wb")
    broker = subprocess.Popen([docpipe(), "broker", "--bind", endpoint, "--data", str(tmp_path), "--curve-secret",
                               str(server_secret), "--authorized-keys", str(authorized), "--log-level", "warning"],
                              stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        with Client(endpoint, server_key=str(server_public), key=str(operator_secret), timeout=2,
                    retry_for=20) as alice:
            status = alice.status()  # retried until the broker is up
            assert "curve" in (status.access or "").lower(), status.access
            job_id = alice.submit(b"over an encrypted connection", pipeline="default")
            assert alice.job(job_id).job_id == job_id
        with Client(endpoint, server_key=str(server_public), key=str(feeder_secret), timeout=2,
                    retry_for=5) as feeder:
            assert feeder.submit(b"a client may submit")
            with pytest.raises(Refused) as refused:
                feeder.status()
            assert refused.value.status == 403
        with Client(endpoint, timeout=0.5, retry_for=0) as plaintext:
            started = time.monotonic()
            with pytest.raises(Unreachable):
                plaintext.status()
            assert time.monotonic() - started < 3
    finally:
        broker.kill()
        broker.wait(timeout=10)
        log.close()
