"""The quantities a document states: percentages, sums of money and counts of things, each with what it is
about, the year the sentence ties it to, and its place in the text (the per-document part of the scan)."""

from __future__ import annotations

import functools
import re
from itertools import takewhile
from pathlib import Path

import policybrief.analyses.schemas as schemas
from policybrief.analyses.quantities.rules import QuantityRules
from policybrief.analyses.scan import Part, fingerprint
from policybrief.analyses.schemas import schema_of
from policybrief.corpus.model import Document
from policybrief.corpus.pages import page_at
from policybrief.text.lexicon import Tokens

# "of GDP", "of the defence budget": what a percentage or a sum is a share of
_OF = re.compile(r"\s+(of\s+(?:the\s+|its\s+|their\s+|our\s+)?(?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)")
# "tariffs of 25%", "spending rose to 2%", "the budget grew 5 percent": the noun before the number, past a
# verb of change and a preposition (one of the two at least)
_CHANGE = (
    r"(?:rose|fell|grew|increased|decreased|climbed|dropped|jumped|reached|doubled|stood|was|were|is|are)"
)
_BEFORE = re.compile(
    rf"([A-Za-z][\w-]+)\s+(?:{_CHANGE}\s+)?(?:(?:of|at|to|from|by)\s+)?(?:about\s+|around\s+|nearly\s+|some\s+)?$"
)
# "a 25% tariff", "a $350 billion fund": the noun right after; "$350 billion in investment"
_AFTER = re.compile(r"^[\s-]+([a-z][\w-]+)")
_IN = re.compile(r"^\s+(?:in|for)\s+(?:new\s+)?([a-z][\w-]+)")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_YEAR = re.compile(
    rf"\b(?:by|in|until|through|for|from|since|before|after|of)\s+(?:(?:early|mid|late|fiscal|{_MONTHS})\s+)?"
    r"((?:19|20)\d\d)\b"
)
# a capitalised word right before a number, not opening the sentence: a designation ("Type 12", "Block 5")
_DESIGNATION = re.compile(r"(?<=\S\s)[A-Z][a-z]+\s+$")
# words that say nothing about what a figure is of: function words, and words of quantity or time
_STOP = frozenset(
    "the a an and or of in to for on by with from at its it this that these those year years than more less "
    "over under about per each next last be been being come came will would could should may might can "
    "figure number total amount level share rate some all".split()
)
_VERBS = frozenset(_CHANGE.strip("(?:)").split("|"))
Quantity = tuple[str, float, str, str, int, int, int | None]  # kind, value, unit, subject, start, end, year


# one name for one thing, so that figures about it compare ("2 percent of gross domestic product" is "of gdp")
_SYNONYMS = {"of gross domestic product": "of gdp", "of gross domestic": "of gdp", "of its gdp": "of gdp"}


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _subject(sentence: str, start: int, end: int) -> str:
    """What a percentage or a sum is about, as written around it; empty when the sentence does not say."""
    after = sentence[end:]
    if found := _OF.match(after):
        words = found.group(1).lower().split()[1:]
        words = [w for w in words if w not in ("the", "its", "their", "our")]
        kept = list(takewhile(lambda w: w not in _STOP, words))  # "of the budget for defence": "of budget"
        phrase = " ".join(["of", *kept])
        return _SYNONYMS.get(phrase, phrase) if kept else ""
    for pattern in (_AFTER, _IN):
        if (found := pattern.match(after)) and found.group(1) not in _STOP | _VERBS:
            return _singular(found.group(1))
    before = _BEFORE.search(sentence[:start])
    if before and before.group(0).strip() != before.group(
        1
    ):  # not a bare word: a verb or preposition between
        word = before.group(1).lower()
        return "" if word in _STOP | _VERBS else _singular(word)
    return ""


def _year(sentence: str, start: int) -> int | None:
    """The year the sentence ties the quantity to: the stated year nearest to it ("2% of GDP by 2027")."""
    years = [(abs(m.start() - start), int(m.group(1))) for m in _YEAR.finditer(sentence)]
    return min(years)[1] if years else None


def sentence_quantities(sentence: str, rules: QuantityRules) -> list[Quantity]:
    """Every quantity the sentence states, in text order; a number inside a sum of money is not a count."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in rules.money.finditer(sentence):
        number = match.group("number") or match.group("number2")
        scale = (match.group("scale") or match.group("scale2") or "").lower()
        written = (match.group("before") or match.group("after") or "").lower()
        value = _number(number) * rules.scales.get(scale, 1.0)
        unit = rules.currencies.get(written, written.upper())
        found.append(
            ("money", value, unit, _subject(sentence, match.start(), match.end()), *match.span(), None)
        )
        taken.append(match.span())
    for match in rules.percent.finditer(sentence):
        subject = _subject(sentence, match.start(), match.end())
        previous = found[-1] if found and found[-1][0] == "percent" else None
        if (
            not subject
            and previous
            and re.fullmatch(r"\s*(?:to|and|or|-|–)\s*", sentence[previous[5] : match.start()])
        ):
            subject = previous[3]  # "from 15% to 25%": the second is about what the first is
        found.append(("percent", _number(match.group("number")), "%", subject, *match.span(), None))
    for match in rules.count.finditer(sentence):
        if any(s <= match.start() < e for s, e in taken) or _DESIGNATION.search(sentence, 0, match.start()):
            continue  # inside a sum of money; or a model's number ("the Type 12 missile")
        thing = rules.things[" ".join(match.group("thing").lower().split())]
        between = match.group("between").split()
        scale = rules.scales.get(between[0].lower(), 1.0) if between else 1.0  # "1.5 million jobs"
        found.append(("count", _number(match.group("number")) * scale, thing, thing, *match.span(), None))
    return [  # in text order
        (kind, value, unit, subject, start, end, _year(sentence, start))
        for kind, value, unit, subject, start, end, _ in sorted(found, key=lambda q: q[4])
    ]


STATED = schema_of("stated_quantities").declared

# A sentence without a digit states no quantity: every rule's number is \d (rules.py). One search of the text
# in place: a character-by-character isdigit() over every sentence was a fifth of the whole scan.
_DIGIT = re.compile(r"\d")


def document_quantities(doc: Document, tokens: Tokens, rules: QuantityRules) -> tuple[list[tuple]]:
    """One document's rows of ``STATED``: every stated quantity with its sentence and offsets."""
    text = doc.full_text
    rows = []
    for index, (start, end) in enumerate(doc.sentence_spans):
        if not _DIGIT.search(text, start, end):
            continue
        sentence = text[start:end]
        for kind, value, unit, subject, a, b, year in sentence_quantities(sentence, rules):
            rows.append(
                (
                    doc.doc_id,
                    index,
                    start + a,
                    start + b,
                    kind,
                    value,
                    unit,
                    subject,
                    year,
                    sentence[a:b],
                    page_at(doc.page_starts, start + a),
                )
            )
    return (rows,)


def scan_part(rules: QuantityRules) -> Part:
    """Quantity finding as a per-document part of the scan (cached per partition and rules)."""
    key = fingerprint(
        Path(__file__),
        schemas,
        rules.percent.pattern,
        rules.money.pattern,
        rules.count.pattern,
        sorted(rules.currencies.items()),
        sorted(rules.scales.items()),
        sorted(rules.things.items()),
    )
    return Part(
        "quantities",
        key,
        functools.partial(document_quantities, rules=rules),
        (STATED,),
        labels=(("doc_id", "kind", "unit", "subject"),),
    )
