"""The briefing's summary, bottom line up front: a few sentences generated from the tables, each stating its
numbers and linking to where they come from (a key finding with its quote, or the section with the table)."""

from __future__ import annotations

import html

from policybrief.analyses.evidence import actor_key, theme_key
from policybrief.analyses.findings import Finding
from policybrief.analyses.overview import summary
from policybrief.corpus.model import Corpus
from policybrief.text.dates import long_date
from policybrief.text.words import plural
from policybrief.views.screen import linked

__all__ = ["summary_html"]

SHOWN = 3  # themes and people named in a sentence


Numbers = list[tuple[str, str, str]]  # (text before, number, evidence key), as in Finding.numbers


def _link(text: str, target: str, numbers: Numbers) -> str:
    return f'{linked(text, numbers)} <a class="see" href="#{target}">({html.escape(_where(target))})</a>'


def _where(target: str) -> str:
    if target.startswith("finding-"):
        return f"finding {target.removeprefix('finding-')}"
    return {"section-1": "section 1", "section-2": "section 2", "section-3": "section 3"}.get(target, target)


def summary_sentences(corpus: Corpus, results: dict) -> list[tuple[str, str, Numbers]]:
    """(sentence, link target, its numbers that count evidence): scope, what is covered most, who is named
    most, what changed, and the figure stated most differently."""
    s = summary(corpus)
    n = s["documents"]
    sources = f"from {plural(s['sources'], 'source')}" if s["sources"] else "whose sources are not given"
    span = (
        f", published between {long_date(s['first_date'], s['first_precision'])} and "
        f"{long_date(s['last_date'], s['last_precision'])}"
        if s["first_date"]
        else ""
    )
    sentences: list[tuple[str, str, Numbers]] = [
        (
            f"This briefing reads {plural(n, 'document')} {sources}{span}: {s['words']:,} words.",
            "section-1",
            [],
        )
    ]
    coverage = results["themes"].corpus_coverage.head(SHOWN)
    if len(coverage) and coverage.iloc[0]["documents_covering"]:
        covered = [r for r in coverage.itertuples() if r.documents_covering]
        named = [f"{r.label} ({int(r.documents_covering):,} of {n:,})" for r in covered]
        numbers = [
            (f"{r.label} (", f"{int(r.documents_covering):,}", theme_key(r.theme, "documents"))
            for r in covered
        ]
        sentences.append((f"The themes covered most are {_listed(named)}.", "section-2", numbers))
    people = results["actors"].appearances
    people = people[people["actor"].map(lambda a: results["actors"].actors.actors[a].type == "person")]
    if len(people):
        top = list(people.head(SHOWN).itertuples())
        named = [f"{r.name} ({plural(int(r.mentions), 'mention')})" for r in top]
        numbers = [(f"{r.name} (", f"{int(r.mentions):,}", actor_key(r.actor)) for r in top]
        sentences.append((f"The people named most are {_listed(named)}.", "section-3", numbers))
    findings: list[Finding] = results["findings"]
    changes = [
        (i, f)
        for i, f in enumerate(findings, start=1)
        if "across" in f.statement or "only from" in f.statement
    ]
    for number, finding in changes[:2]:
        small = (
            finding.caveat.split(" only.")[0] + " only." if finding.caveat.startswith("This rests on") else ""
        )
        sentences.append((f"{finding.statement} {small}".strip(), f"finding-{number}", finding.numbers))
    compared = results["quantities"].compared
    if len(compared):
        top = compared.iloc[0]
        docs = {d.doc_id: d for d in corpus.documents}
        sentences.append(
            (
                f"Of the figures the documents state, {_figure(top)} varies most across documents: "
                f"{top['first_stated']} in {_dated(docs[top['first_doc']])}, {top['last_stated']} in "
                f"{_dated(docs[top['last_doc']])}.",
                "section-1",
                [],
            )
        )
    return sentences


def _figure(row) -> str:
    if row["kind"] == "count":
        return f"the number of {row['unit']}"
    return f"the share {row['subject']}" if row["kind"] == "percent" else f"the sum for {row['subject']}"


def _dated(doc) -> str:
    return long_date(doc.date, doc.date_precision) if doc.date else "an undated document"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def summary_html(corpus: Corpus, results: dict) -> str:
    items = "".join(
        f"<li>{_link(text, target, numbers)}</li>"
        for text, target, numbers in summary_sentences(corpus, results)
    )
    return (
        '<section class="summary"><h1 class="section-title" id="summary">Summary</h1>'
        f'<ul class="summary">{items}</ul></section>'
    )
