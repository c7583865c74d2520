"""Stated quantities: percentages, money and counts found with what they are about and their year, and the
figures that change between documents."""

import pytest

from policybrief.analyses.quantities import analyse, load_rules, sentence_quantities
from policybrief.corpus.load import load_corpus


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Japan will raise defense spending to 2 percent of gross domestic product by 2027.",
            [("percent", 2.0, "%", "of gdp", 2027)],
        ),
        (
            "Tariffs rose from 15% to 25% in 2025, and Trump demanded $10 billion a year.",
            [
                ("percent", 15.0, "%", "tariff", 2025),
                ("percent", 25.0, "%", "tariff", 2025),
                ("money", 10e9, "USD", "", 2025),
            ],
        ),
        (
            "The US keeps 28,500 troops in Korea, and Japan ordered 400 Tomahawk missiles.",
            [("count", 28500.0, "troops", "troops", None), ("count", 400.0, "missiles", "missiles", None)],
        ),
        (
            "Seoul pledged US$350 billion in investment, about 475 trillion won, of which 1.5 million jobs.",
            [
                ("money", 350e9, "USD", "investment", None),
                ("money", 475e12, "KRW", "", None),
                ("count", 1.5e6, "jobs", "jobs", None),
            ],
        ),
        ("A 25% tariff on cars took effect in 2025.", [("percent", 25.0, "%", "tariff", 2025)]),
        # not quantities: years, a resolution, a model number, a bare sum without a currency
        ("Resolution 2397 of 2017 bans Hwasong-20 exports worth 300 million.", []),
        # model designations are not counts; periods and three words may stand between number and thing
        (
            "It fired a Hwasong-11 missile, deployed Type 12 missiles and JL-3 submarine-launched ones, "
            "while 28,500 U.S. troops stay and 400 U.S.-made Tomahawk cruise missiles arrive in March 2027.",
            [("count", 28500.0, "troops", "troops", 2027), ("count", 400.0, "missiles", "missiles", 2027)],
        ),
    ],
)
def test_stated_quantities_of_a_sentence(rules, sentence, expected):
    found = [(k, v, u, s, y) for k, v, u, s, _, _, y in sentence_quantities(sentence, rules)]
    assert found == expected


def test_figures_stated_differently_in_two_documents_are_compared(corpus_dir, tmp_path, rules):
    folder = corpus_dir(
        {
            "a.txt": "Japan spends 1% of GDP on defense. It has 400 Tomahawk missiles on order.\n",
            "b.txt": "Japan will spend 2% of GDP on defense by 2027, with 400 missiles bought.\n",
            "c.txt": "Spending reached 1.8% of GDP this year. Tariffs of 15% apply.\n",
            "metadata.csv": "file,date\na.txt,2024-05-01\nb.txt,2025-03-01\nc.txt,2025-12-01\n",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    result = analyse(corpus, rules)
    assert len(result.stated) == 6
    assert result.stated["page"].isna().all()
    # the missiles are stated as 400 twice: no change, no row; the share of GDP changes in three documents
    compared = result.compared
    assert compared[["kind", "unit", "subject", "documents", "values"]].values.tolist() == [
        ["percent", "%", "of gdp", 3, 3]
    ]
    row = compared.iloc[0]
    assert (row["first_doc"], row["first_stated"], row["last_doc"], row["last_stated"]) == (
        "a",
        "1%",
        "c",
        "1.8%",
    )
    assert (row["minimum"], row["maximum"]) == (1.0, 2.0)


def test_the_briefing_table_gives_first_last_and_range(corpus_dir, tmp_path, rules):
    from policybrief.views.numbers import compared_display, narrative

    folder = corpus_dir(
        {
            "a.txt": "Korea offered $350 billion in investment.\n",
            "b.txt": "The US asked for $550 billion in investment, and 28,500 troops stay.\n",
            "metadata.csv": "file,title,date\na.txt,First offer,2025-07-01\nb.txt,Second ask,Spring 2026\n",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    result = analyse(corpus, rules)
    shown = compared_display(corpus, result)
    assert shown.values.tolist() == [
        [
            "USD investment",
            "$350 billion (First offer, 1 July 2025)",
            "$550 billion (Second ask, Spring 2026)",
            "350 billion USD – 550 billion USD",
            2,
            2,
        ]
    ]
    assert narrative(result).startswith(
        "The documents state 3 figures: 0 percentages, 2 sums of money and 1 count"
    )
