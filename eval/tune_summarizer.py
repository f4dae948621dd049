"""Chooses the summarizer's lead and headline weights on the development third of the standfirst pairs.

Runs `docpipe summarize --jsonl --sentences 1` over a small grid of the two hidden weight options and
prints ROUGE-1/2/L per setting, best ROUGE-1 first. The test two thirds are never read here; put the
winner into Summarizer.Weights.standard and `make eval` reports it on the test pairs.

Usage: python3 eval/tune_summarizer.py [--bin .build/release]
"""
import argparse
import json
import subprocess
from pathlib import Path

import datasets

ROOT = Path(__file__).resolve().parent.parent
LEAD_EXPONENTS = [0.0, 0.25, 0.5, 0.75, 1.0]
HEADLINE_WEIGHTS = [0.0, 1.0, 3.0, 6.0]


def scores(binary: Path, pairs, lead: float, headline: float):
    from rouge_score import rouge_scorer

    lines = "".join(json.dumps({"id": p["id"], "title": p["title"], "text": p["title"] + "\n\n" + p["body"]}) + "\n"
                    for p in pairs)
    result = subprocess.run([str(binary), "summarize", "--jsonl", "--sentences", "1", "--lead-exponent", str(lead),
                             "--headline-weight", str(headline)], input=lines, capture_output=True, text=True,
                            check=True)
    summaries = {row["id"]: row["summary"] for row in map(json.loads, result.stdout.splitlines())}
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = [0.0, 0.0, 0.0]
    for pair in pairs:
        measured = scorer.score(pair["reference"], summaries.get(pair["id"], ""))
        for index, name in enumerate(["rouge1", "rouge2", "rougeL"]):
            totals[index] += measured[name].fmeasure
    return tuple(100 * total / len(pairs) for total in totals)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=str(ROOT / ".build" / "release"))
    parser.add_argument("--cache", default=str(ROOT / ".cache" / "eval"))
    args = parser.parse_args()
    pairs_file = datasets.standfirst_pairs(Path(args.cache))
    pairs = [json.loads(line) for line in pairs_file.read_text(encoding="utf-8").splitlines()]
    development = [pair for pair in pairs if datasets.is_development_pair(pair)]
    print(f"{len(development)} development pairs of {len(pairs)}")
    results = []
    for lead in LEAD_EXPONENTS:
        for headline in HEADLINE_WEIGHTS:
            measured = scores(Path(args.bin) / "docpipe", development, lead, headline)
            results.append((measured, lead, headline))
            print(f"lead exponent {lead:<5} headline weight {headline:<4} ROUGE-1/2/L "
                  + " / ".join(f"{value:.2f}" for value in measured), flush=True)
    best = max(results, key=lambda row: row[0][0])
    print(f"best on development: lead exponent {best[1]}, headline weight {best[2]} "
          f"(ROUGE-1 {best[0][0]:.2f}); Lead-1 on the same pairs: "
          f"{lead_one(development):.2f}")


def lead_one(pairs):
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    return 100 * sum(scorer.score(p["reference"], datasets.lead_sentence(p["body"]))["rouge1"].fmeasure
                     for p in pairs) / len(pairs)


if __name__ == "__main__":
    main()
