"""Numbers that open their evidence: the page's one evidence blob that the briefing's script reads to list
the matches behind a number (keyword in context) and to search the concordance, and the "Read the evidence"
page. A number becomes a link with ``screen.ev_link``; the blob holds the keys the page's links name.

The blob is JSON inside a ``<script type="application/json">``: escaped here so that no document text can
close the script, and read by the page's script with ``textContent`` only, never as HTML. Each number lists
at most ``per_number`` matches (the first by date) with its total; the concordance holds at most
``per_number`` matches per theme term and per name form. Everything else is in ``tables/concordance.parquet``.
"""

from __future__ import annotations

import re

import pandas as pd

from policybrief.analyses.evidence import Evidence, EvidenceKey
from policybrief.text.dates import long_date
from policybrief.views.screen import script_json

__all__ = ["concordance_html", "evidence_json", "evidence_keys"]

_KEY_ATTRIBUTE = re.compile(r'data-ev="([a-z]+:[^":]+:[a-z]+(?::[a-z]+)?)"')


def evidence_keys(page: str) -> list[str]:
    """The evidence keys the numbers of ``page`` link to, sorted."""
    return sorted(set(_KEY_ATTRIBUTE.findall(page)))


class _Blob:
    """The blob under construction: documents, sentences and matches, each stored once and referred to by
    its index."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.docs: dict[str, int] = {}
        self.sentences: dict[tuple[str, int], int] = {}
        self.whats: dict[str, int] = {}
        self.matches: dict[tuple, int] = {}
        self.match_rows: list[list] = []

    def add(self, rows: pd.DataFrame, label: str) -> list[int]:
        ids = []
        for r in rows.itertuples(index=False):
            doc = self.docs.setdefault(r.doc_id, len(self.docs))
            sentence = self.sentences.setdefault((r.doc_id, int(r.sentence_index)), len(self.sentences))
            what = self.whats.setdefault(f"{label} · {r.what}" if r.what else label, len(self.whats))
            page = None if pd.isna(r.page) else int(r.page)
            whole = (sentence, int(r.start), int(r.end), page, what)
            if whole not in self.matches:
                self.matches[whole] = len(self.match_rows)
                self.match_rows.append([doc, *whole])
            ids.append(self.matches[whole])
        return ids

    def finish(self, keys: dict, concordance: dict) -> dict:
        corpus = self.evidence.corpus
        wanted = list(self.sentences)
        texts = corpus.sentence_texts(wanted)
        starts = [int(corpus.by_id[d].sentence_spans[i][0]) for d, i in wanted]
        documents = []
        for doc_id in self.docs:
            doc = corpus.by_id[doc_id]
            when = long_date(doc.date, doc.date_precision) if doc.date else "undated"
            documents.append([doc_id, doc.title, when, doc.source, doc.url])
        # a match's offsets become relative to its sentence: [doc, sentence, start, end, page, what]
        matches = [
            [doc, sentence, start - starts[sentence], end - starts[sentence], page, what]
            for doc, sentence, start, end, page, what in self.match_rows
        ]
        return {
            "documents": documents,
            "sentences": texts,
            "labels": list(self.whats),
            "matches": matches,
            "numbers": keys,
            "concordance": concordance,
        }


def _name(evidence: Evidence, key: EvidenceKey) -> str:
    if key.kind == "theme":
        return evidence.themes.lexicon.label(key.item)
    return evidence.actors.actors.actors[key.item].name


def _what(evidence: Evidence, key: EvidenceKey) -> str:
    """What a match is of, as a row of the panel or the concordance says it."""
    return f"{key.kind.capitalize()}: {_name(evidence, key)}"


def _describe(evidence: Evidence, key: EvidenceKey) -> str:
    """What a number counts, as the panel's heading says it."""
    what = {
        ("theme", "matches"): "hits of the theme",
        ("theme", "documents"): "documents covering the theme",
        ("actor", "matches"): "mentions",
        ("actor", "documents"): "documents naming them",
    }[key.kind, key.unit]
    when = {"": "", "before": ", before the split date", "after": ", from the split date on"}[key.period]
    return f"{_name(evidence, key)}: {what}{when}"


def evidence_json(evidence: Evidence, keys: list[str], per_number: int) -> str:
    """The blob for the numbers with ``keys`` and the concordance, as text safe inside a <script>."""
    blob = _Blob(evidence)
    numbers = {}
    parsed = {text: EvidenceKey.parse(text) for text in keys}
    selected = evidence.selected(list(parsed.values()), per_number)
    for text, key in parsed.items():
        total, rows = selected[key]
        numbers[text] = {
            "title": _describe(evidence, key),
            "unit": "documents (first match in each)" if key.unit == "documents" else "matches",
            "total": total,
            "matches": blob.add(rows, _what(evidence, key)),
        }
    shown, total = [], 0
    items = [("theme", t) for t in evidence.themes.lexicon.themes]
    items += [("actor", a) for a in evidence.actors.actors.actors]
    by_what = evidence.by_what(per_number)
    for kind, item in items:
        matches, whats = by_what.get((kind, item), (0, {}))
        total += matches
        label = _what(evidence, EvidenceKey(kind, item))
        for rows in whats.values():  # each theme term (actor: each name form) in turn
            shown += blob.add(rows, label)
    concordance = {"matches": sorted(set(shown)), "total": total, "per_item": per_number}
    return script_json(blob.finish(numbers, concordance))


def concordance_html() -> str:
    """The "Read the evidence" page: a search over the concordance in the page (HTML only, not printed)."""
    return (
        '<section class="concordance screen-only" id="read-the-evidence">'
        '<h1 class="section-title">Read the evidence</h1>'
        '<p class="narrative">Every theme hit and actor mention in its sentence: search by term, actor, '
        "theme or any word; filter by document. The full concordance is tables/concordance.parquet "
        "(.csv too when under the row limit).</p>"
        '<div class="ev-controls"><label>Search <input type="search" id="concordance-search" '
        'placeholder="term, actor or theme" autocomplete="off"></label> '
        '<label>Document <select id="concordance-document"><option value="">All documents</option>'
        "</select></label></div>"
        '<p class="ev-count" id="concordance-count" aria-live="polite"></p>'
        '<table class="kwic" id="concordance-table"><thead><tr><th scope="col">Left</th>'
        '<th scope="col">Match</th><th scope="col">Right</th><th scope="col">What</th>'
        '<th scope="col">Document</th></tr></thead><tbody></tbody></table>'
        '<noscript><p class="narrative">The search needs JavaScript; the concordance is in '
        "tables/concordance.parquet.</p></noscript>"
        "</section>"
    )
