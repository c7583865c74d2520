"""Scores of the briefing's counts against gold: pure functions of frames and texts, tested on small cases.

Counts are scored per document and key: a predicted count c against a gold count g gives min(c, g) true
positives, c - g false positives when c > g, and g - c misses when g > c. Span-level gold would be finer, but
a count per document is what an analyst can label in reasonable time, and it is what the briefing reports.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

import pandas as pd
from rapidfuzz.distance import OSA

from policybrief.text.words import WORD_RE


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _precision_recall(tp: int, fp: int, fn: int) -> dict:
    return {"tp": tp, "fp": fp, "fn": fn, "precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn)}


def count_scores(predicted: pd.DataFrame, gold: pd.DataFrame, key: str, count: str) -> dict:
    """Precision and recall of counts per ``key`` and overall (frames of ``file``, ``key``, ``count``)."""
    merged = pd.merge(
        predicted.groupby(["file", key], as_index=False)[count].sum(),
        gold.groupby(["file", key], as_index=False)[count].sum(),
        on=["file", key],
        how="outer",
        suffixes=("_predicted", "_gold"),
    ).fillna(0)
    merged["tp"] = merged[[f"{count}_predicted", f"{count}_gold"]].min(axis=1).astype(int)
    merged["fp"] = (merged[f"{count}_predicted"] - merged["tp"]).astype(int)
    merged["fn"] = (merged[f"{count}_gold"] - merged["tp"]).astype(int)
    by_key = {
        str(name): _precision_recall(int(group["tp"].sum()), int(group["fp"].sum()), int(group["fn"].sum()))
        for name, group in merged.groupby(key)
    }
    overall = _precision_recall(int(merged["tp"].sum()), int(merged["fp"].sum()), int(merged["fn"].sum()))
    wrong = merged[merged["fp"] + merged["fn"] > 0].sort_values(["file", key])
    differences = [
        {"file": file, key: name, "predicted": int(got), "gold": int(want)}
        for file, name, got, want in zip(
            wrong["file"], wrong[key], wrong[f"{count}_predicted"], wrong[f"{count}_gold"], strict=True
        )
    ]
    return {"overall": overall, f"by_{key}": by_key, "differences": differences}


def presence_scores(predicted: pd.DataFrame, gold: pd.DataFrame, key: str) -> dict:
    """Precision and recall of presence flags (``file``, ``key``, ``present``) per key and overall."""
    merged = pd.merge(gold, predicted, on=["file", key], how="left", suffixes=("_gold", "_predicted"))
    merged["present_predicted"] = merged["present_predicted"].fillna(0).astype(int)
    merged["tp"] = merged["present_gold"] & merged["present_predicted"]
    merged["fp"] = ~merged["present_gold"].astype(bool) & merged["present_predicted"].astype(bool)
    merged["fn"] = merged["present_gold"].astype(bool) & ~merged["present_predicted"].astype(bool)
    by_key = {
        str(name): _precision_recall(int(group["tp"].sum()), int(group["fp"].sum()), int(group["fn"].sum()))
        for name, group in merged.groupby(key)
    }
    overall = _precision_recall(int(merged["tp"].sum()), int(merged["fp"].sum()), int(merged["fn"].sum()))
    wrong = merged[merged["fp"] | merged["fn"]].sort_values(["file", key])
    differences = [
        {"file": file, key: name, "predicted": int(got), "gold": int(want)}
        for file, name, got, want in zip(
            wrong["file"], wrong[key], wrong["present_predicted"], wrong["present_gold"], strict=True
        )
    ]
    return {"overall": overall, f"by_{key}": by_key, "differences": differences}


def words(text: str) -> list[str]:
    return [word.lower() for word in WORD_RE.findall(text)]


def label_lines(lines: list[str], residue: list[str]) -> list[bool]:
    """Which lines are body: a non-blank line not listed as residue. A text listed k times marks the last k of
    its copies, because a repeated passage is the later copy (the first stays body)."""
    remaining = Counter(residue)
    body = [bool(line.strip()) for line in lines]
    for index in range(len(lines) - 1, -1, -1):
        text = lines[index].strip()
        if remaining[text] > 0:
            remaining[text] -= 1
            body[index] = False
    return body


def cleaning_scores(units: list[tuple[str, bool]], cleaned: str) -> dict:
    """Body words cleaning lost and residue words it kept: the raw units (a line or a paragraph, each marked
    body or not) aligned word by word with the cleaned text. A body unit counts as lost when fewer than half
    of its words survive."""
    unit_words = [(words(text), body) for text, body in units]
    raw = [word for tokens, _ in unit_words for word in tokens]
    kept = [False] * len(raw)
    matcher = SequenceMatcher(None, raw, words(cleaned), autojunk=False)
    for block in matcher.get_matching_blocks():
        kept[block.a : block.a + block.size] = [True] * block.size
    cleaned_words = set(words(cleaned))
    for i in range(len(raw) - 1):  # a word split across lines that cleaning rejoined ("o" + "vertures")
        if not kept[i] and not kept[i + 1] and raw[i] + raw[i + 1] in cleaned_words:
            kept[i] = kept[i + 1] = True
    result: Counter[str] = Counter()
    position = 0
    for tokens, body in unit_words:
        survived = sum(kept[position : position + len(tokens)])
        position += len(tokens)
        if body:
            result["body_words"] += len(tokens)
            result["body_words_lost"] += len(tokens) - survived
            result["body_units_lost"] += int(bool(tokens) and survived * 2 < len(tokens))
        else:
            result["residue_words"] += len(tokens)
            result["residue_words_kept"] += survived
    return dict(result)


def find_span(text: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` stands in ``text``, any run of white space matching any other."""
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    found = re.search(pattern, text)
    return (found.start(), found.end()) if found else None


def spans_counted(text: str, needles: list[str], evidence: pd.DataFrame) -> list[bool]:
    """For each needle, whether an evidence row (``start``, ``end`` in ``text``) overlaps where it stands."""
    counted = []
    for needle in needles:
        span = find_span(text, needle)
        counted.append(
            span is not None and bool(((evidence["start"] < span[1]) & (evidence["end"] > span[0])).any())
        )
    return counted


def name_tokens(name: str) -> frozenset[str]:
    return frozenset(re.sub(r"[-‐‑]", " ", name.lower()).replace(".", "").split())


def same_person(reported: str, names: list[frozenset[str]]) -> bool:
    """A reported name is a known person's when its words are a subset of theirs or theirs of its (two words
    at least), or one letter apart: "Ishiba Shigeru" is "Shigeru Ishiba", "Ahn Kyu-back" "Ahn Gyu-back"."""
    tokens = name_tokens(reported)
    return any(
        min(len(tokens), len(known)) >= 2
        and (tokens <= known or known <= tokens or _one_letter_apart(tokens, known))
        for known in names
    )


def _one_letter_apart(a: frozenset[str], b: frozenset[str]) -> bool:
    return len(a) == len(b) and OSA.distance(" ".join(sorted(a)), " ".join(sorted(b))) <= 1


def unlisted_scores(reported: list[str], gold_names: list[str], listed_names: list[str]) -> dict:
    """How many reported unlisted names are people (gold unlisted people, or listed people in another form),
    and how many of the gold unlisted people were reported."""
    people = [name_tokens(name) for name in gold_names + listed_names]
    real = sum(same_person(name, people) for name in reported)
    gold = sorted(set(gold_names))
    found = sum(same_person(name, [name_tokens(r) for r in reported]) for name in gold)
    return {
        "reported": len(reported),
        "people": real,
        "share_people": ratio(real, len(reported)),
        "gold_people": len(gold),
        "gold_people_reported": found,
        "recall": ratio(found, len(gold)),
        "not_people": sorted(name for name in reported if not same_person(name, people)),
    }


def quantity_scores(predicted: pd.DataFrame, gold: pd.DataFrame) -> dict:
    """Stated quantities against the gold: a predicted quantity is right when the gold has one of the same
    kind, unit and value (to a millionth) in the same document, each gold row matched once. Of the matched,
    the share whose year agrees where the gold gives one, and whose subject shares a word with the gold's."""
    tp = years = years_right = subjects = subjects_right = 0
    extra, missed = [], []
    for file in sorted(set(predicted["file"]) | set(gold["file"])):
        left = gold[gold["file"] == file].to_dict("records")
        for row in predicted[predicted["file"] == file].to_dict("records"):
            hit = next(
                (
                    g
                    for g in left
                    if g["kind"] == row["kind"]
                    and g["unit"].lower() == str(row["unit"]).lower()
                    and abs(g["value"] - row["value"]) <= 1e-6 * max(1.0, abs(g["value"]))
                ),
                None,
            )
            if hit is None:
                extra.append(f"{file}: {row['matched']}")
                continue
            left.remove(hit)
            tp += 1
            if hit["year"]:
                years += 1
                years_right += str(row["year"]).split(".")[0] == hit["year"]
            if hit["subject"]:
                subjects += 1
                ours = {w.rstrip("s") for w in str(row["subject"]).lower().split() if w != "of"}
                subjects_right += bool(
                    ours & {w.rstrip("s") for w in hit["subject"].lower().split() if w != "of"}
                )
        missed += [f"{file}: {g['text']}" for g in left]
    fp, fn = len(predicted) - tp, len(gold) - tp
    return {
        **_precision_recall(tp, fp, fn),
        "year_agrees": ratio(years_right, years),
        "subject_agrees": ratio(subjects_right, subjects),
        "extra": extra,
        "missed": missed,
    }
