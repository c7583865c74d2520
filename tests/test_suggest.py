"""`suggest`: the people and phrases proposed for a new topic's configuration, on corpora written for the
test (a topic on Japan's defence and Arctic shipping), every value worked out by hand."""

import pytest
import yaml

from policybrief.analyses.actors import load_actors
from policybrief.analyses.suggest import suggest, write_suggestions
from policybrief.analyses.suggest.people import variant_groups
from policybrief.analyses.suggest.phrases import around
from policybrief.analyses.themes import load_themes
from policybrief.corpus.load import load_corpus

ACTORS = """
titles: [Minister, Prime Minister]
speech_verbs: [said, told]
person_context_words: [adviser]
not_person_words: [Arctic]
actors:
  ishiba: {name: Shigeru Ishiba, type: person, short: [Ishiba]}
  lindqvist: {name: Anders Lindqvist, type: person}
  japan: {name: Japan, type: state}
  russia: {name: Russia, type: state}
"""

THEMES = """
themes:
  budget:
    label: Defence budget
    terms: [defence spending, long-range missiles]
"""


@pytest.fixture
def lists(tmp_path):
    (tmp_path / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (tmp_path / "themes.yaml").write_text(THEMES, encoding="utf-8")
    return load_actors(tmp_path / "actors.yaml"), load_themes(tmp_path / "themes.yaml")


PEOPLE = {
    "p1.txt": "Prime Minister Shigeru Ishiba met the defence adviser Minoru Kihara in Tokyo. Later, Minoru "
    "Kihara said the budget would grow. The envoy Jean-Pierre Dubois arrived with Ingrid Haugland.\n",
    "p2.txt": "Kihara Minoru told reporters that shelters come first. Later, Jean Pierre Dubois, the French "
    "envoy, agreed. Ingrid Haugaland said the route is safe.\n",
    "p3.txt": "Jean-Pierre Dubois visited the port of Oslo. Haugland said little. Ingrid Haugland told the "
    "council that ships need escorts. Taro Sato and Keiko Sato spoke.\n",
    "p4.txt": "The adviser Taro Sato wrote again. The adviser Keiko Sato disagreed. Erik Lindqvist said so, "
    "and Erik Lindqvist repeated it. Pekka Virtanen said nothing new. Anders Lindqvist left.\n",
}


def test_people_named_more_than_once_with_their_variants_grouped(corpus_dir, tmp_path, lists):
    corpus = load_corpus(corpus_dir(PEOPLE), cache_dir=tmp_path / "cache")
    people = suggest(corpus, *lists)["people"]
    # Ingrid Haugaland is one letter off Ingrid Haugland (15 characters): an alias, as the actor list's rules
    # would not find it; "Haugland said" (the surname alone) adds nothing. Jean Pierre Dubois and Kihara
    # Minoru are found from the name by rule (hyphens, the other order): no alias. The Satos and Erik
    # Lindqvist share a surname with another suggestion or a listed actor: no short form. Pekka Virtanen
    # (once) and Shigeru Ishiba and Anders Lindqvist (listed) are not suggested.
    assert people == {
        "ingrid_haugland": {
            "name": "Ingrid Haugland",
            "type": "person",
            "aliases": ["Ingrid Haugaland"],
            "short": ["Haugland"],
            "mentions": 3,
            "documents": 3,
            "example": "The envoy Jean-Pierre Dubois arrived with Ingrid Haugland.",
        },
        "jean_pierre_dubois": {
            "name": "Jean-Pierre Dubois",
            "type": "person",
            "short": ["Dubois"],
            "mentions": 3,
            "documents": 3,
            "example": "The envoy Jean-Pierre Dubois arrived with Ingrid Haugland.",
        },
        "minoru_kihara": {
            "name": "Minoru Kihara",
            "type": "person",
            "short": ["Kihara"],
            "mentions": 3,
            "documents": 2,
            "example": "Prime Minister Shigeru Ishiba met the defence adviser Minoru Kihara in Tokyo.",
        },
        "erik_lindqvist": {
            "name": "Erik Lindqvist",
            "type": "person",
            "comment": "no short form: Lindqvist is also the surname of the listed actor lindqvist",
            "mentions": 2,
            "documents": 1,
            "example": "Erik Lindqvist said so, and Erik Lindqvist repeated it.",
        },
        "keiko_sato": {
            "name": "Keiko Sato",
            "type": "person",
            "comment": "no short form: Sato is also the surname of Taro Sato (also suggested)",
            "mentions": 2,
            "documents": 2,
            "example": "Taro Sato and Keiko Sato spoke.",
        },
        "taro_sato": {
            "name": "Taro Sato",
            "type": "person",
            "comment": "no short form: Sato is also the surname of Keiko Sato (also suggested)",
            "mentions": 2,
            "documents": 2,
            "example": "Taro Sato and Keiko Sato spoke.",
        },
    }


def test_variants_of_one_person():
    names = ["Kim Jong-un", "Ishiba Shigeru", "Kim Jong Un", "Shigeru Ishiba", "Taro Kato", "Taro Sato"]
    # same letters without case, hyphens and spaces; the other order of two words; "Taro Kato" and "Taro
    # Sato" are one letter apart but shorter than 10 characters: two people
    assert variant_groups(names) == [[0, 2], [1, 3], [4], [5]]
    assert variant_groups(["Ingrid Haugland", "Ingrid Haugaland", "Ingrid Hauglnad", "Ingrid Hoagland"]) == [
        [0, 1, 2],  # an extra letter, two letters swapped (OSA distance 1); "Hoagland" is two letters off
        [3],
    ]


# Two topics without a content word in common: Arctic shipping (arctic_*) and Japan's defence (defence_*).
PHRASES = {
    "arctic_1.txt": "The northern sea route opened early. Ice-class tankers carried gas. Russia's "
    "icebreakers escorted them.\n",
    "arctic_2.txt": "Ice-class tankers crossed the northern sea route. Russia's icebreakers stayed home.\n",
    "arctic_3.txt": "Insurers priced the northern sea route higher. Polar code rules apply.\n",
    "arctic_4.txt": "Premiums went higher. Polar code rules changed. Insurers hesitated.\n",
    "defence_1.txt": "Japan approved record defence spending. Counterstrike capability is the new priority. "
    "Long-range missiles arrive soon.\n",
    "defence_2.txt": "Counterstrike capability needs long-range missiles. Defence spending rose.\n",
    "defence_3.txt": "Defence spending doubled. The southwestern islands need shelters.\n",
    "defence_4.txt": "Shelters on the southwestern islands remain few. Counterstrike capability worries "
    "Beijing.\n",
}

# Words per cluster (hyphenated words count as two, "Russia's" as one): 15 + 12 + 11 + 9 = 47 for Arctic
# shipping, 16 + 9 + 8 + 11 = 44 for defence. No phrase is used outside its cluster, so G² is
# 2 a ln(a / expected) = 2 a ln(91 / size): 6 ln(91 / 47) = 3.96 and 4 ln(91 / 47) = 2.64 for Arctic
# shipping, 6 ln(91 / 44) = 4.36 and 4 ln(91 / 44) = 2.91 for defence.


def test_distinctive_phrases_per_cluster(corpus_dir, tmp_path, lists):
    corpus = load_corpus(corpus_dir(PHRASES), cache_dir=tmp_path / "cache")
    found = suggest(corpus, *lists)
    phrases = [
        [(p["phrase"], p["count"], p["documents"], p["keyness"], p["example"]) for p in c["phrases"]]
        for c in found["clusters"]
    ]
    # Left out: the parts of a listed phrase used only inside it ("northern sea", "sea route"), "russia
    # icebreakers" (a listed actor), "defence spending" and "long range missiles" (theme terms) and the
    # parts of the latter ("long range"), "higher polar code" (across a sentence end), phrases opening or
    # closing on a stop word ("the northern sea route").
    assert phrases == [
        [
            ("northern sea route", 3, 3, 3.96, "The northern sea route opened early."),
            ("ice class tankers", 2, 2, 2.64, "Ice-class tankers carried gas."),
            ("polar code rules", 2, 2, 2.64, "Polar code rules apply."),
        ],
        [
            (
                "counterstrike capability",
                3,
                3,
                4.36,
                "Counterstrike capability is the new priority.",
            ),
            ("southwestern islands", 2, 2, 2.91, "The southwestern islands need shelters."),
        ],
    ]
    assert [(c["id"], c["documents"], c["doc_ids"]) for c in found["clusters"]] == [
        ("cluster_1", 4, ["arctic_1", "arctic_2", "arctic_3", "arctic_4"]),
        ("cluster_2", 4, ["defence_1", "defence_2", "defence_3", "defence_4"]),
    ]
    # The label: the top words of the cluster's mean TF-IDF vector (words of two documents or more; each
    # used once per document, so a weight is the idf, ln(9 / (1 + df)) + 1, over the document's norm).
    # Arctic: northern, sea, route are in three of the four documents: (3 x 0.3208) / 4 = 0.2406; code,
    # higher, insurers, polar, rules in two, one of them arctic_4 with only these five words:
    # (0.3718 + 0.4472) / 4 = 0.2048; ice, class, tankers, russia, icebreakers (0.3718 x 2) / 4 = 0.1859.
    # Defence: capability, counterstrike, defence, spending 0.2783, then islands, shelters, southwestern
    # 0.2360 and long, range, missiles 0.2045. Ties are alphabetical.
    assert [c["label"] for c in found["clusters"]] == [
        "northern, route, sea, code, higher",
        "capability, counterstrike, defence, spending, islands",
    ]
    assert found["people"] == {}
    # asked for one cluster: no rest of the corpus to compare with, keyness 0, ranked by uses, documents,
    # length, then alphabetically
    [whole] = suggest(corpus, *lists, clusters=1)["clusters"]
    assert (whole["documents"], len(whole["doc_ids"])) == (8, 8)
    assert [(p["phrase"], p["count"], p["keyness"]) for p in whole["phrases"]] == [
        ("northern sea route", 3, 0.0),
        ("counterstrike capability", 3, 0.0),
        ("ice class tankers", 2, 0.0),
        ("polar code rules", 2, 0.0),
        ("southwestern islands", 2, 0.0),
    ]


def test_a_cluster_of_one_document_takes_phrases_used_twice(corpus_dir, tmp_path, lists):
    folder = corpus_dir(
        {"only.txt": "Polar code rules apply. Polar code rules changed. Ice-class tankers waited.\n"}
    )
    found = suggest(load_corpus(folder, cache_dir=tmp_path / "cache"), *lists)
    # one document, one cluster: phrases used twice ("ice class tankers" is used once)
    [cluster] = found["clusters"]
    assert [(p["phrase"], p["count"], p["keyness"]) for p in cluster["phrases"]] == [
        ("polar code rules", 2, 0.0)
    ]


def test_suggestions_are_deterministic_and_read_back(corpus_dir, tmp_path, lists):
    corpus = load_corpus(corpus_dir(PHRASES | PEOPLE), cache_dir=tmp_path / "cache")
    first, second = suggest(corpus, *lists), suggest(corpus, *lists)
    assert first == second
    path = tmp_path / "config" / "suggested.yaml"
    write_suggestions(first, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Suggestions for this topic's configuration")
    assert "Nothing here is applied automatically" in text
    assert yaml.safe_load(text) == first
    write_suggestions(second, tmp_path / "again.yaml")
    assert (tmp_path / "again.yaml").read_text(encoding="utf-8") == text


def test_examples_are_cut_around_the_phrase():
    sentence = "a " * 50 + "Northern Sea-Route" + " b" * 50  # 218 characters, the phrase at 100-118
    # 40 characters centred on the phrase (89-129), cut at the words on either side
    assert around(sentence, "northern sea route", 40) == "…a a a a a Northern Sea-Route b b b b b…"
    assert around("Short  enough.\n", "short enough", 40) == "Short enough."
