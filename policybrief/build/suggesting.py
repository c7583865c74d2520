"""``policybrief suggest FOLDER``: read the topic's documents and write what its lexicons could add
(``config/suggested.yaml``); nothing is applied."""

from __future__ import annotations

from policybrief.analyses.actors import load_actors
from policybrief.analyses.suggest import suggest, write_suggestions
from policybrief.analyses.themes import load_themes
from policybrief.build.pipeline import load
from policybrief.engine import Engine
from policybrief.log import logger
from policybrief.options import Options
from policybrief.topic import TopicLayout


def suggest_for_topic(options: Options, clusters: int | None = None) -> None:
    with Engine(options.scheduler) as engine:
        corpus = load(options, engine)
    suggestions = suggest(
        corpus, load_actors(options.actors_file), load_themes(options.themes_file), clusters
    )
    target = TopicLayout(options.corpus.parent).suggested
    write_suggestions(suggestions, target)
    logger.info(
        "suggestions written to %s: copy what fits into config/actors.yaml and config/themes.yaml", target
    )
