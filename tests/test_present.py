import json
import re

import altair as alt
import pandas as pd

from policybrief.views.present import chart_svg, figure, marked, matrix, table, table_html
from policybrief.views.screen import interactive


def test_tables_escape_document_text_and_format_numbers():
    frame = pd.DataFrame(
        {
            "Title": ["<script>alert(1)</script>", "a & b"],
            "Words": [1234, 5],
            "Date": ["2025-01-16", "undated"],
        }
    )
    html = table_html(frame)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "a &amp; b" in html
    assert '<td class="num">1,234</td>' in html
    assert '<td class="txt nowrap">2025-01-16</td>' in html


def test_a_table_names_the_file_that_holds_all_its_rows():
    frame = pd.DataFrame({"a": range(5)})
    small = table(frame, "Removals", full_table="cleaning_log", top=2).data
    assert "Showing 2 of 5 rows. Full table: tables/cleaning_log.csv." in small
    long = table(frame, "Mentions", full_table="actor_evidence").data
    assert "Full table: tables/actor_evidence.parquet (.csv too when under the row limit)." in long


def test_marked_quotes_escape_and_mark_spans():
    assert marked("a <b> sanctions & c", [(6, 15)]) == "a &lt;b&gt; <mark>sanctions</mark> &amp; c"


def test_each_chart_gets_its_own_svg_ids():
    frame = pd.DataFrame({"x": ["a", "b"], "y": ["c", "d"], "v": [1, 2]})
    first = chart_svg(matrix(frame, "x", "y", "v", "v", ["a", "b"], ["c", "d"], "One", "V"))
    second = chart_svg(matrix(frame, "x", "y", "v", "v", ["a", "b"], ["c", "d"], "Two", "V"))
    ids = [set(re.findall(r'\bid="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    for svg, defined in zip((first, second), ids, strict=True):
        assert set(re.findall(r"url\(#([^)]+)\)", svg)) <= defined


def test_data_marks_carry_tooltips():
    frame = pd.DataFrame({"x": ["a", "b"], "y": ["c", "d"], "v": [1, 2]})
    svg = chart_svg(matrix(frame, "x", "y", "v", "v", ["a", "b"], ["c", "d"], "One", "V"))
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert "x: a; y: c; v: 1" in titles and "x: b; y: d; v: 2" in titles


def test_figures_are_vector_and_captioned():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q").properties(title="A <title>")
    html = figure(chart, "Caption & more").data
    assert (
        html.startswith(
            '<figure class="briefing-figure"><div class="chart-static" role="img" '
            'aria-label="Chart: A &lt;title&gt;. Caption &amp; more"><svg'
        )
        and "<figcaption>Caption &amp; more</figcaption>" in html
    )
    # the live chart's spec is escaped JSON: no text of it can end its script
    spec = html.split('class="chart-spec">', 1)[1].split("</script>", 1)[0]
    assert "<" not in spec and json.loads(spec)["description"] == "Chart: A <title>. Caption & more"
    assert "A &lt;title&gt;" in html


def test_the_live_spec_adds_tooltips_a_selecting_legend_and_zoom_on_time_without_changing_the_svg():
    frame = pd.DataFrame({"when": ["2024-01-01", "2025-01-01"], "n": [1, 2], "kind": ["a", "b"]})
    line = alt.Chart(frame).mark_point().encode(x="when:T", y="n:Q", color="kind:N", tooltip=["kind", "n"])
    label = alt.Chart(frame).mark_text(dx=8).encode(x="when:T", y="n:Q", text="kind:N")
    chart = line + label
    spec = chart.to_dict()
    live = interactive(spec, "Chart: two points")
    assert live["description"] == "Chart: two points" and live["config"]["mark"]["tooltip"] is True
    first, second = live["layer"]
    assert [p["name"] for p in first["params"]] == ["legend_pick", "zoom"]
    assert first["params"][0]["bind"] == "legend" and first["params"][1]["bind"] == "scales"
    assert first["encoding"]["opacity"]["condition"]["param"] == "legend_pick"
    assert second["encoding"]["tooltip"] == first["encoding"]["tooltip"]  # labels show their mark's tooltip
    assert "params" not in spec["layer"][0]  # the spec the SVG is drawn from is untouched
    assert chart_svg(chart) == chart_svg(alt.LayerChart.from_dict(spec))
