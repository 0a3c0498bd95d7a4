"""The bad-input catalogue: every step fails early and names the document."""

import math

import numpy as np
import pytest
from sklearn.base import clone

from textflow import (
    InvalidDocumentError,
    SequencePadder,
    Tokenizer,
)

from .conftest import corpus_estimators, corpus_for, make_instance

ESTIMATORS = [make_instance(cls) for cls in corpus_estimators()]
ids = [type(est).__name__ for est in ESTIMATORS]

BAD_DOCUMENTS = {
    "None": (None, r"NoneType \(None, a missing value\)"),
    "NaN": (math.nan, r"float \(NaN, a missing value\)"),
    "bytes": (b"caf\xc3\xa9", r"bytes \(b'caf"),
    "int": (42, r"int \(42\)"),
    "dict": ({"text": "x"}, r"dict"),
}


def _with_bad_document(estimator, bad, position=2):
    X = corpus_for(estimator)
    X[position] = bad
    return X


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
@pytest.mark.parametrize("method", ["fit", "fit_transform", "transform"])
def test_bad_document_names_position_and_type(estimator, case, method):
    bad, message = BAD_DOCUMENTS[case]
    X = _with_bad_document(estimator, bad)
    est = clone(estimator)
    if method == "transform":
        est.fit(corpus_for(estimator))
    with pytest.raises(InvalidDocumentError, match=rf"Document 2 (is|has).*{message}") as info:
        getattr(est, method)(X)
    assert info.value.index == 2


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_bare_string_instead_of_corpus(estimator):
    with pytest.raises(InvalidDocumentError, match=r"single str.*\[text\]"):
        clone(estimator).fit("just one review")


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_several_columns_rejected(estimator):
    X = np.array([["a b", "c"], ["d", "e f"]], dtype=object)
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        clone(estimator).fit(X)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_several_column_dataframe_rejected(estimator):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"text": ["a", "b"], "other": ["c", "d"]})
    with pytest.raises(ValueError, match=r"one-column DataFrame.*'text', 'other'"):
        clone(estimator).fit(frame)


ONE_KIND = [e for e in ESTIMATORS if len(e.accepts) == 1 and e.accepts != ("ids",)]
TEXT_OR_TOKENS = [e for e in ESTIMATORS if e.accepts != ("ids",)]


@pytest.mark.parametrize(
    "estimator", TEXT_OR_TOKENS, ids=[type(e).__name__ for e in TEXT_OR_TOKENS]
)
def test_bytes_error_says_decode(estimator):
    X = _with_bad_document(estimator, b"x")
    with pytest.raises(InvalidDocumentError, match=r"[Dd]ecode bytes first"):
        clone(estimator).fit(X)


@pytest.mark.parametrize("estimator", ONE_KIND, ids=[type(e).__name__ for e in ONE_KIND])
def test_wrong_corpus_kind_says_what_was_expected(estimator):
    X = corpus_for(estimator)
    if isinstance(X[0], str):
        other = [doc.split() for doc in X]
        match = r"Document 0 is a list \(tokens\?\).*expects raw text"
    else:
        other = [" ".join(doc) for doc in X]
        match = r"Document 0 is a str.*expects tokens.*Tokenizer"
    with pytest.raises(InvalidDocumentError, match=match):
        clone(estimator).fit(other)


@pytest.mark.parametrize(
    "estimator",
    [e for e in ESTIMATORS if "tokens" in e.accepts],
    ids=[i for e, i in zip(ESTIMATORS, ids) if "tokens" in e.accepts],
)
@pytest.mark.parametrize("token", [None, 3, ["nested"], b"x"], ids=repr)
def test_bad_token_names_document_and_position(estimator, token):
    X = corpus_for(estimator)
    if isinstance(X[0], str):
        X = [doc.split() for doc in X]
    X[3] = ["fine", token]
    with pytest.raises(InvalidDocumentError, match=r"Document 3 has token 1 of type") as info:
        clone(estimator).fit_transform(X)
    assert info.value.index == 3


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_documents_that_become_empty_stay(estimator):
    X = corpus_for(estimator)
    empty = "" if isinstance(X[0], str) else []
    blank = [empty, X[0], empty, empty]
    out = clone(estimator).fit_transform(blank)
    assert len(out) == 4
    if isinstance(out, np.ndarray):  # padded ids: empty documents are all-padding rows
        assert not out[0].any() and not out[3].any() and out[1].any()
    else:
        assert len(out[0]) == 0 and len(out[3]) == 0


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_transform_of_empty_corpus_is_empty(estimator):
    X = corpus_for(estimator)
    est = clone(estimator).fit(X)
    assert len(est.transform([])) == 0


@pytest.mark.parametrize(
    "corpus", [{"a": "good film", "b": "bad"}, {"good film", "bad"}, frozenset({"x"}),
               {"a": 1}.keys()], ids=["dict", "set", "frozenset", "keys"],
)  # fmt: skip
def test_unordered_or_mapping_corpora_are_refused(corpus):
    with pytest.raises(InvalidDocumentError, match="ordered corpus"):
        Tokenizer().fit_transform(corpus)


def test_dict_values_and_generators_keep_their_order():
    docs = {"a": "one", "b": "two words"}
    assert Tokenizer().fit_transform(docs.values()) == [["one"], ["two", "words"]]
    assert Tokenizer().fit_transform(d for d in ["x y", "z"]) == [["x", "y"], ["z"]]


def test_documented_corpus_errors_are_invalid_document_errors():
    pd = pytest.importorskip("pandas")
    with pytest.raises(InvalidDocumentError, match="one-column DataFrame"):
        Tokenizer().fit(pd.DataFrame({"a": ["x"], "b": ["y"]}))
    with pytest.raises(InvalidDocumentError, match="empty corpus"):
        Tokenizer().fit([])
    with pytest.raises(InvalidDocumentError, match="empty corpus"):
        SequencePadder().fit([])
