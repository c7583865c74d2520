from policybrief.corpus.sentences import split_sentences


def sentences(text, rules):
    return [text[start:end] for start, end in split_sentences(text, rules)]


def test_abbreviations_titles_numbers_and_initials_do_not_end_sentences(rules):
    text = (
        "Mr. Kim met U.S. President Trump. See Vol. 3, No. 1 of the journal. "
        "Joel S. Wit wrote it. The threat to the U.S. The end! Is it? Yes."
    )
    assert sentences(text, rules) == [
        "Mr. Kim met U.S. President Trump.",
        "See Vol. 3, No. 1 of the journal.",
        "Joel S. Wit wrote it.",
        "The threat to the U.S.",
        "The end!",
        "Is it?",
        "Yes.",
    ]


def test_paragraph_breaks_end_sentences_and_headings_stand_alone(rules):
    text = (
        "A heading\n\nThe talks ended in Hanoi in 2019. Officials said the U.S. would return.\n\n"
        "No. 1 is next."
    )
    assert sentences(text, rules) == [
        "A heading",
        "The talks ended in Hanoi in 2019.",
        "Officials said the U.S. would return.",
        "No. 1 is next.",
    ]


def test_quotes_after_the_period_stay_with_the_sentence(rules):
    text = 'He said "it is over." Then he left. The "love letters" (2018). Later.'
    assert sentences(text, rules) == [
        'He said "it is over."',
        "Then he left.",
        'The "love letters" (2018).',
        "Later.",
    ]


def test_spans_are_offsets_into_the_text(rules):
    text = "First one.  Second one.\n\nThird"
    assert split_sentences(text, rules) == [(0, 10), (12, 23), (25, 30)]


def test_a_dotted_abbreviation_joined_by_a_hyphen_ends_no_sentence(rules):
    text = "He said the Korea-U.S. Combined Forces Command would move. The Japan-U.S. Alliance held."
    assert sentences(text, rules) == [
        "He said the Korea-U.S. Combined Forces Command would move.",
        "The Japan-U.S. Alliance held.",
    ]
