"""TokenCorpus: the vocabulary + ids representation behaves like a list of token lists."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textflow import InvalidDocumentError, TokenCorpus

token_lists = st.lists(st.lists(st.text(min_size=0, max_size=4), max_size=6), max_size=8)


@settings(max_examples=60, deadline=None)
@given(docs=token_lists)
def test_round_trip_indexing_and_slicing(docs):
    corpus = TokenCorpus.from_lists(docs)
    assert len(corpus) == len(docs)
    assert corpus.tolist() == docs and corpus == docs
    assert [corpus[i] for i in range(len(docs))] == docs
    for start in range(len(docs) + 1):
        assert corpus[start:].tolist() == docs[start:]
        assert corpus[:start] == docs[:start]
    assert corpus[::2] == docs[::2]
    assert pickle.loads(pickle.dumps(corpus)) == docs
    assert corpus.counts().sum() == sum(map(len, docs))


@settings(max_examples=60, deadline=None)
@given(docs=token_lists, data=st.data())
def test_map_tokens_equals_the_reference(docs, data):
    corpus = TokenCorpus.from_lists(docs)
    mapped = data.draw(
        st.lists(
            st.sampled_from(["", "x", "y", "zz"]),
            min_size=len(corpus.vocabulary),
            max_size=len(corpus.vocabulary),
        )
    )
    table = dict(zip(corpus.vocabulary, mapped))
    expected = [[table[t] for t in doc if table[t]] for doc in docs]
    out = corpus.map_tokens(mapped)
    assert out == expected
    assert len(set(out.vocabulary)) == len(out.vocabulary) and "" not in out.vocabulary
    if len(out.ids):
        assert out.ids.max() < len(out.vocabulary)


@settings(max_examples=60, deadline=None)
@given(docs=token_lists, data=st.data())
def test_chained_map_tokens_rewrite_the_ids_once_and_equal_the_reference(docs, data):
    corpus, expected = TokenCorpus.from_lists(docs), docs
    for _ in range(3):
        mapped = data.draw(st.lists(st.sampled_from(["", "a", "b", "c", "d"]),
                                    min_size=len(corpus.vocabulary),
                                    max_size=len(corpus.vocabulary)))  # fmt: skip
        table = dict(zip(corpus.vocabulary, mapped))
        expected = [[table[t] for t in doc if table[t]] for doc in expected]
        corpus = corpus.map_tokens(mapped)
    assert corpus._remap is not None  # nothing rewritten yet: three remaps composed
    assert len(corpus) == len(docs)
    assert pickle.loads(pickle.dumps(corpus)) == expected
    assert corpus == expected and corpus._remap is None
    assert corpus.offsets[-1] == len(corpus.ids) == sum(map(len, expected))


@settings(max_examples=60, deadline=None)
@given(docs=token_lists)
def test_encode_reads_each_list_once_from_a_generator(docs):
    from unittest import mock

    from textflow import _corpus

    with mock.patch.object(_corpus, "ID_CHUNK", 3):  # several id chunks even for tiny corpora
        corpus = TokenCorpus.encode((list(doc) for doc in docs), len(docs))
    assert corpus == docs
    assert corpus.vocabulary == list(dict.fromkeys(t for doc in docs for t in doc))
    assert corpus.ids.dtype == np.int32 and corpus.offsets.dtype == np.int64


def test_encode_checks_the_number_of_documents():
    with pytest.raises(ValueError, match="Expected 3 token lists, got 2"):
        TokenCorpus.encode(iter([["a"], ["b"]]), 3)
    with pytest.raises(ValueError, match="Expected 1 token lists, got more"):
        TokenCorpus.encode(iter([["a"], ["b"]]), 1)
    assert TokenCorpus.encode(iter([]), 0) == []


@settings(max_examples=40, deadline=None)
@given(parts=st.lists(token_lists, min_size=1, max_size=4))
def test_concatenate(parts):
    joined = TokenCorpus.concatenate([TokenCorpus.from_lists(p) for p in parts])
    assert joined == [doc for part in parts for doc in part]


def test_equality_and_repr():
    corpus = TokenCorpus.from_lists([["a"], [], ["b", "a"], ["c"]])
    assert corpus == (["a"], [], ("b", "a"), ["c"])
    assert corpus != [["a"], [], ["b", "a"]]
    assert repr(corpus) == "TokenCorpus([['a'], [], ['b', 'a'], ... (4 documents)])"
    with pytest.raises(IndexError):
        corpus[4]
    assert corpus[-1] == ["c"]


def test_ids_are_compact_int32_and_offsets_int64():
    corpus = TokenCorpus.from_lists([["a", "b"], ["b"]])
    assert corpus.ids.dtype == np.int32 and corpus.offsets.dtype == np.int64
    assert corpus.vocabulary == ["a", "b"] and corpus.document_lengths().tolist() == [2, 1]


def test_bad_tokens_are_named():
    with pytest.raises(InvalidDocumentError, match="Document 1 has token 0 of type int"):
        TokenCorpus.from_lists([["ok"], [3]])
    with pytest.raises(InvalidDocumentError, match="Document 0 has token 1 of type list"):
        TokenCorpus.from_lists([["ok", ["x"]]])


def test_numpy_str_tokens_are_accepted():
    corpus = TokenCorpus.from_lists([list(np.array(["a", "b"]))])
    assert corpus == [["a", "b"]] and type(corpus.vocabulary[0]) is str


def test_token_corpus_concatenates_like_a_list():
    corpus = TokenCorpus.from_lists([["a", "b"], []])
    assert (corpus + corpus).tolist() == [["a", "b"], [], ["a", "b"], []]
    assert ([["x"]] + corpus).tolist() == [["x"], ["a", "b"], []]  # noqa: RUF005
    assert isinstance(corpus + [["z"]], TokenCorpus)  # noqa: RUF005
    with pytest.raises(InvalidDocumentError):
        corpus + [["a", 1]]  # noqa: RUF005
    with pytest.raises(TypeError):
        corpus + "abc"
