"""Markdown (``.md``): the text of its blocks, and title, author and date from YAML front matter (loaded
safely)."""

import re

import yaml
from markdown_it import MarkdownIt

from policybrief.corpus.formats.source import SourceText, decoded_text

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.S)


def read_markdown(data: bytes) -> SourceText:
    text, notes = decoded_text(data)
    body, found, front_notes = _front_matter(text.replace("\r\n", "\n"))
    return SourceText(_markdown_text(body), "md", found, notes + front_notes)


def _markdown_text(source: str) -> str:
    """Plain text of Markdown: one paragraph per block, links reduced to their words."""
    blocks = []
    for token in MarkdownIt("commonmark").parse(source):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type == "softbreak":
                    parts.append(" ")
                elif child.type == "hardbreak":
                    parts.append("\n")
            blocks.append("".join(parts))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
    return "\n\n".join(b for b in blocks if b.strip())


def _front_matter(source: str) -> tuple[str, dict, list[str]]:
    match = _FRONT_MATTER.match(source)
    if not match:
        return source, {}, []
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return source[match.end() :], {}, ["front matter is not valid YAML: ignored"]
    if not isinstance(data, dict):
        return source[match.end() :], {}, ["front matter is not a mapping: ignored"]
    found = {k: str(data[k]) for k in ("title", "author", "date", "source", "url") if data.get(k) is not None}
    return source[match.end() :], found, []
