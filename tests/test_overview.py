from policybrief.corpus.load import load_corpus
from policybrief.corpus.model import short_title
from policybrief.views.overview import cleaning_summary, documents_display, narrative, timeline_chart


def small_corpus(corpus_dir, tmp_path):
    folder = corpus_dir(
        {
            "a.txt": "Alpha beta gamma delta.\n",
            "b.txt": "Epsilon zeta. Eta theta iota.\nImage credit: X.\n",
            "c.txt": "Kappa lambda.\n",
            "metadata.csv": "file,title,source,date\n"
            "a.txt,A,S1,2025-01-16\n"
            "b.txt,B,S2,2025-03-02\n"
            "c.txt,C,S2,2025-01-20\n",
        }
    )
    return load_corpus(folder, cache_dir=tmp_path / "cache")


def test_narrative_states_the_numbers(corpus_dir, tmp_path):
    corpus = small_corpus(corpus_dir, tmp_path)
    # words 4 + 5 + 2 = 11 after cleaning, 14 as read (the image credit is 3 words); sentences 1 + 2 + 1
    assert narrative(corpus) == (
        "The corpus holds 3 documents from 2 sources: 11 words in 4 sentences after cleaning. "
        "They were published between 16 January 2025 and 2 March 2025. "
        "Cleaning removed 3 of 14 words (21%) that were not article text. "
        "The largest single removal was a web residue of 3 words in “B” (image credit)."
    )


def test_cleaning_summary_counts_words_per_step_most_removed_first(corpus_dir, tmp_path):
    table = cleaning_summary(small_corpus(corpus_dir, tmp_path))
    assert table[["Document", "Words as read", "Web residue", "Words counted"]].values.tolist() == [
        ["B", 8, 3, 5],
        ["A", 4, 0, 4],
        ["C", 2, 0, 2],
    ]


def test_documents_are_listed_by_date(corpus_dir, tmp_path):
    table = documents_display(small_corpus(corpus_dir, tmp_path))
    assert table["Title"].tolist() == ["A", "C", "B"]


def test_timeline_marks_each_document_on_a_small_corpus(corpus_dir, tmp_path):
    chart = timeline_chart(small_corpus(corpus_dir, tmp_path))
    assert chart.data["date"].tolist() == ["2025-01-16", "2025-01-20", "2025-03-02"]


def test_timeline_counts_per_month_with_empty_months_as_zero(corpus_dir, tmp_path):
    chart = timeline_chart(small_corpus(corpus_dir, tmp_path), max_points=2)
    assert chart.data.values.tolist() == [["2025-01-01", 2], ["2025-02-01", 0], ["2025-03-01", 1]]


def test_short_titles_cut_at_a_word():
    class Doc:
        title = "Divergent Priorities in Dangerous Times: The U.S.-South Korea Alliance"

    assert short_title(Doc, 30) == "Divergent Priorities in…"


def test_narrative_says_when_sources_are_missing(corpus_dir, tmp_path):
    files = {"a.txt": "Alpha beta gamma delta.\n", "b.txt": "Epsilon zeta. Eta theta iota.\n"}
    unsourced = load_corpus(corpus_dir(files), cache_dir=tmp_path / "one")
    assert narrative(unsourced).startswith(
        "The corpus holds 2 documents whose sources are not given: 9 words"
    )
    (tmp_path / "corpus" / "metadata.csv").write_text("file,source\na.txt,Wire\n", encoding="utf-8")
    half = load_corpus(tmp_path / "corpus", cache_dir=tmp_path / "two")
    assert narrative(half).startswith("The corpus holds 2 documents from 1 source (1 document without one):")


def test_a_season_date_is_printed_as_the_season(corpus_dir, tmp_path):
    files = {
        "a.txt": "Alpha beta gamma delta.\n",
        "b.txt": "Epsilon zeta eta theta.\n",
        "metadata.csv": "file,date\na.txt,Spring 2024\nb.txt,Q3 2025\n",
    }
    corpus = load_corpus(corpus_dir(files), cache_dir=tmp_path / "cache")
    assert "They were published between Spring 2024 and Q3 2025." in narrative(corpus)
