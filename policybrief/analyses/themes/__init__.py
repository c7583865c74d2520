"""Theme coverage: the theme dictionary, its per-document scan part, and the measures over the corpus."""

from policybrief.analyses.themes.lexicon import Theme, ThemeLexicon, load_themes
from policybrief.analyses.themes.measures import ThemeAnalysis, analyse, tables, telling_sentences
from policybrief.analyses.themes.scan import scan_part

__all__ = [
    "Theme",
    "ThemeAnalysis",
    "ThemeLexicon",
    "analyse",
    "load_themes",
    "scan_part",
    "tables",
    "telling_sentences",
]
