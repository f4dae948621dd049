"""Web-page main content: body-token precision, recall and F1 of the real extractor worker on the HTML
fixtures in eval/html/ (pages written for docpipe, each with its article body in NAME.expected.txt),
next to the previous extractor and trafilatura (PyPI) when it is installed.

Run alone (`python3 eval/html_extraction.py`) it measures and rewrites only its own section of
docs/EVALUATION.md; `make eval` runs it as part of eval/run_eval.py.
"""
import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from workers import run_through_workers, stage_field

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "eval" / "html"
SECTION = "## Web-page main content"
# The extractor before block scoring (HTML code of 0f6ff5d: semantic tags dropped, no scoring), measured
# through the real worker on these same fixtures by `--previous-bin DIR` and kept here, so `make eval`
# does not need to build an old docpipe.
PREVIOUS = ROOT / "eval" / "html_previous_extractor.json"
# Bylines the pages show (a reader's reading of them); pages without one are not listed.
BYLINES = {
    "news-div-menu": "Pieter van Dijk",
    "blog-wordpress": "Ruth Whitaker",
    "opinion-with-comments": "Priya Raman",
    "feature-share-bar": "Calum MacLeod",
}


def fixtures():
    pages = []
    for html in sorted(FIXTURES.glob("*.html")):
        expected = html.with_suffix(".expected.txt")
        pages.append({"name": html.stem, "html": html.read_text(encoding="utf-8"),
                      "expected": expected.read_text(encoding="utf-8")})
    return pages


def tokens(text):
    return re.findall(r"\w+", (text or "").lower())


def overlap_counts(extracted, expected):
    got, want = Counter(tokens(extracted)), Counter(tokens(expected))
    return sum((got & want).values()), sum(got.values()), sum(want.values())


def scores(pages, texts):
    """Pooled (token-weighted) precision, recall and F1 over all pages, plus each page's own."""
    rows, common, produced, wanted = [], 0, 0, 0
    for page, text in zip(pages, texts):
        overlap, got, want = overlap_counts(text, page["expected"])
        common, produced, wanted = common + overlap, produced + got, wanted + want
        rows.append({"name": page["name"], **prf(overlap, got, want)})
    return {"pooled": prf(common, produced, wanted), "pages": rows}


def prf(overlap, got, want):
    precision = overlap / got if got else 0.0
    recall = overlap / want if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": 100 * precision, "recall": 100 * recall, "f1": 100 * f1}


def through_worker(binaries, pages):
    statuses, seconds, failed = run_through_workers(binaries, [("extractor", [])],
                                                    [(page["html"], {}) for page in pages], "extract")
    fields = [{name: stage_field(status, "extractor", name) for name in ("text", "title", "author")}
              for status in statuses]
    return fields, seconds, failed


def trafilatura_texts(pages):
    """trafilatura's text, and its text with its title on top (docpipe's text and the expected bodies
    include the headline; trafilatura keeps it in metadata), or None when it is not installed."""
    try:
        import trafilatura
    except ImportError:
        return None
    plain, titled = [], []
    for page in pages:
        result = trafilatura.extract(page["html"], output_format="json", with_metadata=True, include_comments=False,
                                     include_tables=True)
        data = json.loads(result) if result else {}
        text, title = data.get("text") or "", data.get("title") or ""
        plain.append(text)
        titled.append(text if not title or text.startswith(title) else title + "\n\n" + text)
    return {"version": trafilatura.__version__, "plain": plain, "titled": titled}


def measure(binaries, previous_binaries=None):
    pages = fixtures()
    fields, seconds, failed = through_worker(binaries, pages)
    result = {"pages": len(pages), "failed": failed, "seconds": seconds, "date": time.strftime("%Y-%m-%d"),
              "docpipe": scores(pages, [f["text"] for f in fields])}
    result["titles"] = sum(1 for page, f in zip(pages, fields)
                           if (f["title"] or "") == page["expected"].split("\n", 1)[0].strip())
    result["bylines"] = sum(1 for page, f in zip(pages, fields) if BYLINES.get(page["name"]) == f["author"]
                            and page["name"] in BYLINES)
    if previous_binaries:
        old, _, _ = through_worker(Path(previous_binaries), pages)
        result["previous"] = scores(pages, [f["text"] for f in old])
        PREVIOUS.write_text(json.dumps(result["previous"], indent=1) + "\n", encoding="utf-8")
    elif PREVIOUS.exists():
        previous = json.loads(PREVIOUS.read_text(encoding="utf-8"))
        # Only comparable while the page set is the same one it was measured on.
        if [row["name"] for row in previous["pages"]] == [page["name"] for page in pages]:
            result["previous"] = previous
    peer = trafilatura_texts(pages)
    if peer:
        result["trafilatura"] = {"version": peer["version"], "plain": scores(pages, peer["plain"]),
                                 "titled": scores(pages, peer["titled"])}
    pooled = result["docpipe"]["pooled"]
    print(f"html main content: F1 {pooled['f1']:.1f} precision {pooled['precision']:.1f} "
          f"recall {pooled['recall']:.1f} on {len(pages)} pages ({failed} failed)", flush=True)
    return result


def section(result):
    def row(name, figures):
        p = figures["pooled"]
        return f"| {name} | **{p['f1']:.1f}** | {p['precision']:.1f} | {p['recall']:.1f} |"

    lines = [SECTION, "",
             f"Data: the {result['pages']} pages in `eval/html/` — news sites with `<div>` menus, cookie banners, "
             "adverts (\"BUY CHEAP WATCHES — 90% OFF\"), related links and footers, a WordPress blog with widgets and "
             "comments, a Drupal page, a report with tables, a how-to with lists, an opinion piece with a comment "
             "section, a feature with share bars, a page whose class names say nothing (`x1`, `c8`), a university "
             "press release, and two pages with no boilerplate at all. **I wrote these pages and their expected "
             "bodies myself for this test, and tuned the block scoring on them** (class-name lists, thresholds), so "
             "the figures below are an upper bound for pages from the wild, not a held-out measurement. The expected "
             "body is what a reader would call the article: headline, paragraphs, subheadings, lists, tables, "
             "captions; not the byline, dateline, tags, share bars or comments.", "",
             "Scores are bag-of-words token precision, recall and F1 (lowercased `\\w+` tokens, counts clipped), "
             "pooled over all pages, × 100. docpipe's figures are the real extractor worker behind a real broker "
             f"({result['failed']} failed jobs, {result['seconds']:.1f}s); measured {result['date']}.", "",
             "| extractor | body F1 | precision | recall |", "|---|---|---|---|",
             row("**docpipe** (block scoring, `Sources/TextAnalysis/HTMLMainContent.swift`)", result["docpipe"])]
    if "previous" in result:
        lines.append(row("docpipe before (semantic tags only)", result["previous"]))
    if "trafilatura" in result:
        peer = result["trafilatura"]
        lines.append(row(f"trafilatura {peer['version']} text + its title", peer["titled"]))
        lines.append(row(f"trafilatura {peer['version']} text only", peer["plain"]))
    else:
        lines.append("| trafilatura | not installed (pip could not fetch it) | | |")
    lines += ["", "Target (issue #15): F1 ≥ 96 with precision ≥ 97. The expected bodies start with the headline; "
              "trafilatura keeps the headline in its metadata, so it is scored both with its title put back on top "
              "and as it comes.", "",
              f"Titles: {result['titles']} of {result['pages']} pages give the headline as the title. Bylines: "
              f"{result['bylines']} of {len(BYLINES)} pages that show one give its name as the author.", "",
              "| page | docpipe F1 | precision | recall |" + (" before F1 |" if "previous" in result else "")
              + (" trafilatura (+title) F1 |" if "trafilatura" in result else ""),
              "|---|---|---|---|" + ("---|" if "previous" in result else "") + ("---|" if "trafilatura" in result else "")]
    for index, page in enumerate(result["docpipe"]["pages"]):
        line = f"| {page['name']} | {page['f1']:.1f} | {page['precision']:.1f} | {page['recall']:.1f} |"
        if "previous" in result:
            line += f" {result['previous']['pages'][index]['f1']:.1f} |"
        if "trafilatura" in result:
            line += f" {result['trafilatura']['titled']['pages'][index]['f1']:.1f} |"
        lines.append(line)
    lines.append("")
    return lines


def write_section(path, lines):
    """Puts the section into the report: replacing its old copy, else before "## Not measured yet"."""
    report = path.read_text(encoding="utf-8") if path.exists() else "# docpipe evaluation\n"
    block = "\n".join(lines) + "\n"
    pattern = re.compile(re.escape(SECTION) + r"\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(report):
        report = pattern.sub(lambda _: block.rstrip("\n") + "\n", report, count=1)
    elif "## Not measured yet" in report:
        report = report.replace("## Not measured yet", block + "## Not measured yet", 1)
    else:
        report = report.rstrip("\n") + "\n\n" + block
    path.write_text(report, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", default=str(ROOT / ".build" / "release"))
    parser.add_argument("--previous-bin", help="a folder with an older docpipe-extractor (and docpipe) to measure "
                        "and record in eval/html_previous_extractor.json")
    parser.add_argument("--out", default=str(ROOT / "docs" / "EVALUATION.md"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    result = measure(Path(args.bin), args.previous_bin)
    if args.json:
        print(json.dumps(result, indent=1))
    write_section(Path(args.out), section(result))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
