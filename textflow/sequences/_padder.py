"""SequencePadder: ragged id sequences to one rectangular integer array."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._validation import EMPTY_CORPUS, InvalidDocumentError, as_corpus, describe


def _as_id_array(seq, index) -> np.ndarray:
    if isinstance(seq, (str, bytes)) or not isinstance(seq, (Sequence, np.ndarray)):
        raise InvalidDocumentError(
            f"Document {index} is {describe(seq)}; expected a sequence of integer ids. "
            f"Put TextsToSequences before the padder.",
            index=index,
        )
    array = np.asarray(seq)
    if array.ndim != 1:
        raise InvalidDocumentError(
            f"Document {index} has shape {array.shape}; expected a 1-D sequence of ids.",
            index=index,
        )
    if array.dtype.kind in "iu":
        return array
    if array.size == 0:
        return array.astype(np.int64)
    if array.dtype.kind == "b" or array.dtype.kind not in "f":
        raise InvalidDocumentError(
            f"Document {index} holds {array.dtype} values such as {array[0]!r}; "
            f"expected integer ids.",
            index=index,
        )
    if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        bad = array[~np.isfinite(array) | (array != np.round(array))][0]
        raise InvalidDocumentError(
            f"Document {index} has the non-integer id {float(bad)!r}; ids must be integers.",
            index=index,
        )
    return array.astype(np.int64)


def check_id_sequences(X) -> list[np.ndarray]:
    """Validate a corpus of id sequences: one 1-D array of non-negative ints per document."""
    if hasattr(X, "tocsr") and hasattr(X, "nnz"):
        raise TypeError(
            f"Sparse input is not supported: expected id sequences, got a sparse matrix "
            f"of shape {X.shape}."
        )
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "iuf":
        rows = list(X)
    elif isinstance(X, np.ndarray) and X.ndim > 2:
        raise ValueError(f"Expected id sequences (2-D at most), got an array of shape {X.shape}.")
    else:
        rows = as_corpus(X, allow_empty=True)
    sequences = [_as_id_array(seq, index) for index, seq in enumerate(rows)]
    for index, seq in enumerate(sequences):
        if len(seq) and seq.min() < 0:
            raise InvalidDocumentError(
                f"Document {index} has the negative id {int(seq.min())}; ids are >= 0.",
                index=index,
            )
    return sequences


def check_ids_fit(sequences, dtype) -> None:
    """Refuse ids that ``dtype`` cannot hold exactly (they would wrap or round silently)."""
    if dtype.kind in "iu":
        limit = int(np.iinfo(dtype).max)
    elif dtype.kind == "f":
        limit = 2 ** (np.finfo(dtype).nmant + 1)
    else:
        raise ValueError(f"dtype must be an integer or float dtype; got {dtype}.")
    for index, seq in enumerate(sequences):
        if len(seq) and int(seq.max()) > limit:
            raise InvalidDocumentError(
                f"Document {index} has the id {int(seq.max())}, which does not fit in "
                f"{dtype} (largest {limit}); use SequencePadder(dtype='int64') or check "
                "where the ids come from.",
                index=index,
            )


def pad(sequences, maxlen, padding, truncating, value, dtype) -> np.ndarray:
    """Pad/truncate 1-D arrays into an ``(n, maxlen)`` array.

    One slice assignment per row: no index arrays the size of the corpus, so the
    only large allocation is the output itself.
    """
    out = np.full((len(sequences), maxlen), value, dtype=dtype)
    for row, seq in enumerate(sequences):
        n = len(seq)
        if n > maxlen:
            seq = seq[:maxlen] if truncating == "post" else seq[n - maxlen :]
            n = maxlen
        if n:
            if padding == "post":
                out[row, :n] = seq
            else:
                out[row, maxlen - n :] = seq
    return out


class SequencePadder(TransformerMixin, BaseEstimator):
    """Pad or truncate id sequences into one 2-D integer array.

    Parameters
    ----------
    maxlen : int or None, default=None
        Length of every row. ``None`` learns the longest training sequence in
        ``fit`` (``maxlen_``).
    padding : {"post", "pre"}, default="post"
        Where padding goes. textflow pads at the end: rows then start with the
        document's first token, and a model that masks padding (a Keras
        ``Embedding(mask_zero=True)``) sees the same thing either way. Keras'
        ``pad_sequences`` defaults to ``"pre"``, which matters only for models
        that read the last state without masking.
    truncating : {"post", "pre"}, default="post"
        Which end of long documents is cut. ``"post"`` keeps the beginning.
    value : int, default=0
        Padding value (textflow's padding id is 0).
    dtype : str or numpy dtype, default="int32"
        Output dtype.

    Attributes
    ----------
    maxlen_ : int
        The row length used by ``transform``.

    Examples
    --------
    >>> from textflow import SequencePadder
    >>> SequencePadder(maxlen=4).fit_transform([[5, 6], [1, 2, 3, 4, 5], []])
    array([[5, 6, 0, 0],
           [1, 2, 3, 4],
           [0, 0, 0, 0]], dtype=int32)
    >>> pre = SequencePadder(maxlen=3, padding="pre", truncating="pre")
    >>> pre.fit_transform([[1, 2, 3, 4], [7]])
    array([[2, 3, 4],
           [0, 0, 7]], dtype=int32)
    """

    accepts = ("ids",)

    _parameter_constraints = {
        "maxlen": [Interval(Integral, 1, None, closed="left"), None],
        "padding": [StrOptions({"pre", "post"})],
        "truncating": [StrOptions({"pre", "post"})],
        "value": [Interval(Real, None, None, closed="neither")],
        "dtype": "no_validation",
    }

    def __init__(self, *, maxlen=None, padding="post", truncating="post", value=0,
                 dtype="int32"):  # fmt: skip
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.value = value
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []  # ids in, ``dtype`` out
        return tags

    def fit(self, X, y=None):
        """Learn ``maxlen_`` (the longest sequence) unless ``maxlen`` is given.

        Parameters
        ----------
        X : sequence of sequences of int, or 2-D int array
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        """Fit and pad in one validation pass."""
        return self._pad(self._fit(X))

    def _fit(self, X):
        self._validate_params()
        sequences = check_id_sequences(X)
        if not sequences:
            raise InvalidDocumentError(EMPTY_CORPUS)
        longest = max(map(len, sequences))
        self.maxlen_ = self.maxlen if self.maxlen is not None else max(longest, 1)
        return sequences

    def transform(self, X):
        """Pad/truncate every sequence to ``maxlen_``.

        Parameters
        ----------
        X : sequence of sequences of int, or 2-D int array

        Returns
        -------
        ndarray of shape (n_documents, maxlen)
            ``maxlen`` is the fitted ``maxlen_``.
        """
        check_is_fitted(self)
        return self._pad(check_id_sequences(X))

    def _pad(self, sequences):
        dtype = np.dtype(self.dtype)
        check_ids_fit(sequences, dtype)
        return pad(sequences, self.maxlen_, self.padding, self.truncating, self.value, dtype)

    def get_feature_names_out(self, input_features=None):
        """``position_0 … position_{maxlen_-1}``."""
        check_is_fitted(self)
        return np.array([f"position_{i}" for i in range(self.maxlen_)], dtype=object)
