"""A Word document (``.docx``): the text of its body's paragraphs and tables in reading order, and title,
author and date from its core properties. Old binary Word files (``.doc``) are not read."""

import datetime as dt
import io
import zipfile
import zlib

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from policybrief.corpus.formats.source import MOJIBAKE_NOTE, SourceText, Unreadable, repair_encoding

# The first bytes of an OLE compound file: what Word saves for a password-protected .docx and an old .doc
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A creation date before this is a placeholder (Word's empty dates read as 1601 or 1899), not the document's
_EARLIEST_PLAUSIBLE_DATE = dt.date(1991, 1, 1)
# What a damaged zip raises while python-docx unpacks every part: bad CRC or headers, corrupt deflate data, a
# truncated member, an encrypted member, a compression method Python does not have
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


def read_word(data: bytes) -> SourceText:
    if not data.strip():
        raise Unreadable("empty file")
    if data.startswith(OLE_SIGNATURE):
        raise Unreadable(
            "password-protected or old-format Word file (.doc): save it as .docx without a password"
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except _DAMAGED_ZIP:
        raise Unreadable("not a valid Word file (not a zip archive, or a damaged one)") from None
    except KeyError:  # python-docx looks up [Content_Types].xml and the main document part by name
        raise Unreadable("not a valid Word file (a zip archive without a Word document in it)") from None
    except etree.XMLSyntaxError:
        raise Unreadable("not a valid Word file (damaged XML)") from None
    except ValueError:  # python-docx's refusal of any other main part: a spreadsheet, a macro-enabled .docm
        raise Unreadable(
            "not a valid Word file (another Office format, or a macro-enabled document)"
        ) from None
    blocks = (_block_text(block) for block in document.iter_inner_content())
    text = "\n\n".join(block for block in blocks if block.strip())
    if not text:
        raise Unreadable("Word file with no text")
    text, repaired = repair_encoding(text)  # text pasted in from a mis-decoded source
    return SourceText(text, "docx", _core_properties(document), [MOJIBAKE_NOTE] if repaired else [])


def _block_text(block: Paragraph | Table) -> str:
    """A paragraph's text, or a table's rows, one line each with its cells joined by " | ". Each cell as
    written, not python-docx's ``row.cells``: that repeats a cell spanning several columns once per column,
    gives a cell merged down from the row above as that row's cell again, and fails on a table whose first row
    claims to continue a merge (a continuing cell as written holds an empty paragraph, left out as empty)."""
    if isinstance(block, Paragraph):
        return _paragraph_text(block)
    rows = (
        " | ".join(text for text in (_cell_text(_Cell(tc, block)) for tc in tr.findall(qn("w:tc"))) if text)
        for tr in block._tbl.tr_lst
    )
    return "\n".join(row for row in rows if row)


def _cell_text(cell: _Cell) -> str:
    """A cell's paragraphs (and nested tables) on one line, so that a table row stays one line."""
    parts = (_block_text(block) for block in cell.iter_inner_content())
    return " ".join(" ".join(part.split()) for part in parts if part.strip())


def _paragraph_text(paragraph: Paragraph) -> str:
    """A paragraph's text including tracked insertions, content controls and fields, which python-docx's
    ``Paragraph.text`` leaves out (it reads only the runs directly under the paragraph and in links).
    Deleted text is ``w:delText``, which a run's text never includes; a text box's runs belong to its own
    paragraphs."""
    element = paragraph._p
    return "".join(
        run.text for run in element.iter(qn("w:r")) if next(run.iterancestors(qn("w:p")), None) is element
    )


def _core_properties(document: WordDocument) -> dict:
    """Title, author and date the file gives, leaving out empty values and an implausible creation date."""
    properties = document.core_properties
    found = {"title": properties.title.strip(), "author": properties.author.strip()}
    try:
        created = properties.created
    except TypeError:  # python-docx fails on an empty date element instead of returning None
        created = None
    if created is not None and _EARLIEST_PLAUSIBLE_DATE <= created.date() <= dt.date.today():
        found["date"] = created.date().isoformat()
    return {key: value for key, value in found.items() if value}
