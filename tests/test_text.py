from policybrief.text.words import count_words, excerpt, normalise_unicode


def test_words_keep_inner_apostrophes_hyphens_and_periods():
    # U.S | President | Trump's | meeting | with | Lee | Jae-myung | in | 2025
    assert count_words("U.S. President Trump's meeting with Lee Jae-myung in 2025") == 9


def test_words_split_on_dashes_and_slashes():
    assert count_words("war—particularly nuclear war – and/or talks") == 7


def test_unicode_normalisation_replaces_look_alikes_without_changing_counts():
    raw = "\u201cQuote\u201d \u2013 it\u2019s\u00a0fine\u200b. Kim\u2011Jong\u2010un"
    text, counts = normalise_unicode(raw)
    assert text == '"Quote" \u2013 it\'s fine. Kim-Jong-un\n'
    assert counts == {
        "curly quotes": 3,
        "hyphens and dashes": 2,
        "invisible characters": 1,
        "non-breaking and unusual spaces": 1,
    }
    assert count_words(text) == count_words(raw) == 4


def test_line_endings_and_spaces_are_normalised():
    text, _ = normalise_unicode("a  b \r\nc\rd\t e")
    assert text == "a b\nc\nd e\n"


def test_excerpt_flattens_and_shortens():
    assert excerpt("one\ntwo   three", 50) == "one two three"
    assert excerpt("abcdefghij klmnop", 12) == "abcdefghij…"
