"""``policybrief validate``: build the tables of each validation set, score them against its gold, and write
``validation.json`` and the README's table; ``--record`` makes today's figures the floor the tests guard."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import html as lxml_html

from policybrief import paths
from policybrief.build.pipeline import staged
from policybrief.build.tables import read_table
from policybrief.corpus.formats import decode, repair_encoding
from policybrief.log import logger
from policybrief.options import Options
from policybrief.text.words import normalise_unicode
from policybrief.validation import score
from policybrief.validation.gold import Gold, read_gold, read_quantities
from policybrief.validation.pdf import PDF_SET, score_pdfs
from policybrief.validation.report import LEVELS_FILE, check_levels, levels, readme_with_table

# Each set: its corpus folder and its gold folder.
VALIDATION_SETS = {
    "validation": (paths.VALIDATION_DIR / "corpus", paths.VALIDATION_DIR / "gold"),
    "seed": (paths.SEED_CORPUS, paths.VALIDATION_DIR / "seed-gold"),
    # written apart from the rules and first scored untouched (issue 18's closing note has that score)
    "holdout": (paths.VALIDATION_DIR / "holdout" / "corpus", paths.VALIDATION_DIR / "holdout" / "gold"),
}
_TABLES = (
    "documents",
    "actor_mentions",
    "actor_evidence",
    "theme_coverage",
    "unlisted_names",
    "stated_quantities",
)


def _plain(text: str) -> str:
    return normalise_unicode(repair_encoding(text)[0])[0].strip()


def _raw_units(path: Path, residue: list[str]) -> tuple[list[tuple[str, bool]], list[str]]:
    """The document's units marked body or residue, and the residue texts to look for separately (HTML: the
    body is the text of the ``<p>`` elements inside ``<article>``, the rest is what the gold lists)."""
    text = _plain(decode(path.read_bytes())[0] or "")
    if path.suffix.lower() in (".html", ".htm"):
        tree = lxml_html.fromstring(text)
        listed = {_plain(line) for line in residue}
        paragraphs = [" ".join(p.text_content().split()) for p in tree.xpath("//article//p")]
        return [(p, True) for p in paragraphs if p and p not in listed], [_plain(line) for line in residue]
    lines = text.splitlines()
    body = score.label_lines(lines, [_plain(line) for line in residue])
    return [(line, is_body) for line, is_body in zip(lines, body, strict=True) if line.strip()], []


def _cleaning(corpus: Path, files: dict[str, str], texts: dict[str, str], gold: Gold) -> dict:
    totals: dict[str, int] = {}
    lost = []
    for doc_id, file in sorted(files.items(), key=lambda item: item[1]):
        residue = gold.residue.loc[gold.residue["file"] == file, "line"].tolist()
        units, separate = _raw_units(corpus / file, residue)
        cleaned = texts.get(doc_id, "")
        result = score.cleaning_scores(units, cleaned)
        for text in separate:  # residue outside the body's flow: kept when its words stand in the text
            if len(score.words(text)) >= 3 and score.find_span(cleaned, text):
                result["residue_words_kept"] = result.get("residue_words_kept", 0) + len(score.words(text))
            result["residue_words"] = result.get("residue_words", 0) + len(score.words(text))
        for name, value in result.items():
            totals[name] = totals.get(name, 0) + value
        if result.get("body_units_lost"):
            lost.append(file)
    keys = ("body_words", "body_words_lost", "body_units_lost", "residue_words", "residue_words_kept")
    summary: dict[str, Any] = {name: totals.get(name, 0) for name in keys}
    summary["residue_share_kept"] = score.ratio(summary["residue_words_kept"], summary["residue_words"])
    summary["documents_losing_body"] = lost
    return summary


def _not_actors(files: dict[str, str], texts: dict[str, str], evidence: pd.DataFrame, gold: Gold) -> dict:
    doc_of = {file: doc_id for doc_id, file in files.items()}
    result: dict[str, dict] = {}
    for why, rows in gold.not_actors.groupby("why"):
        counted = []
        for file, needle in zip(rows["file"], rows["text"], strict=True):
            doc_id = doc_of[file]
            spans = evidence[evidence["doc_id"] == doc_id]
            if score.spans_counted(texts.get(doc_id, ""), [_plain(needle)], spans)[0]:
                counted.append(f"{file}: {needle}")
        result[str(why)] = {"total": len(rows), "counted": len(counted), "examples": counted[:10]}
    return result


# The presence rules compared on each set: the briefing's (at least ``min_hits`` hits, default 1) against
# stricter ones, so that the choice of rule rests on the gold (README, "Validation").
PRESENCE_RULES = {
    "hits >= 1": lambda f: f["hits"] >= 1,
    "hits >= 2": lambda f: f["hits"] >= 2,
    "hits >= 3": lambda f: f["hits"] >= 3,
    "sentences >= 2": lambda f: f["sentences_with_theme"] >= 2,
    "sentence share >= 5%": lambda f: f["sentence_share"] >= 0.05,
}


def _presence_rules(coverage: pd.DataFrame, gold: Gold) -> dict:
    return {
        name: score.presence_scores(
            coverage.assign(present=rule(coverage).astype(int))[["file", "theme", "present"]],
            gold.themes,
            "theme",
        )["overall"]
        for name, rule in PRESENCE_RULES.items()
    }


def score_set(corpus: Path, gold_folder: Path, options: Options) -> dict:
    """Build the tables of ``corpus`` (through the cache) and score them against its gold."""
    with tempfile.TemporaryDirectory(prefix="policybrief-validate-") as out:
        run = dataclasses.replace(options, corpus=corpus, out=Path(out))
        with staged(run, ".validate-") as (corpus_read, results, work):
            tables = {name: read_table(work / "tables", name) for name in _TABLES}
            # the cleaned texts the evidence offsets point into
            texts = {d.doc_id: corpus_read.with_text(d).full_text for d in corpus_read.documents}
    people = [a for a in results["actors"].actors.actors.values() if a.type == "person"]
    gold = read_gold(gold_folder, corpus, set(results["themes"].lexicon.themes), {a.actor_id for a in people})
    documents = tables["documents"]
    files = dict(zip(documents["doc_id"], documents["file"], strict=True))
    mentions = tables["actor_mentions"]
    mentions = mentions[mentions["actor_type"] == "person"].assign(file=lambda f: f["doc_id"].map(files))
    coverage = tables["theme_coverage"].assign(file=lambda f: f["doc_id"].map(files))
    gold_quantities = read_quantities(gold_folder, corpus)
    stated = tables["stated_quantities"].assign(file=lambda f: f["doc_id"].map(files))
    return {
        "quantities": None if gold_quantities is None else score.quantity_scores(stated, gold_quantities),
        "documents": len(documents),
        "persons": score.count_scores(
            mentions.rename(columns={"actor": "person"})[["file", "person", "mentions"]],
            gold.persons,
            "person",
            "mentions",
        ),
        "themes": score.presence_scores(
            coverage[["file", "theme", "present"]].astype({"present": int}), gold.themes, "theme"
        ),
        "presence_rules": _presence_rules(coverage, gold),
        "cleaning": _cleaning(corpus, files, texts, gold),
        "not_actors": _not_actors(files, texts, tables["actor_evidence"], gold),
        "unlisted": score.unlisted_scores(
            tables["unlisted_names"]["name"].tolist(),
            gold.unlisted_people["name"].tolist(),
            [name for a in people for name in (a.name, *a.aliases)],
        ),
    }


def validate(options: Options, record: bool = False) -> dict:
    """Score every validation set; write ``OUT/validation.json`` and the README table; with ``record``, make
    the figures the floor that ``tests/test_validation.py`` guards."""
    figures = {}
    for name, (corpus, gold_folder) in VALIDATION_SETS.items():
        logger.info("validating on %s", corpus)
        figures[name] = score_set(corpus, gold_folder, options)
    logger.info("validating PDF reading on %s", PDF_SET)
    pdf = score_pdfs()
    options.out.mkdir(parents=True, exist_ok=True)
    written = {**figures, "pdf_reading": pdf}
    (options.out / "validation.json").write_text(json.dumps(written, indent=2, sort_keys=True) + "\n")
    readme = paths.README_FILE.read_text(encoding="utf-8")
    paths.README_FILE.write_text(readme_with_table(readme, figures, pdf))
    if record:
        LEVELS_FILE.write_text(json.dumps(levels(figures, pdf), indent=2, sort_keys=True) + "\n")
    for problem in check_levels(figures, pdf):
        logger.warning("below the recorded level: %s", problem)
    logger.info("validation written to %s and README.md", options.out / "validation.json")
    return figures
