"""Printing the briefing to PDF with headless Chromium, with fixed dates so that rebuilds compare equal."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from policybrief.errors import BriefingError
from policybrief.log import logger
from policybrief.text.dates import parse_date

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


def find_chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    raise BriefingError(
        "no headless Chromium found for the PDF: run `make setup` or `sudo apt-get install chromium`"
    )


def chromium_version() -> str:
    try:
        result = subprocess.run([find_chromium(), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "unknown"


def _chromium_print(html_path: Path, pdf_path: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        command = [
            find_chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",  # bookmarks from the headings, for a reader's side panel
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf_path}",
            # "?print": the page's script (live charts, evidence panel) does nothing, so that printing never
            # races it and rebuilds stay byte-identical; the PDF is the static brief
            html_path.resolve().as_uri() + "?print",
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            raise BriefingError("PDF step failed: Chromium did not finish within 5 minutes") from None
    if result.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise BriefingError(f"PDF step failed: Chromium exited with status {result.returncode}: {last}")


# The contents' page-number boxes (assemble.cover_html): empty in the HTML, filled in for the PDF.
_TOC_PAGE = re.compile(r'(<span class="toc-page" data-anchor="([^"]+)">)[^<]*(</span>)')


def anchor_pages(pdf_path: Path) -> dict[str, int]:
    """The page (from 1) of each element id the PDF has a destination for: Chromium writes one named
    destination per link target, so every entry of the contents has one."""
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    pages = {
        name.lstrip("/"): reader.get_destination_page_number(d)
        for name, d in reader.named_destinations.items()
    }
    return {name: page + 1 for name, page in pages.items() if page is not None}


def with_page_numbers(page: str, pages: dict[str, int]) -> str:
    """The HTML ``page`` with each contents entry's page-number box holding the page of its anchor."""
    return _TOC_PAGE.sub(lambda m: f"{m.group(1)}{pages.get(m.group(2), '')}{m.group(3)}", page)


def print_pdf(html_path: Path, pdf_path: Path, stamp_date: dt.datetime, title: str) -> None:
    """Print the HTML to PDF with headless Chromium, then fix its dates so rebuilds compare equal.

    The contents list gets its page numbers from a first print: they are read from the PDF's destinations,
    written into a copy of the HTML (briefing.html itself keeps none: a screen has no pages) and printed
    again. The numbers sit in fixed-width boxes, so filling them in moves nothing; a third print is made only
    if the pages did move anyway.
    """
    from pypdf import PdfReader, PdfWriter

    page = html_path.read_text(encoding="utf-8")
    _chromium_print(html_path, pdf_path)
    if _TOC_PAGE.search(page):
        numbered = html_path.with_name(f".{html_path.stem}-numbered.html")
        pages: dict[str, int] = {}
        for _ in range(2):
            found = anchor_pages(pdf_path)
            if found == pages:
                break
            pages = found
            numbered.write_text(with_page_numbers(page, pages), encoding="utf-8")
            _chromium_print(numbered, pdf_path)
        else:
            if anchor_pages(pdf_path) != pages:
                logger.warning("the contents' page numbers may be off by a page: the layout did not settle")
        numbered.unlink()
    writer = PdfWriter(clone_from=PdfReader(pdf_path))
    pdf_date = stamp_date.strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({"/CreationDate": pdf_date, "/ModDate": pdf_date, "/Title": title})
    with open(pdf_path, "wb") as handle:
        writer.write(handle)


def pdf_time(stamp: str | None, now: dt.datetime) -> dt.datetime:
    """The PDF's creation date: the build time, or the fixed stamp's date so that rebuilds compare equal."""
    if not stamp:
        return now
    parsed = parse_date(stamp[:10])
    return dt.datetime.combine(parsed.sort_key, dt.time()) if parsed else dt.datetime(2000, 1, 1)
