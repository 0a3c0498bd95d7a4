"""TextsToSequences and SequencePadder."""

import pickle
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from textflow import InvalidDocumentError, SequencePadder, TextsToSequences, Tokenizer

words = st.sampled_from([*"abcdefghij", "the", "film", "good", "bad"])
corpora = st.lists(st.lists(words, max_size=12), min_size=1, max_size=10)
OPTIONS = ["pre", "post"]


def reference_vocabulary(docs, num_words, min_freq, oov):
    counts = Counter(token for doc in docs for token in doc)
    first = {}
    for token in (token for doc in docs for token in doc):
        first.setdefault(token, len(first))
    ranked = sorted(
        (t for t in counts if counts[t] >= min_freq), key=lambda t: (-counts[t], first[t])
    )
    start = 2 if oov else 1
    if num_words is not None:
        ranked = ranked[: max(num_words - start, 0)]
    return {token: i + start for i, token in enumerate(ranked)}


def reference_pad(seqs, maxlen, padding, truncating, value=0):
    out = np.full((len(seqs), maxlen), value, dtype=np.int32)
    for row, seq in enumerate(seqs):
        seq = list(seq)
        seq = seq[:maxlen] if truncating == "post" else seq[-maxlen:] if seq else []
        if padding == "post":
            out[row, : len(seq)] = seq
        elif seq:
            out[row, maxlen - len(seq) :] = seq
    return out


@settings(max_examples=80, deadline=None)
@given(docs=corpora, num_words=st.one_of(st.none(), st.integers(3, 12)),
       min_freq=st.integers(1, 3), oov=st.booleans())  # fmt: skip
def test_vocabulary_matches_reference_and_ids_are_in_range(docs, num_words, min_freq, oov):
    seq = TextsToSequences(num_words=num_words, min_freq=min_freq,
                           oov_token="<OOV>" if oov else None)  # fmt: skip
    ids = seq.fit_transform(docs)
    expected = reference_vocabulary(docs, num_words, min_freq, oov)
    assert seq.vocabulary_ == expected
    assert seq.vocab_size_ == len(expected) + (2 if oov else 1)
    if num_words is not None:
        assert seq.vocab_size_ <= num_words
    assert len(ids) == len(docs)
    for doc, row in zip(docs, ids):
        assert all(0 < i < seq.vocab_size_ for i in row.tolist())
        mapped = (
            [expected.get(t, 1) for t in doc]
            if oov
            else [expected[t] for t in doc if t in expected]
        )
        assert row.tolist() == mapped
    # round trip for in-vocabulary tokens
    back = seq.inverse_transform(ids)
    for doc, tokens in zip(docs, back):
        assert [t for t in doc if t in expected] == [t for t in tokens if t != "<OOV>"]


@settings(max_examples=80, deadline=None)
@given(seqs=st.lists(st.lists(st.integers(0, 50), max_size=9), min_size=1, max_size=8),
       maxlen=st.one_of(st.none(), st.integers(1, 10)), padding=st.sampled_from(OPTIONS),
       truncating=st.sampled_from(OPTIONS), value=st.integers(0, 3))  # fmt: skip
def test_padding_matches_reference_for_every_option(seqs, maxlen, padding, truncating, value):
    padder = SequencePadder(maxlen=maxlen, padding=padding, truncating=truncating, value=value)
    out = padder.fit_transform(seqs)
    expected_len = maxlen or max(max(map(len, seqs)), 1)
    assert padder.maxlen_ == expected_len and out.dtype == np.int32
    np.testing.assert_array_equal(
        out, reference_pad(seqs, expected_len, padding, truncating, value)
    )
    np.testing.assert_array_equal(padder.transform([np.asarray(s) for s in seqs]), out)


@pytest.mark.parametrize("padding", OPTIONS)
@pytest.mark.parametrize("truncating", OPTIONS)
def test_padder_agrees_with_keras(padding, truncating):
    try:
        from textflow._keras._backend import import_keras

        keras = import_keras()
    except ImportError as error:
        pytest.skip(f"Keras is not usable here: {error}")
    seqs = [[1, 2, 3, 4, 5, 6], [7], [], [8, 9]]
    ours = SequencePadder(maxlen=4, padding=padding, truncating=truncating).fit_transform(seqs)
    theirs = keras.utils.pad_sequences(seqs, maxlen=4, padding=padding, truncating=truncating)
    np.testing.assert_array_equal(ours, theirs)


def test_documented_example_and_defaults():
    seq = TextsToSequences()
    ids = seq.fit_transform(["the film was good", "the film was bad", "good good"])
    assert seq.index_to_word_[:2].tolist() == ["<PAD>", "<OOV>"]
    assert seq.vocabulary_ == {"good": 2, "the": 3, "film": 4, "was": 5, "bad": 6}
    assert [x.tolist() for x in seq.transform(["a good unseen film"])] == [[1, 2, 1, 4]]
    assert seq.get_vocabulary()[2] == "good"
    assert ids[2].dtype == np.int32


def test_oov_none_drops_words_never_documents():
    seq = TextsToSequences(oov_token=None).fit([["a", "b"]])
    out = seq.transform([["zzz"], ["a", "zzz", "b"]])
    assert [x.tolist() for x in out] == [[], [1, 2]]


def test_num_words_counts_reserved_ids_and_max_df_prunes():
    docs = [["the", "a", "b"], ["the", "a"], ["the", "c"]]
    assert TextsToSequences(num_words=3).fit(docs).vocabulary_ == {"the": 2}
    seq = TextsToSequences(max_df=0.5).fit(docs)
    assert "the" not in seq.vocabulary_ and "a" not in seq.vocabulary_
    assert seq.n_oov_ == 5
    with pytest.raises(ValueError, match="leaves no room"):
        TextsToSequences(num_words=2).fit(docs)


def test_char_level_and_raw_text_use_the_default_tokenizer():
    assert TextsToSequences(char_level=True).fit(["abca"]).vocabulary_ == {"a": 2, "b": 3, "c": 4}
    raw = TextsToSequences().fit(["Don't stop"])
    assert raw.vocabulary_ == TextsToSequences().fit(Tokenizer().fit_transform(["Don't stop"])
                                                      ).vocabulary_  # fmt: skip


@pytest.mark.parametrize(
    "bad, match",
    [
        ([[1.5, 2]], "non-integer id 1.5"),
        ([[1, -3]], "negative id -3"),
        ([["a", "b"]], "holds <U1 values"),
        (["a b"], "Document 0 is str"),
        (np.zeros((2, 3, 4)), r"shape \(2, 3, 4\)"),
        ([[1, float("nan")]], "non-integer id nan"),
    ],
)
def test_padder_bad_input(bad, match):
    with pytest.raises((InvalidDocumentError, ValueError), match=match):
        SequencePadder().fit(bad)


def test_padder_bad_parameters():
    with pytest.raises(ValueError, match="'maxlen' parameter"):
        SequencePadder(maxlen=0).fit([[1]])
    with pytest.raises(ValueError, match="'padding' parameter"):
        SequencePadder(padding="middle").fit([[1]])


def test_inverse_transform_rejects_ids_outside_vocabulary():
    seq = TextsToSequences().fit([["a"]])
    with pytest.raises(ValueError, match=r"Document 0 has id 7.*3 ids"):
        seq.inverse_transform([[7]])


def test_pipeline_grid_search_and_pickle():
    texts = ["good film", "great film", "bad film", "awful film", "good fun", "bad mess"] * 4
    labels = [1, 1, 0, 0, 1, 0] * 4
    pipe = Pipeline([
        ("seq", TextsToSequences()), ("pad", SequencePadder()),
        ("clf", LogisticRegression()),
    ])  # fmt: skip
    grid = GridSearchCV(pipe, {"seq__num_words": [3, 10], "pad__maxlen": [1, 3]}, cv=2)
    grid.fit(texts, labels)
    assert len(grid.cv_results_["params"]) == 4
    fitted = grid.best_estimator_
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(texts), fitted.predict(texts))
    assert fitted.named_steps["pad"].get_feature_names_out()[0] == "position_0"


def test_a_fixed_vocabulary_gives_the_same_ids_whatever_the_data():
    words = ["good", "bad", "film", "plot"]
    first = TextsToSequences(vocabulary=words).fit([["bad", "film", "zzz"]])
    second = TextsToSequences(vocabulary=words).fit([["good", "good"], ["plot"]])
    assert first.vocabulary_ == second.vocabulary_ == {"good": 2, "bad": 3, "film": 4, "plot": 5}
    assert [x.tolist() for x in first.transform([["plot", "zzz", "good"]])] == [[5, 1, 2]]
    assert first.word_counts_.tolist() == [0, 0, 0, 1, 1, 0] and first.n_oov_ == 1
    short = TextsToSequences(vocabulary=words, num_words=4, oov_token=None).fit([["bad"]])
    assert short.vocabulary_ == {"good": 1, "bad": 2, "film": 3} and short.vocab_size_ == 4
    with pytest.raises(ValueError, match="repeated words"):
        TextsToSequences(vocabulary=["a", "a"]).fit([["a"]])
    with pytest.raises(ValueError, match="do not apply to a fixed vocabulary"):
        TextsToSequences(vocabulary=words, min_freq=2).fit([["a"]])


@pytest.mark.parametrize("big", [2**40, 2**31, 2**32 + 5])
def test_padder_refuses_ids_its_dtype_cannot_hold(big):
    with pytest.raises(InvalidDocumentError, match=rf"Document 0 has the id {big}.*int32"):
        SequencePadder().fit_transform([[big, 2], [3]])


def test_padder_keeps_large_ids_with_a_wide_dtype():
    out = SequencePadder(dtype="int64").fit_transform([[2**40, 2], [3]])
    assert out.tolist() == [[2**40, 2], [3, 0]]
