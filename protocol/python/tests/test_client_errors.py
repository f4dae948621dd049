"""docpipe_mdp.Client when there is nothing to talk to: no broker at the endpoint, no store for the search.
Each failure is a typed error that says what happened, within the time the client was given."""

import os
import pathlib
import sys
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
BIN = pathlib.Path(os.environ.get("DOCPIPE_BIN_DIR", HERE.parents[2] / ".build" / "debug"))

from docpipe_mdp import Client, SearchUnavailable, Unreachable  # noqa: E402


def test_no_broker_is_unreachable_once_retry_for_has_passed(tmp_path):
    endpoint = f"ipc://{tmp_path}/nobody.sock"
    with Client(endpoint, timeout=0.2, retry_for=0.6) as client:
        started = time.monotonic()
        with pytest.raises(Unreachable, match=r"no reply from docpipe.submit .* gave up after retrying for 0.6 s"):
            client.submit(b"hello")
        elapsed = time.monotonic() - started
        assert 0.6 <= elapsed < 3, elapsed  # tried again with back-off, then stopped

        (tmp_path / "a.txt").write_text("a")
        with pytest.raises(Unreachable) as error:
            client.submit_many([tmp_path / "a.txt"])
        assert error.value.partial is not None and error.value.partial.files == []

    with Client(endpoint, timeout=0.2, retry_for=0) as client:
        started = time.monotonic()
        with pytest.raises(Unreachable):
            client.status()
        assert time.monotonic() - started < 1.5  # retry_for 0: one request, no retry


def test_search_reports_the_clis_own_error_and_a_missing_executable(tmp_path):
    docpipe = BIN / "docpipe"
    assert docpipe.exists(), f"{docpipe} is missing: run `swift build` first (make test does)"
    with Client(docpipe=str(docpipe), data=str(tmp_path)) as client:
        with pytest.raises(SearchUnavailable, match="docpipe search failed: .*no document store"):
            client.search("anything")
        with pytest.raises(ValueError):
            client.search("anything", limit=0)
    with Client(docpipe=str(tmp_path / "not-there")) as client:
        with pytest.raises(SearchUnavailable, match="is not an executable"):
            client.search("anything")
