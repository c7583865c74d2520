"""A minimal PDF writer for tests: pages of text lines at given positions in Helvetica (a standard font, so
nothing is embedded), an optional document information dictionary, and pages that show a scanned image. Small
enough to read, and its PDFs are what a report generator writes: a content stream per page, a line per Tj."""

from __future__ import annotations

import zlib

Line = tuple[float, float, str]  # x, y (points from the bottom left), text


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(
    pages: list[list[Line]], info: dict[str, str] | None = None, size: float = 11, scanned: bool = False
) -> bytes:
    """A PDF of A4 pages drawing their lines; ``info``: Title, Author, CreationDate...; ``scanned``: each page
    also shows an image, as a scan does (a page with no lines then has no text layer)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, entries: bytes = b"") -> int:
        return add(b"<< %s /Length %d >>\nstream\n" % (entries, len(data)) + data + b"\nendstream")

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = stream(
        zlib.compress(bytes([200]) * 64 * 64),
        b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode",
    )
    pages_id = len(objects) + 1 + 2 * len(pages)  # the page tree comes after every page and its stream
    kids = []
    for lines in pages:
        text = " ".join(f"1 0 0 1 {x} {y} Tm ({_escape(line)}) Tj" for x, y, line in lines)
        drawn = (b"q 500 0 0 700 40 60 cm /Im1 Do Q " if scanned else b"") + (
            f"BT /F1 {size} Tf {text} ET".encode("cp1252") if lines else b""
        )
        content = stream(drawn)
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (pages_id, content, font, image)
            )
        )
    tree = add(
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    )
    assert tree == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info_id = None
    if info:
        info_id = add(
            " ".join(["<<", *(f"/{k} ({_escape(v)})" for k, v in info.items()), ">>"]).encode("cp1252")
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info_id:
        trailer += b" /Info %d 0 R" % info_id
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def report_pages(
    bodies: list[list[str]], header: str = "", footer: str = "Page {page} of {pages}"
) -> list[list[Line]]:
    """Pages of body lines under a running header and over a numbered footer, as a report prints them."""
    pages = []
    for number, body in enumerate(bodies, start=1):
        lines: list[Line] = [(72, 800, header)] if header else []
        lines += [(72, 760 - 16 * i, text) for i, text in enumerate(body)]
        if footer:
            lines.append((260, 40, footer.format(page=number, pages=len(bodies))))
        pages.append(lines)
    return pages
