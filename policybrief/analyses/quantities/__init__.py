"""Quantities the documents state (issue 20): percentages, money and counts, and how they change."""

from policybrief.analyses.quantities.extract import scan_part, sentence_quantities
from policybrief.analyses.quantities.measures import QuantityAnalysis, analyse, tables
from policybrief.analyses.quantities.rules import QuantityRules, load_rules

__all__ = [
    "QuantityAnalysis",
    "QuantityRules",
    "analyse",
    "load_rules",
    "scan_part",
    "sentence_quantities",
    "tables",
]
