"""Distinctive multi-word phrases per cluster of similar documents: candidate theme terms for a new topic.

The corpus is read once into one array of word codes (one code per distinct word, with sentence ends and
punctuation as breaks); the documents' TF-IDF vectors and every 2- to 4-word phrase of every document are
counted from it with numpy and scipy, never in a Python loop over each phrase of each document (10,000
documents hold some 30 million).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer

from policybrief.analyses.actors.lexicon import ActorList
from policybrief.analyses.themes.lexicon import ThemeLexicon
from policybrief.corpus.model import Corpus
from policybrief.log import logger
from policybrief.text.lexicon import LexiconError, Matcher, Term, parse_term

# A word (inner apostrophes and periods kept: "don't", "U.S."), or one character of punctuation other than
# a hyphen, an apostrophe or a period. A phrase never spans punctuation ("Japan, Korea"); a hyphen joins
# words as a space does ("cost-sharing" is "cost sharing", as in the lexicons), and a period inside a
# sentence ends an abbreviation ("Mr.", "U.S."), not a phrase.
_TOKEN = re.compile(r"[^\W_]+(?:['.][^\W_]+)*|[^\w\s'.\-]")
_SENTENCE_END = "\x00"  # written after each sentence: a phrase never spans one either
_END_CODE, _PUNCTUATION_CODE = 0, 1  # the codes of the two breaks; words are coded from 2

MIN_WORDS, MAX_WORDS = 2, 4
TOP_PHRASES = 15
LABEL_WORDS = 5
LISTED_DOCUMENTS = 10
EXAMPLE_CHARS = 200
MAX_CLUSTERS = 8
MIN_DOCUMENTS_TO_CLUSTER = 4  # fewer documents are one cluster: there is nothing to set apart
RANDOM_STATE = 0  # KMeans's seed: the same corpus gives the same clusters


@dataclass
class CodedCorpus:
    doc_ids: list[str]
    codes: np.ndarray  # every token of every document, each sentence followed by a sentence end
    doc_of: np.ndarray  # the document (its index) of each token
    keys: list[str]  # the word of each code: lower case, acronyms in capitals ("US" is not "us")
    edge: np.ndarray  # per code: may open or close a phrase (not a break, a stop word or a number)


def code_corpus(corpus: Corpus) -> CodedCorpus:
    """Every document's words as codes, a document at a time (its text read with ``Corpus.with_text``)."""
    forms: defaultdict[str, int] = defaultdict()
    forms.default_factory = forms.__len__  # a new word form takes the next code, in C, not in a Python loop
    forms[_SENTENCE_END] = _END_CODE
    pieces, lengths = [], []
    for doc in corpus.documents:
        full = corpus.with_text(doc)
        text = full.full_text
        sentences = _SENTENCE_END.join(text[start:end] for start, end in full.sentence_spans)
        tokens = _TOKEN.findall(sentences + _SENTENCE_END if sentences else "")
        pieces.append(np.fromiter(map(forms.__getitem__, tokens), dtype=np.int64, count=len(tokens)))
        lengths.append(len(tokens))
    key_codes: dict[str, int] = {"": _END_CODE, " ": _PUNCTUATION_CODE}
    code_of_form = np.fromiter(
        (key_codes.setdefault(_key(form), len(key_codes)) for form in forms), dtype=np.int64, count=len(forms)
    )
    code_of_form[_END_CODE] = _END_CODE
    keys = list(key_codes)
    edge = np.array([k.strip() != "" and k not in ENGLISH_STOP_WORDS and not _number(k) for k in keys])
    raw = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
    doc_of = np.repeat(np.arange(len(lengths)), lengths)
    return CodedCorpus([d.doc_id for d in corpus.documents], code_of_form[raw], doc_of, keys, edge)


def _key(form: str) -> str:
    """A word form's key, the possessive and periods dropped ("Japan's" -> "japan", "U.S" -> "US");
    punctuation's is a space."""
    if not form[0].isalnum():
        return " "
    word = (form[:-2] if len(form) > 2 and form[-2:].lower() == "'s" else form).replace(".", "")
    return word if len(word) > 1 and word.isupper() else word.lower()


def _number(key: str) -> bool:
    return not any(c.isalpha() for c in key)


@dataclass
class PhraseCounts:
    counts: sparse.csr_matrix  # documents × phrases
    length: np.ndarray  # words of each phrase
    first: np.ndarray  # where each phrase is first used (a token position)
    totals: np.ndarray  # uses of each phrase in the corpus
    words: np.ndarray  # words of each document: the sizes keyness compares


def count_phrases(coded: CodedCorpus) -> PhraseCounts:
    """Each document's uses of each phrase: 2 to 4 words inside one sentence, no punctuation between them,
    neither end a stop word or a number. An n-word sequence's id is the (n-1)-word id at the same position
    combined with the next code, factorised: whole arrays at once."""
    codes, documents = coded.codes, len(coded.doc_ids)
    breaks_before = np.concatenate([[0], np.cumsum(codes <= _PUNCTUATION_CODE)])
    edge = coded.edge[codes]
    sequence, vocabulary = codes, len(coded.keys)
    matrices, lengths, firsts = [], [], []
    for n in range(MIN_WORDS, MAX_WORDS + 1):
        starts = len(codes) - n + 1
        if starts <= 0:
            break
        unbroken = breaks_before[n : n + starts] == breaks_before[:starts]
        sequence = pd.factorize(np.where(unbroken, sequence[:starts] * vocabulary + codes[n - 1 :], -1))[0]
        at = np.flatnonzero(unbroken & edge[:starts] & edge[n - 1 :])
        phrase, _ = pd.factorize(sequence[at])  # phrase ids in order of first use
        used = int(phrase.max()) + 1 if len(phrase) else 0
        ones = np.ones(len(at), dtype=np.int32)
        matrices.append(sparse.csr_matrix((ones, (coded.doc_of[at], phrase)), shape=(documents, used)))
        lengths.append(np.full(used, n))
        firsts.append(at[np.flatnonzero(np.diff(np.maximum.accumulate(phrase), prepend=-1) > 0)])
    counts = (
        sparse.hstack(matrices, format="csr")
        if matrices
        else sparse.csr_matrix((documents, 0), dtype=np.int32)
    )
    return PhraseCounts(
        counts,
        np.concatenate(lengths) if lengths else np.zeros(0, dtype=int),
        np.concatenate(firsts) if firsts else np.zeros(0, dtype=int),
        np.asarray(counts.sum(axis=0)).ravel(),
        np.bincount(coded.doc_of, weights=codes > _PUNCTUATION_CODE, minlength=documents).astype(int),
    )


def cluster_documents(coded: CodedCorpus, requested: int | None) -> tuple[np.ndarray, list[str]]:
    """Each document's cluster (numbered by size, largest first; ties by first document) and each
    cluster's label: the top TF-IDF words of its documents' mean vector.

    KMeans on the TF-IDF vectors (sublinear tf) of the documents' words (not stop words or numbers, in two
    documents or more), ``requested`` clusters or about sqrt(documents / 2), at most ``MAX_CLUSTERS``.
    """
    documents = len(coded.doc_ids)
    words = np.flatnonzero(coded.edge[coded.codes])
    counts = sparse.csr_matrix(
        (np.ones(len(words)), (coded.doc_of[words], coded.codes[words])), shape=(documents, len(coded.keys))
    )
    columns = np.flatnonzero(np.asarray((counts > 0).sum(axis=0)).ravel() >= min(2, documents))
    if not len(columns):  # no word in two documents: nothing to cluster or label by
        return np.zeros(documents, dtype=int), [""]
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts[:, columns])
    wanted = requested if requested is not None else round((documents / 2) ** 0.5)
    k = 1 if documents < MIN_DOCUMENTS_TO_CLUSTER else max(1, min(wanted, MAX_CLUSTERS, documents))
    found = (
        KMeans(n_clusters=k, random_state=RANDOM_STATE, n_init=10).fit_predict(tfidf)
        if k > 1
        else np.zeros(documents, dtype=int)
    )
    sizes = np.bincount(found)
    present = [c for c in range(len(sizes)) if sizes[c]]
    order = sorted(present, key=lambda c: (-sizes[c], int(np.argmax(found == c))))
    renumber = np.zeros(len(sizes), dtype=int)
    renumber[order] = np.arange(len(order))
    labels = renumber[found]
    membership = sparse.csr_matrix((np.ones(documents), (labels, np.arange(documents))))
    centroids = sparse.csr_matrix(membership @ tfidf).toarray() / np.bincount(labels)[:, None]
    names = np.array([coded.keys[c] for c in columns], dtype=object)
    return labels, [_top_words(row, names) for row in centroids]


def _top_words(weights: np.ndarray, names: np.ndarray) -> str:
    used = np.flatnonzero(weights > 0)
    best = used[np.lexsort((names[used], -weights[used]))][:LABEL_WORDS]
    return ", ".join(names[best])


def log_likelihood(a: np.ndarray, b: np.ndarray, size_a: int, size_b: int) -> np.ndarray:
    """G² of counts ``a`` in ``size_a`` words against ``b`` in ``size_b`` (Dunning 1993; Rayson & Garside
    2000): 2 Σ observed ln(observed / expected), a zero count adding nothing."""
    total = size_a + size_b
    expected_a = size_a * (a + b) / total
    expected_b = size_b * (a + b) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2 * (a * np.log(a / expected_a) + np.where(b > 0, b * np.log(b / expected_b), 0.0))


@dataclass
class _Filters:
    themes: Matcher  # a phrase holding a match of one of ``theme_groups`` is in the lexicon already
    theme_groups: frozenset[str]
    actors: Matcher  # a phrase holding a listed actor's name (any group but exclusions) names an actor
    people: Matcher  # a phrase holding a suggested person's name names a person, not a theme

    def in_lexicon(self, phrase: str) -> bool:
        return any(m.group in self.theme_groups for m in self.themes.find(phrase))

    def names_someone(self, phrase: str) -> bool:
        return any(not m.group.startswith("exclude:") for m in self.actors.find(phrase)) or bool(
            self.people.find(phrase)
        )


def distinctive_phrases(
    coded: CodedCorpus,
    phrases: PhraseCounts,
    members: np.ndarray,
    filters: _Filters,
) -> list[tuple[int, str, int, int, float]]:
    """The cluster's top phrases as (phrase id, text, uses, documents, G²), best first.

    Candidates are used in two of the cluster's documents (twice, in a cluster of one) and more often
    there than in the rest of the corpus; ranked by G² against the rest (ties: more uses, more documents,
    longer, then alphabetical). A phrase only ever used inside a longer one listed before it (the same uses
    in the cluster: "self defense" inside "maritime self defense force"), or inside one the theme lexicon
    matches ("states forces korea" inside "united states forces korea"), is left out.
    """
    inside = phrases.counts[members]
    uses = np.asarray(inside.sum(axis=0)).ravel()
    documents = np.asarray((inside > 0).sum(axis=0)).ravel()
    candidates = np.flatnonzero(documents >= 2 if len(members) > 1 else uses >= 2)
    size_in = int(phrases.words[members].sum())
    size_rest = int(phrases.words.sum()) - size_in
    a = uses[candidates].astype(float)
    b = phrases.totals[candidates] - a
    if size_rest:  # over-used in the cluster: a / size_in > b / size_rest, in integers
        over = a * size_rest > b * size_in
        candidates, a, b = candidates[over], a[over], b[over]
    score = np.round(log_likelihood(a, b, size_in, size_rest), 2) if size_rest else np.zeros(len(a))
    length = phrases.length[candidates]
    order = np.lexsort((-length, -documents[candidates], -a, -score))
    chosen: list[tuple[int, str, int, int, float]] = []
    covering: list[tuple[str, int]] = []  # the phrases listed or in the lexicon, with their uses
    for _, run in itertools.groupby(
        order, key=lambda i: (score[i], a[i], documents[candidates[i]], length[i])
    ):
        for text, i in sorted((_text(coded, phrases, int(candidates[i])), i) for i in run):
            if any(f" {text} " in f" {longer} " and uses == a[i] for longer, uses in covering):
                continue
            if filters.in_lexicon(text):
                covering.append((text, int(a[i])))
            elif not filters.names_someone(text):
                phrase = int(candidates[i])
                chosen.append((phrase, text, int(a[i]), int(documents[phrase]), float(score[i])))
                covering.append((text, int(a[i])))
                if len(chosen) == TOP_PHRASES:
                    return chosen
    return chosen


def _text(coded: CodedCorpus, phrases: PhraseCounts, phrase: int) -> str:
    first = phrases.first[phrase]
    return " ".join(coded.keys[c] for c in coded.codes[first : first + phrases.length[phrase]])


def _example_places(
    coded: CodedCorpus, phrases: PhraseCounts, members: np.ndarray, chosen: list[int]
) -> list[tuple[str, int]]:
    """(document id, sentence index) of each chosen phrase's first use in the cluster's documents."""
    holding = phrases.counts[members][:, chosen].tocsc()
    places = []
    for j, phrase in enumerate(chosen):
        doc = int(members[holding.indices[holding.indptr[j] : holding.indptr[j + 1]].min()])
        start, end = np.searchsorted(coded.doc_of, [doc, doc + 1])
        words = coded.codes[start:end]
        target = coded.codes[phrases.first[phrase] : phrases.first[phrase] + phrases.length[phrase]]
        windows = np.lib.stride_tricks.sliding_window_view(words, len(target))
        hit = int(np.flatnonzero((windows == target).all(axis=1))[0])
        places.append((coded.doc_ids[doc], int(np.count_nonzero(words[:hit] == _END_CODE))))
    return places


def around(sentence: str, phrase: str, limit: int) -> str:
    """The sentence on one line, cut to about ``limit`` characters around the phrase's first use, so that a
    long sentence still shows it."""
    flat = " ".join(sentence.split())
    if len(flat) <= limit:
        return flat
    pattern = r"(?:'s)?\.?[\s\-]+".join(re.escape(word) for word in phrase.split())
    found = re.search(rf"\b{pattern}", flat, flags=re.IGNORECASE)
    middle = (found.start() + found.end()) // 2 if found else 0
    start = max(0, min(middle - limit // 2, len(flat) - limit))
    cut = flat[start : start + limit]
    if start:  # cut at word boundaries
        cut = "…" + cut.split(" ", 1)[-1]
    if start + limit < len(flat):
        cut = cut.rsplit(" ", 1)[0] + "…"
    return cut


def _name_terms(name: str) -> list[Term]:
    """A person's name as matcher terms; none for a name the matcher cannot read ("A_B": no phrase holds it
    either, phrases being words)."""
    try:
        return parse_term(name, "person")
    except LexiconError:
        return []


def phrase_clusters(
    corpus: Corpus,
    actors: ActorList,
    themes: ThemeLexicon,
    clusters: int | None = None,
    person_names: Sequence[str] = (),
) -> list[dict]:
    """Each cluster of similar documents: an id, a label (its top TF-IDF words), its documents (the first
    ``LISTED_DOCUMENTS`` listed) and its distinctive phrases with their uses, documents, G² and the first
    sentence using them. Phrases the theme lexicon matches already, or holding a listed actor's name or one
    of ``person_names``, are left out."""
    coded = code_corpus(corpus)
    if not coded.doc_ids:
        return []
    phrases = count_phrases(coded)
    labels, label_words = cluster_documents(coded, clusters)
    people = Matcher([term for name in person_names for term in _name_terms(name)])
    filters = _Filters(themes.matcher, frozenset(themes.themes), actors.matcher, people)
    found = []
    for cluster in range(len(label_words)):
        members = np.flatnonzero(labels == cluster)
        chosen = distinctive_phrases(coded, phrases, members, filters)
        found.append((members, chosen, _example_places(coded, phrases, members, [c[0] for c in chosen])))
    sentences = iter(corpus.sentence_texts([place for _, _, places in found for place in places]))
    logger.info(
        "suggest: %d phrases in %d clusters of %d documents",
        sum(len(chosen) for _, chosen, _ in found),
        len(found),
        len(coded.doc_ids),
    )
    return [
        {
            "id": f"cluster_{number}",
            "label": label,
            "documents": len(members),
            "doc_ids": [coded.doc_ids[d] for d in members[:LISTED_DOCUMENTS]],
            "phrases": [
                {
                    "phrase": text,
                    "count": uses,
                    "documents": documents,
                    "keyness": score,
                    "example": around(next(sentences), text, EXAMPLE_CHARS),
                }
                for _, text, uses, documents, score in chosen
            ],
        }
        for number, label, (members, chosen, _) in zip(itertools.count(1), label_words, found)
    ]
