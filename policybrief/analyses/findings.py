"""Key findings: statements generated from the tables, each with the table rows that check it and a
sentence that shows it.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from policybrief.analyses.actors.measures import ActorAnalysis
from policybrief.analyses.compare.comparison import Comparison
from policybrief.analyses.evidence import actor_key, theme_key
from policybrief.analyses.parts import PartRows
from policybrief.analyses.themes.measures import ThemeAnalysis, telling_sentences
from policybrief.corpus.model import Corpus, citation
from policybrief.text.dates import long_date
from policybrief.text.words import plural

MIN_DOCUMENTS = 3  # a finding resting on fewer documents says so


@dataclass
class Finding:
    statement: str
    checks: list[tuple[str, dict, dict]]  # (table, columns that pick the row, values the statement gives)
    documents: int  # documents the finding rests on
    evidence: dict | None = None  # doc_id, text, spans, citation
    # the numbers of the statement that count evidence, in order: (text just before it, the number as written,
    # its evidence key), so that a view can link each to the sentences it counts
    numbers: list[tuple[str, str, str]] = field(default_factory=list)
    caveat: str = field(init=False, default="")
    change: bool = field(init=False, default=False)  # about what changed across the split date

    def __post_init__(self):
        if self.documents < MIN_DOCUMENTS:
            self.caveat = f"This rests on {plural(self.documents, 'document')} only."


def _evidence(
    corpus: Corpus, doc_id: str, sentence_index: int, spans: list[tuple[int, int]] | None = None
) -> dict:
    doc = corpus.with_text(next(d for d in corpus.documents if d.doc_id == doc_id))
    start, end = doc.sentence_spans[sentence_index]
    relative = [(s - start, e - start) for s, e in (spans or []) if start <= s < e <= end]
    return {
        "doc_id": doc_id,
        "sentence_index": sentence_index,
        "text": doc.full_text[start:end],
        "spans": relative,
        "citation": citation(doc, int(start)),
    }


def _mention_evidence(
    corpus: Corpus, actor_evidence: PartRows, actor_id: str, quoted: set[tuple[str, int]]
) -> dict | None:
    """The sentence of the latest document that names the actor most, among those no finding quotes yet."""
    rows = actor_evidence.where("actor", [actor_id])
    if rows.empty:
        return None
    dates = {d.doc_id: d.date or "" for d in corpus.documents}
    counts = rows.groupby(["doc_id", "sentence_index"]).size().reset_index(name="n")
    fresh = [
        (d, int(i)) not in quoted for d, i in zip(counts["doc_id"], counts["sentence_index"], strict=True)
    ]
    counts = counts[fresh]
    if counts.empty:
        return None
    counts["date"] = counts["doc_id"].map(dates)
    best = counts.sort_values(["date", "n", "sentence_index"], ascending=[False, False, True]).iloc[0]
    spans = rows[(rows["doc_id"] == best["doc_id"]) & (rows["sentence_index"] == best["sentence_index"])]
    return _evidence(
        corpus,
        best["doc_id"],
        int(best["sentence_index"]),
        list(zip(spans["start"], spans["end"], strict=True)),
    )


@dataclass(frozen=True)
class Results:
    """What the findings are drawn from: the corpus and the analyses built on it, and the sentences the
    findings so far quote (no sentence is quoted twice)."""

    corpus: Corpus
    themes: ThemeAnalysis
    actors: ActorAnalysis
    comparison: Comparison
    quoted: set[tuple[str, int]] = field(default_factory=set)


QUOTES_CONSIDERED = 5  # a theme's telling sentences looked at for one no other finding quotes


def _fresh(r: Results, quotes: list[dict]) -> dict | None:
    """The first of ``quotes`` no finding quotes yet."""
    return next((q for q in quotes if (q["doc_id"], q["sentence_index"]) not in r.quoted), None)


def most_covered_theme(r: Results) -> Finding | None:
    cc = r.themes.corpus_coverage
    if not len(cc) or cc.iloc[0]["documents_covering"] == 0:
        return None
    top = cc.iloc[0]
    ties = cc[(cc["documents_covering"] == top["documents_covering"]) & (cc["theme"] != top["theme"])]
    named = ", ".join(ties["label"].head(3))  # the ties by name: "in every document" is one fact, said once
    more = f" and {plural(len(ties) - 3, 'other')}" if len(ties) > 3 else ""
    tie_text = f", tied with {named}{more}" if len(ties) else ""
    quote = _fresh(r, telling_sentences(r.corpus, r.themes.evidence, top["theme"], QUOTES_CONSIDERED))
    return Finding(
        f"{top['label']} is the most widely covered theme: {int(top['documents_covering']):,} of "
        f"{int(top['documents']):,} "
        f"documents (95% interval {top['ci_low']:.0%}–{top['ci_high']:.0%}), with "
        f"{plural(int(top['hits']), 'hit')}{tie_text}.",
        [
            (
                "theme_corpus_coverage.csv",
                {"theme": top["theme"]},
                {
                    "documents_covering": int(top["documents_covering"]),
                    "documents": int(top["documents"]),
                    "hits": int(top["hits"]),
                },
            )
        ],
        int(top["documents_covering"]),
        quote,
        [
            ("theme: ", f"{int(top['documents_covering']):,}", theme_key(top["theme"], "documents")),
            ("with ", f"{int(top['hits']):,}", theme_key(top["theme"])),
        ],
    )


def most_mentioned_person(r: Results) -> Finding | None:
    app = r.actors.appearances
    people = app[app["actor"].map(lambda a: r.actors.actors.actors[a].type == "person")]
    if not len(people):
        return None
    top = people.iloc[0]
    return Finding(
        f"{top['name']} is the most mentioned person: {plural(int(top['mentions']), 'mention')} in "
        f"{int(top['documents']):,} of {len(r.corpus.documents):,} documents.",
        [
            (
                "actor_appearances.csv",
                {"actor": top["actor"]},
                {"mentions": int(top["mentions"]), "documents": int(top["documents"])},
            )
        ],
        int(top["documents"]),
        _mention_evidence(r.corpus, r.actors.evidence, top["actor"], r.quoted),
        [
            ("person: ", f"{int(top['mentions']):,}", actor_key(top["actor"])),
            ("in ", f"{int(top['documents']):,}", actor_key(top["actor"], "documents")),
        ],
    )


def actor_share_change(r: Results) -> Finding | None:
    changed = r.comparison.period[r.comparison.period["kind"] == "actor"].copy()
    if not len(changed):
        return None
    changed["size"] = changed["change"].abs()
    changed["weight"] = changed["before_count"] + changed["after_count"]
    best = changed.sort_values(["size", "weight", "item"], ascending=[False, False, True]).iloc[0]
    if best["size"] <= 0:
        return None
    verb = "fell" if best["change"] < 0 else "rose"
    return Finding(
        f"The share of documents naming {best['label']} {verb} most across "
        f"{long_date(r.comparison.split_date)}: "
        f"{int(best['before_count']):,} of {int(best['before_docs']):,} documents before, "
        f"{int(best['after_count']):,} of "
        f"{int(best['after_docs']):,} from then on.",
        [
            (
                "period_change.csv",
                {"kind": "actor", "item": best["item"]},
                {
                    "before_count": int(best["before_count"]),
                    "before_docs": int(best["before_docs"]),
                    "after_count": int(best["after_count"]),
                    "after_docs": int(best["after_docs"]),
                },
            )
        ],
        int(best["before_count"] + best["after_count"]),
        _mention_evidence(r.corpus, r.actors.evidence, best["item"], r.quoted),
        [
            (": ", f"{int(best['before_count']):,}", actor_key(best["item"], "documents", "before")),
            ("before, ", f"{int(best['after_count']):,}", actor_key(best["item"], "documents", "after")),
        ],
    )


def actor_new_after_split(r: Results) -> Finding | None:
    app = r.actors.appearances
    late = app[(app["change"] == "new after the split")]
    if not len(late):
        return None
    best = late.sort_values(["mentions", "actor"], ascending=[False, True]).iloc[0]
    return Finding(
        f"{best['name']} appears only from {long_date(r.comparison.split_date)} on: "
        f"{plural(int(best['mentions']), 'mention')} in {plural(int(best['documents']), 'document')}, "
        f"first on {long_date(best['first_date'])}.",
        [
            (
                "actor_appearances.csv",
                {"actor": best["actor"]},
                {
                    "mentions": int(best["mentions"]),
                    "documents": int(best["documents"]),
                    "first_date": best["first_date"],
                },
            )
        ],
        int(best["documents"]),
        _mention_evidence(r.corpus, r.actors.evidence, best["actor"], r.quoted),
        [
            ("on: ", f"{int(best['mentions']):,}", actor_key(best["actor"])),
            ("in ", f"{int(best['documents']):,}", actor_key(best["actor"], "documents")),
        ],
    )


def theme_share_change(r: Results) -> Finding | None:
    changed = r.comparison.period[r.comparison.period["kind"] == "theme"].copy()
    if not len(changed):
        return None
    changed["size"] = changed["change"].abs()
    best = changed.sort_values(["size", "item"], ascending=[False, True]).iloc[0]
    if best["size"] <= 0:
        return None
    quote = _fresh(r, telling_sentences(r.corpus, r.themes.evidence, best["item"], QUOTES_CONSIDERED))
    return Finding(
        f"Among themes, {best['label']} changed most across {long_date(r.comparison.split_date)}: covered by "
        f"{int(best['before_count']):,} of {int(best['before_docs']):,} documents before and "
        f"{int(best['after_count']):,} of "
        f"{int(best['after_docs']):,} after.",
        [
            (
                "period_change.csv",
                {"kind": "theme", "item": best["item"]},
                {"before_count": int(best["before_count"]), "after_count": int(best["after_count"])},
            )
        ],
        int(best["before_count"] + best["after_count"]),
        quote,
        [
            ("covered by ", f"{int(best['before_count']):,}", theme_key(best["item"], "documents", "before")),
            ("and ", f"{int(best['after_count']):,}", theme_key(best["item"], "documents", "after")),
        ],
    )


# The kinds of finding, in the order the briefing lists them (by substance); add a new kind here.
FINDING_KINDS: tuple[Callable[[Results], Finding | None], ...] = (
    # what changed first, then what stands out; how alike the documents are and what cleaning removed are
    # method, shown in their sections and the data-quality notes, not findings
    theme_share_change,
    actor_share_change,
    actor_new_after_split,
    most_covered_theme,
    most_mentioned_person,
)


def people_caveat(actor_analysis: ActorAnalysis) -> str:
    """What the actor counts may miss, said next to every finding about actors: short forms that could not
    be resolved to one person, and person-like names that are not on the actor list."""
    unresolved, unlisted = len(actor_analysis.unresolved), len(actor_analysis.unlisted)
    if not unresolved and not unlisted:
        return ""
    missed = []
    if unresolved:
        missed.append(f"{plural(unresolved, 'short name')} could not be resolved to one person")
    if unlisted:
        missed.append(f"{plural(unlisted, 'name')} {'is' if unlisted == 1 else 'are'} not on the actor list")
    return f"{' and '.join(missed).capitalize()} (see Names to check): counts for people may be low."


# The kinds of finding that count actors: each says what the counts may miss (``people_caveat``).
CHANGE_KINDS = frozenset({theme_share_change, actor_share_change, actor_new_after_split})
_ACTOR_KINDS = frozenset({most_mentioned_person, actor_share_change, actor_new_after_split})


def key_findings(
    corpus: Corpus,
    theme_analysis: ThemeAnalysis,
    actor_analysis: ActorAnalysis,
    comparison: Comparison,
    limit: int = 8,
) -> list[Finding]:
    """Up to ``limit`` statements drawn from the tables, one per kind that has something to say."""
    results = Results(corpus, theme_analysis, actor_analysis, comparison)
    caveat = people_caveat(actor_analysis)
    findings = []
    for kind in FINDING_KINDS:
        finding = kind(results)
        if finding is None:
            continue
        if caveat and kind in _ACTOR_KINDS:
            finding.caveat = f"{finding.caveat} {caveat}".strip()
        finding.change = kind in CHANGE_KINDS
        if finding.evidence:
            results.quoted.add((finding.evidence["doc_id"], finding.evidence["sentence_index"]))
        findings.append(finding)
    return findings[:limit]


FINDING_COLUMNS = [
    "number",
    "statement",
    "caveat",
    "documents",
    "checks",
    "evidence_doc_id",
    "evidence_sentence_index",
]


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    """One row per finding; its columns even when there is none (a corpus with nothing to say)."""
    return pd.DataFrame(
        [
            (
                i,
                f.statement,
                f.caveat,
                f.documents,
                json.dumps(f.checks, sort_keys=True, default=str),
                (f.evidence or {}).get("doc_id", ""),
                (f.evidence or {}).get("sentence_index", ""),
            )
            for i, f in enumerate(findings, start=1)
        ],
        columns=FINDING_COLUMNS,
    )
