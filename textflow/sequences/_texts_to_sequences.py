"""TextsToSequences: a vocabulary learned in fit, documents as integer id sequences."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from .._base import validate_corpus
from .._corpus import TokenCorpus, drop_tokens

PAD_ID = 0
PAD_TOKEN = "<PAD>"


def _as_token_corpus(docs, kind, char_level) -> TokenCorpus:
    if kind == "tokens":
        if char_level:
            return TokenCorpus.from_lists([list("".join(doc)) for doc in docs])
        return docs
    if char_level:
        return TokenCorpus.from_lists([list(doc) for doc in docs])
    from ..text import Tokenizer

    return Tokenizer().transform(docs)


def document_frequencies(corpus: TokenCorpus) -> np.ndarray:
    """Number of documents each vocabulary entry occurs in."""
    n_vocab = len(corpus.vocabulary)
    doc_index = np.repeat(np.arange(len(corpus), dtype=np.int64), corpus.document_lengths())
    pairs = np.unique(doc_index * n_vocab + corpus.ids)
    return np.bincount(pairs % n_vocab, minlength=n_vocab)


class TextsToSequences(TransformerMixin, BaseEstimator):
    """Learn a vocabulary and turn each document into a sequence of integer ids.

    Id 0 is padding, id 1 the out-of-vocabulary token (unless ``oov_token`` is
    None), then words from the most to the least frequent in the training
    corpus; ties are broken by first appearance in the training corpus. Every
    id this transformer emits is ``< vocab_size_``.

    Parameters
    ----------
    num_words : int or None, default=None
        Size of the id space, *including* the reserved ids (padding, and OOV
        when enabled): ``num_words=20000`` gives ids ``0 … 19999``. ``None``
        keeps every word that passes the other filters.
    min_freq : int, default=1
        Keep words seen at least this many times in the training corpus.
    max_df : float or int or None, default=None
        Drop words in more than this share (float in (0, 1]) or number (int) of
        training documents — corpus-specific stop words.
    oov_token : str or None, default="<OOV>"
        Token for id 1, to which unseen or pruned words map. ``None`` removes
        such words from the sequences instead (the document itself stays,
        possibly empty), and words start at id 1.
    char_level : bool, default=False
        Use characters instead of words as tokens.
    vocabulary : sequence of str or None, default=None
        A fixed vocabulary: its words get ids in the given order after the
        reserved ones (truncated by ``num_words``), whatever the training data.
        Ids then mean the same words in every fold of a cross-validation, which
        is what an Embedding layer started from pretrained vectors needs (see
        :func:`textflow.embeddings.pretrained_embedding_matrix`). ``min_freq``
        and ``max_df`` do not apply to it.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Word to id (padding and OOV excluded).
    index_to_word_ : ndarray of str
        Id to word; ``index_to_word_[0]`` is ``"<PAD>"``.
    vocab_size_ : int
        Number of ids, reserved ones included: the ``input_dim`` of an
        Embedding layer.
    word_counts_ : ndarray of int
        Training-corpus frequency of each id's word (0 for reserved ids).
    n_oov_ : int
        Tokens of the training corpus that map to OOV (pruned words).

    Examples
    --------
    >>> from textflow import TextsToSequences
    >>> seq = TextsToSequences(num_words=5)
    >>> ids = seq.fit_transform([["a", "rose", "is", "a", "rose"], ["a", "daisy"]])
    >>> [x.tolist() for x in ids]
    [[2, 3, 4, 2, 3], [2, 1]]
    >>> seq.vocab_size_, seq.vocabulary_
    (5, {'a': 2, 'rose': 3, 'is': 4})
    >>> seq.inverse_transform(ids)
    [['a', 'rose', 'is', 'a', 'rose'], ['a', '<OOV>']]
    """

    accepts = ("text", "tokens")

    _parameter_constraints = {
        "num_words": [Interval(Integral, 1, None, closed="left"), None],
        "min_freq": [Interval(Integral, 1, None, closed="left")],
        "max_df": [
            Interval(Real, 0, 1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "oov_token": [str, None],
        "char_level": ["boolean"],
        "vocabulary": ["array-like", None],
    }

    def __init__(self, *, num_words=None, min_freq=1, max_df=None, oov_token="<OOV>",
                 char_level=False, vocabulary=None):  # fmt: skip
        self.num_words = num_words
        self.min_freq = min_freq
        self.max_df = max_df
        self.oov_token = oov_token
        self.char_level = char_level
        self.vocabulary = vocabulary

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags

    @property
    def _first_word_id(self):
        return 1 if self.oov_token is None else 2

    def fit(self, X, y=None):
        """Learn the vocabulary.

        Parameters
        ----------
        X : corpus
            Raw documents (tokenized with the default :class:`~textflow.Tokenizer`)
            or token lists.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        """Learn the vocabulary and return the id sequences of ``X``."""
        corpus = self._fit(X)
        return self._encode(corpus)

    def _fit(self, X) -> TokenCorpus:
        self._validate_params()
        if self.num_words is not None and self.num_words <= self._first_word_id:
            raise ValueError(
                f"num_words={self.num_words} leaves no room for words: ids "
                f"0..{self._first_word_id - 1} are reserved."
            )
        docs, kind = validate_corpus(X, self.accepts, allow_empty=False)
        corpus = _as_token_corpus(docs, kind, self.char_level)
        counts = corpus.counts()
        if self.vocabulary is not None:
            return self._fit_fixed_vocabulary(corpus, counts)
        present = np.flatnonzero(counts)
        keep = present[counts[present] >= self.min_freq]
        if self.max_df is not None:
            limit = self.max_df if isinstance(self.max_df, Integral) else self.max_df * len(corpus)
            keep = keep[document_frequencies(corpus)[keep] <= limit]
        position_type = np.int32 if len(corpus.ids) < 2**31 - 1 else np.int64
        first_seen = np.full(len(corpus.vocabulary), len(corpus.ids), dtype=position_type)
        np.minimum.at(first_seen, corpus.ids, np.arange(len(corpus.ids), dtype=position_type))
        order = keep[np.lexsort((first_seen[keep], -counts[keep]))]
        if self.num_words is not None:
            order = order[: self.num_words - self._first_word_id]

        self._set_vocabulary([corpus.vocabulary[i] for i in order], counts[order], counts)
        return corpus

    def _fit_fixed_vocabulary(self, corpus, counts) -> TokenCorpus:
        words = [str(word) for word in self.vocabulary]
        if len(set(words)) != len(words):
            raise ValueError("vocabulary has repeated words; each word needs one id.")
        if self.min_freq != 1 or self.max_df is not None:
            raise ValueError("min_freq and max_df do not apply to a fixed vocabulary.")
        if self.num_words is not None:
            words = words[: self.num_words - self._first_word_id]
        position = {token: i for i, token in enumerate(corpus.vocabulary)}
        word_counts = np.array([counts[position[w]] if w in position else 0 for w in words],
                               dtype=np.int64)  # fmt: skip
        self._set_vocabulary(words, word_counts, counts)
        return corpus

    def _set_vocabulary(self, words, word_counts, counts):
        reserved = [PAD_TOKEN] if self.oov_token is None else [PAD_TOKEN, self.oov_token]
        self.vocabulary_ = {word: i + self._first_word_id for i, word in enumerate(words)}
        self.index_to_word_ = np.array(reserved + words, dtype=object)
        self.vocab_size_ = len(self.index_to_word_)
        self.word_counts_ = np.concatenate([np.zeros(len(reserved), np.int64), word_counts])
        self.n_oov_ = int(counts.sum() - word_counts.sum())

    def transform(self, X):
        """Map each document to an array of ids (unseen words become OOV, or are dropped).

        Parameters
        ----------
        X : corpus
            Raw documents or token lists.

        Returns
        -------
        list of ndarray of int32
            One 1-D array per document, in order.
        """
        check_is_fitted(self)
        docs, kind = validate_corpus(X, self.accepts, allow_empty=True)
        return self._encode(_as_token_corpus(docs, kind, self.char_level))

    def _encode(self, corpus: TokenCorpus) -> list[np.ndarray]:
        unknown = -1 if self.oov_token is None else 1
        get = self.vocabulary_.get
        table = np.fromiter(
            (get(token, unknown) for token in corpus.vocabulary),
            dtype=np.int32,
            count=len(corpus.vocabulary),
        )
        ids = table[corpus.ids] if len(corpus.ids) else corpus.ids
        offsets = corpus.offsets
        if self.oov_token is None:
            ids, offsets = drop_tokens(ids, offsets, ids >= 0)
        return np.split(ids, offsets[1:-1]) if len(offsets) > 1 else []

    def inverse_transform(self, X):
        """Map id sequences back to token lists (padding ids are skipped).

        Parameters
        ----------
        X : sequence of sequences of int, or 2-D int array
            Id sequences, padded or not.

        Returns
        -------
        list of list of str
        """
        check_is_fitted(self)
        from ._padder import check_id_sequences

        words = self.index_to_word_
        out = []
        for index, seq in enumerate(check_id_sequences(X)):
            if len(seq) and seq.max() >= self.vocab_size_:
                raise ValueError(
                    f"Document {index} has id {int(seq.max())}, but the vocabulary has "
                    f"{self.vocab_size_} ids (0..{self.vocab_size_ - 1})."
                )
            out.append(words[seq[seq != PAD_ID]].tolist())
        return out

    def get_vocabulary(self) -> list[str]:
        """Tokens in id order, reserved ones included (``get_vocabulary()[i]`` is id ``i``)."""
        check_is_fitted(self)
        return self.index_to_word_.tolist()
