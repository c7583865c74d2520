"""A web page saved from a browser (``.html``): its main text by trafilatura, which leaves menus, footers and
related-article lists out, and its title, author, date, site and address from the page's own metadata."""

import trafilatura

from policybrief.corpus.formats.source import SourceText, Unreadable, decoded_text

# trafilatura's metadata field for each of ours (it reads <title>, og: and article: meta tags, and JSON-LD)
_META_FIELDS = (
    ("title", "title"),
    ("author", "author"),
    ("date", "date"),
    ("source", "sitename"),
    ("url", "url"),
)


def read_html(data: bytes) -> SourceText:
    text, notes = decoded_text(data)
    extracted = trafilatura.extract(
        text, output_format="txt", include_comments=False, include_tables=True, with_metadata=False
    )
    if not extracted or not extracted.strip():
        raise Unreadable("HTML page with no main text found")
    # Dates only from the page's markup (meta tags, JSON-LD, <time>, bylines): trafilatura's default extensive
    # search takes a date from the running text or the footer ("Copyright 2025" gives 2025-01-01) instead.
    meta = trafilatura.extract_metadata(text, extensive=False)
    found = {}
    if meta is not None:
        for key, attr in _META_FIELDS:
            if getattr(meta, attr, None):
                found[key] = str(getattr(meta, attr))
    return SourceText(extracted, "html", found, notes)
