"""Builds docpipe's large language-identification table from lingua's models on PyPI.

lingua-language-detector 1.3.5 (Apache-2.0, Peter M. Stahl) ships, for 75 languages, character 1- to
5-gram models as brotli-compressed JSON: each n-gram with its count over the count of its first n-1
characters (a conditional probability). docpipe does not commit them: this script downloads the
wheel with pip, reads the models, prunes 4- and 5-grams that add nothing to their shorter suffix
(see kept_costs) and writes one binary file that
TextAnalysis.BackoffNGramModel maps into memory (no parsing at start-up, one copy shared by the
page cache however many workers run).

Kept: every 1-, 2- and 3-gram, and the 4- and 5-grams kept_costs keeps. Chinese, Japanese and Korean have only 1-gram models in lingua; they
are left out here and are told apart by script (see LanguageIdentifier).

File layout, little-endian ("docpipe-langid-ngrams/1"):
  8 bytes   magic "DPNGRAM1"
  u32       length of the header JSON, then the JSON, then zero padding to a multiple of 8
  u32 x 4   bucket bits B, key count K, posting count P, 0
  u32       bucket start, 2^B + 1 of them (index into the keys)
  u32       key check, K of them (the high 32 bits of the n-gram's hash), sorted by bucket then check
  u32       posting start, K + 1 of them
  u8        posting language (index into the header's languages), P of them
  u8        posting cost: -ln(probability) * SCALE, rounded, clamped to 1...255; P of them
The hash of an n-gram is over its Unicode scalar values (see ngram_hashes); the bucket is its low B
bits. The header JSON holds the source, licence, languages with their writing system, the script
ranges those were judged by, the scale and the pruning.

Usage: python3 tools/langid_ngrams.py --out .cache/models/langid-ngrams.bin
A second run with the same --cache does no network I/O.
"""
import argparse
import json
import math
import struct
import sys
import zipfile
from pathlib import Path

from pypi import add_cache_argument, download

PACKAGE = ("lingua-language-detector", "1.3.5")
FORMAT = "docpipe-langid-ngrams/1"
MAGIC = b"DPNGRAM1"
ORDERS = ["unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"]
PRUNE_NATS = 0.5  # see kept_costs
SCALE = 12.0  # cost units per nat: 255 units reach a probability of about 6e-10
MASK64 = (1 << 64) - 1
LEFT_OUT = {"ja", "ko", "zh"}  # 1-gram models only; told apart by script

# Writing systems by code point, first match wins. Only letters are ever looked up.
SCRIPTS = [
    ("Latin", [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)]),
    ("Greek", [(0x370, 0x3FF), (0x1F00, 0x1FFF)]),
    ("Cyrillic", [(0x400, 0x52F)]),
    ("Armenian", [(0x530, 0x58F)]),
    ("Hebrew", [(0x590, 0x5FF)]),
    ("Arabic", [(0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]),
    ("Devanagari", [(0x900, 0x97F)]),
    ("Bengali", [(0x980, 0x9FF)]),
    ("Gurmukhi", [(0xA00, 0xA7F)]),
    ("Gujarati", [(0xA80, 0xAFF)]),
    ("Tamil", [(0xB80, 0xBFF)]),
    ("Telugu", [(0xC00, 0xC7F)]),
    ("Kannada", [(0xC80, 0xCFF)]),
    ("Malayalam", [(0xD00, 0xD7F)]),
    ("Thai", [(0xE00, 0xE7F)]),
    ("Georgian", [(0x10A0, 0x10FF)]),
    ("Hangul", [(0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)]),
    ("Kana", [(0x3040, 0x30FF)]),
    ("Han", [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)]),
]


def script_of(character: str) -> str:
    value = ord(character)
    for name, ranges in SCRIPTS:
        if any(low <= value <= high for low, high in ranges):
            return name
    return "Other"


def ngram_hash(ngram: str) -> int:
    """FNV-1a over the scalar values (one step per scalar, not per byte), then a 64-bit finaliser so
    that the low bits (the bucket) depend on every scalar. BackoffNGramModel computes the same."""
    value = 0xCBF29CE484222325
    for character in ngram:
        value = ((value ^ ord(character)) * 0x100000001B3) & MASK64
    value ^= value >> 29
    value = (value * 0xBF58476D1CE4E5B9) & MASK64
    value ^= value >> 32
    return value


def read_models(wheel: Path):
    """{language code: {n: {ngram: (count, conditional probability)}}} from the wheel."""
    import brotli

    models = {}
    with zipfile.ZipFile(wheel) as archive:
        for member in sorted(archive.namelist()):
            parts = member.split("/")
            if len(parts) != 4 or parts[1] != "language-models" or not parts[3].endswith(".json.br"):
                continue
            code, order = parts[2], ORDERS.index(parts[3][: -len(".json.br")]) + 1
            if code in LEFT_OUT:
                continue
            data = json.loads(brotli.decompress(archive.read(member)))
            grams = models.setdefault(code, {}).setdefault(order, {})
            for fraction, joined in data["ngrams"].items():
                numerator, denominator = (int(part) for part in fraction.split("/"))
                for ngram in joined.split(" "):
                    grams[ngram] = (numerator, numerator / denominator)
    return models


def kept_costs(orders):
    """{ngram: cost} of one language after pruning. A 4- or 5-gram is dropped when the model would
    back off to nearly the same cost without it: its suffix one character shorter (as kept) predicts
    the last character within PRUNE_NATS. That is most of the long tail (a long context that tells
    no more than a shorter one), and it keeps every n-gram whose context really matters, frequent or
    not. (lingua's fractions are reduced, so their numerators are not counts and cannot be used to
    prune rare n-grams.)"""
    kept = {}
    for order in sorted(orders):
        for ngram, (_, probability) in orders[order].items():
            cost = min(255, max(1, round(-math.log(probability) * SCALE)))
            if order >= 4:
                backoff = ngram[1:]
                while backoff and backoff not in kept:
                    backoff = backoff[1:]
                if backoff and abs(kept[backoff] - cost) < PRUNE_NATS * SCALE:
                    continue
            kept[ngram] = cost
    return kept


def dominant_script(unigrams) -> str:
    mass = {}
    for ngram, (_, probability) in unigrams.items():
        mass[script_of(ngram)] = mass.get(script_of(ngram), 0.0) + probability
    return max(mass, key=mass.get)


def build(wheel: Path):
    models = read_models(wheel)
    if len(models) < 60 or any(len(orders) != 5 for orders in models.values()):
        sys.exit(f"unexpected layout in {wheel.name}: {len(models)} languages with 1- to 5-gram models")
    codes = sorted(models)
    postings = {}  # ngram -> [(language index, cost)]
    for index, code in enumerate(codes):
        for ngram, cost in kept_costs(models[code]).items():
            postings.setdefault(ngram, []).append((index, cost))
    keys = sorted(((ngram_hash(ngram), ngram) for ngram in postings))
    bucket_bits = max(10, (len(keys) - 1).bit_length() - 2)  # about two keys per bucket
    mask = (1 << bucket_bits) - 1
    keys.sort(key=lambda item: (item[0] & mask, item[0] >> 32))
    for (first, a), (second, b) in zip(keys, keys[1:]):
        if (first & mask, first >> 32) == (second & mask, second >> 32):
            sys.exit(f"hash collision between n-grams {a!r} and {b!r}; change the hash")
    header = {
        "format": FORMAT, "source": f"{PACKAGE[0]}=={PACKAGE[1]} (PyPI) models, 1- to 5-grams",
        "licence": "Apache-2.0 (lingua, Peter M. Stahl)",
        "languages": [{"code": code, "script": dominant_script(models[code][1])} for code in codes],
        "scripts": [{"name": name, "ranges": ranges} for name, ranges in SCRIPTS],
        "scale": SCALE, "pruneNats": PRUNE_NATS,
    }
    return header, keys, postings, bucket_bits


def write(out: Path, header, keys, postings, bucket_bits):
    header_bytes = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buckets = [0] * ((1 << bucket_bits) + 1)
    mask = (1 << bucket_bits) - 1
    for hashed, _ in keys:
        buckets[(hashed & mask) + 1] += 1
    for index in range(1, len(buckets)):
        buckets[index] += buckets[index - 1]
    checks, starts, languages, costs = [], [0], bytearray(), bytearray()
    for hashed, ngram in keys:
        checks.append(hashed >> 32)
        for language, cost in postings[ngram]:
            languages.append(language)
            costs.append(cost)
        starts.append(len(languages))
    temporary = out.with_suffix(".tmp")
    with temporary.open("wb") as file:
        file.write(MAGIC)
        file.write(struct.pack("<I", len(header_bytes)) + header_bytes)
        file.write(b"\0" * (-(len(MAGIC) + 4 + len(header_bytes)) % 8))
        file.write(struct.pack("<4I", bucket_bits, len(keys), len(languages), 0))
        file.write(struct.pack(f"<{len(buckets)}I", *buckets))
        file.write(struct.pack(f"<{len(checks)}I", *checks))
        file.write(struct.pack(f"<{len(starts)}I", *starts))
        file.write(languages)
        file.write(costs)
    temporary.replace(out)
    return len(keys), len(languages)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="where to write the binary table")
    add_cache_argument(parser)
    args = parser.parse_args()
    try:
        import brotli  # noqa: F401  (lingua compresses its models with it)
    except ImportError:
        sys.exit("the brotli module is missing: pip install brotli")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    header, keys, postings, bucket_bits = build(download(Path(args.cache), *PACKAGE))
    key_count, posting_count = write(out, header, keys, postings, bucket_bits)
    print(f"wrote {out}: {len(header['languages'])} languages, {key_count} n-grams, {posting_count} postings, "
          f"{out.stat().st_size // 1_000_000} MB")


if __name__ == "__main__":
    main()
