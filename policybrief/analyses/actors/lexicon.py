"""The actor list (``config/actors.yaml``): read, checked and compiled into one matcher."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policybrief import paths
from policybrief.config import check_mapping, load_yaml
from policybrief.corpus.rules import CleaningRules
from policybrief.errors import BriefingError
from policybrief.text.lexicon import LexiconError, Matcher, Term, parse_term

DEFAULT_ACTORS_PATH = paths.ACTORS_FILE


ACTOR_TYPES = ("person", "state", "organisation")


_ACTOR_KEYS = {"name", "type", "role", "country", "aliases", "short", "metonyms", "exclude"}


@dataclass(frozen=True)
class Actor:
    actor_id: str
    name: str
    type: str
    role: str
    country: str
    aliases: tuple[str, ...]
    short: tuple[str, ...]
    metonyms: tuple[str, ...]


@dataclass
class ActorList:
    path: Path
    actors: dict[str, Actor]
    matcher: Matcher
    short_owners: dict[str, list[str]]  # lower-case short form -> actor ids
    person_names: list[tuple[str, str, tuple[str, ...]]]  # actor id, name as written, its words in lower case
    title_re: re.Pattern  # a title right before a position ("President " before "Lee")
    title_follow_re: re.Pattern  # a title followed by a space (use ``titles_followed``)
    not_person_words: frozenset[str]
    title_words: frozenset[str]
    stop_words: frozenset[str]  # capitalised words that open sentences rather than names
    person_context_words: frozenset[str]  # lower case: titles and roles that come before a person's name
    speech_verbs: frozenset[str]  # lower case: "said", "told": a name beside one is a person's
    place_prepositions: frozenset[str]  # lower case: "in", "visit to": a capital after one is a place
    institution_words: frozenset[str]  # lower case: "times", "sea": a state's name before one is in a name

    def name(self, actor_id: str) -> str:
        return self.actors[actor_id].name

    @functools.cached_property
    def person_first_words(self) -> frozenset[str]:
        return frozenset(words[0] for _, _, words in self.person_names)

    def titles_followed(self, text: str) -> Iterator[re.Match]:
        """Each title followed by a space, unless a word or an abbreviation runs into it (``(?<![\\w.])``)."""
        for found in self.title_follow_re.finditer(text):
            before = text[found.start() - 1 : found.start()]
            if not (before.isalnum() or before in ("_", ".")):
                yield found


def _strings(value, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BriefingError(f"{where}: expected a list of names in text (quote words like 'no')")
    return value


def default_stop_words() -> frozenset[str]:
    """Capitalised words that open sentences rather than names (from config/cleaning.yaml)."""
    return frozenset(CleaningRules.load().sentence_starters) | {"The", "A", "An", "And", "Of", "In", "To"}


class _Compiler:
    """Turns actor entries into the matcher's terms, in file order, refusing a name that two actors claim;
    every problem names the actor and the name."""

    def __init__(self, path: Path, admin_words: list[str]):
        self.path, self.admin_words = path, admin_words
        self.terms: list[Term] = []
        self.short_owners: defaultdict[str, list[str]] = defaultdict(list)
        self.person_names: list[tuple[str, str, tuple[str, ...]]] = []
        self.seen: dict[tuple, str] = {}

    def add(self, source: str, group: str, owner: str) -> list[Term]:
        try:
            parsed = parse_term(source, group)
        except LexiconError as exc:
            raise BriefingError(f"{self.path}: actor '{owner}', name {source!r}: {exc}") from None
        kind = group.split(":")[0]
        if kind not in ("short", "admin"):  # short forms may be shared ("Kim"); names and exclusions may not
            key = (group if kind == "exclude" else "name", parsed[0].words)
            if key in self.seen:
                raise BriefingError(
                    f"{self.path}: actor '{owner}', name {source!r}: duplicates a name of '{self.seen[key]}'"
                )
            self.seen[key] = owner
        self.terms.extend(parsed)
        return parsed

    def add_name_order(self, name: str, actor_id: str) -> None:
        """A two-word name also in the other order, as Japanese, Chinese and Korean names are often printed
        ("Ishiba Shigeru" for "Shigeru Ishiba"), unless that order is another name of the list."""
        pieces = name.split()
        if len(pieces) != 2 or "-" in name:
            return
        reversed_name = f"{pieces[1]} {pieces[0]}"
        if ("name", parse_term(reversed_name, "")[0].words) not in self.seen:
            self.terms.extend(parse_term(reversed_name, f"order:{actor_id}"))

    def actor(self, actor_id: str, entry: object) -> Actor:
        where = f"{self.path}: actor '{actor_id}'"
        entry = check_mapping(entry, _ACTOR_KEYS, where, "name, type and aliases")
        name, kind = entry.get("name"), entry.get("type")
        if not isinstance(name, str) or not name.strip():
            raise BriefingError(f"{where}: has no name")
        if kind not in ACTOR_TYPES:
            raise BriefingError(f"{where}: type {kind!r} is not one of {', '.join(ACTOR_TYPES)}")
        aliases = _strings(entry.get("aliases"), f"{where}: aliases")
        short = _strings(entry.get("short"), f"{where}: short")
        metonyms = _strings(entry.get("metonyms"), f"{where}: metonyms")
        exclude = _strings(entry.get("exclude"), f"{where}: exclude")
        if short and kind != "person":
            raise BriefingError(f"{where}: short forms are for persons only")
        names = [self.add(name, f"full:{actor_id}", actor_id)]
        names += [self.add(a, f"alias:{actor_id}", actor_id) for a in aliases]
        for parsed in names:
            if kind == "person" and len(parsed[0].words) > 1:
                self.person_names.append((actor_id, parsed[0].source, tuple(w.text for w in parsed[0].words)))
        if kind == "person":
            self.add_name_order(name, actor_id)
        for form in short:
            group_key = " ".join(w.text for w in parse_term(form, "")[0].words)
            self.short_owners[group_key].append(actor_id)
            self.add(form, f"short:{group_key}", actor_id)
            for word in self.admin_words:
                self.add(f"{form} {word}", f"admin:{group_key}", actor_id)
        for metonym in metonyms:
            self.add(metonym, f"metonym:{actor_id}", actor_id)
        for phrase in exclude:
            self.add(phrase, f"exclude:{actor_id}", actor_id)
        role, country = str(entry.get("role") or ""), str(entry.get("country") or "")
        return Actor(
            actor_id, name.strip(), kind, role, country, tuple(aliases), tuple(short), tuple(metonyms)
        )


def load_actors(path: str | Path = DEFAULT_ACTORS_PATH) -> ActorList:
    """Read and check the actor list; every problem names the actor and the name."""
    path = Path(path)
    keys = {"actors", "titles", "administration_words", "not_person_words", "person_context_words"}
    data = load_yaml(path, keys | {"speech_verbs", "place_prepositions", "institution_words"})
    entries = data.get("actors")
    if not isinstance(entries, dict) or not entries:
        raise BriefingError(f"{path}: 'actors' must map actor ids to their name, type and aliases")
    titles = _strings(data.get("titles"), f"{path}: titles")
    compiler = _Compiler(path, _strings(data.get("administration_words"), f"{path}: administration_words"))
    actors = {str(actor_id): compiler.actor(str(actor_id), entry) for actor_id, entry in entries.items()}
    alternation = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(titles, key=len, reverse=True))
    title_re = re.compile(rf"(?<![\w.])(?:{alternation})\s+$" if titles else r"(?!x)x")
    # no look-behind here: a pattern that opens with one is tried at every position, four times slower
    # than the titles' first letters; ``titles_followed`` checks the character before instead
    title_follow_re = re.compile(rf"(?:{alternation})[ \t]+" if titles else r"(?!x)x")
    not_person = frozenset(
        w.lower() for w in _strings(data.get("not_person_words"), f"{path}: not_person_words")
    )
    title_words = frozenset(w.lower().rstrip(".") for t in titles for w in t.split())
    roles = _strings(data.get("person_context_words"), f"{path}: person_context_words")
    verbs = _strings(data.get("speech_verbs"), f"{path}: speech_verbs")
    places = _strings(data.get("place_prepositions"), f"{path}: place_prepositions")
    institutions = _strings(data.get("institution_words"), f"{path}: institution_words")
    return ActorList(
        path,
        actors,
        Matcher(compiler.terms),
        dict(compiler.short_owners),
        compiler.person_names,
        title_re,
        title_follow_re,
        not_person,
        title_words,
        default_stop_words(),
        (title_words | frozenset(w.lower() for w in roles)) - {"of", "the", "and"},
        frozenset(w.lower() for w in verbs),
        frozenset(w.lower() for w in places),
        frozenset(w.lower() for w in institutions),
    )
