"""The PDF's furniture built in assemble.py and the chart sizing in present.matrix, without a build."""

import re

import pandas as pd

from policybrief.build.assemble import APPENDICES, page_styles
from policybrief.views import present


def test_the_running_header_carries_any_title_safely():
    """A title with quotes, a backslash and "</style>" stays inside its CSS string: decoded, each named page's
    header reads "title · section"."""
    title = 'Q&A: "North" \\ Korea </style><script>x</script>'
    css = page_styles(title, [("section-1", "1. Corpus overview")])
    assert (
        css.startswith('<style class="page-styles">')
        and css.count("</style>") == 1
        and css.endswith("</style>")
    )
    assert "<" not in css[len('<style class="page-styles">') : -len("</style>")]
    headers = {
        name: re.sub(r"\\([0-9a-f]{6}) ", lambda m: chr(int(m.group(1), 16)), content)
        for name, content in re.findall(r'@page ([\w-]+) \{ @top-left \{ content: "([^"]*)"; \} \}', css)
    }
    assert headers == {
        "front": f"{title} \u00b7 Summary and key findings",
        "section-1": f"{title} \u00b7 1. Corpus overview",
        **{anchor: f"{title} \u00b7 {label}" for anchor, label in APPENDICES},
    }
    # each chapter's cells, tagged page-<name>, are set on that named page
    assert ".celltag_page-section-1 { page: section-1; }" in css


def _grid(columns: int) -> pd.DataFrame:
    return pd.DataFrame(
        [{"x": f"c{i}", "y": f"r{j}", "n": 100 + i, "s": float(i)} for i in range(columns) for j in range(3)]
    )


def test_a_matrix_narrows_its_columns_to_the_page_and_drops_numbers_that_no_longer_fit():
    wide = _grid(30)
    chart = present.matrix(
        wide, "x", "y", "s", "n", [f"c{i}" for i in range(30)], ["r0", "r1", "r2"], "t", "l"
    )
    spec = chart.to_dict()
    assert spec["width"] == 30 * (present.PLOT_WIDTH // 30) <= present.PLOT_WIDTH  # 13 px a column
    assert "layer" not in spec  # shade only: "100" needs 25 px
    narrow = _grid(5)
    spec = present.matrix(
        narrow, "x", "y", "s", "n", [f"c{i}" for i in range(5)], ["r0", "r1", "r2"], "t", "l"
    )
    assert spec.to_dict()["width"] == 5 * 64 and len(spec.to_dict()["layer"]) == 2  # cells and their numbers


def test_a_time_axis_labels_every_kth_bin_flat():
    months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
    axis = present.period_axis(months, cell=16).to_dict()
    # "2024-01" at 10 px is about 51 px: every fourth 16 px bin gets a label, none turned
    assert axis["values"] == months[::4] and axis["labelAngle"] == 0
    assert present.period_axis(months[:6], cell=64).to_dict()["values"] == months[:6]
