"""Held-out texts for language identification, from the translations shipped in two PyPI wheels.

Django and Sphinx are translated by volunteers into dozens of languages and ship their gettext
catalogues (.po) in their wheels. Their translated messages are human-written text that was never
part of langdetect's Wikipedia profiles nor, as far as we know, of lingua's training corpora, so they
make a fair held-out set. Nothing here was written by docpipe's authors. English texts are the
catalogues' source messages (msgid); every other text is a translation (msgstr, first plural form,
when it differs from the msgid). Placeholders, markup and URLs are removed first.

Three length bands, each written to cache/langid-BAND.jsonl as {"language", "text", "origin"} lines
(plus "script": "Latn" for Serbian in Latin letters):
  short     messages of 5–10 whitespace-separated words (10–30 characters for Chinese, Japanese and
            Thai, which do not put spaces between words);
  sentence  messages of 10+ words (20+ characters for zh/ja/th), the set this evaluation always used;
  long      texts of 30+ words (60+ characters for zh/ja/th) made by joining consecutive messages of
            5+ words (10+ characters) of the same catalogue file and language, in catalogue order, until
            the length is reached; each message goes into at most one long text, and a catalogue's
            leftover that stays under the length is dropped.
A message of exactly 10 words is in both the short and the sentence band, as the issue's bands overlap.
Every catalogue language is kept, also those no identifier knows; the report says which are unknown.
Each language keeps at most CAP texts per band: the first CAP after sorting by text.

Locale codes become ISO 639-1 codes: the region, encoding and modifier are dropped (pt_BR, de_DE,
ca@valencia, zh_TW.Big5), both Chinese scripts are "zh"; `nb`, `nb_NO` and Sphinx's `no` are Norwegian
Bokmål "nb", `nn` Nynorsk; `sr_Latn` and `sr@latin` are "sr" with "script": "Latn" (plain `sr` is
Cyrillic). Codes with no ISO 639-1 form (ast, cak, ckb, dsb, hsb, kab, udm, yue) stay as they are.
"""
import ast
import json
import re
import zipfile
from pathlib import Path

from datasets import wheel

WHEELS = [("django", "5.2.19"), ("sphinx", "9.0.4")]
BANDS = ["short", "sentence", "long"]
CAP = 300
# Language parts of locale codes that are not the code docpipe reports.
LOCALE_CODES = {"no": "nb"}
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


def locale_language(locale: str):
    """(ISO 639-1 code, script or None) of a catalogue's locale folder name."""
    script = "Latn" if locale.endswith(("_Latn", "@latin")) else None
    base = locale.split("@")[0].split(".")[0].split("_")[0]
    return LOCALE_CODES.get(base, base), script


def size(language: str, text: str) -> int:
    """Words, or characters for the languages that do not space words."""
    return len(text) if language in UNSPACED else len(text.split())


def in_band(band: str, language: str, text: str) -> bool:
    n, unspaced = size(language, text), language in UNSPACED
    if band == "short":
        return 10 <= n <= 30 if unspaced else 5 <= n <= 10
    if band == "sentence":
        return n >= (20 if unspaced else 10)
    return n >= (10 if unspaced else 5)  # a piece of a long text


def long_length(language: str) -> int:
    return 60 if language in UNSPACED else 30


def catalogues(cache: Path, wheels=WHEELS):
    """(origin, language, script, [(code, text)] in catalogue order) for every .po file of the wheels."""
    for name, version in wheels:
        with zipfile.ZipFile(wheel(cache, name, version)) as archive:
            for member in sorted(archive.namelist()):
                match = re.search(r"locale/([^/]+)/LC_MESSAGES/[^/]+\.po$", member)
                if not match:
                    continue
                language, script = locale_language(match.group(1))
                messages = []
                for msgid, msgstr in catalogue_entries(archive.read(member).decode("utf-8", "replace")):
                    if not msgid:
                        continue  # the catalogue header
                    messages.append(("en", clean(msgid)))
                    if msgstr and msgstr != msgid:
                        messages.append((language, clean(msgstr)))
                yield f"{name}:{match.group(1)}", language, script, messages


def build(cache: Path):
    """Every band's rows, before the cap."""
    rows = {band: [] for band in BANDS}
    seen = {band: set() for band in BANDS}
    used_in_long = set()
    for origin, language, script, messages in catalogues(cache):
        for band in ("short", "sentence"):
            for code, text in messages:
                key = (code, script if code == language else None, text)
                if in_band(band, code, text) and key not in seen[band]:
                    seen[band].add(key)
                    rows[band].append(row(code, text, origin, key[1]))
        # Long texts: the English source messages and the translations are two streams of this catalogue.
        for stream in ({"en"} | {language}):
            stream_script = script if stream == language else None
            pieces, words = [], 0
            for code, text in messages:
                key = (code, stream_script, text)
                if code != stream or not in_band("long", code, text) or key in used_in_long:
                    continue
                used_in_long.add(key)
                pieces.append(text)
                words += size(code, text)
                if words >= long_length(code):
                    joined = " ".join(pieces)
                    if (code, stream_script, joined) not in seen["long"]:
                        seen["long"].add((code, stream_script, joined))
                        rows["long"].append(row(code, joined, origin, stream_script))
                    pieces, words = [], 0
    return rows


def row(language, text, origin, script):
    item = {"language": language, "text": text, "origin": origin}
    if script:
        item["script"] = script
    return item


def capped(rows):
    """At most CAP texts per language (and script): the first CAP after sorting by text."""
    ordered = sorted(rows, key=lambda r: (r["language"], r.get("script", ""), r["text"]))
    kept, counts = [], {}
    for item in ordered:
        key = (item["language"], item.get("script"))
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= CAP:
            kept.append(item)
    return kept


def band_file(cache: Path, band: str) -> Path:
    return cache / f"langid-{band}.jsonl"


def bands(cache: Path) -> dict:
    """{band: path of its JSONL file}, built once into the cache."""
    paths = {band: band_file(cache, band) for band in BANDS}
    if all(path.exists() for path in paths.values()):
        return paths
    cache.mkdir(parents=True, exist_ok=True)
    rows = build(cache)
    for band, path in paths.items():
        with path.open("w", encoding="utf-8") as out:
            for item in capped(rows[band]):
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return paths


def load(cache: Path) -> dict:
    """{band: [row, ...]} for the three bands."""
    return {band: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
            for band, path in bands(cache).items()}
