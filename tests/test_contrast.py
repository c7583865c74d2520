"""WCAG AA contrast of the briefing's text colours (4.5:1 for body text) on every background its style sheet
sets, white included."""

import re

from policybrief.paths import TEMPLATES_DIR

CSS = (TEMPLATES_DIR / "briefing" / "briefing.css").read_text(encoding="utf-8")


def _luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert contrast("#777", "#fff") < 4.5 < contrast("#767676", "#fff")


def test_every_text_colour_meets_aa_on_every_background():
    texts = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})\b", CSS))
    backgrounds = set(re.findall(r"background:\s*(#[0-9a-fA-F]{3,6})\b", CSS)) | {"#ffffff"}
    assert {"#1a1a1a", "#1f4e79", "#555"} <= texts and "#dbe5f1" in backgrounds
    failing = [(t, b, round(contrast(t, b), 2)) for t in texts for b in backgrounds if contrast(t, b) < 4.5]
    assert failing == []


def _ramp_colour(ramp: str, t: float) -> str:
    """The colour of a Vega scheme ramp at ``t`` (its colours spaced evenly, interpolated in RGB), as hex."""
    colours = [tuple(int(ramp[i + j : i + j + 2], 16) for j in (0, 2, 4)) for i in range(0, len(ramp), 6)]
    steps = len(colours) - 1
    k = min(int(t * steps), steps - 1)
    f = t * steps - k
    return "#" + "".join(
        f"{round(a + (b - a) * f):02x}" for a, b in zip(colours[k], colours[k + 1], strict=True)
    )


def test_numbers_on_shaded_cells_meet_aa_on_either_side_of_the_switch():
    """A matrix cell's number is black up to WHITE_TEXT_FROM of its scale and white above: at the switch
    both have 4.5:1 against the shade Vega draws there (its scheme's ramp, read from the bundle it ships)."""
    import vl_convert

    from policybrief.views.present import WHITE_TEXT_FROM

    bundle = vl_convert.javascript_bundle()
    for scheme, switch in WHITE_TEXT_FROM.items():
        ramp = re.search(scheme + r'\s*:\s*"([0-9a-f]+)"', bundle).group(1)
        assert contrast("#000000", _ramp_colour(ramp, switch)) >= 4.5, scheme
        assert contrast("#ffffff", _ramp_colour(ramp, switch + 0.001)) >= 4.5, scheme
