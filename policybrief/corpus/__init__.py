"""The corpus: reading files, cleaning them, splitting sentences, and the cleaned ``Corpus`` model."""

from policybrief.corpus.load import load_corpus
from policybrief.corpus.model import Corpus, Document

__all__ = ["Corpus", "Document", "load_corpus"]
