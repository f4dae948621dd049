#!/usr/bin/env python3
"""docpipe plugin `readability`: how hard a document is to read.

Reads the extractor's text and adds Flesch reading ease, Flesch–Kincaid grade, average sentence and word
length, the share of long (3+ syllable) words and a plain-words difficulty band. Syllables are counted with
an English heuristic (vowel groups, silent final e, -le endings), so scores are meaningful for English;
for other languages the output says `"reliable": false`.

    python3 readability.py --broker tcp://127.0.0.1:5555        # a worker (docpipe up starts it so)
    python3 -m pytest -q                                      # its tests
"""

import os
import re
import sys

try:
    import docpipe_mdp  # noqa: F401 — installed with `pip install protocol/python`
except ImportError:  # not installed: use the SDK in this docpipe checkout
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "protocol", "python"))

from docpipe_mdp.stage import StageFailure, extracted_text, main  # noqa: E402

SERVICE = "readability"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A sentence ends at . ! ? (possibly repeated or followed by a closing quote or bracket) before whitespace.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Common words the vowel-group rule miscounts.
_SYLLABLE_EXCEPTIONS = {"the": 1, "every": 3, "business": 2, "people": 2, "science": 2, "area": 3, "idea": 3,
                        "being": 2, "create": 2, "created": 3, "really": 2, "poem": 2, "quiet": 2}


def syllables(word: str) -> int:
    """English syllables in one word, by vowel groups with the usual corrections; at least 1."""
    word = word.lower().replace("’", "'").split("'")[0]
    if word in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[word]
    if len(word) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent e: "strategy" no, "make" yes
    if word.endswith(("es", "ed")) and not word.endswith(("ted", "ded", "ses", "zes", "ces", "ges")) and count > 1:
        count -= 1  # "discussed", "alliances" keep theirs; "moved", "makes" lose one
    return max(1, count)


def sentences(text: str) -> list:
    parts = [part.strip() for part in _SENTENCE_END.split(text)]
    return [part for part in parts if _WORD.search(part)]


def band(ease: float) -> str:
    """Flesch's own bands, in words."""
    for limit, name in ((90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "plain"),
                        (50, "fairly difficult"), (30, "difficult")):
        if ease >= limit:
            return name
    return "very difficult"


def scores(text: str) -> dict:
    """The readability output for a text; raises StageFailure when there are no words to score."""
    words = _WORD.findall(text)
    if not words:
        raise StageFailure("no_words", "the document has no words to score")
    sentence_count = max(1, len(sentences(text)))
    syllable_counts = [syllables(word) for word in words]
    words_per_sentence = len(words) / sentence_count
    syllables_per_word = sum(syllable_counts) / len(words)
    ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word
    grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
    return {
        "flesch_reading_ease": round(ease, 1),
        "flesch_kincaid_grade": round(grade, 1),
        "difficulty": band(ease),
        "words": len(words),
        "sentences": sentence_count,
        "avg_sentence_length": round(words_per_sentence, 2),
        "avg_word_length": round(sum(len(word) for word in words) / len(words), 2),
        "avg_syllables_per_word": round(syllables_per_word, 3),
        "long_word_share": round(sum(1 for n in syllable_counts if n >= 3) / len(words), 3),
    }


def process(request) -> dict:
    """The stage: scores the extractor's text (the raw text when run without the extractor)."""
    output = scores(extracted_text(request))
    extractor = request.results.get("extractor") or {}
    language = extractor.get("language") if isinstance(extractor, dict) else None
    output["language"] = language or "unknown"
    output["reliable"] = language in (None, "en")
    output["method"] = "flesch-kincaid/english-syllable-heuristic"
    return output


if __name__ == "__main__":
    main(SERVICE, process, summary="docpipe readability: Flesch reading ease and grade level of each document.")
