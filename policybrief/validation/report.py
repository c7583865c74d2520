"""The headline figures of a validation run: the README's table, and the recorded floor the tests guard."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from policybrief import paths
from policybrief.errors import BriefingError

LEVELS_FILE = paths.VALIDATION_DIR / "levels.json"
START, END = "<!-- validation:start -->", "<!-- validation:end -->"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Callable[[dict], float | None]
    higher_is_better: bool
    target: str


def _not_actors(figures: dict, *reasons: str) -> int:
    return sum(figures["not_actors"].get(reason, {}).get("counted", 0) for reason in reasons)


FIGURES = (
    Figure(
        "person_precision",
        "Person mentions: precision",
        lambda f: f["persons"]["overall"]["precision"],
        True,
        "≥ 0.97",
    ),
    Figure(
        "person_recall",
        "Person mentions: recall",
        lambda f: f["persons"]["overall"]["recall"],
        True,
        "≥ 0.95",
    ),
    Figure(
        "theme_precision",
        "Theme presence: precision",
        lambda f: f["themes"]["overall"]["precision"],
        True,
        "≥ 0.90",
    ),
    Figure(
        "theme_recall", "Theme presence: recall", lambda f: f["themes"]["overall"]["recall"], True, "≥ 0.85"
    ),
    Figure(
        "quantity_precision",
        "Stated quantities: precision",
        lambda f: f["quantities"]["precision"] if f.get("quantities") else None,
        True,
        "≥ 0.90",
    ),
    Figure(
        "quantity_recall",
        "Stated quantities: recall",
        lambda f: f["quantities"]["recall"] if f.get("quantities") else None,
        True,
        "≥ 0.85",
    ),
    Figure(
        "body_lines_lost",
        "Body lines removed by cleaning",
        lambda f: f["cleaning"]["body_units_lost"],
        False,
        "0",
    ),
    Figure(
        "body_words_lost",
        "Body words removed by cleaning",
        lambda f: f["cleaning"]["body_words_lost"],
        False,
        "0",
    ),
    Figure(
        "residue_kept",
        "Residue words kept (share)",
        lambda f: f["cleaning"]["residue_share_kept"],
        False,
        "—",
    ),
    Figure(
        "datelines_counted",
        "Datelines and mastheads counted as actors",
        lambda f: _not_actors(f, "dateline", "masthead"),
        False,
        "0",
    ),
    Figure(
        "places_counted",
        "Places and names inside names counted as actors",
        lambda f: _not_actors(f, "place", "inside_name"),
        False,
        "—",
    ),
    Figure(
        "unlisted_people",
        "Unlisted names that are people (share)",
        lambda f: f["unlisted"]["share_people"],
        True,
        "≥ 0.90",
    ),
)


# How well PDFs are read (``validation/pdf.py``): one column, the PDF set.
PDF_FIGURES = (
    Figure("pdf_block_recall", "Body blocks kept", lambda f: f["block_recall"], True, "≥ 0.97"),
    Figure(
        "pdf_furniture_kept",
        "Running headers and footers left in the text (share)",
        lambda f: f["furniture_kept"],
        False,
        "≤ 0.05",
    ),
    Figure(
        "pdf_page_accuracy", "Blocks cited on the right page", lambda f: f["page_accuracy"], True, "≥ 0.98"
    ),
)
PDF_START, PDF_END = "<!-- validation-pdf:start -->", "<!-- validation-pdf:end -->"


def pdf_table(pdf: dict) -> str:
    """The README's table of PDF reading: one row per figure."""
    rows = [f"| figure | {pdf['documents']} PDFs, {pdf['pages']} pages | target |", "|---|---|---|"]
    rows += [f"| {f.label} | {_shown(f.value(pdf))} | {f.target} |" for f in PDF_FIGURES]
    return "\n".join(rows)


def _shown(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def table(figures: dict) -> str:
    """The README's table: one row per figure, one column per validation set."""
    names = list(figures)
    sizes = " | ".join(f"{name} ({figures[name]['documents']} docs)" for name in names)
    rows = [f"| figure | {sizes} | target |", "|---" * (len(names) + 2) + "|"]
    for figure in FIGURES:
        values = " | ".join(_shown(figure.value(figures[name])) for name in names)
        rows.append(f"| {figure.label} | {values} | {figure.target} |")
    return "\n".join(rows)


def _between(readme: str, start: str, end: str, content: str) -> str:
    if start not in readme or end not in readme:
        raise BriefingError(f"README.md: the markers {start} and {end} are missing")
    before, rest = readme.split(start, 1)
    return before + start + "\n" + content + "\n" + end + rest.split(end, 1)[1]


def readme_with_table(readme: str, figures: dict, pdf: dict) -> str:
    return _between(_between(readme, START, END, table(figures)), PDF_START, PDF_END, pdf_table(pdf))


def levels(figures: dict, pdf: dict) -> dict:
    recorded = {name: {f.key: f.value(set_figures) for f in FIGURES} for name, set_figures in figures.items()}
    return {**recorded, "pdf": {f.key: f.value(pdf) for f in PDF_FIGURES}}


def check_levels(figures: dict, pdf: dict | None = None) -> list[str]:
    """Every figure worse than the level recorded in ``validation/levels.json``, as one line each."""
    if not LEVELS_FILE.is_file():
        return []
    recorded = json.loads(LEVELS_FILE.read_text(encoding="utf-8"))
    problems = []
    scored: list[tuple[str, dict, tuple[Figure, ...]]] = [(name, f, FIGURES) for name, f in figures.items()]
    scored += [("pdf", pdf, PDF_FIGURES)] if pdf is not None else []
    for name, set_figures, kinds in scored:
        for figure in kinds:
            floor, now = recorded.get(name, {}).get(figure.key), figure.value(set_figures)
            if floor is None or now is None:
                continue
            if (now < floor - 1e-9) if figure.higher_is_better else (now > floor + 1e-9):
                problems.append(f"{name}: {figure.label} {now:g}, recorded {floor:g}")
    return problems
