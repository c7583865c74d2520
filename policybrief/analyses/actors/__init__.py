"""Actor mentions: the actor list, name resolution (the per-document scan part), unlisted names, and the
measures over the corpus."""

from policybrief.analyses.actors.lexicon import Actor, ActorList, load_actors
from policybrief.analyses.actors.measures import ActorAnalysis, analyse, main_actors, tables
from policybrief.analyses.actors.resolve import scan_part

__all__ = [
    "Actor",
    "ActorAnalysis",
    "ActorList",
    "analyse",
    "load_actors",
    "main_actors",
    "scan_part",
    "tables",
]
