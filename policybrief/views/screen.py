"""What the briefing does on screen only: the Vega-Lite spec each figure carries beside its static SVG, made
interactive for the page's script to render with the Vega bundle inlined once per page (build/assemble.py),
and numbers that open their evidence. Nothing here changes what is printed: a chart is its SVG, a number
is the number.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable

__all__ = ["ev_link", "interactive", "linked", "script_json", "title_of"]


def script_json(value) -> str:
    """``value`` as JSON to put inside a <script> element: deterministic, and with <, > and & escaped so that
    no text in it (a document's) can end the script."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def title_of(spec: dict) -> str:
    """A chart's title as plain text (its text alternative starts with it)."""
    title = spec.get("title") or next((v.get("title") for v in spec.get("layer", []) if v.get("title")), "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


def _units(spec: dict) -> list[dict]:
    """The single views of a spec (itself, its layers, its facet's view, its concatenated views)."""
    if "mark" in spec:
        return [spec]
    found = []
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key, []):
            found += _units(part)
    if isinstance(spec.get("spec"), dict):
        found += _units(spec["spec"])
    return found


def interactive(spec: dict, description: str) -> dict:
    """The spec for the screen: tooltips on every mark (a layer's labels show the tooltip of the marks they
    label), a legend that selects (a categorical colour legend), zoom and pan on a time axis. The static SVG
    keeps its look: none of this changes an unselected chart."""
    live = json.loads(json.dumps(spec))
    live["description"] = description
    live.setdefault("config", {}).setdefault("mark", {})["tooltip"] = True
    layers = live.get("layer", [])
    shared = next((u["encoding"]["tooltip"] for u in layers if "tooltip" in u.get("encoding", {})), None)
    for unit in layers if shared else []:  # the labels on a layer's marks show the marks' tooltip
        if "mark" in unit and "data" not in unit:
            unit.setdefault("encoding", {}).setdefault("tooltip", shared)
    legend = zoom = False
    for unit in _units(live):
        encoding = unit.get("encoding", {})
        color, x = encoding.get("color", {}), encoding.get("x", {})
        params = unit.setdefault("params", [])
        if not legend and color.get("type") == "nominal" and "field" in color and "opacity" not in encoding:
            legend = True
            params.append(
                {
                    "name": "legend_pick",
                    "select": {"type": "point", "fields": [color["field"]]},
                    "bind": "legend",
                }
            )
            encoding["opacity"] = {"condition": {"param": "legend_pick", "value": 1}, "value": 0.2}
        if not zoom and x.get("type") == "temporal":
            zoom = True
            params.append(
                {"name": "zoom", "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}
            )
        if not params:
            del unit["params"]
    return live


def ev_link(number: str, key: str) -> str:
    """``number`` (as written) as a link that opens the sentences it counts (its evidence ``key``, see
    ``analyses/evidence.py``); printed, it is the number (no href: the PDF gets no link to the panel)."""
    button = 'role="button" tabindex="0" aria-haspopup="dialog"'
    return f'<a class="ev" data-ev="{html.escape(key)}" {button}>{html.escape(number)}</a>'


def linked(text: str, numbers: Iterable[tuple[str, str, str]]) -> str:
    """``text`` escaped, with each of ``numbers`` — (the text just before it, the number, its key), in the
    order they appear — made a link; a number not found (the text was changed) stays plain."""
    pieces, position = [], 0
    for before, number, key in numbers:
        found = text.find(before + number, position)
        if found < 0:
            continue
        at = found + len(before)
        pieces.append(html.escape(text[position:at]) + ev_link(number, key))
        position = at + len(number)
    return "".join(pieces) + html.escape(text[position:])
