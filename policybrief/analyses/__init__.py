"""Computing, never charting: each analysis turns the corpus into tables (see ``registry``)."""
