"""TokenCorpus: a corpus of token lists stored as a vocabulary plus integer ids.

Natural text is Zipfian: 25,000 reviews hold ~6 million tokens but ~120,000
distinct ones. Storing the corpus the way a sparse matrix stores rows (one flat
array of ids and one array of document offsets) makes every per-token step
(lowercasing, stop words, stemming, …) a function of the vocabulary plus a
numpy remap of the ids, instead of a Python pass over every occurrence.

To its users a TokenCorpus is a read-only sequence of ``list[str]``: it has a
length, yields and indexes lists, slices to a TokenCorpus, and compares equal to
the list of lists it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from ._validation import InvalidDocumentError, describe

__all__ = ["TokenCorpus"]


# Token ids are buffered as Python ints, then moved to int32 arrays in chunks of this size.
ID_CHUNK = 1 << 20


class _Index(dict):
    """token -> id, giving each new token the next id (lookups stay at C speed)."""

    __slots__ = ()

    def __missing__(self, token):
        self[token] = position = len(self)
        return position


def drop_tokens(ids: np.ndarray, offsets: np.ndarray, keep: np.ndarray):
    """Remove the tokens where ``keep`` is false; return the new ``(ids, offsets)``.

    Documents are never removed: one that loses every token becomes empty.
    """
    dropped = np.flatnonzero(~keep)
    return ids[keep], offsets - np.searchsorted(dropped, offsets)


class TokenCorpus(Sequence):
    """An immutable sequence of token lists, stored as vocabulary + ids + offsets.

    Token steps return a TokenCorpus; build one yourself with
    :meth:`from_lists`. Indexing gives ``list[str]``, slicing gives a
    TokenCorpus, iteration yields lists, and ``==`` compares with any sequence
    of token lists. :meth:`tolist` returns plain lists. A token step maps the
    vocabulary and composes that map with the one it was given; the ids of every
    occurrence are rewritten once, when first read, however many steps ran.

    Parameters
    ----------
    vocabulary : list of str
        The distinct tokens; ``ids`` index into it.
    ids : ndarray of int32
        Token ids of all documents, one after the other.
    offsets : ndarray of int64, shape (n_documents + 1,)
        Document ``i`` is ``ids[offsets[i]:offsets[i + 1]]``.

    Examples
    --------
    >>> from textflow import TokenCorpus
    >>> corpus = TokenCorpus.from_lists([["a", "rose", "is", "a", "rose"], [], ["rose"]])
    >>> len(corpus), corpus[0], corpus[1]
    (3, ['a', 'rose', 'is', 'a', 'rose'], [])
    >>> corpus.vocabulary, corpus.ids.tolist(), corpus.offsets.tolist()
    (['a', 'rose', 'is'], [0, 1, 2, 0, 1, 1], [0, 5, 5, 6])
    >>> corpus == [["a", "rose", "is", "a", "rose"], [], ["rose"]]
    True
    >>> (corpus[:1] + [["a", "daisy"]]).tolist()
    [['a', 'rose', 'is', 'a', 'rose'], ['a', 'daisy']]
    """

    __slots__ = ("_ids", "_offsets", "_remap", "_vocab_array", "vocabulary")

    def __init__(self, vocabulary, ids, offsets):
        self.vocabulary = list(vocabulary)
        self._ids = np.asarray(ids, dtype=np.int32)
        self._offsets = np.asarray(offsets, dtype=np.int64)
        self._remap = None
        self._vocab_array = None

    @classmethod
    def _remapped(cls, vocabulary, ids, offsets, remap) -> TokenCorpus:
        """A corpus whose ids are ``remap[ids]`` (-1: dropped), applied when first read.

        Chained token steps compose their remaps over the vocabulary, and the
        occurrences are rewritten once, by whichever step reads them.
        """
        corpus = cls(vocabulary, ids, offsets)
        corpus._remap = remap
        return corpus

    @property
    def ids(self) -> np.ndarray:
        """Token ids of all documents, one after the other (int32)."""
        if self._remap is not None:
            self._apply_remap()
        return self._ids

    @property
    def offsets(self) -> np.ndarray:
        """Document ``i`` is ``ids[offsets[i]:offsets[i + 1]]`` (int64)."""
        if self._remap is not None:
            self._apply_remap()
        return self._offsets

    def _apply_remap(self):
        remap, ids, offsets = self._remap, self._ids, self._offsets
        ids = remap[ids]
        if (remap < 0).any():
            ids, offsets = drop_tokens(ids, offsets, ids >= 0)
        self._ids, self._offsets, self._remap = ids, offsets, None

    # --- construction ------------------------------------------------------

    @classmethod
    def from_lists(cls, docs) -> TokenCorpus:
        """Encode a sequence of token lists, checking every token is a ``str``.

        Raises :class:`~textflow.InvalidDocumentError` naming the document and
        token position of the first token that is not a string.
        """
        if isinstance(docs, TokenCorpus):
            return docs
        try:
            corpus = cls.encode(docs, len(docs))
        except TypeError:  # an unhashable token
            corpus = None
        if corpus is None or not all(type(token) is str for token in corpus.vocabulary):
            _raise_bad_token(docs)
            corpus = cls.encode([list(map(str, doc)) for doc in docs], len(docs))  # str subclasses
        return corpus

    @classmethod
    def encode(cls, token_lists, n_documents: int) -> TokenCorpus:
        """Encode ``n_documents`` token lists read once, in order, from any iterable.

        Each list can be dropped as soon as it is encoded, so a generator that
        tokenizes one document at a time never holds the corpus as strings.
        The tokens are not checked (see :meth:`from_lists`).

        Examples
        --------
        >>> docs = ["a rose is a rose", "", "rose"]
        >>> corpus = TokenCorpus.encode((doc.split() for doc in docs), len(docs))
        >>> corpus.vocabulary, corpus.ids.tolist(), corpus.offsets.tolist()
        (['a', 'rose', 'is'], [0, 1, 2, 0, 1, 1], [0, 5, 5, 6])
        """
        index = _Index()
        lookup = index.__getitem__
        lengths = np.zeros(n_documents + 1, dtype=np.int64)
        chunks, pending, position = [], [], 0
        for position, tokens in enumerate(token_lists, start=1):
            if position > n_documents:
                raise ValueError(f"Expected {n_documents} token lists, got more.")
            lengths[position] = len(tokens)
            pending.extend(map(lookup, tokens))
            if len(pending) >= ID_CHUNK:
                chunks.append(np.fromiter(pending, dtype=np.int32, count=len(pending)))
                pending.clear()
        chunks.append(np.fromiter(pending, dtype=np.int32, count=len(pending)))
        if position != n_documents:
            raise ValueError(f"Expected {n_documents} token lists, got {position}.")
        return cls(list(index), np.concatenate(chunks), np.cumsum(lengths))

    @classmethod
    def concatenate(cls, parts) -> TokenCorpus:
        """Join corpora end to end (their vocabularies are merged)."""
        parts = list(parts)
        if len(parts) == 1:
            return parts[0]
        index: dict[str, int] = {}
        ids, offsets, start = [], [np.zeros(1, dtype=np.int64)], 0
        for part in parts:
            remap = np.fromiter(
                (index.setdefault(token, len(index)) for token in part.vocabulary),
                dtype=np.int32,
                count=len(part.vocabulary),
            )
            ids.append(remap[part.ids] if len(part.ids) else part.ids)
            offsets.append(part.offsets[1:] + start)
            start += len(part.ids)
        return cls(list(index), np.concatenate(ids), np.concatenate(offsets))

    # --- per-token edits -----------------------------------------------------

    def map_tokens(self, mapped_vocabulary) -> TokenCorpus:
        """Replace each vocabulary entry by ``mapped_vocabulary[i]``; ``""`` drops the token.

        ``mapped_vocabulary`` is aligned with :attr:`vocabulary`. Entries that
        map to the same string are merged. Documents are never dropped.
        """
        index: dict[str, int] = {}
        remap = np.fromiter(
            (index.setdefault(token, len(index)) for token in mapped_vocabulary),
            dtype=np.int32,
            count=len(mapped_vocabulary),
        )
        vocabulary = list(index)
        empty = index.get("")
        if empty is not None:
            # drop "" from the vocabulary; its tokens map to -1, the ids above it shift down
            vocabulary.pop(empty)
            dropped = remap == empty
            remap -= remap > empty
            remap[dropped] = -1
        if self._remap is not None:  # this corpus is itself still a remap of its ids
            kept = self._remap >= 0
            composed = np.full(len(self._remap), -1, dtype=np.int32)
            composed[kept] = remap[self._remap[kept]]
            remap = composed
        return TokenCorpus._remapped(vocabulary, self._ids, self._offsets, remap)

    def counts(self) -> np.ndarray:
        """Occurrences of each vocabulary entry in the whole corpus."""
        return np.bincount(self.ids, minlength=len(self.vocabulary))

    def document_lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    # --- sequence protocol -----------------------------------------------------

    def __len__(self):
        return len(self._offsets) - 1  # dropping tokens never drops a document

    def _vocab(self) -> np.ndarray:
        if self._vocab_array is None:
            array = np.empty(len(self.vocabulary), dtype=object)
            array[:] = self.vocabulary
            self._vocab_array = array
        return self._vocab_array

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return TokenCorpus.from_lists([self[i] for i in range(start, stop, step)])
            stop = max(stop, start)
            lo, hi = self.offsets[start], self.offsets[stop]
            return TokenCorpus(
                self.vocabulary, self.ids[lo:hi], self.offsets[start : stop + 1] - lo
            )
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("TokenCorpus index out of range")
        lo, hi = self.offsets[index], self.offsets[index + 1]
        return self._vocab()[self.ids[lo:hi]].tolist()

    def __iter__(self):
        tokens = self._vocab()[self.ids]
        bounds = self.offsets.tolist()
        for lo, hi in pairwise(bounds):
            yield tokens[lo:hi].tolist()

    def tolist(self) -> list[list[str]]:
        """The documents as plain lists of str."""
        return list(self)

    def __eq__(self, other):
        if isinstance(other, TokenCorpus):
            return self.tolist() == other.tolist()
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and self.tolist() == [list(doc) for doc in other]
        return NotImplemented

    __hash__ = None

    def __add__(self, other):
        """``corpus + other``: the documents of both, in order, like list concatenation."""
        if isinstance(other, TokenCorpus):
            return TokenCorpus.concatenate([self, other])
        if isinstance(other, (list, tuple)):
            return TokenCorpus.concatenate([self, _as_token_corpus(other)])
        return NotImplemented

    def __radd__(self, other):
        if isinstance(other, (list, tuple)):
            return TokenCorpus.concatenate([_as_token_corpus(other), self])
        return NotImplemented

    def __repr__(self):
        shown = [self[i] for i in range(min(len(self), 3))]
        more = f", ... ({len(self)} documents)" if len(self) > 3 else ""
        inner = repr(shown)[1:-1]
        return f"TokenCorpus([{inner}{more}])"

    def __reduce__(self):
        return (TokenCorpus, (self.vocabulary, self.ids, self.offsets))


def _as_token_corpus(docs) -> TokenCorpus:
    from ._validation import check_token_corpus

    return check_token_corpus(list(docs), allow_empty=True)


def _raise_bad_token(docs):
    for index, doc in enumerate(docs):
        for position, token in enumerate(doc):
            if not isinstance(token, str):
                raise InvalidDocumentError(
                    f"Document {index} has token {position} of type {describe(token)}; "
                    f"tokens must be str.",
                    index=index,
                )
