"""Document formats: one reader per format, registered by file suffix. A reader turns a file's bytes into a
``SourceText`` (text, format, what the file says about itself, pages) or raises ``Unreadable`` with the note
that says why the file is skipped. A new format is one module and one entry in ``READERS``."""

from collections.abc import Callable
from pathlib import Path

from policybrief.corpus.formats.html import read_html
from policybrief.corpus.formats.markdown import read_markdown
from policybrief.corpus.formats.pdf import read_pdf
from policybrief.corpus.formats.plain import read_plain
from policybrief.corpus.formats.source import SourceText, Unreadable, decode, repair_encoding
from policybrief.corpus.formats.word import read_word

__all__ = ["READERS", "SourceText", "Unreadable", "decode", "read_source", "repair_encoding"]

Reader = Callable[[bytes], SourceText]

READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_word,
    ".pdf": read_pdf,
}


def read_source(path: Path, data: bytes) -> tuple[SourceText | None, str | None]:
    """The document's text, or ``None`` and the reason it cannot be used."""
    try:
        return READERS[path.suffix.lower()](data), None
    except Unreadable as problem:
        return None, str(problem)
