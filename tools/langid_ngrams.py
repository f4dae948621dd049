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
import multiprocessing
import os
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


def read_language(wheel: Path, code: str):
    """{order: {ngram: conditional probability}} of one language in the wheel."""
    import brotli

    orders = {}
    with zipfile.ZipFile(wheel) as archive:
        for order, name in enumerate(ORDERS, start=1):
            data = json.loads(brotli.decompress(archive.read(f"lingua/language-models/{code}/{name}.json.br")))
            grams = orders.setdefault(order, {})
            for fraction, joined in data["ngrams"].items():
                numerator, denominator = (int(part) for part in fraction.split("/"))
                for ngram in joined.split(" "):
                    grams[ngram] = numerator / denominator
    return orders


def language_costs(job):
    """(code, writing system, {ngram: cost}) of one language; run in a worker process."""
    wheel, code = job
    orders = read_language(wheel, code)
    return code, dominant_script(orders[1]), kept_costs(orders)


def kept_costs(orders):
    """{ngram: cost} of one language after pruning. A 4- or 5-gram is dropped when the model would
    back off to nearly the same cost without it: its suffix one character shorter (as kept) predicts
    the last character within PRUNE_NATS. That is most of the long tail (a long context that tells
    no more than a shorter one), and it keeps every n-gram whose context really matters, frequent or
    not. (lingua's fractions are reduced, so their numerators are not counts and cannot be used to
    prune rare n-grams.)"""
    kept = {}
    for order in sorted(orders):
        for ngram, probability in orders[order].items():
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
    for ngram, probability in unigrams.items():
        mass[script_of(ngram)] = mass.get(script_of(ngram), 0.0) + probability
    return max(mass, key=mass.get)


def hashes(ngrams):
    """ngram_hash of every n-gram at once (numpy; the same arithmetic, checked against it below)."""
    import numpy

    lengths = numpy.fromiter(map(len, ngrams), dtype=numpy.int64, count=len(ngrams))
    padded = "".join(ngram.ljust(5, "\0") for ngram in ngrams).encode("utf-32-le")
    scalars = numpy.frombuffer(padded, dtype=numpy.uint32).reshape(len(ngrams), 5).astype(numpy.uint64)
    values = numpy.full(len(ngrams), 0xCBF29CE484222325, dtype=numpy.uint64)
    for column in range(5):
        active = lengths > column
        values[active] = (values[active] ^ scalars[active, column]) * numpy.uint64(0x100000001B3)
    values ^= values >> numpy.uint64(29)
    values *= numpy.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> numpy.uint64(32)
    for index in range(0, len(ngrams), max(1, len(ngrams) // 1000)):
        if int(values[index]) != ngram_hash(ngrams[index]):
            sys.exit(f"the vectorised hash of {ngrams[index]!r} differs from ngram_hash")
    return values


def build(wheel: Path):
    """The header and the table's sections as numpy arrays."""
    import numpy

    with zipfile.ZipFile(wheel) as archive:
        codes = sorted({member.split("/")[2] for member in archive.namelist()
                        if member.startswith("lingua/language-models/") and member.count("/") == 3} - LEFT_OUT)
    if len(codes) < 60:
        sys.exit(f"unexpected layout in {wheel.name}: {len(codes)} languages")
    with multiprocessing.Pool(os.cpu_count()) as pool:
        languages = pool.map(language_costs, [(wheel, code) for code in codes])
    postings = {}  # ngram -> [(language index, cost)]
    for index, (_, _, costs) in enumerate(languages):
        for ngram, cost in costs.items():
            postings.setdefault(ngram, []).append((index, cost))
    ngrams = list(postings)
    hashed = hashes(ngrams)
    bucket_bits = max(10, (len(ngrams) - 1).bit_length() - 2)  # about two keys per bucket
    buckets = hashed & numpy.uint64((1 << bucket_bits) - 1)
    checks = (hashed >> numpy.uint64(32)).astype(numpy.uint32)
    order = numpy.lexsort((checks, buckets))
    buckets, checks = buckets[order], checks[order]
    same = numpy.nonzero((buckets[1:] == buckets[:-1]) & (checks[1:] == checks[:-1]))[0]
    if len(same):
        first, second = ngrams[order[same[0]]], ngrams[order[same[0] + 1]]
        sys.exit(f"hash collision between n-grams {first!r} and {second!r}; change the hash")
    bucket_starts = numpy.zeros((1 << bucket_bits) + 1, dtype=numpy.uint32)
    bucket_starts[1:] = numpy.cumsum(numpy.bincount(buckets.astype(numpy.int64), minlength=1 << bucket_bits))
    # The postings, in the order of the sorted keys.
    counts = numpy.fromiter((len(postings[ngram]) for ngram in ngrams), dtype=numpy.int64, count=len(ngrams))
    flat = numpy.fromiter((value for ngram in ngrams for pair in postings[ngram] for value in pair),
                          dtype=numpy.uint8, count=2 * int(counts.sum())).reshape(-1, 2)
    original_starts = numpy.concatenate(([0], numpy.cumsum(counts)[:-1]))
    sorted_counts = counts[order]
    posting_starts = numpy.concatenate(([0], numpy.cumsum(sorted_counts))).astype(numpy.uint32)
    source = numpy.repeat(original_starts[order] - posting_starts[:-1], sorted_counts) + numpy.arange(len(flat))
    flat = flat[source]
    header = {
        "format": FORMAT, "source": f"{PACKAGE[0]}=={PACKAGE[1]} (PyPI) models, 1- to 5-grams",
        "licence": "Apache-2.0 (lingua, Peter M. Stahl)",
        "languages": [{"code": code, "script": script} for code, script, _ in languages],
        "scripts": [{"name": name, "ranges": ranges} for name, ranges in SCRIPTS],
        "scale": SCALE, "pruneNats": PRUNE_NATS,
    }
    return header, bucket_bits, bucket_starts, checks, posting_starts, flat


def write(out: Path, header, bucket_bits, bucket_starts, checks, posting_starts, flat):
    header_bytes = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    temporary = out.with_suffix(".tmp")
    with temporary.open("wb") as file:
        file.write(MAGIC)
        file.write(struct.pack("<I", len(header_bytes)) + header_bytes)
        file.write(b"\0" * (-(len(MAGIC) + 4 + len(header_bytes)) % 8))
        file.write(struct.pack("<4I", bucket_bits, len(checks), len(flat), 0))
        for section in (bucket_starts, checks, posting_starts):
            file.write(section.astype("<u4").tobytes())
        file.write(flat[:, 0].tobytes())
        file.write(flat[:, 1].tobytes())
    temporary.replace(out)
    return len(checks), len(flat)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="where to write the binary table")
    add_cache_argument(parser)
    args = parser.parse_args()
    try:
        import brotli  # noqa: F401  (lingua compresses its models with it)
        import numpy  # noqa: F401
    except ImportError as missing:
        sys.exit(f"the {missing.name} module is missing: pip install brotli numpy")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table = build(download(Path(args.cache), *PACKAGE))
    key_count, posting_count = write(out, *table)
    print(f"wrote {out}: {len(table[0]['languages'])} languages, {key_count} n-grams, {posting_count} postings, "
          f"{out.stat().st_size // 1_000_000} MB")


if __name__ == "__main__":
    main()
