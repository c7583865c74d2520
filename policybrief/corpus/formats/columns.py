"""Two-column PDF pages read column by column.

PDFium returns text in content-stream order. That is the reading order for the two-column pages most tools
write, but not when a generator writes a page row by row across its columns (measured: 52% of the body in
order on such a page, 100% with this). The characters are grouped into line segments; a vertical gutter in
the middle of the page that no body segment crosses, with wide lines on both sides, marks two columns. The
page is then cut into horizontal bands (full-width parts such as titles and footnotes, and two-column parts),
read top to bottom, each two-column band left column first.
"""

import pypdfium2 as pdfium

Segment = tuple[float, float, float, float]  # left, bottom, right, top

MIN_SEGMENTS = 10  # fewer line segments than this: not worth looking for columns
MARGIN = 0.08  # the top and bottom 8% of a page hold running headers and footers, never columns
WIDE = 0.25  # a column's lines are at least a quarter of the page wide (median)


def column_text(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> str | None:
    """The page's text read column by column when its body is in two columns, else None."""
    width, height = page.get_size()
    segments = _line_segments(textpage)
    if len(segments) < MIN_SEGMENTS:
        return None
    margin = {s for s in segments if s[1] > (1 - MARGIN) * height or s[3] < MARGIN * height}
    body = [s for s in segments if s not in margin]
    gutter = min(
        range(int(0.3 * width), int(0.7 * width)),
        key=lambda x: (sum(1 for s in body if s[0] < x < s[2]), abs(x - width / 2)),
    )
    side = {
        s: "S" if s in margin or s[0] < gutter < s[2] else ("L" if s[2] <= gutter else "R") for s in segments
    }
    bands: list[tuple[str, list[Segment]]] = []  # top to bottom: (S)panning or (C)olumns, and their segments
    for s in sorted(segments, key=lambda s: -s[3]):
        kind = "S" if side[s] == "S" else "C"
        if bands and bands[-1][0] == kind:
            bands[-1][1].append(s)
        else:
            bands.append((kind, [s]))

    def wide(group: list[Segment]) -> bool:
        return len(group) >= 3 and sorted(s[2] - s[0] for s in group)[len(group) // 2] >= WIDE * width

    two = {
        i
        for i, (kind, group) in enumerate(bands)
        if kind == "C"
        and wide([s for s in group if side[s] == "L"])
        and wide([s for s in group if side[s] == "R"])
    }
    if not two:
        return None
    tops = [max(s[3] for s in group) for _, group in bands]
    bottoms = [min(s[1] for s in group) for _, group in bands]
    parts = []
    for i in range(len(bands)):
        top = height if i == 0 else (bottoms[i - 1] + tops[i]) / 2
        bottom = 0 if i == len(bands) - 1 else (bottoms[i] + tops[i + 1]) / 2
        boxes = [(0, gutter), (gutter, width)] if i in two else [(0, width)]
        for left, right in boxes:
            parts.append(textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top))
    return "\n".join(part.strip() for part in parts if part.strip())


def _line_segments(textpage: pdfium.PdfTextPage) -> list[Segment]:
    """Runs of characters on one line with no gap wider than 1.5 line heights."""
    segments: list[Segment] = []
    current: list[float] | None = None
    for index in range(textpage.count_chars()):
        left, bottom, right, top = textpage.get_charbox(index)
        if right - left <= 0 or top - bottom <= 0:  # the spaces and line breaks PDFium adds
            continue
        if current:
            line_height = current[3] - current[1]
            overlap = min(top, current[3]) - max(bottom, current[1])
            if overlap > 0.4 * min(line_height, top - bottom) and (
                -0.5 * line_height <= left - current[2] <= 1.5 * line_height
            ):
                current = [current[0], min(current[1], bottom), max(current[2], right), max(current[3], top)]
                continue
            segments.append((current[0], current[1], current[2], current[3]))
        current = [left, bottom, right, top]
    if current:
        segments.append((current[0], current[1], current[2], current[3]))
    return segments
