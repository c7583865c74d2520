"""User-facing errors and data-quality notes.

A ``BriefingError`` stops the build with one line naming the file and the problem; a ``Note``
lets the build go on and is listed in the briefing's data-quality notes.
"""

from dataclasses import dataclass


class BriefingError(Exception):
    """A fatal, user-fixable problem: the message is the one line the user sees."""


@dataclass(frozen=True)
class Note:
    """A recoverable problem with one input, reported in the data-quality notes."""

    file: str
    problem: str
    severity: str = "warning"  # "warning" (something may be missing or wrong) or "info"
