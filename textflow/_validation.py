"""Input validation shared by every textflow step.

A *corpus* is an ordered collection of documents. Text steps take documents that
are ``str``; token steps take documents that are lists (or tuples) of ``str``.
Every check here names the offending document by position and type, because a
silently shorter or reordered output is the worst thing a preprocessing step
can produce.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set

import numpy as np

__all__ = [
    "InvalidDocumentError",
    "as_corpus",
    "check_labels",
    "check_text_corpus",
    "check_token_corpus",
    "corpus_kind",
]


EMPTY_CORPUS = "Found an empty corpus (0 documents); at least 1 is required."


class InvalidDocumentError(TypeError, ValueError):
    """A document in a corpus has the wrong type or content.

    Subclasses both :class:`TypeError` and :class:`ValueError`, so existing
    ``except`` clauses for either keep working.

    Attributes
    ----------
    index : int or None
        Position of the offending document in the corpus.
    """

    def __init__(self, message, index=None):
        super().__init__(message)
        self.index = index


def describe(value) -> str:
    """Return ``"type (short repr)"`` for an error message."""
    kind = type(value).__name__
    if isinstance(value, float) and math.isnan(value):
        return f"{kind} (NaN, a missing value)"
    if value is None:
        return "NoneType (None, a missing value)"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{kind} ({text})"


def _hint(value) -> str:
    if isinstance(value, (bytes, bytearray)):
        return " Decode bytes first, e.g. doc.decode('utf-8')."
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return " Drop or fill missing documents before the pipeline (e.g. fillna(''))."
    return ""


def as_corpus(X, *, allow_empty: bool = False) -> list:
    """Turn a corpus-like object into a list of documents, checking its shape.

    Accepts a list, tuple, 1-D numpy array, pandas Series, a one-column
    DataFrame or 2-D array, or any other iterable of documents. Rejects a bare
    string (a common slip: one document instead of a corpus of one).
    """
    if isinstance(X, (str, bytes, bytearray)):
        raise InvalidDocumentError(
            f"Expected a corpus (a list of documents) but got a single "
            f"{type(X).__name__}. Wrap it in a list: [text]."
        )
    if X is None:
        raise InvalidDocumentError("Expected a corpus (a list of documents) but got None.")
    if isinstance(X, (Mapping, Set)) and not isinstance(X, Sequence):
        kind = type(X).__name__
        raise InvalidDocumentError(
            f"Expected an ordered corpus (a list of documents) but got a {kind}: "
            + ("a mapping would be read as its keys. Pass list(d.values()) or the column of "
               "documents you mean." if isinstance(X, Mapping)
               else "its order is arbitrary, so outputs could not be matched to inputs. "
               "Pass a list (e.g. sorted(documents)).")
        )  # fmt: skip
    if hasattr(X, "tocsr") and hasattr(X, "nnz"):
        raise TypeError(
            f"Sparse input is not supported: expected a corpus of documents, got a sparse "
            f"matrix of shape {X.shape}."
        )
    if type(X).__name__ == "TokenCorpus":  # already validated when it was built
        if not len(X) and not allow_empty:
            raise InvalidDocumentError(EMPTY_CORPUS)
        return X
    if hasattr(X, "iloc") and hasattr(X, "columns"):  # pandas DataFrame
        if X.shape[1] != 1:
            raise InvalidDocumentError(
                f"Expected a one-column DataFrame of documents, got {X.shape[1]} "
                f"columns {list(X.columns)[:5]}. Select the text column, e.g. df['text']."
            )
        X = X.iloc[:, 0]
    if hasattr(X, "iloc"):  # pandas Series: positions, not labels
        docs = X.to_list()
    elif isinstance(X, np.ndarray):
        docs = _array_to_docs(X)
    elif isinstance(X, list):
        docs = X
    else:
        try:
            docs = list(X)
        except TypeError:
            raise InvalidDocumentError(
                f"Expected a corpus (a list of documents) but got {describe(X)}."
            ) from None
    if not docs and not allow_empty:
        raise InvalidDocumentError(EMPTY_CORPUS)
    return docs


def _array_to_docs(X: np.ndarray) -> list:
    if X.ndim == 2:
        if X.shape[1] != 1:
            raise InvalidDocumentError(
                f"Expected a corpus: a 1-D array of documents or a 2-D array with one "
                f"column, got an array of shape {X.shape}."
            )
        X = X[:, 0]
    elif X.ndim != 1:
        raise InvalidDocumentError(
            f"Expected a corpus: a 1-D array of documents, got an array of shape {X.shape}."
        )
    if X.dtype.kind in "US":
        return X.tolist()
    if X.dtype.kind != "O":
        raise InvalidDocumentError(
            f"Expected documents of text, got a numeric array of dtype {X.dtype}.",
            index=0 if len(X) else None,
        )
    return list(X)


def corpus_kind(docs) -> str:
    """Return ``"text"`` if the first document is a string, ``"tokens"`` if a list."""
    from ._corpus import TokenCorpus

    if isinstance(docs, TokenCorpus):
        return "tokens"
    first = docs[0] if len(docs) else ""
    if isinstance(first, (list, tuple, np.ndarray)):
        return "tokens"
    return "text"


def check_text_corpus(X, *, allow_empty: bool = False) -> list[str]:
    """Return the corpus as a list of ``str``, or raise naming the first bad document."""
    docs = as_corpus(X, allow_empty=allow_empty)
    if all(type(doc) is str for doc in docs):
        return docs
    for index, doc in enumerate(docs):
        if not isinstance(doc, str):
            if isinstance(doc, (list, tuple)):
                raise InvalidDocumentError(
                    f"Document {index} is a {type(doc).__name__} (tokens?) but this step "
                    f"expects raw text (str). Put it before the Tokenizer.",
                    index=index,
                )
            raise InvalidDocumentError(
                f"Document {index} is {describe(doc)}; expected str.{_hint(doc)}",
                index=index,
            )
    return [str(doc) for doc in docs]  # str subclasses, e.g. numpy.str_


def check_token_corpus(X, *, allow_empty: bool = False):
    """Return the corpus as a :class:`~textflow.TokenCorpus`, or raise naming the bad document.

    Each document must be a list, tuple or 1-D array of ``str``.
    """
    from ._corpus import TokenCorpus

    docs = as_corpus(X, allow_empty=allow_empty)
    if isinstance(docs, TokenCorpus):
        return docs
    for index, doc in enumerate(docs):
        if type(doc) is list or isinstance(doc, (tuple, np.ndarray)):
            continue
        if isinstance(doc, str):
            raise InvalidDocumentError(
                f"Document {index} is a str but this step expects tokens (a list of str). "
                f"Put a Tokenizer before it.",
                index=index,
            )
        raise InvalidDocumentError(
            f"Document {index} is {describe(doc)}; expected a list of str tokens.{_hint(doc)}",
            index=index,
        )
    return TokenCorpus.from_lists(docs)


def check_labels(y) -> np.ndarray:
    """Return ``y`` as a 1-D array, refusing missing labels and mixed label types.

    ``np.asarray([1, "neg"])`` silently turns every label into a string; a mix
    of numbers and strings is almost always a data error, so it is refused,
    naming the first label of the other type.
    """
    from sklearn.utils.validation import column_or_1d

    if isinstance(y, (list, tuple)) or (isinstance(y, np.ndarray) and y.dtype.kind == "O"):
        values = list(y.tolist() if isinstance(y, np.ndarray) else y)
        kinds = [_label_kind(value) for value in values]
        if "missing" in kinds:
            position = kinds.index("missing")
            raise ValueError(
                f"y contains a missing label (None or NaN) at position {position}; "
                "drop those documents or fill their labels first."
            )
        if len(set(kinds)) > 1:
            position = next(i for i, kind in enumerate(kinds) if kind != kinds[0])
            raise ValueError(
                f"y mixes label types: {describe(values[0])} at position 0 but "
                f"{describe(values[position])} at position {position}. Use one type for "
                "every label (all strings or all numbers)."
            )
        if values and kinds[0] == "number":
            y = np.asarray(values)
    y = column_or_1d(y, warn=True)
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError("y contains NaN labels; drop or fill them before fitting.")
    return y


def _label_kind(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    if isinstance(value, (str, np.str_)):
        return "string"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, float, np.number)):
        return "number"
    return type(value).__name__


def plain_value(value):
    """A numpy scalar as the Python value it holds (for readable messages)."""
    return value.item() if isinstance(value, np.generic) else value
