"""Held-out sentences for language identification, from the translations shipped in two PyPI wheels.

Django and Sphinx are translated by volunteers into dozens of languages and ship their gettext
catalogues (.po) in their wheels. Their translated messages are human-written sentences that never
were part of langdetect's Wikipedia profiles, so they make a fair held-out set. Kept: translated
messages (msgstr) of at least 10 whitespace-separated words, or 20 characters for Chinese, Japanese
and Thai, which do not put spaces between words; placeholders, markup and URLs are removed first.
English sentences are the catalogues' source messages (msgid).

Written to cache/langid-sentences.jsonl as {"language", "text", "origin"} lines.
"""
import ast
import json
import re
import zipfile
from pathlib import Path

from datasets import wheel

WHEELS = [("django", "5.2.19"), ("sphinx", "9.0.4")]
# Catalogue locale → the language code docpipe reports. Regional variants count as their language;
# Norwegian Bokmål is langdetect's "no"; both Chinese scripts are reported as "zh".
LOCALE_CODES = {"nb": "no", "zh_Hans": "zh", "zh_Hant": "zh", "zh_CN": "zh", "zh_TW": "zh", "pt_BR": "pt",
                "es_AR": "es", "es_MX": "es", "es_CO": "es", "es_VE": "es", "ar_DZ": "ar", "en_GB": "en",
                "en_AU": "en"}
UNSPACED = {"zh", "ja", "th"}
PLACEHOLDERS = re.compile(r"%\([^)]*\)[sdrif]|%[sdrif]|\{[^}]*\}|<[^>]+>|https?://\S+")


def catalogue_entries(text: str):
    """(msgid, msgstr) pairs of a .po file; plural forms contribute their first form."""
    entry, field = None, None
    for line in text.splitlines():
        if line.startswith("msgid "):
            if entry:
                yield entry["msgid"], entry["msgstr"]
            entry, field, line = {"msgid": "", "msgstr": ""}, "msgid", line[len("msgid "):]
        elif line.startswith("msgid_plural"):
            field = None
            continue
        elif line.startswith("msgstr"):
            field = "msgstr" if line.startswith(("msgstr ", "msgstr[0]")) and entry and not entry["msgstr"] else None
            line = line.split(" ", 1)[1] if " " in line else '""'
        elif not line.startswith('"'):
            continue
        if entry is not None and field:
            try:
                entry[field] += ast.literal_eval(line)
            except (SyntaxError, ValueError):
                pass
    if entry:
        yield entry["msgid"], entry["msgstr"]


def clean(message: str) -> str:
    return " ".join(PLACEHOLDERS.sub(" ", message).split())


def long_enough(language: str, text: str) -> bool:
    return len(text) >= 20 if language in UNSPACED else len(text.split()) >= 10


def sentences(cache: Path, supported: set) -> Path:
    target = cache / "langid-sentences.jsonl"
    if target.exists():
        return target
    seen, rows = set(), []
    for name, version in WHEELS:
        with zipfile.ZipFile(wheel(cache, name, version)) as archive:
            for member in sorted(archive.namelist()):
                match = re.search(r"locale/([^/]+)/LC_MESSAGES/[^/]+\.po$", member)
                if not match:
                    continue
                language = LOCALE_CODES.get(match.group(1), match.group(1))
                for msgid, msgstr in catalogue_entries(archive.read(member).decode("utf-8", "replace")):
                    if not msgid:
                        continue  # the catalogue header
                    candidates = [("en", clean(msgid))]
                    if msgstr and msgstr != msgid and language in supported:
                        candidates.append((language, clean(msgstr)))
                    for code, text in candidates:
                        if long_enough(code, text) and (code, text) not in seen:
                            seen.add((code, text))
                            rows.append({"language": code, "text": text, "origin": f"{name}:{match.group(1)}"})
    with target.open("w", encoding="utf-8") as out:
        for row in sorted(rows, key=lambda r: (r["language"], r["text"])):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return target
