"""Showing the analyses: charts, narrative paragraphs and display tables, the API the notebooks call.

Each module takes an analysis's result object and returns HTML (``present.figure``, ``present.table``) or
text; none computes a number the tables do not hold.
"""
