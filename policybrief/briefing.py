"""The parts of the briefing that speak for all analyses: key findings, method, sources, provenance.

Every key finding is generated from the tables and carries the rows and values it states, so a test
can check each one against the CSV files, and a pointer to a sentence of evidence.
"""

import hashlib
import html
import json
import platform
import subprocess
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

from policybrief import __version__, present
from policybrief.cleaning import DEFAULT_RULES_PATH
from policybrief.compare import items_in
from policybrief.config import PROJECT_DIR
from policybrief.corpus import Corpus
from policybrief.overview import citation, long_date, short_title, summary
from policybrief.text import plural

MIN_DOCUMENTS = 3  # a finding resting on fewer documents says so
PACKAGES = ["pandas", "numpy", "scipy", "scikit-learn", "statsmodels", "altair", "vl-convert-python", "papermill",
            "nbconvert", "nbformat", "trafilatura", "wordfreq", "rapidfuzz", "pypdf", "pyyaml"]


@dataclass
class Finding:
    statement: str
    checks: list[tuple[str, dict, dict]]  # (table, columns that pick the row, values the statement gives)
    documents: int  # documents the finding rests on
    evidence: dict | None = None  # doc_id, text, spans, citation
    caveat: str = field(init=False, default="")

    def __post_init__(self):
        if self.documents < MIN_DOCUMENTS:
            self.caveat = f"This rests on {plural(self.documents, 'document')} only."


def _evidence(corpus: Corpus, doc_id: str, sentence_index: int, spans: list[tuple[int, int]] | None = None) -> dict:
    doc = next(d for d in corpus.documents if d.doc_id == doc_id)
    start, end = doc.sentence_spans[sentence_index]
    relative = [(s - start, e - start) for s, e in (spans or []) if start <= s < e <= end]
    return {"doc_id": doc_id, "sentence_index": sentence_index, "text": doc.text[start:end], "spans": relative,
            "citation": citation(doc)}


def _mention_evidence(corpus: Corpus, actor_evidence: pd.DataFrame, actor_id: str) -> dict | None:
    """The sentence of the latest document that names the actor most."""
    rows = actor_evidence[actor_evidence["actor"] == actor_id]
    if rows.empty:
        return None
    dates = {d.doc_id: d.date or "" for d in corpus.documents}
    counts = rows.groupby(["doc_id", "sentence_index"]).size().reset_index(name="n")
    counts["date"] = counts["doc_id"].map(dates)
    best = counts.sort_values(["date", "n", "sentence_index"], ascending=[False, False, True]).iloc[0]
    spans = rows[(rows["doc_id"] == best["doc_id"]) & (rows["sentence_index"] == best["sentence_index"])]
    return _evidence(corpus, best["doc_id"], int(best["sentence_index"]), list(zip(spans["start"], spans["end"])))


def key_findings(corpus: Corpus, theme_analysis, actor_analysis, comparison, limit: int = 8) -> list[Finding]:
    """Five to eight statements drawn from the tables, strongest evidence first."""
    from policybrief.themes import telling_sentences

    findings: list[Finding] = []
    n = len(corpus.documents)
    cc = theme_analysis.corpus_coverage
    if len(cc) and cc.iloc[0]["documents_covering"] > 0:
        top = cc.iloc[0]
        ties = cc[(cc["documents_covering"] == top["documents_covering"]) & (cc["theme"] != top["theme"])]
        tie_text = f", tied with {plural(len(ties), 'other theme')}" if len(ties) else ""
        quote = telling_sentences(corpus, theme_analysis.evidence, top["theme"], 1)
        findings.append(Finding(
            f"{top['label']} is the most widely covered theme: {top['documents_covering']} of {top['documents']} documents "
            f"(95% interval {top['ci_low']:.0%}–{top['ci_high']:.0%}), with {plural(int(top['hits']), 'hit')}{tie_text}.",
            [("theme_corpus_coverage.csv", {"theme": top["theme"]},
              {"documents_covering": int(top["documents_covering"]), "documents": int(top["documents"]), "hits": int(top["hits"])})],
            int(top["documents_covering"]), quote[0] if quote else None))
    app = actor_analysis.appearances
    people = app[app["actor"].map(lambda a: actor_analysis.actors.actors[a].type == "person")]
    if len(people):
        top = people.iloc[0]
        findings.append(Finding(
            f"{top['name']} is the most mentioned person: {plural(int(top['mentions']), 'mention')} in {top['documents']} "
            f"of {n} documents.",
            [("actor_appearances.csv", {"actor": top["actor"]}, {"mentions": int(top["mentions"]), "documents": int(top["documents"])})],
            int(top["documents"]), _mention_evidence(corpus, actor_analysis.evidence, top["actor"])))
    period = comparison.period
    split = long_date(comparison.split_date)
    actors_changed = period[(period["kind"] == "actor")].copy()
    if len(actors_changed):
        actors_changed["size"] = actors_changed["change"].abs()
        actors_changed["weight"] = actors_changed["before_count"] + actors_changed["after_count"]
        best = actors_changed.sort_values(["size", "weight", "item"], ascending=[False, False, True]).iloc[0]
        if best["size"] > 0:
            verb = "fell" if best["change"] < 0 else "rose"
            findings.append(Finding(
                f"The share of documents naming {best['label']} {verb} most across {split}: {best['before_count']} of "
                f"{best['before_docs']} documents before, {best['after_count']} of {best['after_docs']} from then on.",
                [("period_change.csv", {"kind": "actor", "item": best["item"]},
                  {"before_count": int(best["before_count"]), "before_docs": int(best["before_docs"]),
                   "after_count": int(best["after_count"]), "after_docs": int(best["after_docs"])})],
                int(best["before_count"] + best["after_count"]), _mention_evidence(corpus, actor_analysis.evidence, best["item"])))
    late = app[(app["change"] == "new after the split")]
    if len(late):
        best = late.sort_values(["mentions", "actor"], ascending=[False, True]).iloc[0]
        findings.append(Finding(
            f"{best['name']} appears only from {split} on: {plural(int(best['mentions']), 'mention')} in "
            f"{plural(int(best['documents']), 'document')}, first on {long_date(best['first_date'])}.",
            [("actor_appearances.csv", {"actor": best["actor"]},
              {"mentions": int(best["mentions"]), "documents": int(best["documents"]), "first_date": best["first_date"]})],
            int(best["documents"]), _mention_evidence(corpus, actor_analysis.evidence, best["actor"])))
    cosine = comparison.similarity[(comparison.similarity["measure"] == "cosine_tfidf")]
    cosine = cosine[cosine["doc_a"] < cosine["doc_b"]].sort_values(["value", "doc_a", "doc_b"], ascending=[False, True, True])
    if len(cosine) >= 2:
        docs = {d.doc_id: d for d in corpus.documents}
        high, low = cosine.iloc[0], cosine.iloc[-1]
        shared = _shared_themes(theme_analysis, high["doc_a"], high["doc_b"])
        findings.append(Finding(
            f"By wording, the most alike documents are “{short_title(docs[high['doc_a']], 45)}” and "
            f"“{short_title(docs[high['doc_b']], 45)}” (cosine {high['value']:.2f}; they share {plural(len(shared), 'theme')}, "
            f"among them {', '.join(shared[:3]) or 'none'}); the least alike are “{short_title(docs[low['doc_a']], 45)}” and "
            f"“{short_title(docs[low['doc_b']], 45)}” ({low['value']:.2f}).",
            [("similarity.csv", {"doc_a": high["doc_a"], "doc_b": high["doc_b"], "measure": "cosine_tfidf"}, {"value": round(high["value"], 2)}),
             ("similarity.csv", {"doc_a": low["doc_a"], "doc_b": low["doc_b"], "measure": "cosine_tfidf"}, {"value": round(low["value"], 2)})],
            n, None))
    everywhere = cc[cc["documents_covering"] == n]
    if n > 1 and len(everywhere):
        labels = everywhere["label"].tolist()
        findings.append(Finding(
            f"{plural(len(labels), 'theme')} {'runs' if len(labels) == 1 else 'run'} through every one of the {n} documents: "
            f"{', '.join(labels)}.",
            [("theme_corpus_coverage.csv", {"theme": t}, {"documents_covering": n}) for t in everywhere["theme"]],
            n, None))
    themes_changed = period[period["kind"] == "theme"].copy()
    if len(themes_changed):
        themes_changed["size"] = themes_changed["change"].abs()
        best = themes_changed.sort_values(["size", "item"], ascending=[False, True]).iloc[0]
        if best["size"] > 0:
            quote = telling_sentences(corpus, theme_analysis.evidence, best["item"], 1)
            findings.append(Finding(
                f"Among themes, {best['label']} changed most across {split}: covered by {best['before_count']} of "
                f"{best['before_docs']} documents before and {best['after_count']} of {best['after_docs']} after.",
                [("period_change.csv", {"kind": "theme", "item": best["item"]},
                  {"before_count": int(best["before_count"]), "after_count": int(best["after_count"])})],
                int(best["before_count"] + best["after_count"]), quote[0] if quote else None))
    repeats = comparison.near_duplicates[comparison.near_duplicates["kind"] == "within a document"]
    if len(repeats):
        docs = {d.doc_id: d for d in corpus.documents}
        row = repeats.sort_values(["words", "doc_a"], ascending=[False, True]).iloc[0]
        findings.append(Finding(
            f"“{short_title(docs[row['doc_a']], 50)}” printed {plural(int(row['words']), 'word')} of its text twice; the "
            f"repeat was removed before counting, so no theme or actor is counted twice.",
            [("near_duplicates.csv", {"kind": "within a document", "doc_a": row["doc_a"]}, {"words": int(row["words"])})],
            1, None))
    return findings[:limit]


def _shared_themes(theme_analysis, a: str, b: str) -> list[str]:
    present_rows = theme_analysis.coverage[theme_analysis.coverage["present"]]
    shared = items_in(present_rows, "theme", a) & items_in(present_rows, "theme", b)
    order = [t for t in theme_analysis.corpus_coverage["theme"] if t in shared]
    return [theme_analysis.lexicon.short(t) for t in order]


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    return pd.DataFrame([{"number": i, "statement": f.statement, "caveat": f.caveat, "documents": f.documents,
                          "checks": json.dumps(f.checks, sort_keys=True, default=str),
                          "evidence_doc_id": (f.evidence or {}).get("doc_id", ""),
                          "evidence_sentence_index": (f.evidence or {}).get("sentence_index", "")}
                         for i, f in enumerate(findings, start=1)])


def findings_html(findings: list[Finding]) -> str:
    items = []
    for finding in findings:
        caveat = f' <span class="caveat">{html.escape(finding.caveat)}</span>' if finding.caveat else ""
        quote = ""
        if finding.evidence:
            ev = finding.evidence
            quote = (f'<blockquote class="evidence">“{present.marked(ev["text"], ev["spans"])}”'
                     f'<cite><a href="#source-{html.escape(ev["doc_id"])}">{html.escape(ev["citation"])}</a></cite></blockquote>')
        items.append(f"<li><p>{html.escape(finding.statement)}{caveat}</p>{quote}</li>")
    return (f'<section class="key-findings"><h1 class="section-title" id="key-findings">Key findings</h1>'
            f'<p class="narrative">Generated from the tables of this build; each finding quotes a sentence it rests on '
            f'and links to its source. Table: tables/key_findings.csv.</p><ol class="findings">{"".join(items)}</ol></section>')


# --- method, sources, provenance ------------------------------------------------------------------

def _table(frame: pd.DataFrame, caption: str, csv_name: str | None = None) -> str:
    return present.table(frame, caption, csv_name).data


def method_html(corpus: Corpus, theme_analysis, actor_analysis) -> str:
    themes_frame = pd.DataFrame([{"Theme": t.label, "Definition": t.definition, "Terms": ", ".join(t.terms),
                                  "Not counted in": ", ".join(t.exclude) or "—"} for t in theme_analysis.lexicon.themes.values()])
    actors_frame = pd.DataFrame([{"Actor": a.name, "Type": a.type, "Role": a.role,
                                  "Also found as": ", ".join(a.aliases + a.short + a.metonyms) or "—"}
                                 for a in actor_analysis.actors.actors.values()])
    removals = pd.DataFrame([(r["step"], r["reason"], r["words"], d.doc_id) for d in corpus.documents for r in d.removals],
                            columns=["step", "reason", "words", "doc_id"])
    cleaning = (removals[removals["step"] != "line break repaired"].groupby("step")
                .agg(documents=("doc_id", "nunique"), removals=("reason", "size"), words=("words", "sum")).reset_index()
                if len(removals) else pd.DataFrame(columns=["step", "documents", "removals", "words"]))
    cleaning.columns = ["Cleaning step", "Documents", "Removals", "Words removed"]
    rules = """
<h2 id="method-rules">Counting rules</h2>
<ul>
<li><b>Words</b> are runs of letters or digits; an apostrophe, hyphen or period inside a run keeps it one word. All rates are per 1,000 words of the cleaned text.</li>
<li><b>Sentences</b> end at . ! ? before a capital, a digit or a quote, not after titles, numbered abbreviations, initials or dotted abbreviations; a paragraph break always ends one.</li>
<li><b>Theme hits</b> are matches of a theme's terms: whole words, case ignored except for words in capitals, hyphen and space variants alike, * for any ending. Inside a theme the longest match wins and a span counts once; the same words may count for two themes. A document covers a theme with at least one hit.</li>
<li><b>Actor mentions</b> are names, aliases and near-miss spellings; short forms only after the full name in the same document; "&lt;name&gt; administration"; capitals standing for governments (metonyms). Adjectives are not mentions. Unresolved short forms are listed, not counted.</li>
<li><b>Every number</b> is a count or an aggregate of the evidence tables, in which each match has its document, sentence and character span.</li>
</ul>
<h2 id="method-statistics">Statistics</h2>
<ul>
<li>Shares of documents: Wilson score interval, 95% (Wilson 1927; Brown, Cai &amp; DasGupta 2001).</li>
<li>Change of a share between two periods: Newcombe's hybrid score interval for a difference of proportions, 95% (Newcombe 1998).</li>
<li>Distinctive terms: log-odds ratio with an informative Dirichlet prior, z-scored (Monroe, Colaresi &amp; Quinn 2008, "Fightin' Words"); Log Ratio as effect size (Hardie 2014).</li>
<li>Similarity: cosine of sublinear tf-idf vectors (Salton &amp; Buckley 1988); Jensen–Shannon distance of smoothed theme shares (Lin 1991); weighted Jaccard overlap of actor rates.</li>
<li>Document map: metric multidimensional scaling of 1 − cosine (Kruskal 1964), fixed seed. Near-duplicates: Jaccard overlap of 5-word shingles (Broder 1997).</li>
</ul>
<h2 id="method-limitations">Limitations</h2>
<ul>
<li>Dictionary counting finds the words analysts chose; paraphrase, irony and negation ("no sign of sanctions relief") count like any other use.</li>
<li>A handful of documents shows what these documents say, not what the debate says: intervals are wide and period changes are leads, not trends.</li>
<li>Dates come from curated metadata where given, otherwise from the page; reposted pieces carry the date of the repost.</li>
<li>Cleaning rules are heuristics: what they removed is listed per document, and anything they missed is counted.</li>
</ul>
"""
    return ('<section class="appendix"><h1 class="section-title" id="appendix-method">Appendix A. Method and data</h1>'
            + rules + '<h2 id="method-cleaning">What cleaning removed</h2>'
            + _table(cleaning, "Removals by cleaning step (rules: config/cleaning.yaml)", "cleaning_log.csv")
            + '<h2 id="method-themes">Themes</h2>' + _table(themes_frame, "The theme dictionary (config/themes.yaml)")
            + '<h2 id="method-actors">Actors</h2>' + _table(actors_frame, "The actor list (config/actors.yaml)")
            + "</section>")


# Above this many documents the appendices summarise by source and point to documents.csv and manifest.json.
LISTED_DOCUMENTS = 60


def sources_html(corpus: Corpus) -> str:
    if len(corpus.documents) > LISTED_DOCUMENTS:
        return _sources_summary_html(corpus)
    rows = []
    for doc in sorted(corpus.documents, key=lambda d: (d.date or "9999", d.doc_id)):
        date = f"{long_date(doc.date)} ({doc.date_basis})" if doc.date else "undated"
        url = f'<br><span class="source-url">{html.escape(doc.url)}</span>' if doc.url else ""
        rows.append(f'<li id="source-{html.escape(doc.doc_id)}"><b>{html.escape(doc.title)}</b>. '
                    f"{html.escape(doc.source or 'Unknown source')}"
                    f"{'. ' + html.escape(doc.author) if doc.author else ''}. {html.escape(date)}. "
                    f'File {html.escape(doc.file)}, {doc.words:,} words.{url}</li>')
    return ('<section class="appendix"><h1 class="section-title" id="appendix-sources">Appendix B. Sources</h1>'
            f'<ol class="sources">{"".join(rows)}</ol></section>')


def _sources_summary_html(corpus: Corpus) -> str:
    """One row per source: documents, words and dates; every document is in tables/documents.csv."""
    frame = pd.DataFrame([{"source": d.source or "Unknown source", "date": d.date, "words": d.words} for d in corpus.documents])
    dated = frame[frame["date"].astype(bool)]
    summary = frame.groupby("source").agg(documents=("words", "size"), words=("words", "sum"))
    summary["first"] = dated.groupby("source")["date"].min()
    summary["last"] = dated.groupby("source")["date"].max()
    summary = summary.sort_values(["documents", "words"], ascending=False).reset_index()
    shown = pd.DataFrame({"Source": summary["source"], "Documents": summary["documents"], "Words": summary["words"],
                          "First": summary["first"].fillna("").map(lambda v: long_date(v) if v else "—"),
                          "Last": summary["last"].fillna("").map(lambda v: long_date(v) if v else "—")})
    return ('<section class="appendix"><h1 class="section-title" id="appendix-sources">Appendix B. Sources</h1>'
            f'<p class="narrative">{len(corpus.documents):,} documents from {len(summary):,} sources. Each document, '
            "with its title, author, date, URL and file, is listed in tables/documents.csv.</p>"
            + _table(shown.head(40), "Documents per source" + (f" (the 40 largest of {len(summary):,})" if len(summary) > 40 else ""))
            + "</section>")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _code_version() -> str:
    try:
        commit = subprocess.run(["git", "-C", str(PROJECT_DIR), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(PROJECT_DIR), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", ""
    digest = hashlib.sha256()
    for path in sorted((PROJECT_DIR / "policybrief").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PROJECT_DIR).as_posix().encode() + path.read_bytes())
    return (f"git {commit[:12]}{' (with uncommitted changes)' if dirty else ''}; " if commit else "") + \
        f"policybrief {__version__}, source sha256 {digest.hexdigest()[:16]}"


def manifest(corpus: Corpus, options, chromium_version: str) -> dict:
    """Inputs with their hashes, the parameters, the versions: what makes this briefing what it is."""
    inputs = [{"file": d.file, "sha256": d.sha256} for d in sorted(corpus.documents, key=lambda d: d.file)]
    metadata_file = Path(options.corpus) / "metadata.csv"
    lexicons = {name: {"path": str(path), "sha256": _sha256(Path(path))}
                for name, path in (("cleaning", DEFAULT_RULES_PATH), ("themes", options.themes_path), ("actors", options.actors_path))}
    versions = {"python": platform.python_version(), "chromium": chromium_version}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "corpus": {"folder": str(options.corpus), "documents": inputs,
                   "metadata_csv": _sha256(metadata_file) if metadata_file.is_file() else None,
                   "skipped_or_outside_window": sorted(d.file for d in corpus.outside_window)},
        "lexicons": lexicons,
        "parameters": {"start": options.start, "end": options.end, "title": options.title, "paper": options.paper,
                       "stamp": options.stamp},
        "versions": versions,
        "code": _code_version(),
        "summary": summary(corpus),
    }


def provenance_html(record: dict) -> str:
    documents = record["corpus"]["documents"]
    if len(documents) > LISTED_DOCUMENTS:  # one digest stands for them all; manifest.json lists each
        together = hashlib.sha256("".join(f"{d['file']}\0{d['sha256']}\n" for d in documents).encode()).hexdigest()
        files = pd.DataFrame([{"File": f"{len(documents):,} documents (digest of their names and hashes; each in manifest.json)",
                               "SHA-256": together}])
    else:
        files = pd.DataFrame([{"File": d["file"], "SHA-256": d["sha256"]} for d in documents])
    if record["corpus"]["metadata_csv"]:
        files.loc[len(files)] = {"File": "metadata.csv", "SHA-256": record["corpus"]["metadata_csv"]}
    for name, entry in record["lexicons"].items():
        files.loc[len(files)] = {"File": f"{name} rules ({Path(entry['path']).name})", "SHA-256": entry["sha256"]}
    parameters = pd.DataFrame([{"Parameter": k, "Value": "—" if v in (None, "") else str(v)} for k, v in record["parameters"].items()])
    versions = pd.DataFrame([{"Software": k, "Version": v} for k, v in record["versions"].items()])
    return ('<section class="appendix"><h1 class="section-title" id="appendix-provenance">Appendix C. Provenance</h1>'
            f'<p class="narrative">Code: {html.escape(record["code"])}. The same record is in manifest.json beside this '
            "briefing; two builds with the same inputs, parameters and stamp give identical tables, HTML and PDF.</p>"
            + _table(files, "Inputs and their SHA-256 hashes") + _table(parameters, "Parameters of this build")
            + _table(versions, "Software") + "</section>")
