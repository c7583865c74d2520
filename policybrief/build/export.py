"""Printing the briefing to PDF with headless Chromium, with fixed dates so that rebuilds compare equal."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from policybrief.errors import BriefingError
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


def print_pdf(html_path: Path, pdf_path: Path, stamp_date: dt.datetime, title: str) -> None:
    """Print the HTML to PDF with headless Chromium, then fix its dates so rebuilds compare equal."""
    from pypdf import PdfReader, PdfWriter

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
