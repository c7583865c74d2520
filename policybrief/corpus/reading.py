"""Which files of a corpus folder are documents, and which are not (listed as skipped, never silently left
out). How each format is read is in ``formats/``, metadata.csv in ``metadata.py``."""

from pathlib import Path

from policybrief.corpus.formats import READERS
from policybrief.corpus.metadata import METADATA_FILE


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
        and path.relative_to(folder).as_posix().lower() != METADATA_FILE
        and not _hidden(path, folder)
    )
