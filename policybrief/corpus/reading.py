"""Which files of a corpus folder are documents, and which are not (listed as skipped, never silently left
out). How each format is read is in ``formats/``, metadata.csv in ``metadata.py``."""

import zipfile
from pathlib import Path

from policybrief.corpus.formats import READERS
from policybrief.corpus.formats.word import OLE_SIGNATURE
from policybrief.corpus.metadata import METADATA_FILES

# Enough of a file's start to tell its type by its signature, and to tell text from binary content
_SNIFF_BYTES = 8192
_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members, an empty zip
# Word, Excel and PowerPoint before 2007 share one container (OLE): the suffix tells which it is
_OLD_WORD = "an old-format Word file (.doc): save it as .docx"
_OLD_OFFICE_KINDS = {
    ".doc": _OLD_WORD,
    ".dot": _OLD_WORD,
    ".xls": "an Excel file",
    ".xlt": "an Excel file",
    ".ppt": "an old-format PowerPoint file (.ppt)",
}


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def discover(folder: Path) -> list[Path]:
    """Document files under ``folder`` (recursively, hidden files skipped), sorted by path."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and path.suffix.lower() in READERS and not _hidden(path, folder)
    )


def other_files(folder: Path) -> list[Path]:
    """Files under ``folder`` that are neither documents nor the metadata file (hidden ones aside): a file of
    a format no reader knows must be listed as skipped, not silently left out."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix.lower() not in READERS
        and path.relative_to(folder).as_posix().lower() not in METADATA_FILES
        and not _hidden(path, folder)
    )


def describe_file(path: Path) -> str:
    """What a file no reader knows is, from its first bytes (a renamed file is named for what it is), to say
    why it is skipped."""
    try:
        with path.open("rb") as file:
            start = file.read(_SNIFF_BYTES)
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    suffix = path.suffix.lower()
    if start.startswith(_ZIP_SIGNATURES):
        return "an Excel file" if _is_excel_workbook(path) else "a zip archive"
    if start.startswith(OLE_SIGNATURE):
        return _OLD_OFFICE_KINDS.get(suffix, "an old-format Office file (Word, Excel or PowerPoint)")
    image = next((kind for signature, kind in _IMAGE_SIGNATURES if start.startswith(signature)), None)
    if image is None and start[:4] == b"RIFF" and start[8:12] == b"WEBP":
        image = "WebP"
    if image:
        return f"an image ({image})"
    if start.startswith(b"%PDF-"):
        return "a PDF" if ".pdf" not in READERS else _unknown_type(suffix)
    if b"\x00" in start:
        return "a binary file"
    return _unknown_type(suffix)


def _unknown_type(suffix: str) -> str:
    return f"a file of a type the corpus does not read ({suffix or 'no extension'})"


def _is_excel_workbook(path: Path) -> bool:
    """Whether a zip is an .xlsx workbook, from its list of members (nothing is unpacked)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
