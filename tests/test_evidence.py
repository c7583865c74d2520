"""The evidence behind each number, on a corpus written for the test: every evidence key gives back as many
rows as the table's number says, the page's blob holds what the panel and the concordance show, capped and
escaped, and numbers in generated text become links."""

import functools
import json
from pathlib import Path

import pytest

from policybrief.analyses import parts
from policybrief.analyses.evidence import Evidence, EvidenceKey, actor_key, theme_key
from policybrief.analyses.registry import run_analyses
from policybrief.corpus import load, partitions
from policybrief.corpus.load import load_corpus
from policybrief.options import Options
from policybrief.views.evidence import evidence_json, evidence_keys
from policybrief.views.screen import linked

FILES = {
    "metadata.csv": (
        "file,title,source,date,url\n"
        "a.txt,Sanctions first,Daily One,2024-11-03,https://example.org/a\n"
        'b.txt,"Talks <b>and</b> sanctions",Weekly Two,2025-03-01,javascript:alert(1)\n'
        "c.txt,Later sanctions,Daily One,2025-06-01,\n"
    ),
    "a.txt": (
        "Donald Trump spoke about sanctions on North Korea. The sanctions were tightened in November.\n\n"
        "Trump said the alliance with Seoul stays firm."
    ),
    "b.txt": (
        "New sanctions on North Korea followed the missile test. Trump met the envoy.\n\n"
        "A note said </script><img src=x onerror=alert(1)> about sanctions on North Korea."
    ),
    "c.txt": "North Korea faces new sanctions. Nothing else happened.",
}


@pytest.fixture(scope="module")
def evidence(tmp_path_factory) -> Evidence:
    root: Path = tmp_path_factory.mktemp("evidence")
    corpus_dir = root / "corpus"
    corpus_dir.mkdir()
    for name, text in FILES.items():
        (corpus_dir / name).write_text(text, encoding="utf-8")
    options = Options(corpus=corpus_dir, out=root / "out")
    with pytest.MonkeyPatch.context() as patch:  # a partition per document, a batch per partition
        patch.setattr(load, "partition_bounds", functools.partial(partitions.partition_bounds, size=1))
        patch.setattr(parts, "ROWS_AT_ONCE", 1)
        corpus = load_corpus(corpus_dir, cache_dir=root / "cache")
        results = run_analyses(corpus, options, ["comparison"])
    assert len(corpus.partitions) == 3
    return Evidence(corpus, results["themes"], results["actors"], options.split_date), results


@pytest.fixture(autouse=True)
def batch_per_partition(monkeypatch):
    """A number's rows are gathered from batches of one partition (one document) each."""
    monkeypatch.setattr(parts, "ROWS_AT_ONCE", 1)


def test_every_key_counts_what_the_tables_say(evidence):
    ev, results = evidence
    cc = results["themes"].corpus_coverage.set_index("theme")
    assert cc["hits"].sum() > 0
    for theme, row in cc.iterrows():
        assert len(ev.key_rows(theme_key(theme))) == row["hits"]
        assert len(ev.key_rows(theme_key(theme, "documents"))) == row["documents_covering"]
    period = results["comparison"].period.set_index(["kind", "item"])
    for (kind, item), row in period.loc[["theme", "actor"]].iterrows():
        key = theme_key if kind == "theme" else actor_key
        assert len(ev.key_rows(key(item, "documents", "before"))) == row["before_count"], (kind, item)
        assert len(ev.key_rows(key(item, "documents", "after"))) == row["after_count"], (kind, item)
    app = results["actors"].appearances.set_index("actor")
    assert app.loc["trump", "mentions"] == 3
    for actor, row in app.iterrows():
        assert len(ev.key_rows(actor_key(actor))) == row["mentions"]
        assert len(ev.key_rows(actor_key(actor, "documents"))) == row["documents"]


def test_the_sanctions_theme_in_numbers(evidence):
    ev, _ = evidence
    theme = (
        ev.themes.evidence.frame()
        .loc[ev.themes.evidence.frame()["matched"].str.lower() == "sanctions", "theme"]
        .iloc[0]
    )
    rows = ev.key_rows(theme_key(theme))
    assert len(rows) == 5  # a: 2, b: 2, c: 1
    assert rows["doc_id"].tolist() == sorted(rows["doc_id"].tolist(), key=lambda d: "abc".index(d[0]))
    assert len(ev.key_rows(theme_key(theme, "documents", "before"))) == 1
    assert len(ev.key_rows(theme_key(theme, "documents", "after"))) == 2


def test_keys_round_trip_and_refuse_nonsense():
    key = EvidenceKey("actor", "kim_jong_un", "documents", "after")
    assert str(key) == "actor:kim_jong_un:documents:after"
    assert EvidenceKey.parse(str(key)) == key
    with pytest.raises(ValueError):
        EvidenceKey.parse("actor:trump:sentences")


def test_the_blob_lists_capped_matches_in_their_sentences_and_escapes_document_text(evidence):
    ev, _ = evidence
    theme = (
        ev.themes.evidence.frame()
        .loc[ev.themes.evidence.frame()["matched"].str.lower() == "sanctions", "theme"]
        .iloc[0]
    )
    keys = [theme_key(theme), actor_key("trump")]
    text = evidence_json(ev, keys, per_number=2)
    assert "</script" not in text.lower() and "<img" not in text
    blob = json.loads(text)
    sanctions = blob["numbers"][theme_key(theme)]
    assert sanctions["total"] == 5 and len(sanctions["matches"]) == 2
    for match in sanctions["matches"]:
        doc, sentence, start, end, page, label = blob["matches"][match]
        assert blob["sentences"][sentence][start:end].lower() == "sanctions"
        assert blob["documents"][doc][1] == "Sanctions first"
        assert page is None and blob["labels"][label].startswith("Theme: ")
    trump = blob["numbers"][actor_key("trump")]
    assert trump["total"] == 3 and trump["title"] == "Donald Trump: mentions"
    # the concordance: every theme term and name form, up to per_number each, and how many in all
    assert blob["concordance"]["total"] == len(ev.themes.evidence) + len(ev.actors.evidence)
    assert 0 < len(blob["concordance"]["matches"]) < blob["concordance"]["total"]
    # document text that would end the script is escaped, and comes back whole
    everything = evidence_json(ev, keys, per_number=50)
    assert "</script" not in everything.lower() and "<img" not in everything and "<b>" not in everything
    blob = json.loads(everything)
    assert any("</script><img src=x" in s for s in blob["sentences"])
    assert "Talks <b>and</b> sanctions" in [d[1] for d in blob["documents"]]


def test_numbers_in_text_become_links_in_order_and_text_is_escaped():
    text = "Among themes, A<B changed across 20 January 2025: covered by 2 of 3 documents before and 0 of 2."
    numbers = [("covered by ", "2", "theme:ab:documents:before"), ("and ", "0", "theme:ab:documents")]
    html = linked(text, numbers)
    assert "A&lt;B" in html and "20 January 2025" in html
    assert html.count('class="ev"') == 2
    assert (
        'data-ev="theme:ab:documents:before" role="button" tabindex="0" aria-haspopup="dialog">2</a> of 3'
        in html
    )
    assert evidence_keys(html) == ["theme:ab:documents", "theme:ab:documents:before"]
    # a number the text no longer holds stays plain
    assert linked("no numbers", [("by ", "7", "theme:x:matches")]) == "no numbers"


def test_the_concordance_table_has_every_match_in_context(evidence):
    from policybrief.analyses.evidence import concordance_table

    ev, _ = evidence
    table = concordance_table(ev.corpus, ev.themes, ev.actors).frame()
    assert len(table) == len(ev.themes.evidence) + len(ev.actors.evidence)
    row = table[(table["item"] == "trump") & (table["doc_id"].str.startswith("b"))].iloc[0]
    assert (row["left"], row["match"], row["right"]) == ("", "Trump", " met the envoy.")
    assert row["label"] == "Donald Trump" and row["title"] == "Talks <b>and</b> sanctions"
