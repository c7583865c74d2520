"""``make validate``: the briefing's counts scored against hand-labelled gold (``validation/README.md``)."""
