"""Theme coverage: which policy themes each document covers, how much, since when — with evidence.

Every number here is an aggregate of the evidence table: one row per term match, with its
document, sentence and character span in the cleaned text.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from policybrief import present
from policybrief.present import alt
from policybrief.config import CONFIG_DIR, check_mapping, load_yaml
from policybrief.corpus import Corpus, Document
from policybrief.scan import Part, fingerprint, remembered, rows_frame, scan
from policybrief.dates import parse_date
from policybrief.errors import BriefingError
from policybrief import lexicon as lexicon_module
from policybrief.lexicon import LexiconError, Matcher, Tokens, longest_per_group, parse_term, sentence_index
from policybrief.overview import citation, doc_label, documents_shown, long_date, shown_note
from policybrief.periods import all_periods, check_bin, period_label, period_start
from policybrief.stats import wilson
from policybrief.text import plural

DEFAULT_THEMES_PATH = CONFIG_DIR / "themes.yaml"
_THEME_KEYS = {"label", "short", "definition", "terms", "exclude"}
_EXCLUDE_PREFIX = "exclude:"
EVIDENCE_COLUMNS = ["doc_id", "theme", "sentence_index", "start", "end", "term", "matched"]


@dataclass(frozen=True)
class Theme:
    theme_id: str
    label: str
    short: str
    definition: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...]


@dataclass
class ThemeLexicon:
    path: Path
    themes: dict[str, Theme]
    matcher: Matcher

    def label(self, theme_id: str) -> str:
        return self.themes[theme_id].label

    def short(self, theme_id: str) -> str:
        return self.themes[theme_id].short


def load_themes(path: str | Path = DEFAULT_THEMES_PATH) -> ThemeLexicon:
    """Read and check the theme dictionary; every problem names the theme and the term."""
    path = Path(path)
    data = load_yaml(path, {"themes"})
    entries = data.get("themes")
    if not isinstance(entries, dict) or not entries:
        raise BriefingError(f"{path}: 'themes' must map theme ids to their label, definition and terms")
    themes, compiled = {}, []
    for theme_id, entry in entries.items():
        where = f"{path}: theme '{theme_id}'"
        check_mapping(entry, _THEME_KEYS, where, "label, definition and terms")
        terms, exclude = entry.get("terms") or [], entry.get("exclude") or []
        if not isinstance(terms, list) or not terms:
            raise BriefingError(f"{where}: has no terms")
        if not isinstance(exclude, list):
            raise BriefingError(f"{where}: 'exclude' must be a list of phrases")
        seen: dict[tuple, str] = {}
        for group, sources in ((str(theme_id), terms), (_EXCLUDE_PREFIX + str(theme_id), exclude)):
            for source in sources:
                try:
                    parsed = parse_term(source, group)
                except LexiconError as exc:
                    raise BriefingError(f"{where}, term {source!r}: {exc}") from None
                key = (group, parsed[0].words)
                if key in seen:
                    raise BriefingError(f"{where}, term {source!r}: duplicates the term {seen[key]!r}")
                seen[key] = source
                compiled.extend(parsed)
        label = str(entry.get("label") or theme_id)
        themes[str(theme_id)] = Theme(str(theme_id), label, str(entry.get("short") or label), str(entry.get("definition") or ""),
                                      tuple(str(t) for t in terms), tuple(str(t) for t in exclude))
    return ThemeLexicon(path, themes, Matcher(compiled))


def document_evidence(doc: Document, tokens: Tokens, lexicon: ThemeLexicon) -> list[tuple]:
    """One document's theme hits: (theme, sentence index, start, end, term, matched text)."""
    matches = longest_per_group(lexicon.matcher.find(doc.text, tokens))
    excluded = [m for m in matches if m.group.startswith(_EXCLUDE_PREFIX)]
    starts = [start for start, _ in doc.sentence_spans]
    rows = []
    for match in matches:
        if match.group.startswith(_EXCLUDE_PREFIX):
            continue
        if excluded and any(e.group == _EXCLUDE_PREFIX + match.group and e.start < match.end and match.start < e.end
                            for e in excluded):
            continue
        rows.append((match.group, sentence_index(starts, match.start), match.start, match.end, match.term,
                     doc.text[match.start:match.end]))
    return rows


def scan_part(lexicon: ThemeLexicon) -> Part:
    """Theme matching as a per-document part of the scan (cached per document and lexicon)."""
    key = fingerprint(Path(__file__), Path(lexicon_module.__file__), sorted(lexicon.themes.items()))
    return Part("themes", key, functools.partial(document_evidence, lexicon=lexicon))


def find_evidence(corpus: Corpus, lexicon: ThemeLexicon, progress=None) -> pd.DataFrame:
    """One row per theme hit: document, sentence, span in the cleaned text, term and matched text."""
    found = scan(corpus, [scan_part(lexicon)], progress=progress)["themes"]
    rows = [(doc.doc_id, *row) for doc, doc_rows in zip(corpus.documents, found) for row in doc_rows]
    return rows_frame(rows, EVIDENCE_COLUMNS, ["doc_id", "theme", "term", "matched"])


def coverage(corpus: Corpus, evidence: pd.DataFrame, lexicon: ThemeLexicon, min_hits: int = 1) -> pd.DataFrame:
    """Per document and theme (zeros included): hits, hits per 1,000 words, share of sentences, presence."""
    docs, theme_ids = corpus.documents, list(lexicon.themes)
    cells = pd.MultiIndex.from_product([[d.doc_id for d in docs], theme_ids])
    hits = evidence.groupby(["doc_id", "theme"]).size().reindex(cells, fill_value=0).to_numpy()
    touched = evidence.groupby(["doc_id", "theme"])["sentence_index"].nunique().reindex(cells, fill_value=0).to_numpy()
    words = np.repeat([d.words for d in docs], len(theme_ids))
    sentences = np.repeat([len(d.sentence_spans) for d in docs], len(theme_ids))
    return pd.DataFrame({
        "doc_id": cells.get_level_values(0), "date": np.repeat([d.date for d in docs], len(theme_ids)),
        "theme": cells.get_level_values(1), "label": [lexicon.label(t) for t in theme_ids] * len(docs),
        "hits": hits.astype(np.int64), "words": words.astype(np.int64),
        "per_1k_words": [round(1000 * int(n) / int(w), 3) if w else 0.0 for n, w in zip(hits, words)],
        "sentences_with_theme": touched.astype(np.int64), "sentences": sentences.astype(np.int64),
        "sentence_share": [round(int(t) / int(n), 4) if n else 0.0 for t, n in zip(touched, sentences)],
        "present": hits >= min_hits,
    })


def corpus_coverage(cov: pd.DataFrame) -> pd.DataFrame:
    """Per theme: how many documents cover it, with a 95% Wilson interval, and its overall rate."""
    rows = []
    for theme_id, group in cov.groupby("theme", sort=False):
        covering, documents = int(group["present"].sum()), len(group)
        low, high = wilson(covering, documents)
        words = int(group["words"].sum())
        rows.append({
            "theme": theme_id, "label": group["label"].iloc[0], "documents": documents, "documents_covering": covering,
            "share": round(covering / documents, 4) if documents else 0.0, "ci_low": round(low, 4), "ci_high": round(high, 4),
            "hits": int(group["hits"].sum()), "per_1k_words": round(1000 * group["hits"].sum() / words, 3) if words else 0.0,
        })
    return pd.DataFrame(rows).sort_values(["documents_covering", "hits", "theme"], ascending=[False, False, True]).reset_index(drop=True)


def coverage_over_time(cov: pd.DataFrame, time_bin: str = "quarter") -> pd.DataFrame:
    """Per period and theme: documents, documents covering, share and rate; periods without documents are zero."""
    check_bin(time_bin)
    dated = cov[cov["date"].astype(bool)].copy()
    columns = ["period", "period_start", "theme", "label", "documents", "documents_covering", "share", "hits", "words", "per_1k_words"]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    starts = {d: period_start(parse_date(d).sort_key, time_bin) for d in dated["date"].unique()}
    dated["period_start"] = dated["date"].map(starts)
    periods = all_periods(dated["period_start"].min(), dated["period_start"].max(), time_bin)
    labels = dict(zip(cov["theme"], cov["label"]))
    sums = dated.groupby(["period_start", "theme"]).agg(documents=("doc_id", "size"), covering=("present", "sum"),
                                                        hits=("hits", "sum"), words=("words", "sum"))
    rows = []
    for start in periods:
        for theme_id, label in labels.items():
            documents, covering, hits, words = (int(v) for v in sums.loc[(start, theme_id)]) \
                if (start, theme_id) in sums.index else (0, 0, 0, 0)
            rows.append({"period": period_label(start, time_bin), "period_start": start.isoformat(), "theme": theme_id,
                         "label": label, "documents": documents, "documents_covering": covering,
                         "share": round(covering / documents, 4) if documents else 0.0, "hits": hits, "words": words,
                         "per_1k_words": round(1000 * hits / words, 3) if words else 0.0})
    return pd.DataFrame(rows, columns=columns)


def cooccurrence(evidence: pd.DataFrame, lexicon: ThemeLexicon) -> pd.DataFrame:
    """How many sentences each pair of themes shares (the diagonal: sentences touching the theme)."""
    touched = evidence[["doc_id", "sentence_index", "theme"]].drop_duplicates()
    pairs = touched.merge(touched, on=["doc_id", "sentence_index"], suffixes=("_a", "_b"))
    counts = pairs[pairs["theme_a"] <= pairs["theme_b"]].groupby(["theme_a", "theme_b"]).size().to_dict()
    ids = list(lexicon.themes)
    rows = [{"theme_a": a, "theme_b": b, "sentences": counts.get(tuple(sorted((a, b))), 0)}
            for i, a in enumerate(ids) for b in ids[i:]]
    return pd.DataFrame(rows, columns=["theme_a", "theme_b", "sentences"])


def unmatched_terms(evidence: pd.DataFrame, lexicon: ThemeLexicon) -> pd.DataFrame:
    """Terms that matched nowhere in the corpus, for pruning the lexicon."""
    used = set(evidence[["theme", "term"]].drop_duplicates().itertuples(index=False, name=None))
    rows = [(t.theme_id, t.label, term) for t in lexicon.themes.values() for term in t.terms if (t.theme_id, term) not in used]
    return pd.DataFrame(rows, columns=["theme", "label", "term"])


def telling_sentences(corpus: Corpus, evidence: pd.DataFrame, theme_id: str, count: int = 3) -> list[dict]:
    """The sentences that show a theme best: most distinct terms, then most hits, one per document first."""
    rows = evidence[evidence["theme"] == theme_id]
    if rows.empty:
        return []
    docs = {d.doc_id: d for d in corpus.documents}
    scored = rows.groupby(["doc_id", "sentence_index"]).agg(terms=("term", "nunique"), hits=("term", "size")).reset_index()
    spans = [docs[d].sentence_spans[i] for d, i in zip(scored["doc_id"], scored["sentence_index"])]
    scored["length"] = [end - start for start, end in spans]
    scored["date"] = [docs[d].date or "9999" for d in scored["doc_id"]]
    scored = scored.sort_values(["terms", "hits", "length", "date", "doc_id", "sentence_index"],
                                ascending=[False, False, True, True, True, True])
    first_of_document = scored.drop_duplicates("doc_id")
    picked = pd.concat([first_of_document, scored.drop(first_of_document.index)]).head(count)
    chosen = []
    for doc_id, index in zip(picked["doc_id"], picked["sentence_index"]):
        doc = docs[doc_id]
        start, end = doc.sentence_spans[index]
        hits = rows[(rows["doc_id"] == doc_id) & (rows["sentence_index"] == index)]
        chosen.append({"doc_id": doc_id, "sentence_index": int(index), "text": doc.text[start:end],
                       "spans": [(s - start, e - start) for s, e in zip(hits["start"], hits["end"])],
                       "citation": citation(doc)})
    return chosen


@dataclass
class ThemeAnalysis:
    lexicon: ThemeLexicon
    evidence: pd.DataFrame
    coverage: pd.DataFrame
    corpus_coverage: pd.DataFrame
    over_time: pd.DataFrame
    cooccurrence: pd.DataFrame
    unmatched: pd.DataFrame
    time_bin: str
    min_hits: int
    key: str = ""  # what this analysis was computed from (besides the corpus), for the analyses built on it


def analyse(corpus: Corpus, lexicon: ThemeLexicon, min_hits: int = 1, time_bin: str = "quarter") -> ThemeAnalysis:
    """Every theme measure; computed once per corpus and options, then read from the cache."""
    key = fingerprint(scan_part(lexicon).key, min_hits, time_bin)

    def compute() -> ThemeAnalysis:
        evidence = find_evidence(corpus, lexicon)
        cov = coverage(corpus, evidence, lexicon, min_hits)
        return ThemeAnalysis(lexicon, evidence, cov, corpus_coverage(cov), coverage_over_time(cov, time_bin),
                             cooccurrence(evidence, lexicon), unmatched_terms(evidence, lexicon), time_bin, min_hits, key)
    return remembered(corpus, "themes", key, compute)


def tables(analysis: ThemeAnalysis) -> dict[str, pd.DataFrame]:
    return {
        "theme_evidence.csv": analysis.evidence,
        "theme_coverage.csv": analysis.coverage,
        "theme_corpus_coverage.csv": analysis.corpus_coverage,
        "theme_over_time.csv": analysis.over_time,
        "theme_cooccurrence.csv": analysis.cooccurrence,
        "theme_unmatched_terms.csv": analysis.unmatched,
    }


def _dated_order(corpus: Corpus) -> list[str]:
    return [d.doc_id for d in sorted((d for d in corpus.documents if d.sort_date), key=lambda d: (d.sort_date, d.doc_id))]


def narrative(corpus: Corpus, analysis: ThemeAnalysis) -> str:
    """A paragraph from the numbers: what dominates, what is early or late, and how far five documents go."""
    cc = analysis.corpus_coverage
    n = len(corpus.documents)
    parts = []
    top = cc.head(3)
    described = [f"{row.label} ({row.documents_covering} of {row.documents} documents)" for row in top.itertuples()]
    parts.append(f"The most widely covered themes are {', '.join(described[:-1])} and {described[-1]}." if len(described) > 1
                 else f"The most widely covered theme is {described[0]}.")
    everywhere = cc[cc["documents_covering"] == n]["label"].tolist()
    if everywhere and n > 1:
        parts.append(f"{plural(len(everywhere), 'theme')} appear{'s' if len(everywhere) == 1 else ''} in every document.")
    densest = cc.sort_values(["per_1k_words", "theme"], ascending=[False, True]).iloc[0]
    parts.append(f"By density, {densest['label']} leads with {densest['per_1k_words']:.1f} hits per 1,000 words.")
    absent = cc[cc["documents_covering"] == 0]["label"].tolist()
    if absent:
        parts.append(f"No document touches {', '.join(absent)}.")
    order = _dated_order(corpus)
    present = analysis.coverage[analysis.coverage["present"]].groupby("theme")["doc_id"].apply(set)
    threshold = max(2, math.ceil(len(order) / 3))
    late, early = [], []
    dates = {d.doc_id: d.date for d in corpus.documents}
    for theme_id, docs in present.items():
        positions = [i for i, doc_id in enumerate(order) if doc_id in docs]
        if not positions or len(order) < 3:
            continue
        if positions[0] >= threshold:
            late.append(f"{analysis.lexicon.label(theme_id)} (from {long_date(dates[order[positions[0]]][:7])})")
        elif len(order) - 1 - positions[-1] >= threshold:
            early.append(f"{analysis.lexicon.label(theme_id)} (until {long_date(dates[order[positions[-1]]][:7])})")
    if late:
        parts.append(f"Appearing only in the later documents: {'; '.join(sorted(late))}.")
    if early:
        parts.append(f"Found only in the earlier documents: {'; '.join(sorted(early))}.")
    example = math.ceil(n / 2)
    low, high = wilson(example, n)
    parts.append(f"These are statements about {plural(n, 'document')}, not about the whole debate: with so few, "
                 f"a theme found in {example} of {n} documents has a 95% interval of {low:.0%}–{high:.0%}.")
    return " ".join(parts)


def heatmap_chart(corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None) -> alt.LayerChart:
    """Document × theme: colour is hits per 1,000 words, the number in each cell is the hits."""
    frame = analysis.coverage[analysis.coverage["theme"].isin(show or analysis.lexicon.themes)].copy()
    density = frame.groupby("doc_id")["per_1k_words"].sum().to_dict()
    docs = documents_shown(corpus, density)
    labels = {d.doc_id: doc_label(d) for d in docs}
    frame = frame[frame["doc_id"].isin(labels)]
    frame["document"] = frame["doc_id"].map(labels)
    frame["short"] = frame["theme"].map(analysis.lexicon.short)
    doc_order = [labels[d.doc_id] for d in docs]
    theme_order = [analysis.lexicon.short(t) for t in analysis.corpus_coverage["theme"] if t in set(frame["theme"])]
    tooltip = [alt.Tooltip("label:N", title="Theme"), alt.Tooltip("document:N"), alt.Tooltip("hits:Q", title="Hits"),
               alt.Tooltip("per_1k_words:Q", title="Per 1,000 words", format=".1f"), alt.Tooltip("words:Q", title="Words")]
    return present.matrix(frame, "document", "short", "per_1k_words", "hits", doc_order, theme_order,
                          "Theme hits by document (number = hits; shade = hits per 1,000 words)", "Hits per 1,000 words",
                          tooltip=tooltip)


def coverage_chart(analysis: ThemeAnalysis, show: list[str] | None = None) -> alt.Chart:
    """Share of documents covering each theme, with its 95% Wilson interval and the count."""
    frame = analysis.corpus_coverage[analysis.corpus_coverage["theme"].isin(show or analysis.lexicon.themes)].copy()
    frame["count"] = [f"{k} of {n}" for k, n in zip(frame["documents_covering"], frame["documents"])]
    frame["short"] = frame["theme"].map(analysis.lexicon.short)
    order = frame["short"].tolist()
    base = alt.Chart(frame).encode(y=alt.Y("short:N", sort=order, title=None))
    bars = base.mark_bar(color="#9dbad5").encode(
        x=alt.X("share:Q", title="Share of documents covering the theme (95% Wilson interval)", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        tooltip=["label", "count", alt.Tooltip("ci_low:Q", format=".0%"), alt.Tooltip("ci_high:Q", format=".0%")],
    )
    interval = base.mark_rule(color="#1a1a1a", strokeWidth=1.5).encode(x="ci_low:Q", x2="ci_high:Q")
    text = base.mark_text(align="left", dx=4, fontSize=10, color="#1a1a1a").encode(x=alt.value(0), text="count:N")
    return (bars + interval + text).properties(width=420, height=20 * len(order), title="How many documents cover each theme")


def over_time_chart(analysis: ThemeAnalysis, show: list[str] | None = None) -> alt.Chart:
    """Theme × period: shade is the share of that period's documents covering the theme; text is k/n."""
    frame = analysis.over_time[analysis.over_time["theme"].isin(show or analysis.lexicon.themes)].copy()
    frame["count"] = [f"{k}/{n}" if n else "–" for k, n in zip(frame["documents_covering"], frame["documents"])]
    frame["shown_share"] = [s if n else None for s, n in zip(frame["share"], frame["documents"])]
    frame["short"] = frame["theme"].map(analysis.lexicon.short)
    periods = list(dict.fromkeys(frame["period"]))
    order = [analysis.lexicon.short(t) for t in analysis.corpus_coverage["theme"] if t in set(frame["theme"])]
    base = alt.Chart(frame).encode(
        x=alt.X("period:N", sort=periods, title=f"Publication {analysis.time_bin} (documents in the period below each column)",
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("short:N", sort=order, title=None),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("shown_share:Q", title="Share of documents", scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(format="%", gradientLength=160)),
        tooltip=["label", "period", "count", "hits"],
    )
    empty = base.transform_filter("datum.documents == 0").mark_rect(color="#eeeeee", stroke="white")
    text = base.mark_text(fontSize=10).encode(
        text="count:N", color=alt.condition(alt.datum.share > 0.55, alt.value("white"), alt.value("#1a1a1a")),
    )
    return (cells + empty + text).properties(width=max(160, 56 * len(periods)), height=22 * len(order),
                                             title="Coverage over time (k/n = documents covering / documents in the period)")


def cooccurrence_chart(analysis: ThemeAnalysis, show: list[str] | None = None) -> alt.LayerChart:
    """Pairs of themes: how many sentences mention both (lower triangle; diagonal = sentences per theme)."""
    keep = set(show or analysis.lexicon.themes)
    frame = analysis.cooccurrence[analysis.cooccurrence["theme_a"].isin(keep) & analysis.cooccurrence["theme_b"].isin(keep)].copy()
    order = [t for t in analysis.corpus_coverage["theme"] if t in keep]
    rank = {t: i for i, t in enumerate(order)}
    swap = frame["theme_a"].map(rank) < frame["theme_b"].map(rank)
    frame.loc[swap, ["theme_a", "theme_b"]] = frame.loc[swap, ["theme_b", "theme_a"]].values
    frame["a"] = frame["theme_a"].map(analysis.lexicon.short)
    frame["b"] = frame["theme_b"].map(analysis.lexicon.short)
    frame["pair"] = frame["sentences"].where(frame["theme_a"] != frame["theme_b"])
    labels = [analysis.lexicon.short(t) for t in order]
    return present.matrix(frame, "b", "a", "pair", "sentences", labels, labels,
                          "Themes meeting in one sentence (diagonal: sentences touching the theme)", "Sentences with both",
                          scheme="greys", tooltip=["a", "b", "sentences"], cell=(24, 22), label_angle=-40, hide_zero=True)


# --- what the notebook shows -------------------------------------------------------------------

def _rule(analysis: ThemeAnalysis) -> str:
    return (f"A hit is one match of a theme's term (longest match wins; a span counts once per theme). "
            f"A document covers a theme with at least {plural(analysis.min_hits, 'hit')}.")


def heatmap_figure(corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None):
    return present.figure(heatmap_chart(corpus, analysis, show),
                          f"Theme hits per document. {_rule(analysis)} Shading divides the hits by the document's "
                          f"words after cleaning (per 1,000).{shown_note(corpus, 'theme hits per 1,000 words')} "
                          f"Full table: tables/theme_coverage.csv.")


def coverage_figure(corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None):
    return present.figure(coverage_chart(analysis, show),
                          f"Share of the {plural(len(corpus.documents), 'document')} that cover each theme; the line is "
                          f"the 95% Wilson interval. {_rule(analysis)} Table: tables/theme_corpus_coverage.csv.")


def over_time_figure(corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None):
    undated = sum(1 for d in corpus.documents if not d.date)
    note = f" {plural(undated, 'undated document')} left out." if undated else ""
    return present.figure(over_time_chart(analysis, show),
                          f"Documents covering each theme per {analysis.time_bin} of publication, out of the documents "
                          f"published in that {analysis.time_bin}; grey columns had no documents.{note} "
                          f"Table: tables/theme_over_time.csv.")


def cooccurrence_figure(analysis: ThemeAnalysis, show: list[str] | None = None):
    return present.figure(cooccurrence_chart(analysis, show),
                          "Number of sentences in which two themes both have a hit; the diagonal counts the sentences "
                          "touching each theme. Table: tables/theme_cooccurrence.csv.")


def evidence_quotes(corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None, per_theme: int = 3):
    """The most telling sentences of each theme, matched words marked, with document and date."""
    groups = []
    for row in analysis.corpus_coverage.itertuples():
        if (show and row.theme not in show) or row.hits == 0:
            continue
        chosen = telling_sentences(corpus, analysis.evidence, row.theme, per_theme)
        heading = f"{row.label} — {row.documents_covering} of {row.documents} documents, {plural(row.hits, 'hit')}"
        groups.append((heading, [(c["text"], c["spans"], c["citation"]) for c in chosen]))
    return present.quotes(groups)


def unmatched_display(analysis: ThemeAnalysis) -> pd.DataFrame:
    grouped = analysis.unmatched.groupby("label", sort=False)["term"].apply(lambda t: ", ".join(t))
    return pd.DataFrame({"Theme": grouped.index, "Terms with no match in this corpus": grouped.values})
