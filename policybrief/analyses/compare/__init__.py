"""Document comparison: terms (the per-document scan part), similarity, keyness, near-duplicates and
change between periods, brought together in ``comparison``."""

from policybrief.analyses.compare.comparison import Comparison, analyse, tables
from policybrief.analyses.compare.terms import scan_part

__all__ = ["Comparison", "analyse", "scan_part", "tables"]
