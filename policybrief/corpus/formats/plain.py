"""Plain text (``.txt``)."""

from policybrief.corpus.formats.source import SourceText, Unreadable, decoded_text


def read_plain(data: bytes) -> SourceText:
    text, notes = decoded_text(data)
    if not text.strip():
        raise Unreadable("empty file")
    return SourceText(text, "txt", {}, notes)
