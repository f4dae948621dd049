"""A development set for language identification, kept apart from the evaluation's.

Design choices of the n-gram-table identifier (the weights of the n-gram orders in
Sources/TextAnalysis/Language/BackoffNGramModel.swift) were compared on these texts, never on the
evaluation's: the translated messages of two other Django-ecosystem projects, `wagtail==8.0.1` and
`django-allauth==65.22.1`, cleaned and cut to 5-10 words the way eval/langid_data.py does, with any
text that also occurs in the evaluation's bands removed, and at most 150 per language.

Usage: python3 eval/langid_dev.py [--bin .build/release]
prints per-language accuracy and the macro accuracy of `docpipe language --lines` on the set.
"""
import argparse
import collections
import json
import subprocess
from pathlib import Path

import langid_data

ROOT = Path(__file__).resolve().parent.parent
WHEELS = [("wagtail", "8.0.1"), ("django-allauth", "65.22.1")]
PER_LANGUAGE = 150


def texts(cache: Path):
    held_out = {row["text"] for rows in langid_data.load(cache).values() for row in rows}
    found = collections.defaultdict(set)
    for _, language, _, messages in langid_data.catalogues(cache, WHEELS):
        for code, text in messages:
            # The translations only (the English source messages come tagged "en").
            if code == language != "en" and text not in held_out and langid_data.in_band("short", language, text):
                found[language].add(text)
    return {language: sorted(items)[:PER_LANGUAGE] for language, items in sorted(found.items())}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=str(ROOT / ".build" / "release"), help="folder with the docpipe executable")
    parser.add_argument("--cache", default=str(ROOT / ".cache" / "eval"), help="download cache")
    args = parser.parse_args()
    docpipe = str(Path(args.bin) / "docpipe")
    known = set(json.loads(subprocess.run([docpipe, "language", "--status", "--json"], capture_output=True,
                                          text=True, check=True).stdout)["languages"])
    by_language = texts(Path(args.cache))
    rows = [(language, text) for language, items in by_language.items() for text in items]
    answers = subprocess.run([docpipe, "language", "--lines", "--json"], capture_output=True, text=True, check=True,
                             input="".join(text.replace("\n", " ") + "\n" for _, text in rows)).stdout.splitlines()
    tally = collections.defaultdict(lambda: [0, 0])
    for (language, _), answer in zip(rows, answers):
        tally[language][0] += 1
        tally[language][1] += json.loads(answer)["language"] == language
    measured = {code: right / count for code, (count, right) in tally.items() if count >= 20 and code in known}
    for code in sorted(measured):
        print(f"{code}\t{tally[code][0]}\t{100 * measured[code]:.1f}%")
    print(f"macro accuracy {100 * sum(measured.values()) / len(measured):.2f}% over {len(measured)} languages")


if __name__ == "__main__":
    main()
