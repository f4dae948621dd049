"""`Client.search`: full-text search through the `docpipe search --json` command.

Search is not a broker service: the document store (SQLite in the data folder, or a shared PostgreSQL) is
owned by the CLI and the storage writers, which already speak both backends and the one query language.
So the client runs `docpipe search --json` and reads its output, tolerating both the array of hits that
docpipe 0.x prints and an object that wraps them (`{"results": […]}` / `{"hits": […]}`), and both `rank` and
`score`, so that a reshaped output keeps working."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any, Dict, List, Mapping, Optional

from .errors import SearchUnavailable
from .results import SearchHit

_WRAPPERS = ("results", "hits", "documents", "items")
_KNOWN = {"id", "document_id", "title", "snippet", "rank", "score", "topic"}


def find_docpipe(given: Optional[str] = None, env: Optional[Mapping[str, str]] = None) -> str:
    """The `docpipe` executable: `given`, else `$DOCPIPE`, else the first `docpipe` on PATH. Raises
    SearchUnavailable saying how to point at one."""
    env = os.environ if env is None else env
    for candidate, origin in ((given, "docpipe="), (env.get("DOCPIPE"), "$DOCPIPE")):
        if candidate:
            found = shutil.which(candidate, path=env.get("PATH"))
            if found is None:
                raise SearchUnavailable(f"{origin} {candidate} is not an executable file")
            return found
    found = shutil.which("docpipe", path=env.get("PATH"))
    if found is None:
        raise SearchUnavailable("search runs the docpipe CLI, and no docpipe executable was found: pass "
                                "Client(docpipe=PATH), set $DOCPIPE, or put docpipe on PATH")
    return found


def search_command(executable: str, query: str, limit: int, data: Optional[str] = None,
                   store: Optional[str] = None) -> List[str]:
    """The command line; the query goes after `--`, so one starting with '-' is not taken for a flag."""
    command = [executable, "search", "--json", "--limit", str(limit)]
    if data:
        command += ["--data", data]
    if store:
        command += ["--store", store]
    return command + ["--", query]


def _hit(value: Any, position: int) -> SearchHit:
    if not isinstance(value, dict):
        raise SearchUnavailable(f"docpipe search --json: hit {position} is not a JSON object")
    identifier = value.get("id", value.get("document_id"))
    if not isinstance(identifier, str):
        raise SearchUnavailable(f"docpipe search --json: hit {position} has no document id")
    rank = value.get("rank", value.get("score", 0.0))
    topic = value.get("topic")
    if isinstance(topic, dict):  # a topic object ({"label": …, "confidence": …}) in a reshaped output
        topic = topic.get("label") or topic.get("name")
    title = value.get("title")
    return SearchHit(id=identifier, title=title if isinstance(title, str) else None,
                     snippet=str(value.get("snippet") or ""),
                     rank=float(rank) if isinstance(rank, (int, float)) and not isinstance(rank, bool) else 0.0,
                     topic=topic if isinstance(topic, str) else None,
                     extra={k: v for k, v in value.items() if k not in _KNOWN})


def parse_search_output(text: str) -> List[SearchHit]:
    """The hits in `docpipe search --json` output, best first. Raises SearchUnavailable for anything that is
    not a list of hits (or an object holding one)."""
    try:
        value = json.loads(text)
    except ValueError:
        raise SearchUnavailable("docpipe search --json printed something that is not JSON: "
                                + text.strip()[:200]) from None
    if isinstance(value, dict):
        value = next((value[k] for k in _WRAPPERS if isinstance(value.get(k), list)), value)
    if not isinstance(value, list):
        raise SearchUnavailable("docpipe search --json: expected a list of hits")
    return [_hit(v, i) for i, v in enumerate(value)]


def run_search(executable: str, query: str, limit: int, data: Optional[str] = None, store: Optional[str] = None,
               timeout: float = 60.0, env: Optional[Dict[str, str]] = None) -> List[SearchHit]:
    """Runs the search and returns its hits; a failure raises SearchUnavailable with the CLI's own error."""
    command = search_command(executable, query, limit, data, store)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise SearchUnavailable(f"docpipe search did not finish within {timeout:g} s") from None
    except OSError as error:
        raise SearchUnavailable(f"could not run {executable}: {error}") from None
    if done.returncode != 0:
        said = done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}"
        raise SearchUnavailable(f"docpipe search failed: {said}")
    return parse_search_output(done.stdout)
