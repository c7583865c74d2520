"""Document comparison: terms (the per-document scan part, ``terms.py``), similarity, keyness, near-duplicates
and change between periods, brought together in ``comparison.py``.

Nothing is imported here: a worker that scans documents imports ``terms`` alone, not the measures (pandas,
SciPy, scikit-learn).
"""
