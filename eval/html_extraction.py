"""Web-page main content: body-token precision, recall and F1 of the real extractor worker on the HTML
fixtures in eval/html/ (the development pages the block scoring was tuned on) and eval/html-heldout/
(pages written after it was frozen), each page with its article body in NAME.expected.txt, next to the
previous extractor and trafilatura (PyPI) when it is installed.

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
PAGE_SETS = [("development", ROOT / "eval" / "html"), ("held-out", ROOT / "eval" / "html-heldout")]
SECTION = "## Web-page main content"
# The extractor before the last two rounds of rules (7a7d6f9: before advert boxes, affiliate disclosures,
# pull-quote asides, live-blog entries, subtitles, <pre> lines), measured through the real worker on these
# same fixtures by `--previous-bin DIR` and kept here, so `make eval` does not need to build an old docpipe.
# (The first "before" was the extractor with no scoring, 0f6ff5d: F1 83.0 on the development pages then;
# the second the block scoring of 4c60b30.)
PREVIOUS = ROOT / "eval" / "html_previous_extractor.json"
# Bylines the pages show (a reader's reading of them); pages without one are not listed.
BYLINES = {
    "news-div-menu": "Pieter van Dijk",
    "blog-wordpress": "Ruth Whitaker",
    "opinion-with-comments": "Priya Raman",
    "feature-share-bar": "Calum MacLeod",
    "german-werbung": "Katrin Vogel",
    "magazine-pullquote-footer": "Tom Ellery",
    "utility-classes-tech": "Lena Fischer",
    "spanish-news": "Marta Jiménez",
    "dev-blog-code": "Sam Okoro",
    "news-consent-wall": "Harriet Collins",
    "magazine-newsletter-inline": "Noor Haddad",
    "french-actualite": "Claire Dubreuil",
    "listicle-with-ads": "Jess Tran",
    "review-affiliate": "Imogen Sato",
    "local-news-paywall": "Callum Reddy",
    "blog-platform-story": "Nell Abernathy",
    "university-news-portuguese": "Luíza Montenegro",
    "live-updates-page": "Hannah Obi and Marcus Feld",
    "forum-style-announcement": "Adaeze Nwosu",
    "interview-qa": "Theo Marchetti",
    "recipe-story-blog": "Hattie Brennan",
    "newsletter-web-version": "Maren Castellanos",
    "photo-essay": "Esther Kaliski",
    "podcast-episode-notes": "Jonah Whitlock",
    "spa-news-article": "Amara Quist",
}


def fixtures(folder):
    pages = []
    for html in sorted(folder.glob("*.html")):
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
    """Both page sets: {"development": figures, "held-out": figures}."""
    results = {}
    recorded = json.loads(PREVIOUS.read_text(encoding="utf-8")) if PREVIOUS.exists() else {}
    for name, folder in PAGE_SETS:
        results[name] = measure_set(binaries, fixtures(folder), previous_binaries, recorded.get(name))
        if "previous" in results[name]:
            recorded[name] = results[name]["previous"]
    if previous_binaries:
        PREVIOUS.write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
    return results


def measure_set(binaries, pages, previous_binaries, recorded):
    fields, seconds, failed = through_worker(binaries, pages)
    result = {"pages": len(pages), "failed": failed, "seconds": seconds, "date": time.strftime("%Y-%m-%d"),
              "docpipe": scores(pages, [f["text"] for f in fields])}
    result["titles"] = sum(1 for page, f in zip(pages, fields)
                           if (f["title"] or "") == page["expected"].split("\n", 1)[0].strip())
    result["bylines"] = sum(1 for page, f in zip(pages, fields) if BYLINES.get(page["name"]) == f["author"]
                            and page["name"] in BYLINES)
    result["byline_pages"] = sum(1 for page in pages if page["name"] in BYLINES)
    if previous_binaries:
        old, _, _ = through_worker(Path(previous_binaries), pages)
        result["previous"] = scores(pages, [f["text"] for f in old])
    elif recorded and [row["name"] for row in recorded["pages"]] == [page["name"] for page in pages]:
        # Only comparable while the page set is the one it was measured on.
        result["previous"] = recorded
    peer = trafilatura_texts(pages)
    if peer:
        result["trafilatura"] = {"version": peer["version"], "plain": scores(pages, peer["plain"]),
                                 "titled": scores(pages, peer["titled"])}
    pooled = result["docpipe"]["pooled"]
    print(f"html main content: F1 {pooled['f1']:.1f} precision {pooled['precision']:.1f} "
          f"recall {pooled['recall']:.1f} on {len(pages)} pages ({failed} failed)", flush=True)
    return result


def section(results):
    development, held_out = results["development"], results["held-out"]
    lines = [SECTION, "",
             f"Data: {development['pages']} development pages in `eval/html/` — news sites with `<div>` menus, "
             "cookie banners, adverts (\"BUY CHEAP WATCHES — 90% OFF\"), related links and footers, a WordPress "
             "blog with widgets and comments, a Drupal page, a report with tables, a how-to with lists, an opinion "
             "piece with a comment section, a feature with share bars, a page whose class names say nothing (`x1`, "
             "`c8`), a university press release, two pages with no boilerplate at all, a table-layout page, "
             "`<br>`-separated paragraphs with unnamed teaser cards, a German site with German class names, a "
             "magazine feature with a pull quote, a recipe, a site styled only with utility classes, a GOV.UK-style "
             "service page with `<details>` questions, a Spanish news site, a developer blog with code, a page behind "
             "a long cookie-consent dialog, a long-read with a newsletter box in its body, a French news page, a "
             "documentation page with sidebars, a `<div>`-only listicle with advert slots and a sponsored card, an "
             "affiliate product review, a paywalled regional news page, a blogging-platform essay, a Portuguese "
             "university news item, a live blog, a release post — and "
             f"{held_out['pages']} held-out pages in `eval/html-heldout/` (a magazine interview in questions and "
             "answers, a food blog with a long story and a recipe card, an e-mail newsletter's web version built "
             "from layout tables with a sponsor block, a photo essay with captioned figures and a gallery strip, a "
             "podcast episode page with a player and show notes, a news article as a single-page app renders it, "
             "with hashed class names, an app-state script and promos between its paragraphs; see its README).", "",
             "**I wrote the first development pages and their expected bodies myself; helpers wrote every held-out "
             "set.** The block scoring (class-name lists, thresholds, the text rules) was tuned on the development "
             "pages, so their figures are an upper bound, not a measurement of pages from the wild. Four times a "
             "held-out set was measured and then moved into the development set because rules were changed looking "
             "at its errors: five pages first (F1 93.7, precision 88.9; teaser cards, copyright and \"Read more:\" "
             "lines, a headline found by the page title), then four (F1 95.6, precision 91.6; a cookie banner, a "
             "newsletter box and a \"By … · 9 min read\" line on a utility-class site — hence "
             "`HTMLCallsToAction.swift`), then five (F1 98.1, precision 96.9; advert blurbs under an "
             "\"Advertisement\" label of their own, a sponsored card, an affiliate disclosure, a pull quote in an "
             "`<aside>` — hence advert boxes told by their label or a `rel=\"sponsored\"` button, disclosures by "
             "their words, pull-quote asides kept), then six (F1 90.0, precision 98.5, recall 82.8, trafilatura "
             "98.5 / 99.0; a live blog's entries taken for teaser cards, F1 22.0 — hence cards with more than 40 "
             "words of prose are not teasers, plus a section heading over subsections, a subtitle `<h2>`, prose "
             "after the article only while it follows on, `<pre>` lines, Portuguese bylines). The held-out pages "
             "below were then written by a helper that did not read the extractor's code, its tests or this file "
             "and ran no extraction tool on them, from briefs I wrote after those rules (the briefs name the chrome "
             "each page should have, such as a sponsor block or an inline newsletter promo, so the set is not blind "
             "to what the rules address). Nothing was changed after measuring it. The expected body is what a "
             "reader would call the article: headline, standfirst, paragraphs, subheadings, lists, tables, "
             "captions, pull quotes, code; not the byline, dateline, tags, share bars, teasers, author boxes, "
             "buttons or comments.",
             "",
             "Scores are bag-of-words token precision, recall and F1 (lowercased `\\w+` tokens, counts clipped), "
             "pooled over the pages of a set, × 100. docpipe's figures are the real extractor worker behind a real "
             f"broker ({development['failed'] + held_out['failed']} failed jobs); measured {development['date']}. "
             "\"Before\" is the extractor before the last two rounds of rules (as of 7a7d6f9; recorded in "
             "`eval/html_previous_extractor.json` by `eval/html_extraction.py --previous-bin`).", "",
             "| extractor | development F1 | precision | recall | held-out F1 | precision | recall |",
             "|---|---|---|---|---|---|---|"]

    def row(name, pick):
        cells = []
        for result in (development, held_out):
            figures = pick(result)
            if figures is None:
                cells += ["—", "—", "—"]
            else:
                p = figures["pooled"]
                cells += [f"**{p['f1']:.1f}**", f"{p['precision']:.1f}", f"{p['recall']:.1f}"]
        return f"| {name} | " + " | ".join(cells) + " |"

    lines.append(row("**docpipe** (block scoring, `Sources/DocumentFormats/HTMLMainContent.swift`)",
                     lambda r: r["docpipe"]))
    lines.append(row("docpipe before", lambda r: r.get("previous")))
    if "trafilatura" in development:
        version = development["trafilatura"]["version"]
        lines.append(row(f"trafilatura {version}, its title + text", lambda r: r["trafilatura"]["titled"]))
        lines.append(row(f"trafilatura {version}, text only", lambda r: r["trafilatura"]["plain"]))
    else:
        lines.append("| trafilatura | not installed (pip could not fetch it) | | | | | |")
    lines += ["", "Target (issue #15): F1 ≥ 96 with precision ≥ 97. The expected bodies start with the headline; "
              "trafilatura keeps the headline in its metadata, so it is scored both with its title put back on top "
              "and as it comes (default settings, tables on, comments off). On the held-out pages, when this section "
              "was written (2026-12-04), both were met (F1 98.8, precision 97.7). docpipe's errors there: the "
              "newsletter's sponsor block (a \"Sponsor\" label over a blurb and a button) and the editor's "
              "signature under the sign-off kept; the single-page app's newsletter promo between two paragraphs "
              "(its button a `<button>`, which the walker drops, so no label was left to find the box by) kept.", "",
              "`make eval` regenerates this section with the rest of this file; `python3 eval/html_extraction.py` "
              "regenerates this section alone (it needs `.build/release/docpipe` and `docpipe-extractor`).", "",
              f"Titles: {development['titles'] + held_out['titles']} of {development['pages'] + held_out['pages']} "
              "pages give the headline as the title. Bylines: "
              f"{development['bylines'] + held_out['bylines']} of "
              f"{development['byline_pages'] + held_out['byline_pages']} pages that show one give its name as the "
              "author.", ""]
    for title, result in (("Development pages", development), ("Held-out pages", held_out)):
        previous, peer = "previous" in result, "trafilatura" in result
        lines += [f"{title}:", "",
                  "| page | docpipe F1 | precision | recall |" + (" before F1 |" if previous else "")
                  + (" trafilatura (+title) F1 |" if peer else ""),
                  "|---|---|---|---|" + ("---|" if previous else "") + ("---|" if peer else "")]
        for index, page in enumerate(result["docpipe"]["pages"]):
            line = f"| {page['name']} | {page['f1']:.1f} | {page['precision']:.1f} | {page['recall']:.1f} |"
            if previous:
                line += f" {result['previous']['pages'][index]['f1']:.1f} |"
            if peer:
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
