"""The briefing's front and back matter as HTML: key findings, method, sources and provenance."""

import hashlib
import html
from pathlib import Path

import pandas as pd

import policybrief.views.present as present
from policybrief.analyses.actors.measures import ActorAnalysis
from policybrief.analyses.findings import Finding
from policybrief.analyses.themes.measures import ThemeAnalysis
from policybrief.corpus.model import Corpus
from policybrief.text.dates import long_date
from policybrief.views.screen import linked

# What the notebooks call: the declared API of this module.
__all__ = ["findings_html", "method_html", "provenance_html", "sources_html"]


def findings_html(findings: list[Finding]) -> str:
    items = []
    for number, finding in enumerate(findings, start=1):
        caveat = f' <span class="caveat">{html.escape(finding.caveat)}</span>' if finding.caveat else ""
        quote = ""
        if finding.evidence:
            ev = finding.evidence
            quote = (
                f'<blockquote class="evidence">“{present.marked(ev["text"], ev["spans"])}”'
                f'<cite><a href="#source-{html.escape(ev["doc_id"])}">'
                f"{html.escape(ev['citation'])}</a></cite></blockquote>"
            )
        statement = linked(finding.statement, finding.numbers)
        items.append(f'<li id="finding-{number}"><p>{statement}{caveat}</p>{quote}</li>')
    return (
        f'<section class="key-findings"><h1 class="section-title" id="key-findings">Key findings</h1>'
        f'<p class="narrative">Generated from the tables of this build; each finding quotes a sentence it '
        f"rests on and links to its source. Table: tables/key_findings.csv.</p>"
        f'<ol class="findings">{"".join(items)}</ol></section>'
    )


def _table(frame: pd.DataFrame, caption: str, full_table: str | None = None) -> str:
    return present.table(frame, caption, full_table).data


# The method appendix's fixed text: how every number is counted, and the statistics with references.
METHOD_RULES = """
<h2 id="method-rules">Counting rules</h2>
<ul>
<li><b>Words</b> are runs of letters or digits; an apostrophe, hyphen or period inside a run keeps it one \
word. All rates are per 1,000 words of the cleaned text.</li>
<li><b>Sentences</b> end at . ! ? before a capital, a digit or a quote, not after titles, numbered \
abbreviations, initials or dotted abbreviations; a paragraph break always ends one.</li>
<li><b>Theme hits</b> are matches of a theme's terms: whole words, case ignored except for words in \
capitals, hyphen and space variants alike, * for any ending, within the theme's scope (terms needed in the \
paragraph, terms that cancel a hit in their sentence). Inside a theme the longest match wins and a span \
counts once; the same words may count for two themes. A document covers a theme with at least one hit.</li>
<li><b>Actor mentions</b> are names (in either order, with a middle initial), aliases and near-miss \
spellings; short forms of the person named in full in the same document, or of the only listed person with \
that short form; "&lt;name&gt; administration"; capitals standing for governments (metonyms). Adjectives \
and transcript speaker labels are not mentions. Unresolved short forms are listed, not counted.</li>
<li><b>Every number</b> is a count or an aggregate of the evidence tables, in which each match has its \
document, sentence and character span.</li>
</ul>
<h2 id="method-statistics">Statistics</h2>
<ul>
<li>Shares of documents: Wilson score interval, 95% (Wilson 1927; Brown, Cai &amp; DasGupta 2001).</li>
<li>Change of a share between two periods: Newcombe's hybrid score interval for a difference of proportions, \
95% (Newcombe 1998).</li>
<li>Distinctive terms: log-odds ratio with an informative Dirichlet prior, z-scored (Monroe, Colaresi &amp; \
Quinn 2008, "Fightin' Words"); Log Ratio as effect size (Hardie 2014).</li>
<li>Similarity: cosine of sublinear tf-idf vectors (Salton &amp; Buckley 1988); Jensen–Shannon distance of \
smoothed theme shares (Lin 1991); weighted Jaccard overlap of actor rates.</li>
<li>Document map: metric multidimensional scaling of 1 − cosine (Kruskal 1964), fixed seed. Near-duplicates: \
Jaccard overlap of 5-word shingles (Broder 1997).</li>
</ul>
<h2 id="method-limitations">Limitations</h2>
<ul>
<li>Dictionary counting finds the words analysts chose; paraphrase, irony and negation ("no sign of \
sanctions relief") count like any other use.</li>
<li>A corpus shows what its documents say, not what the whole debate says; on a handful of documents \
intervals are wide and period changes are leads, not trends.</li>
<li>Dates come from curated metadata where given, otherwise from the page; reposted pieces carry the date of \
the repost.</li>
<li>Cleaning rules are heuristics: what they removed is listed per document, and anything they missed is \
counted.</li>
</ul>
"""


PLURALS = {"person": "people"}


def _lexicon_tables(theme_analysis: ThemeAnalysis, actor_analysis: ActorAnalysis) -> str:
    """The dictionaries in full on screen; in print a summary that names the files, because the full lists
    ran to four pages of the PDF while a reader of the printout needs only what each theme means."""
    themes = theme_analysis.lexicon.themes.values()
    actors = list(actor_analysis.actors.actors.values())
    full_themes = pd.DataFrame(
        [
            {
                "Theme": t.label,
                "Definition": t.definition,
                "Terms": ", ".join(t.terms),
                "Not counted in": ", ".join(t.exclude) or "—",
            }
            for t in themes
        ]
    )
    theme_summary = pd.DataFrame(
        [{"Theme": t.label, "Definition": t.definition, "Terms": len(t.terms)} for t in themes]
    )
    full_actors = pd.DataFrame(
        [
            {
                "Actor": a.name,
                "Type": a.type,
                "Role": a.role,
                "Also found as": ", ".join(a.aliases + a.short + a.metonyms) or "—",
            }
            for a in actors
        ]
    )
    by_type = pd.Series([a.type for a in actors]).value_counts().sort_index()
    type_counts = ", ".join(
        f"{count} {kind if count == 1 else PLURALS.get(kind, kind + 's')}" for kind, count in by_type.items()
    )
    return (
        '<h2 id="method-themes">Themes</h2>'
        '<div class="screen-only">'
        + _table(full_themes, "The theme dictionary (config/themes.yaml)")
        + '</div><div class="print-only">'
        + _table(theme_summary, "The themes (config/themes.yaml; every term is listed in the HTML briefing)")
        + '</div><h2 id="method-actors">Actors</h2>'
        '<div class="screen-only">'
        + _table(full_actors, "The actor list (config/actors.yaml)")
        + '</div><p class="narrative print-only">'
        + html.escape(
            f"The actor list (config/actors.yaml) has {len(actors)} actors: {type_counts}. "
            "Each with its aliases, short forms and capitals is listed in the HTML briefing."
        )
        + "</p>"
    )


def method_html(corpus: Corpus, theme_analysis: ThemeAnalysis, actor_analysis: ActorAnalysis) -> str:
    removals = pd.DataFrame(
        [(r["step"], r["reason"], r["words"], d.doc_id) for d in corpus.documents for r in d.removals],
        columns=["step", "reason", "words", "doc_id"],
    )
    cleaning = (
        removals[removals["step"] != "line break repaired"]
        .groupby("step")
        .agg(documents=("doc_id", "nunique"), removals=("reason", "size"), words=("words", "sum"))
        .reset_index()
        if len(removals)
        else pd.DataFrame(columns=["step", "documents", "removals", "words"])
    )
    cleaning.columns = ["Cleaning step", "Documents", "Removals", "Words removed"]
    return (
        '<section class="appendix">'
        '<h1 class="section-title" id="appendix-method">Appendix A. Method and data</h1>'
        + METHOD_RULES
        + '<h2 id="method-cleaning">What cleaning removed</h2>'
        + _table(cleaning, "Removals by cleaning step (rules: config/cleaning.yaml)", "cleaning_log")
        + _lexicon_tables(theme_analysis, actor_analysis)
        + "</section>"
    )


# Above this many documents the appendices summarise by source and point to documents.csv and manifest.json.
LISTED_DOCUMENTS = 60


def sources_html(corpus: Corpus) -> str:
    if len(corpus.documents) > LISTED_DOCUMENTS:
        return _sources_summary_html(corpus)
    rows = []
    for doc in sorted(corpus.documents, key=lambda d: (d.date or "9999", d.doc_id)):
        date = f"{long_date(doc.date, doc.date_precision)} ({doc.date_basis})" if doc.date else "undated"
        url = f'<br><span class="source-url">{html.escape(doc.url)}</span>' if doc.url else ""
        pages = f", {doc.pages} pages" if doc.pages else ""
        rows.append(
            f'<li id="source-{html.escape(doc.doc_id)}"><b>{html.escape(doc.title)}</b>. '
            f"{html.escape(doc.source or 'Unknown source')}"
            f"{'. ' + html.escape(doc.author) if doc.author else ''}. {html.escape(date)}. "
            f"File {html.escape(doc.file)}{pages}, {doc.words:,} words.{url}</li>"
        )
    return (
        '<section class="appendix"><h1 class="section-title" id="appendix-sources">Appendix B. Sources</h1>'
        f'<ol class="sources">{"".join(rows)}</ol></section>'
    )


def _sources_summary_html(corpus: Corpus) -> str:
    """One row per source: documents, words and dates; every document is in tables/documents.csv."""
    frame = pd.DataFrame(
        [{"source": d.source or "Unknown source", "date": d.date, "words": d.words} for d in corpus.documents]
    )
    dated = frame[frame["date"].astype(bool)]
    summary = frame.groupby("source").agg(documents=("words", "size"), words=("words", "sum"))
    summary["first"] = dated.groupby("source")["date"].min()
    summary["last"] = dated.groupby("source")["date"].max()
    summary = summary.sort_values(["documents", "words"], ascending=False).reset_index()
    shown = pd.DataFrame(
        {
            "Source": summary["source"],
            "Documents": summary["documents"],
            "Words": summary["words"],
            "First": summary["first"].fillna("").map(lambda v: long_date(v) if v else "—"),
            "Last": summary["last"].fillna("").map(lambda v: long_date(v) if v else "—"),
        }
    )
    return (
        '<section class="appendix"><h1 class="section-title" id="appendix-sources">Appendix B. Sources</h1>'
        f'<p class="narrative">{len(corpus.documents):,} documents from {len(summary):,} sources. '
        "Each document, with its title, author, date, URL and file, is listed in tables/documents.csv.</p>"
        + _table(
            shown.head(40),
            "Documents per source" + (f" (the 40 largest of {len(summary):,})" if len(summary) > 40 else ""),
        )
        + "</section>"
    )


def provenance_html(record: dict) -> str:
    documents = record["corpus"]["documents"]
    if len(documents) > LISTED_DOCUMENTS:  # one digest stands for them all; manifest.json lists each
        together = hashlib.sha256(
            "".join(f"{d['file']}\0{d['sha256']}\n" for d in documents).encode()
        ).hexdigest()
        files = pd.DataFrame(
            [
                {
                    "File": (
                        f"{len(documents):,} documents (digest of their names and hashes; "
                        "each in manifest.json)"
                    ),
                    "SHA-256": together,
                }
            ]
        )
    else:
        files = pd.DataFrame([{"File": d["file"], "SHA-256": d["sha256"]} for d in documents])
    if record["corpus"].get("metadata_file"):
        files.loc[len(files)] = {
            "File": record["corpus"]["metadata_file"],
            "SHA-256": record["corpus"]["metadata_sha256"],
        }
    for name, entry in record["lexicons"].items():
        files.loc[len(files)] = {
            "File": f"{name} rules ({Path(entry['path']).name})",
            "SHA-256": entry["sha256"],
        }
    parameters = pd.DataFrame(
        [
            {"Parameter": k, "Value": "—" if v in (None, "") else str(v)}
            for k, v in record["parameters"].items()
        ]
    )
    versions = pd.DataFrame([{"Software": k, "Version": v} for k, v in record["versions"].items()])
    return (
        '<section class="appendix">'
        '<h1 class="section-title" id="appendix-provenance">Appendix C. Provenance</h1>'
        f'<p class="narrative">Code: {html.escape(record["code"])}. The same record is in manifest.json '
        "beside this briefing; two builds with the same inputs, parameters and stamp give identical tables, "
        "HTML and PDF.</p>"
        + _table(files, "Inputs and their SHA-256 hashes")
        + _table(parameters, "Parameters of this build")
        + _table(versions, "Software")
        + "</section>"
    )
