"""Builds docpipe's language-identification profiles from the `langdetect` package on PyPI.

langdetect (Apache-2.0, Nakatani Shuyo / Cybozu Labs; Python port by Michal Danilák) ships character
1-3-gram frequency profiles for 55 languages, counted from Wikipedia. docpipe does not commit them:
this script downloads the sdist with pip, reads the profiles and the CJK character classes, and writes
one JSON file that TextAnalysis.NGramLanguageModel loads:

  {"format": "docpipe-langid-profiles/1", "source": ..., "licence": "Apache-2.0",
   "languages": [{"code": "en", "nWords": [unigrams, bigrams, trigrams], "freq": {"th": 123, ...}}, ...],
   "cjkClasses": ["<chars of one class; the first stands for all>", ...]}

Usage: python3 tools/langid_profiles.py --out .build/debug/langid-profiles.json
A second run with the same --cache does no network I/O.
"""
import argparse
import json
import sys
import tarfile
from pathlib import Path

from pypi import add_cache_argument, download

PACKAGE = ("langdetect", "1.0.9")
FORMAT = "docpipe-langid-profiles/1"


def unescape(value: str) -> str:
    """messages.properties writes every character as a \\uXXXX escape."""
    return value.encode("ascii").decode("unicode_escape")


def build(archive_path: Path) -> dict:
    languages, classes = [], []
    with tarfile.open(archive_path) as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            parts = member.name.split("/")
            if len(parts) >= 3 and parts[-2] == "profiles" and member.isfile():
                profile = json.load(archive.extractfile(member))
                languages.append({"code": profile["name"], "nWords": profile["n_words"], "freq": profile["freq"]})
            elif member.name.endswith("utils/messages.properties"):
                for line in archive.extractfile(member).read().decode("ascii").splitlines():
                    key, _, value = line.partition("=")
                    if key.startswith("NGram.KANJI_"):
                        classes.append(unescape(value))
    if len(languages) < 30 or not classes:
        sys.exit(f"unexpected archive layout in {archive_path.name}: {len(languages)} profiles, {len(classes)} CJK classes")
    return {"format": FORMAT, "source": f"{PACKAGE[0]}=={PACKAGE[1]} (PyPI) profiles, counted from Wikipedia",
            "licence": "Apache-2.0", "languages": languages, "cjkClasses": classes}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="where to write the profiles JSON")
    add_cache_argument(parser)
    args = parser.parse_args()
    out = Path(args.out)
    data = build(download(Path(args.cache), *PACKAGE, sdist=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    temporary.replace(out)
    print(f"wrote {out}: {len(data['languages'])} languages, {len(data['cjkClasses'])} CJK classes")


if __name__ == "__main__":
    main()
