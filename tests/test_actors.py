"""Every name-resolution rule pinned on texts written for the test, and the seed counts by hand."""

import pytest

from policybrief.analyses import actors, themes
from policybrief.analyses.actors.measures import find_mentions, resolve_bin, unlisted_names
from policybrief.analyses.actors.resolve import resolve_document
from policybrief.corpus.load import load_corpus
from policybrief.errors import BriefingError

ACTORS = """
titles: [President, Mr., Secretary of State, Secretary, Envoy]
speech_verbs: [said]
person_context_words: [Minister]
administration_words: [administration, cabinet]
not_person_words: [Asia, Review]
actors:
  kim_jong_un: {name: Kim Jong Un, type: person, short: [Kim]}
  kim_yo_jong: {name: Kim Yo Jong, type: person, short: [Kim]}
  lee: {name: Lee Jae-myung, type: person, short: [Lee]}
  lee_mb: {name: Lee Myung-bak, type: person, short: [Lee]}
  trump: {name: Donald Trump, type: person, short: [Trump]}
  rubio: {name: Marco Rubio, type: person, short: [Rubio]}
  nk: {name: North Korea, type: state, aliases: [DPRK, "Democratic People's Republic of Korea"], \
metonyms: [Pyongyang]}
  sk: {name: South Korea, type: state, aliases: [Republic of Korea], metonyms: [Seoul]}
  us: {name: United States, type: state, aliases: [US], metonyms: [Washington], \
exclude: [Washington Declaration]}
  un: {name: United Nations, type: organisation, aliases: [UN, UN Security Council, Security Council]}
"""


@pytest.fixture
def actor_list(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text(ACTORS, encoding="utf-8")
    return actors.load_actors(path)


ROLES = """
titles: [President, Mr., Foreign Minister]
actors:
  cho_hyun: {name: Cho Hyun, type: person, role: Foreign Minister of South Korea, short: [Cho]}
  cho_chairman: {name: Cho Min-ho, type: person, role: Chairman of a company, short: [Cho]}
"""


def _mentions_runner(corpus_dir, tmp_path, actor_list):
    def run(text: str, metonyms: bool = True):
        folder = corpus_dir({"doc.txt": text})
        corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
        found, missing, _ = resolve_document(corpus.with_text(corpus.documents[0]), actor_list, metonyms)
        return [(m[1], m[4], m[3]) for m in found], [(u[1], u[3]) for u in missing]

    return run


@pytest.fixture
def mentions_with_roles(corpus_dir, tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text(ROLES, encoding="utf-8")
    return _mentions_runner(corpus_dir, tmp_path, actors.load_actors(path))


@pytest.fixture
def mentions(corpus_dir, tmp_path, actor_list):
    """Mentions and unresolved short forms of one text: [(actor, resolution, surface)], [(surface,
    reason)]."""
    return _mentions_runner(corpus_dir, tmp_path, actor_list)


def test_spelling_variants_of_romanised_names(mentions):
    found, _ = mentions("Kim Jong Un, Kim Jong-un and Kim Jong-Un met. Lee Jae Myung and Lee Jae-myung too.")
    assert found == [
        ("kim_jong_un", "full name", "Kim Jong Un"),
        ("kim_jong_un", "full name", "Kim Jong-un"),
        ("kim_jong_un", "full name", "Kim Jong-Un"),
        ("lee", "full name", "Lee Jae Myung"),
        ("lee", "full name", "Lee Jae-myung"),
    ]


def test_near_miss_typos_count_but_other_names_do_not(mentions):
    found, _ = mentions("Lee Jae Mung arrived. Kim Jong Il had died. Lee Jae Mung left.")
    assert found == [("lee", "typo", "Lee Jae Mung"), ("lee", "typo", "Lee Jae Mung")]


def test_titles_join_short_forms(mentions):
    found, _ = mentions(
        "Donald Trump met Lee Jae-myung. President Lee and Mr. Trump spoke. "
        "Secretary of State Marco Rubio watched."
    )
    assert found == [
        ("trump", "full name", "Donald Trump"),
        ("lee", "full name", "Lee Jae-myung"),
        ("lee", "title + short form", "President Lee"),
        ("trump", "title + short form", "Mr. Trump"),
        ("rubio", "full name", "Marco Rubio"),
    ]


def test_possessives_straight_and_curly(mentions):
    found, _ = mentions("Donald Trump's plan and Trump's team; Kim Jong Un's and Kim\u2019s letters.")
    assert [(a, r) for a, r, _ in found] == [
        ("trump", "full name"),
        ("trump", "short form"),
        ("kim_jong_un", "full name"),
        ("kim_jong_un", "short form"),
    ]
    assert [s for _, _, s in found] == ["Donald Trump", "Trump", "Kim Jong Un", "Kim"]


def test_administration_counts_for_the_person(mentions):
    found, missing = mentions(
        "The Trump administration said so. The Lee administration did not. "
        "Lee Jae-myung then spoke, and the Lee administration agreed."
    )
    # Lee Jae-myung is named in the document, so both "Lee administration"s are his, the one before too
    assert found == [
        ("trump", "administration", "Trump administration"),
        ("lee", "administration", "Lee administration"),
        ("lee", "full name", "Lee Jae-myung"),
        ("lee", "administration", "Lee administration"),
    ]
    assert missing == []
    found, missing = mentions("The Lee administration did not.")
    assert found == []
    assert missing == [("Lee administration", SEVERAL)]
    assert mentions("The Trump Cabinet met.")[0] == [("trump", "administration", "Trump Cabinet")]


SEVERAL = "not named in full in the document, and several listed persons have this name"


def test_a_surname_counts_for_the_person_named_in_full_anywhere_in_the_document(mentions):
    found, missing = mentions("Kim spoke first. Later Kim Jong Un arrived, and Kim left.")
    assert found == [
        ("kim_jong_un", "short form", "Kim"),
        ("kim_jong_un", "full name", "Kim Jong Un"),
        ("kim_jong_un", "short form", "Kim"),
    ]
    assert missing == []
    assert mentions("Kim spoke first.") == ([], [("Kim", SEVERAL)])


def test_a_surname_only_one_listed_person_has_counts_without_the_full_name(mentions):
    found, missing = mentions("President Trump said so. Trump's envoy agreed, as Mr. Rubio did.")
    assert found == [
        ("trump", "unique short form", "President Trump"),
        ("trump", "unique short form", "Trump"),
        ("rubio", "unique short form", "Mr. Rubio"),
    ]
    assert missing == []
    # in lower case it is not the name
    assert mentions("Play a trump card.")[0] == []


def test_a_title_resolves_a_shared_surname_when_one_role_has_it(mentions_with_roles):
    found, missing = mentions_with_roles("Foreign Minister Cho met President Cho. Mr. Cho left.")
    assert found == [("cho_hyun", "title + role", "Foreign Minister Cho")]
    assert [surface for surface, _ in missing] == ["President Cho", "Mr. Cho"]


def test_names_in_the_other_order_and_with_middle_initials(mentions):
    found, _ = mentions(
        "Trump Donald spoke; Marco A. Rubio and Donald J. Trump III replied. Rubio Marco too."
    )
    assert found == [
        ("trump", "name order", "Trump Donald"),
        ("rubio", "middle initial", "Marco A. Rubio"),
        ("trump", "middle initial", "Donald J. Trump"),
        ("rubio", "name order", "Rubio Marco"),
    ]


def test_a_short_form_inside_another_name_is_not_a_mention(mentions):
    found, missing = mentions("Kim Jong Un spoke. Kim Jung-kwan replied, and Andrew Kim listened. Kim left.")
    assert found == [("kim_jong_un", "full name", "Kim Jong Un"), ("kim_jong_un", "short form", "Kim")]
    assert missing == []


def test_a_surname_shared_by_two_people_named_in_the_text_is_not_guessed(mentions):
    found, missing = mentions("Kim Jong Un met Kim Yo Jong. Kim said no.")
    assert found == [("kim_jong_un", "full name", "Kim Jong Un"), ("kim_yo_jong", "full name", "Kim Yo Jong")]
    assert missing == [("Kim", "ambiguous: several were named in full")]


def test_metonyms_on_and_off(mentions):
    text = "Pyongyang rejected the offer. Seoul and Washington signed the Washington Declaration."
    found, _ = mentions(text)
    assert found == [
        ("nk", "metonym", "Pyongyang"),
        ("sk", "metonym", "Seoul"),
        ("us", "metonym", "Washington"),
    ]
    assert mentions(text, metonyms=False)[0] == []


def test_a_dateline_is_not_a_metonym(mentions):
    found, _ = mentions("Seoul: talks resumed in Seoul.")
    assert found == [("sk", "metonym", "Seoul")]


def test_wire_datelines_and_names_holding_a_capital_are_not_metonyms(mentions):
    text = (
        "SEOUL, South Korea (AP) — Seoul will deploy more troops.\n"
        "WASHINGTON, Oct. 26 (Yonhap) -- Washington's demand was clear, The Washington Times reported.\n"
        "Pyongyang, meanwhile, rejected it - again.\n"
        "Students at Seoul National University protested."
    )
    found, _ = mentions(text)
    assert found == [
        ("sk", "metonym", "Seoul"),  # "Seoul will deploy"; the dateline's SEOUL is not counted
        ("us", "metonym", "Washington"),  # "Washington's demand"; not the dateline, not the newspaper
        ("nk", "metonym", "Pyongyang"),  # a sentence, not a dateline: no capitals, no agency
    ]


def test_adjectives_are_not_mentions_of_the_state(mentions):
    found, _ = mentions("North Korean troops and South Korean voters met the DPRK's envoys.")
    assert found == [("nk", "alias", "DPRK")]


def test_an_organisation_alias_inside_a_longer_name_is_not_a_mention(mentions):
    found, _ = mentions(
        "The Security Council met. The US National Security Council did not. The UN Security Council "
        "voted, and the Security Council Resolution passed."
    )
    assert found == [
        ("un", "alias", "Security Council"),  # after "The", which opens the sentence
        ("us", "alias", "US"),  # "National Security Council": another body
        ("un", "alias", "UN Security Council"),
        ("un", "alias", "Security Council"),  # a word after it does not make another body
    ]


def test_the_longest_name_wins_across_actors(mentions):
    found, _ = mentions("The Democratic People's Republic of Korea and the Republic of Korea.")
    assert found == [
        ("nk", "alias", "Democratic People's Republic of Korea"),
        ("sk", "alias", "Republic of Korea"),
    ]


def test_unlisted_person_like_names_are_found(corpus_dir, tmp_path, actor_list):
    folder = corpus_dir(
        {
            "doc.txt": "Winston Churchill said so. Later, John Bolton agreed with Kim Jong Un in "
            "East Asia. Promises Less in Alliance.\n\nSecond piece. Winston Churchill again.",
            "other.txt": "Victor Cha, a professor, spoke at Camp Humphreys. Envoy Wi Sung-lac left for "
            "Freedom Plaza. The book by Robert Kelly's team came out. Russia's Dmitry Medvedev and Kim "
            "Jung-kwan, South Korea's industry minister, met.",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    found = unlisted_names(corpus, actor_list)
    # a person's context: a speech verb, an apposition, a title, a possessive (theirs, or their country's
    # before them), or a second mention; John Bolton, Camp Humphreys and Freedom Plaza have none
    assert found[["name", "mentions", "documents"]].values.tolist() == [
        ["Winston Churchill", 2, 1],
        ["Dmitry Medvedev", 1, 1],
        ["Kim Jung-kwan", 1, 1],
        ["Robert Kelly", 1, 1],
        ["Victor Cha", 1, 1],
        ["Wi Sung-lac", 1, 1],
    ]
    assert found.iloc[0]["example_sentence"] == "Winston Churchill said so."


@pytest.fixture
def small(corpus_dir, tmp_path, actor_list):
    folder = corpus_dir(
        {
            "a.txt": "Donald Trump met Kim Jong Un. Trump praised Kim on sanctions.\n",  # 11 words
            "b.txt": "Donald Trump spoke.\n",  # 3 words
            "c.txt": "Pyongyang fired missiles.\n",  # 3 words
            "metadata.csv": "file,date\na.txt,2025-01-10\nb.txt,2025-03-05\nc.txt,2025-03-20\n",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    theme_file = tmp_path / "themes.yaml"
    theme_file.write_text(
        "themes:\n  sanctions:\n    label: Sanctions\n    terms: [sanction*]\n", encoding="utf-8"
    )
    theme_analysis = themes.analyse(corpus, themes.load_themes(theme_file))
    return corpus, actors.analyse(
        corpus, actor_list, theme_analysis, time_bin="month", split_date="2025-02-01"
    )


def test_mentions_per_document(small):
    _, analysis = small
    table = analysis.per_document.set_index(["doc_id", "actor"])
    assert table.loc[("a", "trump"), ["mentions", "per_1k_words", "full_name", "short_form"]].tolist() == [
        2,
        181.818,
        1,
        1,
    ]
    assert table.loc[("c", "nk"), ["mentions", "metonym", "actor_type"]].tolist() == [1, 1, "state"]


def test_over_time_fills_empty_months_with_intervals(small):
    _, analysis = small
    trump = analysis.over_time[analysis.over_time["actor"] == "trump"]
    assert trump[["period", "documents", "documents_mentioning", "mentions", "words"]].values.tolist() == [
        ["2025-01", 1, 1, 2, 11],
        ["2025-02", 0, 0, 0, 0],
        ["2025-03", 2, 1, 1, 6],
    ]
    march = trump.iloc[2]
    assert (march["share"], round(march["ci_low"], 4), round(march["ci_high"], 4)) == (0.5, 0.0945, 0.9055)


def test_first_last_and_period_change(small):
    _, analysis = small
    app = analysis.appearances.set_index("actor")
    assert app.loc["kim_jong_un", ["first_date", "last_date", "change"]].tolist() == [
        "2025-01-10",
        "2025-01-10",
        "gone after the split",
    ]
    assert app.loc["nk", ["mentioning_before", "mentioning_after", "change"]].tolist() == [
        0,
        1,
        "new after the split",
    ]
    assert app.loc["trump", "change"] == "in both periods"


def test_co_mentions_and_actor_theme(small):
    _, analysis = small
    assert analysis.co_mentions.values.tolist() == [["kim_jong_un", "trump", 2]]
    row = analysis.actor_theme.set_index(["actor", "theme"]).loc[("trump", "sanctions")]
    assert (row["actor_sentences"], row["sentences"], row["share"]) == (3, 1, 0.3333)
    assert (row["example_doc_id"], row["example_sentence_index"]) == ("a", 1)


def test_auto_time_bins_are_even_months_with_the_empty_one_shown(small, actor_list):
    """10 January, 5 and 20 March 2025: by hand, January holds one document (a: Trump twice), February none,
    March two (b: Trump once; c: none) — not a bar per document, which would put March 5 next to January."""
    corpus, _ = small
    assert resolve_bin("auto", corpus) == "month"
    with pytest.raises(BriefingError, match="time_bin='weekly'"):
        resolve_bin("weekly", corpus)
    theme_analysis = themes.analyse(corpus, themes.load_themes(actor_list.path.parent / "themes.yaml"))
    analysis = actors.analyse(corpus, actor_list, theme_analysis, split_date="2025-02-01")
    assert analysis.time_bin == "month"
    trump = analysis.over_time[analysis.over_time["actor"] == "trump"]
    assert trump["period"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert trump["period_start"].tolist() == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert trump["documents"].tolist() == [1, 0, 2]
    assert trump["mentions"].tolist() == [2, 0, 1]
    assert trump["documents_mentioning"].tolist() == [1, 0, 1]
    # the theme chart's bins are the same three months: "sanction" is in a only
    assert theme_analysis.time_bin == "month"
    over = theme_analysis.over_time
    assert over["period"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert over["documents"].tolist() == [1, 0, 2]
    assert over["documents_covering"].tolist() == [1, 0, 0]


@pytest.mark.parametrize(
    "yaml_text, message",
    [
        ("actors:\n  a: {name: A B, type: robot}\n", "actor 'a': type 'robot' is not one of"),
        ("actors:\n  a: {type: person}\n", "actor 'a': has no name"),
        (
            "actors:\n  a: {name: Kim Jong Un, type: person}\n  b: {name: Kim Jong-un, type: person}\n",
            "actor 'b', name 'Kim Jong-un': duplicates a name of 'a'",
        ),
        (
            "actors:\n  a: {name: North Korea, type: state, short: [North]}\n",
            "short forms are for persons only",
        ),
        ("actors:\n  a: {name: A, type: person, colour: red}\n", "unknown key 'colour'"),
        ("actors:\n  a: {name: 'A (B', type: person}\n", "actor 'a', name 'A \\(B'"),
    ],
)
def test_actor_list_errors_name_the_actor(tmp_path, yaml_text, message):
    path = tmp_path / "actors.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(BriefingError, match=message):
        actors.load_actors(path)


def test_the_shipped_list_covers_the_field():
    actor_list = actors.load_actors()
    for actor_id in (
        "trump",
        "harris",
        "biden",
        "lee_jae_myung",
        "yoon",
        "kim_jong_un",
        "xi",
        "putin",
        "rubio",
        "colby",
        "pompeo",
        "united_states",
        "south_korea",
        "north_korea",
        "china",
        "russia",
        "japan",
        "taiwan",
        "ukraine",
        "usfk",
        "cfc",
        "un",
    ):
        assert actor_id in actor_list.actors


# --- the seed corpus, counted by hand with the rules above ------------------------------------

SEED_PERSONS = {
    # 000: "Kamala Harris" and "Donald Trump" are named in full before any bare surname.
    "000_005d3045ef98edaa": {"harris": 17, "trump": 18, "kim_jong_un": 2},
    "001_a43f3a8157d82af0": {"harris": 6, "trump": 6, "kim_jong_un": 3, "biden": 1},
    # 002: 13 "Trump" in the raw text: 2 in the removed page header, 1 in the title printed again above the
    # body (removed as the title); "President Yoon" is the only Yoon of the list.
    "002_043df5c1dd551209": {
        **{"trump": 10, "kim_jong_un": 3, "rubio": 1, "colby": 1, "pompeo": 1, "xi": 1, "yoon": 1}
    },
    # 003: the body is printed twice and counted once.
    "003_86b13bae0f6db5ab": {"trump": 2, "kim_jong_un": 1, "biden": 1},
    # 004: "Lee Jae Mung" (typo) then "Lee administration", "President Lee", "Lee is", "Lee's".
    "004_d611fd63cadb8634": {"trump": 9, "kim_jong_un": 3, "lee_jae_myung": 5, "yoon": 1},
}


@pytest.fixture(scope="module")
def seed_mentions():
    from conftest import SEED_DIR

    return find_mentions(load_corpus(SEED_DIR, cache_dir=None), actors.load_actors())


def test_seed_person_counts_match_a_careful_reader(seed_mentions):
    evidence = seed_mentions[0].frame()
    persons = evidence[evidence["actor_type"] == "person"]
    counted = {doc_id: group.groupby("actor").size().to_dict() for doc_id, group in persons.groupby("doc_id")}
    assert counted == SEED_PERSONS


def test_seed_unresolved_short_forms(seed_mentions):
    # 002's "Trump" before "Donald Trump" and its "President Yoon" (the list's only Yoon) now resolve
    assert seed_mentions[1].empty


def test_seed_evidence_spans_are_the_surface(seed_mentions):
    from conftest import SEED_DIR

    texts = {d.doc_id: d.text for d in load_corpus(SEED_DIR, cache_dir=None).documents}
    evidence = seed_mentions[0].frame()
    for row in evidence.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.surface


NEW_CORPUS = {
    "seoul-summit.txt": (
        "Gyeongju, November 2, 2025\n\n"
        "South Korean President Lee Jae Myung hosted Chinese leader Xi Jinping on the sidelines of the "
        "APEC meeting. "
        "Xi's delegation included Foreign Minister Wang Yi, who later met his counterpart Cho Hyun. "
        "President Lee told reporters that Seoul wants stable ties with Beijing.\n"
    ),
    "pyongyang-parade.txt": (
        "Published October 11, 2025\n\n"
        "Kim Jong-un watched a military parade alongside Chinese Premier Li Qiang and Russia's "
        "Dmitry Medvedev. "
        "Analysts said Mr. Kim used the event to show that Pyongyang no longer stands alone. "
        "Kim Jong-Un's speech did not mention the United States.\n"
    ),
    "washington-tariffs.txt": (
        "Published July 31, 2025\n\n"
        "President Donald J. Trump announced a trade deal with South Korea. Trump said Seoul would invest in "
        "American shipbuilding, a pledge negotiated by Commerce Secretary Howard Lutnick and Kim Jung-kwan, "
        "South Korea's industry minister.\n"
    ),
}


def test_a_new_corpus_finds_leaders_under_new_spellings_and_lists_newcomers(corpus_dir, tmp_path):
    corpus = load_corpus(corpus_dir(NEW_CORPUS), cache_dir=tmp_path / "cache")
    theme_analysis = themes.analyse(corpus, themes.load_themes())
    analysis = actors.analyse(corpus, actors.load_actors(), theme_analysis)
    totals = analysis.over_time.groupby("actor")["mentions"].sum().to_dict()
    # Lee: "Lee Jae Myung", "President Lee"; Xi: "Xi Jinping", "Xi's"; Kim: "Kim Jong-un", "Mr. Kim",
    # "Kim Jong-Un's"; Trump: "Donald J. Trump" (alias), "Trump"
    assert {a: totals.get(a) for a in ("lee_jae_myung", "xi", "kim_jong_un", "trump", "cho_hyun")} == {
        "lee_jae_myung": 2,
        "xi": 2,
        "kim_jong_un": 3,
        "trump": 2,
        "cho_hyun": 1,
    }
    assert analysis.time_bin == "month"  # 31 July to 2 November: every month, the three empty ones too
    assert analysis.over_time["period"].unique().tolist() == [
        "2025-07",
        "2025-08",
        "2025-09",
        "2025-10",
        "2025-11",
    ]
    newcomers = set(analysis.unlisted["name"])
    assert {"Wang Yi", "Li Qiang", "Dmitry Medvedev", "Howard Lutnick", "Kim Jung-kwan"} <= newcomers


def test_a_renamed_document_gets_its_new_id_from_the_per_document_cache(corpus_dir, tmp_path, actor_list):
    """Cached mentions carry the document id, so the cache must not hand a renamed file its old rows."""
    text = "Donald Trump met Kim Jong Un. Trump said little."
    folder = corpus_dir({"old.txt": text})
    cache = tmp_path / "cache"
    first = find_mentions(load_corpus(folder, cache_dir=cache), actor_list)[0].frame()
    (folder / "old.txt").rename(folder / "new.txt")
    second = find_mentions(load_corpus(folder, cache_dir=cache), actor_list)[0].frame()
    assert set(first["doc_id"]) == {"old"} and set(second["doc_id"]) == {"new"}
    assert len(second) == len(first) == 3


def test_the_people_caveat_says_what_the_counts_may_miss():
    from types import SimpleNamespace

    import pandas as pd

    from policybrief.analyses.findings import people_caveat

    def analysis(unresolved: int, unlisted: int) -> SimpleNamespace:
        return SimpleNamespace(
            unresolved=pd.DataFrame({"x": range(unresolved)}), unlisted=pd.DataFrame({"x": range(unlisted)})
        )

    assert people_caveat(analysis(0, 0)) == ""
    assert people_caveat(analysis(15, 1)) == (
        "15 short names could not be resolved to one person and 1 name is not on the actor list "
        "(see Names to check): counts for people may be low."
    )
    assert people_caveat(analysis(0, 3)) == (
        "3 names are not on the actor list (see Names to check): counts for people may be low."
    )


def test_a_titled_surname_one_letter_off_a_listed_one_is_a_typo(mentions):
    found, _ = mentions("Secretary Rubbio met Mr. Trumq. Mr. Kin left.")
    # "Rubbio" is one letter off "Rubio" alone; "Kin" is too short to call a slip
    assert found == [("rubio", "typo", "Secretary Rubbio"), ("trump", "typo", "Mr. Trumq")]


def test_speaker_labels_of_a_transcript_are_not_mentions(mentions):
    found, _ = mentions("MR. TRUMP: Thank you.\n\nQUESTION: Mr. Trump, will you meet Kim Jong Un?")
    assert found == [("trump", "unique short form", "Mr. Trump"), ("kim_jong_un", "full name", "Kim Jong Un")]


def test_a_hyphen_pair_of_listed_people_names_both(mentions):
    found, _ = mentions(
        "Kim Jong Un and Donald Trump met. The Trump-Kim summit failed, unlike Kim Jung-kwan's."
    )
    assert found == [
        ("kim_jong_un", "full name", "Kim Jong Un"),
        ("trump", "full name", "Donald Trump"),
        ("trump", "short form", "Trump"),
        ("kim_jong_un", "short form", "Kim"),
    ]


@pytest.fixture
def shipped_mentions(corpus_dir, tmp_path):
    """``mentions`` with the shipped actor list."""
    return _mentions_runner(corpus_dir, tmp_path, actors.load_actors())


def test_a_capital_named_as_a_place_is_not_its_government(shipped_mentions):
    found, _ = shipped_mentions(
        "Pyongyang said it would respond. Talks in Seoul ended, and a visit to Pyongyang was "
        "cancelled. Washington's demand stood; crowds filled the streets of Pyongyang, and a Seoul-based "
        "diplomat left. Relief to Seoul came from Tokyo's help."
    )
    assert [(actor, surface) for actor, _, surface in found] == [
        ("north_korea", "Pyongyang"),
        ("united_states", "Washington"),
        ("south_korea", "Seoul"),  # a recipient: the government
        ("japan", "Tokyo"),  # "from Tokyo's help": a possessive is the government's
    ]


def test_a_state_inside_a_publication_or_place_name_and_a_slashed_dateline_do_not_count(shipped_mentions):
    found, _ = shipped_mentions(
        "WASHINGTON/SEOUL, Aug 26 (Reuters) - An official told The Japan Times and the Korea "
        "Herald that ships in the Sea of Japan and the South China Sea were watched. Japan agreed to the "
        "U.S. Indo-Pacific strategy."
    )
    assert [(actor, surface) for actor, _, surface in found] == [
        ("japan", "Japan"),
        ("united_states", "U.S."),
    ]


def test_a_transposition_is_one_slip(mentions):
    found, _ = mentions("Donald Trupm spoke, and Secretary Ruboi listened.")
    assert found == [("trump", "typo", "Donald Trupm"), ("rubio", "typo", "Secretary Ruboi")]


@pytest.mark.parametrize("date, who", [("2025-09-01", "lee_jae_myung"), ("2010-03-26", "lee_myung_bak")])
def test_a_titled_shared_surname_is_the_office_holder_of_the_documents_year(corpus_dir, tmp_path, date, who):
    folder = corpus_dir(
        {
            "doc.txt": "President Lee spoke. The Lee government agreed. Lee left.",
            "metadata.csv": f"file,date\ndoc.txt,{date}\n",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    found, missing, _ = resolve_document(corpus.with_text(corpus.documents[0]), actors.load_actors())
    assert [(m[1], m[4], m[3]) for m in found] == [
        (who, "title + role", "President Lee"),
        (who, "administration", "Lee government"),
    ]
    assert [m[1] for m in missing] == ["Lee"]  # a bare shared surname is never settled by the date


def test_a_short_form_in_lower_case_is_not_a_name(corpus_dir, tmp_path):
    path = tmp_path / "moon.yaml"
    path.write_text("actors:\n  moon: {name: Moon Jae-in, type: person, short: [Moon]}\n", encoding="utf-8")
    run = _mentions_runner(corpus_dir, tmp_path, actors.load_actors(path))
    found, missing = run(
        "Moon Jae-in met Ban Ki-moon under a full moon. Moon left. The Trump-Moon talks ended."
    )
    assert found == [
        ("moon", "full name", "Moon Jae-in"),
        ("moon", "short form", "Moon"),
        ("moon", "short form", "Moon"),
    ]
    assert missing == []


@pytest.mark.parametrize("partitions", [[["a", "b", "c"]], [["a"], ["b"], ["c"]], [["a", "b"], ["c"]]])
def test_actor_theme_counts_sentences_and_finds_the_first_one_partition_by_partition(
    evidence_rows, partitions
):
    from policybrief.analyses.actors import cooccurrence

    # actor sentences: a/0 kim and trump, a/1 trump, b/0 kim, b/2 trump (named twice there)
    mentions = evidence_rows(
        [
            ("a", 0, "trump"),
            ("a", 0, "kim"),
            ("a", 1, "trump"),
            ("b", 0, "kim"),
            ("b", 2, "trump"),
            ("b", 2, "trump"),
        ],
        "actor",
        partitions,
    )
    # theme sentences: a/1 sanctions, b/0 sanctions, b/2 alliance and sanctions, c/0 alliance (no actor)
    hits = evidence_rows(
        [
            ("a", 1, "sanctions"),
            ("b", 0, "sanctions"),
            ("b", 2, "alliance"),
            ("b", 2, "sanctions"),
            ("c", 0, "alliance"),
        ],
        "theme",
        partitions,
    )
    table = cooccurrence.actor_theme(mentions, hits, {"sanctions": "Sanctions", "alliance": "Alliance"})
    columns = [
        "actor",
        "theme",
        "actor_sentences",
        "sentences",
        "share",
        "example_doc_id",
        "example_sentence_index",
    ]
    assert table[columns].values.tolist() == [
        ["kim", "sanctions", 2, 1, 0.5, "b", 0],
        ["trump", "alliance", 3, 1, 0.3333, "b", 2],
        ["trump", "sanctions", 3, 2, 0.6667, "a", 1],
    ]
    pairs = cooccurrence.co_mentions(mentions)
    assert pairs.values.tolist() == [["kim", "trump", 1]]
