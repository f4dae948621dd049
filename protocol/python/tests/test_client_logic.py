"""The pure parts of docpipe_mdp.Client: batching, reading batch replies, the retry window, progress, documents
and `docpipe search --json` output. No broker, no sockets."""

import io
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from docpipe_mdp import Document, ProtocolError, SearchUnavailable  # noqa: E402
from docpipe_mdp.batches import RetryWindow, group, halves, settle  # noqa: E402
from docpipe_mdp.documents import document, expand  # noqa: E402
from docpipe_mdp.progress import ProgressLine, progress_text  # noqa: E402
from docpipe_mdp.store_search import find_docpipe, parse_search_output, search_command  # noqa: E402


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def docs(*sizes):
    return [(i, Document(content="x" * n)) for i, n in enumerate(sizes)]


def test_group_caps_documents_and_bytes_and_sends_a_big_document_alone():
    assert [[k for k, _ in b] for b in group(docs(*[1] * 5), max_documents=2)] == [[0, 1], [2, 3], [4]]
    assert [[k for k, _ in b] for b in group(docs(4, 4, 4, 20, 1), max_bytes=10)] == [[0, 1], [2], [3], [4]]
    assert list(group([])) == []


def test_group_counts_utf8_bytes_not_characters():
    batches = list(group([(0, Document(content="é" * 3)), (1, Document(content="a"))], max_bytes=6))
    assert [[k for k, _ in b] for b in batches] == [[0], [1]]


def test_settle_reads_each_entry_of_a_multi_status_reply():
    reply = {"v": 1, "status": 207, "jobs": [
        {"status": 202, "job_id": "job-1", "document_id": "doc-1"},
        {"status": 503, "reason": "busy", "message": "full", "retry_after_ms": 700},
        {"status": 400, "reason": "empty_document", "message": "empty"}]}
    out = settle(3, reply)
    assert out.outcomes[0] == ("job-1", "doc-1", None)
    assert out.outcomes[2][2].reason == "empty_document" and not out.outcomes[2][2].temporary
    assert (out.retry, out.retry_after_ms, out.busy.reason, out.split) == ([1], 700, "busy", False)


def test_settle_reads_one_error_reply_for_the_whole_batch():
    unknown = settle(2, {"v": 1, "status": 404, "reason": "unknown_pipeline", "message": "no pipeline 'x'"})
    assert [o[2].reason for o in unknown.outcomes.values()] == ["unknown_pipeline"] * 2 and not unknown.retry
    busy = settle(2, {"v": 1, "status": 503, "reason": "shutting_down", "message": "m", "retry_after_ms": 250})
    assert (busy.retry, busy.retry_after_ms, busy.outcomes) == ([0, 1], 250, {})
    too_large = {"v": 1, "status": 413, "reason": "too_large", "message": "m"}
    assert settle(4, too_large).split and not settle(1, too_large).split
    assert settle(1, too_large).outcomes[0][2].status == 413
    assert [list(h) for h in halves([1, 2, 3])] == [[1], [2, 3]]


def test_settle_refuses_a_reply_that_does_not_fit_the_request():
    with pytest.raises(ProtocolError, match="1 entries for 2 documents"):
        settle(2, {"v": 1, "status": 202, "jobs": [{"status": 202, "job_id": "j", "document_id": "d"}]})
    with pytest.raises(ProtocolError):
        settle(1, {"v": 1, "status": 500})


def test_retry_window_honours_retry_after_and_gives_up_after_retry_for_without_progress():
    clock = Clock()
    window = RetryWindow(1.0, clock=clock)
    assert window.delay_after_busy(300) == 0.3
    assert window.delay_after_busy(0) == window.min_delay
    clock.now += 0.8
    assert window.delay_after_busy(300) is None  # would end past the window
    window.progress()
    assert window.delay_after_busy(300) == 0.3
    assert RetryWindow(0, clock=clock).delay_after_busy(0) is None


def test_retry_window_backs_off_after_silence():
    window = RetryWindow(10.0, clock=Clock(), min_delay=0.1, max_delay=0.5)
    assert [window.delay_after_silence() for _ in range(5)] == [0.1, 0.2, 0.4, 0.5, 0.5]


def test_progress_line():
    assert progress_text(3, 10, 0) == "submitted 3/10 files"
    assert progress_text(10, 10, 2) == "submitted 10/10 files (2 refused)"
    log = io.StringIO()  # not a terminal: only the final line
    line = ProgressLine(2, log)
    line.update(1, 0)
    line.finish(2, 1)
    assert log.getvalue() == "submitted 2/2 files (1 refused)\n"

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    clock, screen = Clock(), Terminal()
    line = ProgressLine(3, screen, interval=1.0, clock=clock)
    line.update(1, 0)
    line.update(2, 0)  # within the interval: not drawn
    clock.now += 1
    line.update(3, 0)
    line.finish(3, 0)
    assert screen.getvalue() == "\rsubmitted 1/3 files\rsubmitted 3/3 files\rsubmitted 3/3 files\n"


def test_documents_from_paths_and_bytes(tmp_path):
    (tmp_path / "b.txt").write_text("bee", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.bin").write_bytes(b"\x00\x01")
    (tmp_path / ".hidden").write_text("no")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("no")
    assert expand([tmp_path]) == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.bin")]
    with pytest.raises(FileNotFoundError, match="missing.txt: no such file"):
        expand([tmp_path / "b.txt", tmp_path / "missing.txt"])

    text = document(tmp_path / "b.txt", metadata={"k": "v"})
    assert (text.name, text.content, text.encoding, text.metadata) == ("b.txt", "bee", "utf8", {"k": "v"})
    binary = document(str(tmp_path / "sub" / "a.bin"), filename="renamed.bin")
    assert (binary.name, binary.encoding, binary.bytes) == ("renamed.bin", "base64", b"\x00\x01")
    assert document(b"raw", filename="n.txt").name == "n.txt"
    with pytest.raises(TypeError, match="path or bytes"):
        document(42)
    with pytest.raises(TypeError, match="strings"):
        document(b"x", metadata={"n": 1})


def test_search_output_in_todays_shape_and_wrapped_or_renamed():
    today = json.dumps([{"id": "doc-1", "rank": 2.5, "snippet": "the «founding act»", "title": "NATO",
                         "topic": "politics"}])
    hit = parse_search_output(today)[0]
    assert (hit.id, hit.title, hit.rank, hit.topic, hit.snippet, hit.extra) == (
        "doc-1", "NATO", 2.5, "politics", "the «founding act»", {})
    wrapped = json.dumps({"query": "q", "results": [{"document_id": "doc-2", "score": 1, "snippet": "s",
                                                     "topic": {"label": "sports", "confidence": 0.9},
                                                     "stored_at": "2026-12-02T07:45:00Z"}]})
    hit = parse_search_output(wrapped)[0]
    assert (hit.id, hit.rank, hit.topic, hit.title, hit.extra) == (
        "doc-2", 1.0, "sports", None, {"stored_at": "2026-12-02T07:45:00Z"})
    assert parse_search_output("[]") == []


@pytest.mark.parametrize("text,error", [
    ("no documents match", "not JSON"), ('{"a": 1}', "expected a list"), ("[1]", "not a JSON object"),
    ('[{"title": "t"}]', "no document id"),
])
def test_search_output_that_is_not_hits_is_a_clear_error(text, error):
    with pytest.raises(SearchUnavailable, match=error):
        parse_search_output(text)


def test_finding_the_docpipe_executable(tmp_path):
    tool = tmp_path / "docpipe"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    assert find_docpipe(str(tool), env={"PATH": ""}) == str(tool)
    assert find_docpipe(None, env={"DOCPIPE": str(tool), "PATH": ""}) == str(tool)
    assert find_docpipe(None, env={"PATH": str(tmp_path)}) == str(tool)
    with pytest.raises(SearchUnavailable, match=r"set \$DOCPIPE, or put docpipe on PATH"):
        find_docpipe(None, env={"PATH": str(tmp_path / "empty")})
    with pytest.raises(SearchUnavailable, match=r"\$DOCPIPE /nowhere/docpipe is not an executable"):
        find_docpipe(None, env={"DOCPIPE": "/nowhere/docpipe", "PATH": ""})
    assert search_command("dp", "-x y", 5, data="D", store="sqlite:s") == [
        "dp", "search", "--json", "--limit", "5", "--data", "D", "--store", "sqlite:s", "--", "-x y"]
