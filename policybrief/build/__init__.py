"""Building a briefing: the pipeline, the notebooks (papermill), the merged HTML (nbconvert) and the PDF."""
