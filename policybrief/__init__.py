"""Korea policy briefing: turns a folder of policy documents into tables and a briefing.

Flow: raw documents -> cleaned corpus (``corpus``) -> evidence and tables -> notebooks -> briefing (``report``).
"""

__version__ = "0.1.0"
