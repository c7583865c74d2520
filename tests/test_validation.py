"""make validate: the scorer on small cases worked by hand, the gold reader's errors, and the guard that no
figure falls below the level recorded in validation/levels.json."""

from pathlib import Path

import pandas as pd
import pytest

from policybrief import paths
from policybrief.errors import BriefingError
from policybrief.options import Options
from policybrief.validation import score
from policybrief.validation.gold import read_gold
from policybrief.validation.pdf import score_pdfs
from policybrief.validation.report import END, PDF_END, PDF_START, START, check_levels, pdf_table, table
from policybrief.validation.run import VALIDATION_SETS, score_set


def test_counts_score_min_of_predicted_and_gold_per_document():
    predicted = pd.DataFrame({"file": ["a", "b"], "person": ["trump", "trump"], "mentions": [3, 1]})
    gold = pd.DataFrame(
        {"file": ["a", "b", "c"], "person": ["trump", "trump", "trump"], "mentions": [2, 2, 1]}
    )
    overall = score.count_scores(predicted, gold, "person", "mentions")["overall"]
    # a: 2 hits, 1 too many; b: 1 hit, 1 missed; c: 1 missed
    assert (overall["tp"], overall["fp"], overall["fn"]) == (3, 1, 2)
    assert overall["precision"] == 0.75 and overall["recall"] == 0.6


def test_presence_scores_per_theme():
    gold = pd.DataFrame({"file": ["a", "a", "b", "b"], "theme": ["x", "y"] * 2, "present": [1, 0, 1, 1]})
    predicted = pd.DataFrame({"file": ["a", "a", "b"], "theme": ["x", "y", "x"], "present": [1, 1, 0]})
    scores = score.presence_scores(predicted, gold, "theme")
    assert scores["by_theme"]["x"] == {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5}
    assert scores["by_theme"]["y"] == {"tp": 0, "fp": 1, "fn": 1, "precision": 0.0, "recall": 0.0}


def test_a_repeated_line_marks_its_later_copy_as_residue():
    lines = ["Title", "Body one", "Repeat", "", "Body two", "Repeat"]
    assert score.label_lines(lines, ["Title", "Repeat"]) == [False, True, True, False, True, False]


def test_cleaning_scores_count_body_lost_and_residue_kept():
    units = [
        ("Home > Politics", False),
        ("Kim met Trump in Hanoi.", True),
        ("The talks failed.", True),
        ("Photo by Jane Roe", False),
    ]
    cleaned = "Kim met Trump in Hanoi.\n\nPhoto by Jane Roe"
    assert score.cleaning_scores(units, cleaned) == {
        "residue_words": 6,
        "residue_words_kept": 4,
        "body_words": 8,
        "body_words_lost": 3,
        "body_units_lost": 1,
    }


def test_a_word_split_across_lines_and_rejoined_is_not_lost():
    units = [("Harris welcomed Washington's o", True), ("vertures.", True)]
    result = score.cleaning_scores(units, "Harris welcomed Washington's overtures.")
    assert (result["body_words_lost"], result["body_units_lost"]) == (0, 0)


def test_a_dateline_is_counted_only_when_a_mention_overlaps_it():
    text = "SEOUL, South Korea (AP) — North Korea fired a missile."
    south = pd.DataFrame({"start": [7], "end": [18]})
    north = pd.DataFrame({"start": [26], "end": [37]})
    needle = "SEOUL,  South Korea (AP) —"  # white space differs from the text's
    assert score.spans_counted(text, [needle], south) == [True]
    assert score.spans_counted(text, [needle], north) == [False]


def test_unlisted_names_are_people_when_gold_or_listed_in_any_order():
    result = score.unlisted_scores(
        ["Wi Sung-lac", "Visiting Research Fellow", "Ishiba Shigeru"],
        ["Wi Sung-lac", "Victor Cha"],
        ["Shigeru Ishiba"],
    )
    assert (result["people"], result["share_people"]) == (2, 0.6667)
    assert (result["gold_people_reported"], result["recall"]) == (1, 0.5)
    assert result["not_people"] == ["Visiting Research Fellow"]


def _gold_folder(tmp_path: Path, themes_rows: str) -> Path:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("Body.\n")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "persons.csv").write_text("file,person,mentions\na.txt,trump,2\n")
    (gold / "themes.csv").write_text("file,theme,present\n" + themes_rows)
    (gold / "residue.csv").write_text("file,line\n")
    (gold / "not_actors.csv").write_text("file,text,why\n")
    (gold / "unlisted_people.csv").write_text("file,name\n")
    return gold


def test_gold_reader_names_the_file_and_the_problem(tmp_path):
    gold = _gold_folder(tmp_path, "a.txt,x,1\na.txt,y,0\n")
    read_gold(gold, tmp_path / "corpus", {"x", "y"}, {"trump"})
    with pytest.raises(BriefingError, match=r"themes\.csv: 'a\.txt' has 2 of 3 themes"):
        read_gold(gold, tmp_path / "corpus", {"x", "y", "z"}, {"trump"})
    with pytest.raises(BriefingError, match=r"persons\.csv: 'trump' is not a person of the actor list"):
        read_gold(gold, tmp_path / "corpus", {"x", "y"}, {"biden"})
    (gold / "themes.csv").write_text("file,theme,present\na.txt,x,2\na.txt,y,0\n")
    with pytest.raises(BriefingError, match=r"themes\.csv: row 2: present '2' is not valid"):
        read_gold(gold, tmp_path / "corpus", {"x", "y"}, {"trump"})
    (gold / "residue.csv").write_text("file,text\n")
    with pytest.raises(BriefingError, match=r"residue\.csv: missing column\(s\) line"):
        read_gold(gold, tmp_path / "corpus", {"x", "y"}, {"trump"})


@pytest.fixture(scope="module")
def figures():
    return {name: score_set(corpus, gold, Options()) for name, (corpus, gold) in VALIDATION_SETS.items()}


@pytest.fixture(scope="module")
def pdf():
    return score_pdfs()


def test_no_figure_falls_below_its_recorded_level(figures, pdf):
    assert check_levels(figures, pdf) == []


def test_the_readme_shows_the_current_figures(figures, pdf):
    readme = paths.README_FILE.read_text(encoding="utf-8")
    shown = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert shown == table(figures), "the README's validation table is out of date: run `make validate`"
    shown = readme.split(PDF_START, 1)[1].split(PDF_END, 1)[0].strip()
    assert shown == pdf_table(pdf), "the README's PDF reading table is out of date: run `make validate`"
