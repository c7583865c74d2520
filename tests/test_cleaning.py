"""Each cleaning rule on a small text written for it, with the exact expected output."""

from pathlib import Path

import pytest

from policybrief.corpus.cleaning import assemble_paragraphs, clean, remove_repeated_passages
from policybrief.corpus.rules import CleaningRules
from policybrief.errors import BriefingError

BODY = (
    "The alliance between Seoul and Washington faces its greatest test in decades.\n"
    "Both governments disagree about cost-sharing and the role of US forces in the region.\n"
    "Analysts expect difficult negotiations throughout the coming year.\n"
)


def test_weather_widget_is_removed(rules):
    result = clean("31 °c\nColumbus\nThe alliance held firm.\n", rules)
    assert result.text == "The alliance held firm."
    assert [(r.step, r.reason, r.text) for r in result.removals] == [
        ("web residue", "weather widget", "31 °c\nColumbus")
    ]


def test_download_pdf_glued_to_the_next_word_is_removed(rules):
    result = clean("Download PDFThe partnership is strong.\nIt will last.\n", rules)
    assert result.text == "The partnership is strong.\n\nIt will last."
    assert [r.reason for r in result.removals] == ["download button"]


def test_share_lines_image_credits_and_read_more_links_are_removed(rules):
    raw = "Share this article\nThe summit ended.\nImage Credit: Reuters.\nRead the full report on 38 North.\n"
    result = clean(raw, rules)
    assert result.text == "The summit ended."
    assert sorted(r.reason for r in result.removals) == [
        "image credit",
        "read-more link",
        "share or subscribe line",
    ]


def test_site_boilerplate_from_config_is_removed(rules):
    raw = "Korea Policy is the premier journal for analysis of the alliance.\n" + BODY
    result = clean(raw, rules)
    assert result.text.startswith("The alliance between Seoul")
    assert (
        result.removals[0].reason
        == "site boilerplate: Korea Economic Institute of America (Korea Policy journal)"
    )


def test_page_header_is_removed_and_feeds_the_metadata(rules):
    raw = (
        "Policy Journal\nSpring Issue\nAuthor: Jane Doe\nTheme: Security, Geopolitics\n"
        "Published December 15, 2025\n" + BODY * 2
    )
    result = clean(raw, rules)
    assert result.text.startswith("The alliance between Seoul")
    assert (
        "Jane Doe" not in result.text
        and "Published" not in result.text
        and "Policy Journal" not in result.text
    )
    assert result.header.author == "Jane Doe"
    assert result.header.date.iso == "2025-12-15"
    assert result.header.date_line == "Published December 15, 2025"
    assert [r.step for r in result.removals] == ["page header", "repeated passage"]


def test_header_title_is_the_line_repeated_in_the_body(rules):
    raw = (
        "Engagement vs. Alliance: A Dilemma\n\nJanuary 16, 2025 Topic: Security Region: Asia\n\n"
        "Engagement vs. Alliance: A Dilemma\n\n" + BODY
    )
    result = clean(raw, rules)
    assert result.header.title == "Engagement vs. Alliance: A Dilemma"
    assert result.header.date.iso == "2025-01-16"
    assert result.text.startswith("The alliance between")  # the title printed again is not article text


def test_a_title_from_the_metadata_is_removed_near_the_top_only(rules):
    title = "Kim joins Xi, Putin at Beijing parade"
    more = "\n\n".join(f"Paragraph {n} of the story adds one more fact." for n in range(12))
    raw = f"{title}\n\nBy Hana KWON with Marc DUBOIS\n\n" + BODY + f"\n\n{more}\n\n{title}"
    result = clean(raw, rules, known_titles=[title])
    assert result.text.startswith("The alliance between")
    assert result.text.endswith(title)  # far from the top: left alone
    assert result.header.author == "Hana KWON with Marc DUBOIS"


def test_a_full_sentence_is_never_header(rules):
    lead = (
        "date 2024-04-10 Prime Minister Fumio Kishida and President Joe Biden agreed on Wednesday to "
        "upgrade their alliance in the most significant way since it was founded."
    )
    result = clean("Published April 10, 2024\n\n" + lead + "\n\n" + BODY, rules)
    assert result.text.startswith(lead)
    result = clean(lead + "\n\nBy Jane Roe\n\n" + BODY, rules)  # a lead above a byline stays too
    assert result.text.startswith(lead) and "Jane Roe" not in result.text


@pytest.mark.parametrize(
    "dateline, iso",
    [
        ("Gyeongju, November 2, 2025", "2025-11-02"),
        ("SEOUL, 3 June 2025", "2025-06-03"),
        ("Friday, July 4, 2025", "2025-07-04"),
    ],
)
def test_news_datelines_are_header_lines(rules, dateline, iso):
    result = clean(dateline + "\n\n" + BODY, rules)
    assert result.header.date.iso == iso
    assert result.text.startswith("The alliance between Seoul")


def test_a_sentence_with_a_date_is_not_a_dateline(rules):
    raw = "Seoul, the capital, held talks on November 2, 2025 with Washington.\n" + BODY
    assert clean(raw, rules).header.date is None


def test_by_line_counts_as_header_only_when_it_looks_like_a_name(rules):
    assert clean("By Bruce Klingner\n" + BODY, rules).header.author == "Bruce Klingner"
    by_sentence = "By the end of 2025, talks had stalled.\n" + BODY
    assert clean(by_sentence, rules).text.startswith("By the end of 2025")


def test_a_dateline_deep_in_the_text_is_not_a_header(rules):
    raw = "".join(f"Paragraph {i} says something about policy.\n" for i in range(14)) + "July 4, 2025\nEnd.\n"
    result = clean(raw, rules)
    assert "July 4, 2025" in result.text
    assert result.header.date is None


def test_page_footer_is_cut_from_its_first_marker(rules):
    raw = BODY + "\nSource link\n\nRelatedPost\n\nLeave a Reply\nYour email address will not be published.\n"
    result = clean(raw, rules)
    assert result.text == "\n\n".join(BODY.strip().split("\n"))
    assert [(r.step, r.reason) for r in result.removals] == [
        ("web residue", "source link"),
        ("page footer", "comments, related posts and links from 'RelatedPost' on"),
    ]


def test_a_footer_marker_early_in_the_text_cuts_nothing(rules):
    raw = "Related posts\n" + BODY
    assert clean(raw, rules).text.startswith("Related posts")


def test_author_bio_at_the_end_is_removed(rules):
    raw = BODY + "Jane Doe is a senior fellow at the Institute and the author of two books.\n"
    result = clean(raw, rules, known_authors=["Jane Doe"])
    assert result.text.endswith("coming year.")
    assert [r.step for r in result.removals] == ["author bio"]


def test_a_closing_sentence_about_a_person_is_not_a_bio(rules):
    raw = BODY + "Kim Jong Un is unlikely to return to talks this year.\n"
    assert clean(raw, rules).text.endswith("talks this year.")


@pytest.mark.parametrize(
    "raw, expected, reasons",
    [
        (
            "Harris emphasized avoiding\ndirect diplomacy.",
            "Harris emphasized avoiding direct diplomacy.",
            ["line break inside a sentence"],
        ),
        (
            "It responded to Washington's o\nvertures.",
            "It responded to Washington's overtures.",
            ["broken word rejoined"],
        ),
        ("The inter-\nnational order.", "The international order.", ["hyphenated word rejoined"]),
        ("They began a\nround of talks.", "They began a round of talks.", ["line break inside a sentence"]),
        ("The end.\nthe next line", "The end.\n\nthe next line", []),
        ("A heading\nThe next paragraph.", "A heading\n\nThe next paragraph.", []),
        ("One line\n\nsecond paragraph", "One line\n\nsecond paragraph", []),
    ],
)
def test_hard_line_breaks_inside_sentences_are_repaired(raw, expected, reasons):
    paragraphs, repairs = assemble_paragraphs(raw)
    assert "\n\n".join(paragraphs) == expected
    assert [r.reason for r in repairs] == reasons


def test_bullets_lose_their_markers():
    paragraphs, _ = assemble_paragraphs("  • Greater polarization;\n  • Nuclear proliferation;\n- Conflict.")
    assert paragraphs == ["Greater polarization;", "Nuclear proliferation;", "Conflict."]


def test_a_body_printed_twice_is_kept_once():
    first = "Amid rising tensions in Northeast Asia, the administration reviews its policy."
    second = "The election of a new president provides an opportunity to reevaluate policy."
    paragraphs = ["Title", first, "Introduction", second, "Read more", first, "Introduction", second, "Yes."]
    kept, removals = remove_repeated_passages(paragraphs, min_words=8)
    assert kept == ["Title", first, "Introduction", second, "Read more", "Yes."]
    assert len(removals) == 1 and removals[0].words == 11 + 1 + 12


def test_short_repeats_on_their_own_are_kept():
    kept, removals = remove_repeated_passages(
        ["Yes.", "A long enough paragraph of at least eight words here.", "Yes."], 8
    )
    assert kept == ["Yes.", "A long enough paragraph of at least eight words here.", "Yes."]
    assert removals == []


def write_rules(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cleaning.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_pattern_is_reported_with_its_rule(tmp_path):
    path = write_rules(tmp_path, "residue:\n  - reason: broken\n    pattern: '(unclosed'\n")
    with pytest.raises(BriefingError, match=r"residue 'broken': bad pattern '\(unclosed'"):
        CleaningRules.load(path)


def test_unquoted_yaml_booleans_are_reported(tmp_path):
    path = write_rules(tmp_path, "sentences:\n  before_number: [no, vol]\n")
    with pytest.raises(BriefingError, match=r"sentences.before_number: entry False is not text \(quote it"):
        CleaningRules.load(path)


def test_unknown_keys_and_python_tags_are_refused(tmp_path):
    with pytest.raises(BriefingError, match="unknown key 'residu'"):
        CleaningRules.load(write_rules(tmp_path, "residu: []\n"))
    with pytest.raises(BriefingError, match="not valid YAML"):
        CleaningRules.load(write_rules(tmp_path, "residue: !!python/object/apply:os.system ['echo hi']\n"))


RESIDUE_LINES = [
    "31 °c\nColumbus",
    "Download PDF",
    "Source link",
    "Read the full report on 38 North.",
    "Share this article",
    "Sign up for our newsletter today",
    "Image Credit: Reuters.",
    "(Photo: Yonhap)",
    "From the Issue",
    "Korea Policy Vol. 2, Issue 1",
]


@pytest.mark.parametrize("line", RESIDUE_LINES)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_the_residue_screen_finds_every_line_a_residue_pattern_finds(rules, line, where):
    """The one-pass screen only lets a document skip the residue patterns when none of them matches."""
    text = {"first": f"{line}\n{BODY}", "middle": f"{BODY}{line}\n{BODY}", "last": f"{BODY}{line}"}[where]
    assert any(pattern.search(text) for _, pattern in rules.residue)
    assert rules.residue_screen.search("\n" + text)
    assert not rules.residue_screen.search("\n" + BODY) and not any(p.search(BODY) for _, p in rules.residue)


def test_residue_patterns_the_screen_cannot_join_are_all_applied(tmp_path):
    for pattern in [r"Advertisement$", r"^(\w+) \1$", r"(?x)^Sponsored  # a comment", r"^(?<=x)y"]:
        rules = CleaningRules.load(
            write_rules(tmp_path, f"residue:\n  - reason: r\n    pattern: '{pattern}'\n")
        )
        assert rules.residue_screen is None, pattern
    rules = CleaningRules.load(
        write_rules(tmp_path, "residue:\n  - reason: r\n    pattern: 'Advertisement$'\n")
    )
    assert clean("Text here.\nAdvertisement\nMore text.\n", rules).text == "Text here.\n\nMore text."


@pytest.mark.parametrize(
    "residue",
    [
        "President Lee Jae Myung speaks at the National Assembly in Seoul, Tuesday. [YONHAP]",
        "Lee Jae Myung (left) shakes hands with Donald Trump in the Oval Office. (Presidential Office)",
        "People watch a TV screen showing a missile launch in Seoul. (AP Photo/Ahn Young-joon)",
        "Kim Jong Un (L), Xi Jinping (C) and Vladimir Putin (R) watch the parade",
        "Kim Yo-jong, the younger sister of Kim Jong-un, is seen in this undated file photo.",
        "Copyright 2025 The Associated Press. All rights reserved.",
        "© 2025 by the Center for Strategic and International Studies. All rights reserved.",
        "Advertisement",
        "(END)",
        "hnpark@yna.co.kr",
        "Reporting by Kaori Nishida in Tokyo; Editing by Edmund Harlow",
        "Associated Press writer Haruka Ono in Tokyo contributed to this report.",
        "Tags: North Korea, Donald Trump, Kim Jong Un",
        "KENTARO SATOMI, Nikkei staff writer",
        "The views expressed herein are the author's own.",
        "Kim Jong Un addresses the Supreme People's Assembly in Pyongyang | Image: KCNA (Sept. 22, 2025)",
        "Pete Hegseth and Gen Nakatani shake hands before their talks | POOL / VIA REUTERS",
        "Related: Satellite imagery shows parade preparations at Mirim",
        "Edited by Marcus Reilly",
        "ANALYSIS",
    ],
)
def test_captions_credits_and_wire_marks_are_residue(rules, residue):
    result = clean(BODY + "\n\n" + residue + "\n\n" + BODY.replace("decades", "years"), rules)
    assert residue not in result.text
    assert result.text.count("The alliance between Seoul") == 2  # the body around it stays


def test_a_caption_above_a_photo_credit_line_goes_with_it(rules):
    caption = "President Lee Jae Myung addresses the U.N. General Assembly in New York, Tuesday."
    result = clean(BODY + f"\n\n{caption}\nKorea Times photo by Choi Won-suk\n\n" + BODY[::-1], rules)
    assert caption not in result.text and "Choi Won-suk" not in result.text


def test_notes_and_related_coverage_start_the_footer(rules):
    for marker in ("Notes", "Footnotes", "Related coverage:", "RELATED", "Read Next"):
        tail = f"\n\n{marker}\n\n[1] Korean Central News Agency, September 2025."
        result = clean(BODY + BODY.replace("decades", "years") + tail, rules)
        assert "Korean Central News Agency" not in result.text, marker


def test_a_most_viewed_list_starts_the_footer(rules):
    tail = "\n\nMost Viewed\n\n1. Lee approval rating slips to 54% in Gallup poll"
    result = clean(BODY + BODY.replace("decades", "years") + tail, rules)
    assert "Gallup" not in result.text


def test_a_byline_or_stamp_with_a_date_is_header_but_a_dated_heading_is_not(rules):
    result = clean("Kim vows to talk\n\nHana Seo and Daniel Whitlock September 22, 2025\n\n" + BODY, rules)
    assert result.text.startswith("The alliance between") and result.header.date.iso == "2025-09-22"
    heading = "The summit of June 12, 2018 in Singapore"
    assert clean(heading + "\n\n" + BODY, rules).text.startswith(heading)
