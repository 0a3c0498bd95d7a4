"""Byte-pair encoding: the merges learned, segmentation of unseen words, the round trip."""

import pickle
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textflow.text._bpe import CONTINUATION, BytePairEncoding

# Sennrich et al. (2016), figure 1: low x5, lower x2, newest x6, widest x3
WORDS = [["low"] * 5 + ["lower"] * 2 + ["newest"] * 6 + ["widest"] * 3]


def test_merges_the_most_frequent_pairs_first():
    ranks = BytePairEncoding(4).fit(WORDS).ranks_
    assert len(ranks) == 4
    first, second = sorted(ranks, key=ranks.get)[:2]
    # "es" occurs 9 times (newest, widest), then "est" at a word's end 9 times
    assert first == ("e", "s")
    assert second[0] == "es" and second[1].startswith("t")


def test_stops_when_no_pair_occurs_twice():
    encoding = BytePairEncoding(10_000).fit([["abc", "xyz"]])
    assert encoding.ranks_ == {}
    assert encoding.segment(["abc"]) == ["a" + CONTINUATION, "b" + CONTINUATION, "c"]


def test_segments_unseen_words_into_learned_pieces():
    encoding = BytePairEncoding(10).fit(WORDS)
    assert encoding.segment(["newest"]) == ["newest"]
    pieces = encoding.segment(["lowest"])  # "low" was merged only as a whole word
    assert pieces == ["lo" + CONTINUATION, "w" + CONTINUATION, "est"]
    assert encoding.join(pieces) == ["lowest"]


def test_word_endings_stay_apart_from_word_middles():
    # "est" ends words, never starts them: "estimate" must not reuse the ending's piece
    encoding = BytePairEncoding(10).fit(WORDS)
    assert encoding.segment(["estate"])[0] != "est" + CONTINUATION


def text_tokens():
    alphabet = st.characters(blacklist_characters=[CONTINUATION, "\ue001"],
                             blacklist_categories=["Cs"])  # fmt: skip
    return st.lists(st.lists(st.text(alphabet, max_size=8), max_size=6), max_size=6)


@settings(max_examples=60, deadline=None)
@given(training=text_tokens(), sentences=text_tokens(), merges=st.integers(1, 40))
def test_join_undoes_segment(training, sentences, merges):
    encoding = BytePairEncoding(merges).fit(training)
    for tokens in sentences:
        for token in tokens:
            *inner, last = encoding.segment_word(token)
            assert all(piece.endswith(CONTINUATION) for piece in inner)
            assert not last.endswith(CONTINUATION)
        assert encoding.join(encoding.segment(tokens)) == tokens


@settings(max_examples=60, deadline=None)
@given(training=text_tokens(), sentences=text_tokens(), merges=st.integers(1, 40),
       dropout=st.sampled_from([0.1, 0.5, 0.9]), seed=st.integers(0, 2**16))  # fmt: skip
def test_dropout_samples_join_back_and_without_dropout_equal_segment(
    training, sentences, merges, dropout, seed
):
    encoding = BytePairEncoding(merges).fit(training)
    for tokens in sentences:
        assert encoding.sample(tokens, 0.0, random.Random(seed)) == encoding.segment(tokens)
        sampled = encoding.sample(tokens, dropout, random.Random(seed))
        assert encoding.join(sampled) == tokens
        assert len(sampled) >= len(encoding.segment(tokens))  # merges skipped, never added


def test_dropout_splits_words_several_ways_at_the_published_rate():
    encoding = BytePairEncoding(10).fit(WORDS)
    generator = random.Random(0)
    draws = [tuple(encoding.sample_word("newest", 0.1, generator)) for _ in range(2000)]
    whole = draws.count(("newest",)) / len(draws)
    # "newest" takes five merges (e+s, es+t, e+w, ew+est, n+ewest), each kept with
    # probability 0.9; a skipped one can still be applied at a later step, so the whole
    # word comes out more often than 0.9 ** 5 = 0.59 (measured: 0.69), and not always
    assert 0.59 < whole < 0.95
    assert len(set(draws)) >= 4
    assert all(encoding.join(list(draw)) == ["newest"] for draw in draws)
    assert encoding.sample_word("newest", 0.999, random.Random(0))[0] == "n" + CONTINUATION


def test_pickles_without_its_cache():
    encoding = BytePairEncoding(10).fit(WORDS)
    encoding.segment(["lowest"])
    restored = pickle.loads(pickle.dumps(encoding))
    assert restored.ranks_ == encoding.ranks_
    assert restored.segment(["lowest", "widest"]) == encoding.segment(["lowest", "widest"])


@pytest.mark.parametrize("pieces, words", [
    (["a" + CONTINUATION, "b", "c"], ["ab", "c"]),
    (["a" + CONTINUATION], ["a"]),  # a decoder that stopped mid-word keeps the piece
    ([], []),
])  # fmt: skip
def test_join(pieces, words):
    assert BytePairEncoding.join(pieces) == words
