"""Tests for the readability plugin: the scoring itself, and the stage as the broker calls it."""

import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import readability  # noqa: E402
from docpipe_mdp.testing import make_request, result_of, run_stage  # noqa: E402

SEED = os.path.join(HERE, "..", "..", "..", "seeds", "nato-russia-strategy.txt")


@pytest.mark.parametrize("word,count", [
    ("cat", 1), ("make", 1), ("table", 2), ("water", 2), ("discussed", 2), ("moved", 1), ("created", 3),
    ("strategy", 3), ("recognize", 3), ("significantly", 5), ("the", 1), ("people", 2), ("NATO's", 2),
])
def test_syllables(word, count):
    assert readability.syllables(word) == count


def test_sentences_split_on_terminal_punctuation_only():
    text = 'He said "Stop!" Then he left. Prices rose 3.5 percent... Why? Because.'
    assert len(readability.sentences(text)) == 5


def test_flesch_formulas_on_a_hand_computed_text():
    # 9 words, 2 sentences, 9 syllables: ease = 206.835 - 1.015*4.5 - 84.6*1 = 117.7;
    # grade = 0.39*4.5 + 11.8*1 - 15.59 = -2.0
    out = readability.scores("The cat sat on the mat. The dog ran.")
    assert out["flesch_reading_ease"] == 117.7 and out["flesch_kincaid_grade"] == -2.0
    assert (out["words"], out["sentences"], out["avg_sentence_length"]) == (9, 2, 4.5)
    assert out["difficulty"] == "very easy" and out["long_word_share"] == 0.0


def test_news_prose_is_harder_than_a_childrens_sentence():
    with open(SEED, encoding="utf-8") as f:
        news = readability.scores(f.read())
    easy = readability.scores("See the dog run. The dog is big. I like the dog.")
    assert news["flesch_reading_ease"] < 60 < easy["flesch_reading_ease"]
    assert news["flesch_kincaid_grade"] > 8 > easy["flesch_kincaid_grade"]
    assert news["difficulty"] in ("fairly difficult", "difficult")


def test_stage_reads_the_extractors_text_and_language():
    output = run_stage(readability.process, "Short words help. Long sentences hurt.", stage="readability")
    assert output["language"] == "en" and output["reliable"] is True
    german = make_request("readability", results={"extractor": {"text": "Das ist gut.", "language": "de"}})
    assert readability.process(german)["reliable"] is False


def test_output_matches_the_manifest_schema():
    import jsonschema  # a test dependency (make test installs it): missing means a failure, not a skip
    with open(os.path.join(HERE, "plugin.json"), encoding="utf-8") as f:
        schema = json.load(f)["output"]
    jsonschema.Draft202012Validator(schema).validate(run_stage(readability.process, "One. Two words here."))


def test_no_words_fails_the_stage_for_good():
    result = result_of(readability.process, "1234 -- 5678", stage="readability")
    assert result.status == "error"
    assert (result.error.reason, result.error.retryable) == ("no_words", False)
