"""How themes and mentions are counted, as the notebooks' closing notes: the rules are the same for every
topic, the examples come from the topic's own lexicons (a briefing on another topic shows its own names, not
the default corpus's)."""

from __future__ import annotations

import re

from policybrief.analyses.actors import ActorList
from policybrief.analyses.themes import ThemeLexicon
from policybrief.views.present import HTML, esc


def _quoted(text: str) -> str:
    return f"\u201c{esc(text)}\u201d"


def _items(items: list[str]):
    return HTML('<ul class="method">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def theme_method(lexicon: ThemeLexicon):
    """The theme counting rules, with terms of this lexicon as the examples."""
    terms = [term for theme in lexicon.themes.values() for term in theme.terms]
    capitals = next((t for t in terms if re.fullmatch(r"[A-Z]{2,}", t)), None)
    starred = next((t for t in terms if t.endswith("*") and " " not in t), None)
    hit = (
        "A <b>hit</b> is one match of a theme's term in a document's cleaned text, whole words only, case "
        "ignored except for words in capitals"
        + (f" ({_quoted(capitals)} matches only in capitals)" if capitals else "")
        + ". Hyphen and space variants, optional periods and possessives count as the same term"
        + (f"; {_quoted(starred)} matches any ending of the word" if starred else "")
        + "."
    )
    items = [
        hit,
        "Where a theme's terms overlap, the <b>longest match wins</b> and a span counts once for that theme. "
        "The same words may count for <b>two different themes</b>, so theme counts do not add up to a total.",
    ]
    excluded = next((t for t in lexicon.themes.values() if t.exclude), None)
    if excluded:
        items.append(
            "A theme's <code>exclude</code> phrases cancel a hit inside them "
            f"({_quoted(excluded.exclude[0])} does not count for {esc(excluded.label)})."
        )
    scoped = next((t for t in lexicon.themes.values() if t.needs_in_paragraph), None)
    if scoped:
        context = ", ".join(map(_quoted, scoped.needs_in_paragraph[:3]))
        more = ", …" if len(scoped.needs_in_paragraph) > 3 else ""
        items.append(
            "A theme with <code>needs_in_paragraph</code> counts a hit only in a paragraph that also holds "
            f"one of its context terms ({esc(scoped.label)}: {context}{more})."
        )
    if lexicon.absent_after:
        items.append(
            f"A hit right after {_quoted(lexicon.absent_after[0])} or a like phrase says the theme is "
            "absent, and is not counted."
        )
    items += [
        "<b>Hits per 1,000 words</b> divide by the document's words after cleaning. A document <b>covers</b> "
        "a theme with at least <code>min_hits</code> hits; shares of documents carry a 95% Wilson interval.",
        "Every hit is a row of <code>tables/theme_evidence.parquet</code> (<code>.csv</code> too under the "
        "row limit) with its document, sentence, character span and, for a PDF, page.",
    ]
    return _items(items)


def _typo(word: str) -> str:
    """The word with two letters near its end swapped: the slip the typo rule forgives."""
    return word if len(word) < 4 else word[:-3] + word[-2] + word[-3] + word[-1]


def actor_method(actors: ActorList):
    """The mention counting rules, with names from this actor list as the examples."""
    people = [a for a in actors.actors.values() if a.type == "person" and len(a.name.split()) >= 2]
    person = next((a for a in people if a.short), people[0] if people else None)
    full = (
        "A <b>full mention</b> is the actor's name or an alias, in any spelling the rules allow: case, "
        "hyphens and spaces do not matter"
    )
    if person:
        words = person.name.split()
        long_name = next((a.name.split() for a in people if len(a.name.split()) >= 3), None)
        hyphened = (  # "Kim Jong-un" for a three-word name; "DONALD TRUMP" for two words
            " ".join([*long_name[:-2], f"{long_name[-2]}-{long_name[-1].lower()}"])
            if long_name
            else person.name.upper()
        )
        written = " ".join(long_name) if long_name else person.name
        slip = " ".join([*words[:-1], _typo(words[-1])])
        full += (
            f" ({_quoted(hyphened)} is {esc(written)}), possessives are ignored, and a near-miss of a "
            f"person's full name with the first word right counts as a <b>typo</b> ({_quoted(slip)})."
        )
    else:
        full += ", and possessives are ignored."
    items = [full]
    if person and person.short:
        short = person.short[0]
        title = next((t for t in ("president", "minister", "secretary") if t in actors.title_words), "")
        titled = f", {_quoted(f'{title.capitalize()} {short}')}" if title else ""
        items.append(
            f"A <b>short form</b> ({_quoted(short)}{titled}) counts for the listed person with that short "
            "form named in full in the same document; when none is, for the only listed person with it (or "
            "the only one whose role has the title); otherwise it is listed above as not counted. "
            f"{_quoted(f'The {short} administration')} counts for {esc(short)}."
        )
    state = next((a for a in actors.actors.values() if a.metonyms), None)
    if state:
        capital = state.metonyms[0]
        items.append(
            f"A <b>metonym</b> is a capital standing for its government ({_quoted(capital + ' rejected…')}); "
            f"a capital opening a dateline ({_quoted(capital.upper() + ', 3 March —')}) is not counted. "
            "Metonyms can be switched off."
        )
    items.append(
        "Adjectives of a state's name are not mentions of the state: whole words only. Where names overlap, "
        "the longest wins. <b>Per 1,000 words</b> divides by the document's words after cleaning."
    )
    return _items(items)
