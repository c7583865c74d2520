"""What to put in a new topic's configuration: people the actor list does not know and distinctive phrases
per cluster of similar documents, written to a YAML file for the analyst to copy from. Nothing is applied:
the briefing reads only config/actors.yaml and config/themes.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from policybrief.analyses.actors.lexicon import ActorList
from policybrief.analyses.suggest.people import suggested_people
from policybrief.analyses.suggest.phrases import phrase_clusters
from policybrief.analyses.themes.lexicon import ThemeLexicon
from policybrief.corpus.model import Corpus

__all__ = ["suggest", "write_suggestions"]

HEADER = """\
# Suggestions for this topic's configuration, computed from its documents by `policybrief suggest`.
#
# Nothing here is applied automatically: the briefing reads only config/actors.yaml and config/themes.yaml.
# Copy what you want from here into them, then rebuild.
#
# people:    people named more than once whom no listed actor covers, spelling variants grouped. Each is
#            an actor entry: copy the id with name, type, aliases and short under `actors:` in
#            config/actors.yaml, and leave out mentions, documents, example and comment (the actor list
#            accepts only its own keys). Check `short`: it is the last word of the name, which for a
#            family-name-first name ("Ishiba Shigeru") is the given name; a comment says when it is left
#            out because another person has that surname.
# clusters:  groups of similar documents (KMeans on TF-IDF), labelled by their top words, each with the
#            2- to 4-word phrases that set it apart from the rest of the corpus (keyness: log-likelihood
#            G2; count and documents inside the cluster). Copy a phrase that names a theme into that
#            theme's `terms:` in config/themes.yaml. Phrases the theme lexicon already matches, or that
#            hold a listed actor's or a suggested person's name, are left out.
"""


def suggest(corpus: Corpus, actors: ActorList, themes: ThemeLexicon, clusters: int | None = None) -> dict:
    """People and phrases to suggest for the corpus's topic (``clusters``: how many document clusters;
    None chooses about sqrt(documents / 2), at most 8)."""
    people = suggested_people(corpus, actors)
    return {
        "documents": len(corpus.documents),
        "people": people.entries,
        "clusters": phrase_clusters(corpus, actors, themes, clusters, people.variants),
    }


def write_suggestions(suggestions: dict, path: Path) -> None:
    """The suggestions as YAML under a header saying what they are and how to use them; the same
    suggestions always give the same bytes."""
    body = yaml.safe_dump(suggestions, sort_keys=False, allow_unicode=True, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "\n" + body, encoding="utf-8")
