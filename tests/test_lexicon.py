"""Matching rules pinned on texts written for the test: exact hit counts."""

import pytest

from policybrief.text.lexicon import LexiconError, Matcher, longest_per_group, parse_term, tokenize


def hits(terms: dict[str, list[str]], text: str) -> list[tuple[str, str]]:
    compiled = [
        t for group, sources in terms.items() for source in sources for t in parse_term(source, group)
    ]
    return [(m.group, text[m.start : m.end]) for m in longest_per_group(Matcher(compiled).find(text))]


def test_multiword_terms_match_as_phrases_only():
    text = "Extended deterrence matters. Deterrence, extended over years, is not the phrase."
    assert hits({"d": ["extended deterrence"]}, text) == [("d", "Extended deterrence")]


def test_hyphen_and_space_variants_and_closed_compounds():
    text = (
        "cost-sharing, cost sharing, costsharing; "
        "non-proliferation and nonproliferation and non proliferation"
    )
    assert hits({"a": ["cost sharing"], "p": ["non-proliferation"]}, text) == [
        ("a", "cost-sharing"),
        ("a", "cost sharing"),
        ("p", "non-proliferation"),
        ("p", "nonproliferation"),
        ("p", "non proliferation"),
    ]
    assert hits({"a": ["cost-sharing"]}, "costsharing") == [("a", "costsharing")]


def test_periods_are_optional_in_abbreviations():
    text = "The U.S.-ROK alliance and the US-ROK alliance; U.S. forces."
    assert hits({"a": ["US-ROK"], "f": ["U.S. forces"]}, text) == [
        ("a", "U.S.-ROK"),
        ("a", "US-ROK"),
        ("f", "U.S. forces"),
    ]


def test_globs_match_any_ending_of_the_word():
    text = "Sanction, sanctions, sanctioned and sanctioning; but not unsanctioned."
    assert len(hits({"s": ["sanction*"]}, text)) == 4


def test_glob_inside_a_phrase():
    assert hits({"m": ["meeting* with Kim"]}, "meetings with Kim and a meeting with Kim") == [
        ("m", "meetings with Kim"),
        ("m", "meeting with Kim"),
    ]


def test_case_is_ignored_except_for_words_in_capitals():
    text = "Taiwan, TAIWAN and taiwan. Let us talk: the US and the U.S. will."
    assert len(hits({"t": ["Taiwan"]}, text)) == 3
    assert hits({"u": ["US"]}, text) == [("u", "US"), ("u", "U.S.")]
    assert hits({"i": ["ICBM*"]}, "ICBMs and icbms") == [("i", "ICBMs")]


def test_whole_words_only():
    text = "sanctions and sanctionsbusting and presanctions"
    assert hits({"s": ["sanctions"]}, text) == [("s", "sanctions")]


def test_possessives_are_ignored():
    text = "The alliance's future and China's influence, the allies' plans."
    assert hits({"a": ["alliance"], "c": ["China influence"]}, text) == [
        ("a", "alliance"),
        ("c", "China's influence"),
    ]


def test_longest_match_wins_inside_a_group_and_counts_once():
    text = "Extended deterrence and deterrence."
    assert hits({"d": ["deterrence", "extended deterrence"]}, text) == [
        ("d", "Extended deterrence"),
        ("d", "deterrence"),
    ]


def test_the_same_span_may_count_for_two_groups():
    assert hits({"a": ["nuclear South Korea"], "b": ["South Korea"]}, "a nuclear South Korea") == [
        ("a", "nuclear South Korea"),
        ("b", "South Korea"),
    ]


def test_phrases_do_not_cross_punctuation():
    assert hits({"d": ["cost sharing"]}, "the cost, sharing the burden") == []


def test_tokens_keep_spans_without_possessives():
    tokens = tokenize("Kim's U.S. trip")
    assert [(t.start, t.end, t.lower, t.cased) for t in tokens] == [
        (0, 3, "kim", "Kim"),
        (6, 10, "us", "US"),
        (11, 15, "trip", "trip"),
    ]


@pytest.mark.parametrize(
    "source, message",
    [
        ("", "is empty"),
        ("sanc*tion", "'sanc*tion' is not a word"),
        ("(war", "'(war' is not a word"),
        ("*", "'*' is not a word"),
    ],
)
def test_bad_terms_are_refused(source, message):
    with pytest.raises(LexiconError, match=message.replace("(", r"\(").replace("*", r"\*")):
        parse_term(source, "g")


def test_gap_set_is_exactly_what_the_gap_pattern_matches():
    """GAPS replaces the pattern \\.?(?:'s)?[ \\-]? for speed: every short string over the characters that
    matter is in the set exactly when the pattern matches it whole."""
    import itertools
    import re

    from policybrief.text.lexicon import GAPS

    pattern = re.compile(r"\.?(?:'s)?[ \-]?")
    for length in range(6):
        for chars in itertools.product([".", "'", "s", " ", "-", "a"], repeat=length):
            text = "".join(chars)
            assert (text in GAPS) == bool(pattern.fullmatch(text)), text
    assert len(GAPS) == 12
