"""A topic folder of one's own: init writes it, check names the file, line and fix of each problem, build
makes a briefing with the topic's settings and nothing of the default corpus's topic."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from policybrief.build.check import check_topic
from policybrief.errors import BriefingError
from policybrief.topic import TopicLayout, topic_options

ARTICLES = {
    "ports.txt": (
        "Arctic shipping grew as the sea ice retreated. The European Union said new tariffs on transit fees "
        "were unwelcome, and investment in northern ports rose.\n\nBrussels pressed for talks on trade.\n"
    ),
    "patrols.txt": (
        "Military patrols increased along the northern route. The coast guard said deterrence mattered more "
        "than trade this year.\n"
    ),
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "policybrief", *args], capture_output=True, text=True, timeout=600
    )


def test_init_check_build_round_trip_on_a_topic_of_ones_own(tmp_path):
    folder = tmp_path / "arctic"
    made = run("init", str(folder), "--title", "Arctic Shipping: What Changed")
    assert made.returncode == 0, made.stderr
    layout = TopicLayout(folder)
    assert (folder / "README.md").is_file() and (layout.data / "metadata.csv").read_text() == (
        "file,title,source,author,date,url\n"
    )
    empty = run("check", str(folder))
    assert empty.returncode == 2 and "no documents yet" in empty.stderr
    for name, text in ARTICLES.items():
        (layout.data / name).write_text(text, encoding="utf-8")
    (layout.data / "metadata.csv").write_text(
        'file,title,source,author,date,url\nports.txt,"Ports, ice and tariffs",Polar Wire,,Spring 2024,\n'
        "patrols.txt,Patrols,Coast Watch,,2025-02-03,\n",
        encoding="utf-8",
    )
    settings = layout.settings.read_text(encoding="utf-8")
    layout.settings.write_text(
        re.sub(r"split_date: .*", "split_date: 2025-01-01", settings), encoding="utf-8"
    )
    checked = run("check", str(folder))
    assert checked.returncode == 0 and "2 documents to read" in checked.stderr, checked.stderr
    built = run("build", str(folder))
    assert built.returncode == 0, built.stderr
    page = (layout.out / "briefing.html").read_text(encoding="utf-8")
    assert "Arctic Shipping: What Changed" in page and "Spring 2024" in page
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert not re.search(r"Korea|Pyongyang|Seoul|Kim Jong|Trump|Peninsula|inauguration", text)
    assert "Brussels said" in text  # the metonym example is this corpus's own capital
    assert (layout.out / "tables" / "theme_evidence.parquet").is_file()


def test_check_names_file_line_and_fix(tmp_path):
    folder = tmp_path / "topic"
    assert run("init", str(folder), "--title", "T").returncode == 0
    layout = TopicLayout(folder)
    (layout.data / "a.txt").write_text("Trade grew.\n", encoding="utf-8")
    layout.themes.write_text(
        "themes:\n  trade:\n    label: Trade\n    terms: tariff\n  Security:\n    label: S\n    terms: [x]\n"
        "    colour: red\n",
        encoding="utf-8",
    )
    layout.settings.write_text("title: T\nsplit_date: March 2024\npaper: A5\n", encoding="utf-8")
    problems, _ = check_topic(topic_options(folder, settings=False))
    assert problems == [
        "briefing.yaml line 2: 'split_date' must be a date written YYYY-MM-DD",
        "briefing.yaml line 3: 'paper' must be one of A4, Letter",
        "config/themes.yaml line 4: 'terms' must be a list of strings",
        "config/themes.yaml line 5: id 'Security' must be lower-case letters, digits and _ "
        "(e.g. 'trade_policy')",
        "config/themes.yaml line 8: unknown key 'colour' (allowed: label, short, definition, terms, exclude, "
        "needs_in_paragraph, not_in_sentence_with)",
    ]
    checked = run("check", str(folder))
    assert checked.returncode == 2 and checked.stderr.count("error: ") == 6  # five problems and the count
    # the build runs the lexicon check first: one line, before any document is read
    layout.settings.write_text("title: T\nsplit_date: 2025-01-01\n", encoding="utf-8")
    built = run("tables", str(folder))
    assert built.returncode == 2
    assert built.stderr.strip().splitlines()[-1] == (
        "error: config/themes.yaml line 4: 'terms' must be a list of strings "
        "(and 2 more: run policybrief check)"
    )


def test_settings_come_from_the_topic_and_the_command_line_overrides_them(tmp_path):
    folder = tmp_path / "my-topic"
    folder.mkdir()
    (folder / "briefing.yaml").write_text("title: Own title\nsplit_date: 2024-06-01\nmin_hits: 2\n", "utf-8")
    options = topic_options(folder, {"min_hits": 3})
    assert (options.title, options.split_date, options.min_hits) == ("Own title", "2024-06-01", 3)
    assert options.corpus == folder / "data" and options.themes_file == folder / "config" / "themes.yaml"
    (folder / "briefing.yaml").write_text("subtitle: Notes\n", "utf-8")
    assert topic_options(folder).title == "My Topic: Corpus Briefing"  # never the default corpus's title


def test_init_leaves_an_existing_topic_alone(tmp_path):
    folder = tmp_path / "t"
    assert run("init", str(folder), "--title", "First").returncode == 0
    again = run("init", str(folder), "--title", "Second")
    assert again.returncode == 2 and "already holds a topic" in again.stderr
    assert "First" in (folder / "briefing.yaml").read_text(encoding="utf-8")
    with pytest.raises(BriefingError, match="topic folder not found"):
        topic_options(tmp_path / "missing")


def test_a_title_with_quotes_and_colons_is_written_as_valid_yaml(tmp_path):
    folder = tmp_path / "q"
    assert run("init", str(folder), "--title", 'Japan\'s "defence" build-up: 2025 # draft').returncode == 0
    assert topic_options(Path(folder)).title == 'Japan\'s "defence" build-up: 2025 # draft'
