"""Word2Vec and FastText document vectorizers on gensim."""

from __future__ import annotations

import warnings
from numbers import Integral
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._base import validate_corpus
from .._corpus import TokenCorpus, drop_tokens
from ..sequences._texts_to_sequences import document_frequencies
from ._vectors import import_gensim, load_vectors

AGGREGATIONS = ("mean", "sum", "max", "minmax", "tfidf")
MAX_TOKENS_PER_CHUNK = 500_000  # bounds the memory of max/minmax pooling


def _epoch_reporter(epochs):
    """A gensim callback printing ``epoch k/n: seconds`` to standard error."""
    import sys
    import time

    from gensim.models.callbacks import CallbackAny2Vec

    class EpochReporter(CallbackAny2Vec):
        def __init__(self):
            self.epoch = 0

        def on_epoch_begin(self, model):
            self.start = time.perf_counter()

        def on_epoch_end(self, model):
            self.epoch += 1
            seconds = time.perf_counter() - self.start
            print(f"epoch {self.epoch}/{epochs}: {seconds:.1f} s", file=sys.stderr, flush=True)

    return EpochReporter()


class EmptyDocumentWarning(UserWarning):
    """Some documents had no word with a vector; their document vectors are zeros."""


def _token_corpus(X, allow_empty) -> tuple[TokenCorpus, list | None]:
    """The corpus as a TokenCorpus, plus the original token lists when given as lists."""
    docs, kind = validate_corpus(X, ("text", "tokens"), allow_empty=allow_empty)
    if kind == "text":
        from ..text import Tokenizer

        return Tokenizer().transform(docs), None
    original = X if isinstance(X, list) and all(type(d) is list for d in X) else None
    return docs, original


def _segment_reduce(ufunc, token_vectors, offsets, identity):
    """Reduce rows of ``token_vectors`` per document (offsets); empty documents get 0."""
    n_docs = len(offsets) - 1
    out = np.zeros((n_docs, token_vectors.shape[1]), dtype=np.float32)
    lengths = np.diff(offsets)
    nonempty = np.flatnonzero(lengths)
    if len(nonempty):
        out[nonempty] = ufunc.reduceat(token_vectors, offsets[nonempty], axis=0)
    return out


class _DocumentVectorizer(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Shared machinery: training or loading vectors, and pooling them per document."""

    accepts = ("text", "tokens")

    _parameter_constraints = {
        "vector_size": [Interval(Integral, 1, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "sg": [Interval(Integral, 0, 1, closed="both")],
        "negative": [Interval(Integral, 0, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "workers": [Interval(Integral, 1, None, closed="left")],
        "aggregation": [StrOptions(set(AGGREGATIONS))],
        "vectors": "no_validation",  # None, a path, KeyedVectors or a model: checked in fit
        "fine_tune": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []  # always float32 document vectors
        tags.non_deterministic = self.workers > 1
        return tags

    # --- fit -------------------------------------------------------------------

    def fit(self, X, y=None):
        """Train word vectors on ``X`` (or load the given ``vectors``) and learn IDF weights.

        Parameters
        ----------
        X : corpus
            Token lists, or raw documents (tokenized with the default Tokenizer).
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._validate_params()
        corpus, original = _token_corpus(X, allow_empty=False)
        if self.vectors is None:
            self.wv_ = self._train(original if original is not None else corpus.tolist())
        elif isinstance(self.vectors, (str, Path)):
            self.wv_ = load_vectors(self.vectors)
        elif hasattr(self.vectors, "wv") and hasattr(self.vectors, "train"):
            self.wv_ = self._fine_tuned(original if original is not None else corpus.tolist())
        else:
            self.wv_ = self.vectors
        if not hasattr(self.wv_, "key_to_index") or not hasattr(self.wv_, "vectors"):
            raise TypeError(
                f"vectors must be None, a path, or gensim KeyedVectors; got "
                f"{type(self.vectors).__name__}."
            )
        df = document_frequencies(corpus)
        n_docs = len(corpus)
        idf = np.log((1 + n_docs) / (1 + df)) + 1
        self.idf_ = dict(zip(corpus.vocabulary, idf.tolist()))
        self.default_idf_ = float(np.log(1 + n_docs) + 1)
        return self

    def _fine_tuned(self, sentences):
        """The vectors of a full gensim model, trained further on ``sentences`` if asked."""
        if not self.fine_tune:
            return self.vectors.wv
        import copy

        model = copy.deepcopy(self.vectors)  # never change the user's model
        model.build_vocab(sentences, update=True)
        model.train(sentences, total_examples=len(sentences), epochs=self.epochs,
                    callbacks=self._callbacks())  # fmt: skip
        return model.wv

    def _callbacks(self):
        return [_epoch_reporter(self.epochs)] if self.verbose else []

    def _train(self, sentences):
        import_gensim()
        seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        params = dict(
            vector_size=self.vector_size, window=self.window, min_count=self.min_count,
            sg=int(self.sg), negative=self.negative, epochs=self.epochs, workers=self.workers,
            seed=seed,
        )  # fmt: skip
        params.update(self._model_params())
        model_class = self._model_class()
        model = model_class(**params)
        model.build_vocab(sentences)
        if not len(model.wv):
            raise ValueError(
                f"No word occurs min_count={self.min_count} times in the training corpus; "
                f"lower min_count or give a larger corpus."
            )
        model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs,
                    callbacks=self._callbacks())  # fmt: skip
        return model.wv

    # --- transform ---------------------------------------------------------------

    @property
    def _n_features_out(self):
        size = self.wv_.vector_size
        return 2 * size if self.aggregation == "minmax" else size

    def transform(self, X):
        """One vector per document, pooled from its words' vectors.

        Parameters
        ----------
        X : corpus
            Token lists or raw documents.

        Returns
        -------
        ndarray of float32, shape (n_documents, n_features)
            Documents without any word that has a vector get zeros (never NaN);
            an :class:`EmptyDocumentWarning` says how many.
        """
        check_is_fitted(self)
        corpus, _ = _token_corpus(X, allow_empty=True)
        vectors, known = self._token_vectors(corpus.vocabulary)
        out = self._pool(corpus, vectors, known)
        _, known_offsets = drop_tokens(corpus.ids, corpus.offsets, known[corpus.ids])
        empty = np.flatnonzero(np.diff(known_offsets) == 0)
        if len(empty):
            shown = ", ".join(map(str, empty[:5])) + (", ..." if len(empty) > 5 else "")
            warnings.warn(
                f"{len(empty)} of {len(corpus)} documents have no word with a vector; "
                f"their vectors are zeros (documents {shown}).",
                EmptyDocumentWarning,
                stacklevel=2,
            )
        return out

    def _token_vectors(self, vocabulary):
        """Vectors for each distinct token (zeros when unknown) and a known-mask."""
        index = self.wv_.key_to_index
        rows = np.fromiter((index.get(t, -1) for t in vocabulary), np.int64, len(vocabulary))
        known = rows >= 0
        vectors = np.zeros((len(vocabulary), self.wv_.vector_size), dtype=np.float32)
        vectors[known] = self.wv_.vectors[rows[known]]
        return vectors, known

    def _weights(self, vocabulary, known):
        if self.aggregation != "tfidf":
            return known.astype(np.float32)
        get, default = self.idf_.get, self.default_idf_
        idf = np.fromiter((get(t, default) for t in vocabulary), np.float32, len(vocabulary))
        return idf * known

    def _pool(self, corpus, vectors, known):
        n_docs, size = len(corpus), vectors.shape[1]
        if self.aggregation in ("max", "minmax"):
            return self._pool_extremes(corpus, vectors, known)
        weights = self._weights(corpus.vocabulary, known)
        matrix = sp.csr_matrix(
            (weights[corpus.ids], corpus.ids, corpus.offsets),
            shape=(n_docs, len(corpus.vocabulary)),
        )
        summed = np.asarray(matrix @ vectors, dtype=np.float32).reshape(n_docs, size)
        if self.aggregation == "sum":
            return summed
        totals = np.asarray(matrix.sum(axis=1)).ravel()
        safe = np.where(totals > 0, totals, 1.0)
        return (summed / safe[:, None]).astype(np.float32)

    def _pool_extremes(self, corpus, vectors, known):
        ids, offsets = drop_tokens(corpus.ids, corpus.offsets, known[corpus.ids])
        parts_max, parts_min = [], []
        start = 0
        while start < len(corpus):
            stop = int(np.searchsorted(offsets, offsets[start] + MAX_TOKENS_PER_CHUNK, "right"))
            stop = min(max(stop - 1, start + 1), len(corpus))
            chunk = offsets[start : stop + 1]
            token_vectors = vectors[ids[chunk[0] : chunk[-1]]]
            local = chunk - chunk[0]
            parts_max.append(_segment_reduce(np.maximum, token_vectors, local, 0))
            if self.aggregation == "minmax":
                parts_min.append(_segment_reduce(np.minimum, token_vectors, local, 0))
            start = stop
        size = vectors.shape[1]
        maxima = np.concatenate(parts_max) if parts_max else np.zeros((0, size), np.float32)
        if self.aggregation == "max":
            return maxima
        minima = np.concatenate(parts_min) if parts_min else np.zeros((0, size), np.float32)
        return np.hstack([minima, maxima])

    # --- helpers for neural models -------------------------------------------------

    def embedding_matrix(self, vocabulary, *, return_found=False):
        """Rows of word vectors aligned with a :class:`~textflow.TextsToSequences` id space.

        Parameters
        ----------
        vocabulary : TextsToSequences or sequence of str
            A fitted ``TextsToSequences`` (its ``index_to_word_``), or tokens in id
            order. Row 0 (padding) and the OOV row stay zero.
        return_found : bool, default=False
            Also return a boolean mask of the rows that got a vector.

        Returns
        -------
        matrix : ndarray of float32, shape (vocab_size, vector_size)
        found : ndarray of bool, only if ``return_found``
        """
        check_is_fitted(self)
        if hasattr(vocabulary, "index_to_word_"):
            tokens = list(vocabulary.index_to_word_)
            reserved = 1 if vocabulary.oov_token is None else 2
        else:
            tokens, reserved = list(vocabulary), 1
        matrix, found = self._token_vectors(tokens)
        matrix[:reserved] = 0.0
        found[:reserved] = False
        return (matrix, found) if return_found else matrix


class Word2VecVectorizer(_DocumentVectorizer):
    """Document vectors from Word2Vec word vectors, trained in ``fit`` or pretrained.

    Each document's vector pools the vectors of its words (``aggregation``);
    words without a vector are skipped. A document with none gets zeros, never
    NaN, and an :class:`EmptyDocumentWarning`. Pooling is a sparse
    document-by-token matrix times the per-token vectors: each distinct token
    is looked up once.

    Parameters
    ----------
    vector_size : int, default=100
        Dimensions of the word vectors.
    window : int, default=5
        Context window.
    min_count : int, default=5
        Ignore words rarer than this when training.
    sg : {0, 1}, default=1
        1 for skip-gram, 0 for CBOW (gensim's default). Skip-gram vectors gave
        document vectors 2-3 points more accurate on IMDB (see the docs' table),
        at about 3 times the training time.
    negative : int, default=5
        Negative samples.
    epochs : int, default=10
        Passes over the corpus.
    workers : int, default=1
        Training threads. gensim is reproducible for a seed only with one
        worker; with more, results vary from run to run (thread scheduling).
    aggregation : {"mean", "sum", "max", "minmax", "tfidf"}, default="tfidf"
        ``"mean"``/``"sum"`` of the word vectors, element-wise ``"max"``,
        ``"minmax"`` (min and max concatenated: twice the width), or
        ``"tfidf"`` (the IDF-weighted mean, IDF learned in ``fit``).
    vectors : gensim KeyedVectors, Word2Vec model, str, Path or None, default=None
        Use these pretrained vectors instead of training. A path is loaded in
        ``fit`` (word2vec text/binary or GloVe text format). Vectors are frozen
        unless ``fine_tune``.
    fine_tune : bool, default=False
        With a full gensim model as ``vectors`` (the only kind gensim can train
        further), continue training a copy of it on the corpus given to ``fit``
        (``epochs`` passes; new words are added). KeyedVectors and files cannot
        be trained further and stay frozen.
    random_state : int, RandomState or None, default=None
        Seed of the training.
    verbose : int, default=0
        With 1, print each training epoch's number and duration to standard error.

    Attributes
    ----------
    wv_ : gensim.models.KeyedVectors
        The word vectors (explore them with ``wv_.most_similar``).
    idf_ : dict of str to float
        IDF of each training-corpus token (used by ``aggregation="tfidf"``).

    Examples
    --------
    >>> from textflow.embeddings import Word2VecVectorizer
    >>> docs = [["good", "film"], ["bad", "film"], ["good", "fun"], ["bad", "plot"]] * 20
    >>> vec = Word2VecVectorizer(vector_size=8, min_count=1, random_state=0)
    >>> vec.fit_transform(docs).shape
    (80, 8)
    >>> vec.get_feature_names_out()[:2].tolist()
    ['word2vecvectorizer0', 'word2vecvectorizer1']
    """

    def __init__(self, *, vector_size=100, window=5, min_count=5, sg=1, negative=5,
                 epochs=10, workers=1, aggregation="tfidf", vectors=None,
                 fine_tune=False, random_state=None, verbose=0):  # fmt: skip
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.sg = sg
        self.negative = negative
        self.epochs = epochs
        self.workers = workers
        self.aggregation = aggregation
        self.vectors = vectors
        self.fine_tune = fine_tune
        self.random_state = random_state
        self.verbose = verbose

    def _model_class(self):
        from gensim.models import Word2Vec

        return Word2Vec

    def _model_params(self):
        return {}


class FastTextVectorizer(_DocumentVectorizer):
    """Document vectors from FastText word vectors: unseen words get vectors too.

    FastText builds a word's vector from its character n-grams, so misspellings
    and unseen inflections ("terribble", "unwatchably") still get a vector
    close to their relatives. Otherwise as :class:`Word2VecVectorizer`.

    Parameters
    ----------
    vector_size, window, min_count, sg, negative, epochs, workers, aggregation, \
random_state
        As for :class:`Word2VecVectorizer`.
    min_n : int, default=3
        Shortest character n-gram.
    max_n : int, default=6
        Longest character n-gram.
    vectors : gensim FastTextKeyedVectors, FastText model or None, default=None
        Pretrained FastText vectors to use instead of training.
    fine_tune : bool, default=False
        Continue training a copy of a full gensim FastText model given as
        ``vectors`` (see :class:`Word2VecVectorizer`).

    Attributes
    ----------
    wv_ : gensim.models.fasttext.FastTextKeyedVectors
        The word vectors.
    idf_ : dict of str to float
        IDF of each training-corpus token.

    Examples
    --------
    >>> from textflow.embeddings import FastTextVectorizer
    >>> docs = [["terrible", "film"], ["wonderful", "film"]] * 30
    >>> vec = FastTextVectorizer(vector_size=8, min_count=1, random_state=0).fit(docs)
    >>> bool(vec.transform([["terribble"]]).any())  # a misspelling still has a vector
    True
    """

    _parameter_constraints = {
        **_DocumentVectorizer._parameter_constraints,
        "min_n": [Interval(Integral, 1, None, closed="left")],
        "max_n": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, vector_size=100, window=5, min_count=5, sg=1, negative=5,
                 epochs=10, workers=1, min_n=3, max_n=6, aggregation="tfidf", vectors=None,
                 fine_tune=False, random_state=None, verbose=0):  # fmt: skip
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.sg = sg
        self.negative = negative
        self.epochs = epochs
        self.workers = workers
        self.min_n = min_n
        self.max_n = max_n
        self.aggregation = aggregation
        self.vectors = vectors
        self.fine_tune = fine_tune
        self.random_state = random_state
        self.verbose = verbose

    def _model_class(self):
        from gensim.models import FastText

        return FastText

    def _model_params(self):
        return {"min_n": self.min_n, "max_n": self.max_n}

    def _token_vectors(self, vocabulary):
        vectors, known = super()._token_vectors(vocabulary)
        wv = self.wv_
        if not hasattr(wv, "get_vector") or not getattr(wv, "bucket", 0):
            return vectors, known
        for row in np.flatnonzero(~known):
            vector = wv.get_vector(vocabulary[row])  # built from character n-grams
            if np.any(vector):
                vectors[row] = vector
                known[row] = True
        return vectors, known
