"""How well PDFs are read: the text PDFs of ``validation/pdf/`` (think-tank and CRS reports, two-column
briefs, white papers from two producers, a speech, a hearing transcript, a 40-page report) against the exact
text of every page (``ground_truth.json``: each page's header and footer segments, body blocks and footnotes).

Scored through the normal loader, after cleaning: the share of body blocks kept, the running header and
footer segments left in the text, and the share of blocks cited on the right page.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter
from pathlib import Path

from policybrief import paths
from policybrief.corpus.load import load_corpus
from policybrief.corpus.pages import page_at
from policybrief.validation.score import ratio

PDF_SET = paths.VALIDATION_DIR / "pdf"
KEY_WORDS = 8  # a block is found by its first eight words, in order
_WORD = re.compile(r"\w+")


class _Words:
    """A text's words, lower case, with where each starts: to find a run of words and its offset."""

    def __init__(self, text: str):
        found = [(m.start(), m.group().lower()) for m in _WORD.finditer(text)]
        self.starts = [start for start, _ in found]
        self.joined = " " + " ".join(word for _, word in found) + " "
        self.word_at = [0]  # the joined string's offset of each word
        for _, word in found:
            self.word_at.append(self.word_at[-1] + len(word) + 1)

    def find(self, words: list[str]) -> int | None:
        """The text offset where ``words`` start, or None."""
        at = self.joined.find(" " + " ".join(words) + " ")
        if at < 0:
            return None
        return self.starts[bisect_right(self.word_at, at) - 1]


def _key(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def score_pdfs(folder: Path = PDF_SET) -> dict:
    """The reading scores of the validation PDFs, overall and per file."""
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))["files"]
    corpus = load_corpus(folder / "corpus", cache_dir=None)
    documents = {doc.file: corpus.with_text(doc) for doc in corpus.documents}
    keys = Counter(tuple(_key(b)[:KEY_WORDS]) for f in truth for p in f["pages"] for b in _blocks(p))
    unique = {key for key, times in keys.items() if times == 1 and len(key) == KEY_WORDS}
    per_file = {}
    totals = {
        "blocks": 0,
        "blocks_kept": 0,
        "furniture": 0,
        "furniture_kept": 0,
        "paged": 0,
        "paged_right": 0,
    }
    for entry in truth:
        doc = documents.get(entry["file"])
        words = _Words(doc.full_text if doc else "")
        counts = dict.fromkeys(totals, 0)
        body = " " + " ".join(w for p in entry["pages"] for b in _blocks(p) for w in _key(b)) + " "
        for page in entry["pages"]:
            for block in _blocks(page):
                key = _key(block)[:KEY_WORDS]
                at = words.find(key)
                counts["blocks"] += 1
                counts["blocks_kept"] += at is not None
                if at is not None and tuple(key) in unique and doc is not None:
                    counts["paged"] += 1
                    counts["paged_right"] += page_at(doc.page_starts, at) == page["page"]
            for segment in page["header"] + page["footer"]:
                if len(_key(segment)) >= 2:  # a bare page number cannot be told from a number in the text
                    counts["furniture"] += 1
                    # kept: found more often than the body itself says it ("Chapter 2" is a heading too)
                    needle = " " + " ".join(_key(segment)) + " "
                    counts["furniture_kept"] += words.joined.count(needle) > body.count(needle)
        per_file[entry["file"]] = counts
        for name, value in counts.items():
            totals[name] += value
    return {
        "documents": len(truth),
        "pages": sum(len(entry["pages"]) for entry in truth),
        "block_recall": ratio(totals["blocks_kept"], totals["blocks"]),
        "furniture_kept": ratio(totals["furniture_kept"], totals["furniture"]),
        "page_accuracy": ratio(totals["paged_right"], totals["paged"]),
        "totals": totals,
        "files": per_file,
    }


def _blocks(page: dict) -> list[str]:
    """A page's body: its blocks and footnotes, each of at least two words."""
    # the title is not body: the loader takes it as the document's title, out of the text
    texts = [block["text"] for block in page["blocks"] if block["type"] != "title"] + list(
        page.get("footnotes", [])
    )
    return [text for text in texts if len(_key(text)) >= 2]
