"""Korea policy briefing: turns a folder of policy documents into tables and a briefing.

Flow: raw documents -> cleaned corpus (``corpus``) -> evidence and tables -> notebooks -> briefing (``report``).
"""

__version__ = "0.1.0"
DEFAULT_TITLE = "US Policy toward the Korean Peninsula: Corpus Briefing"
