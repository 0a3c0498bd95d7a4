"""The CRF output layer: its loss, Viterbi and marginals against brute-force enumeration."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textflow.models._decoding import _linear_chain as chain

try:
    from textflow._keras._backend import import_keras

    import_keras()
except ImportError as error:
    pytest.skip(f"Keras is not usable here: {error}", allow_module_level=True)

from textflow._keras._layers import custom_objects
from textflow.models import RNNTagger


def all_paths(emissions, transitions, start, end):
    n_tokens, n_tags = emissions.shape
    return {path: chain.path_score(emissions, transitions, start, end, path)
            for path in itertools.product(range(n_tags), repeat=n_tokens)}  # fmt: skip


def random_chain(seed, n_tokens, n_tags):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n_tokens, n_tags)), rng.normal(size=(n_tags, n_tags)),
            rng.normal(size=n_tags), rng.normal(size=n_tags))  # fmt: skip


@given(st.integers(0, 2**32 - 1), st.integers(1, 5), st.integers(1, 4))
@settings(max_examples=60, deadline=None)
def test_viterbi_marginals_and_partition_match_enumeration(seed, n_tokens, n_tags):
    emissions, transitions, start, end = random_chain(seed, n_tokens, n_tags)
    scores = all_paths(emissions, transitions, start, end)
    log_z = np.log(sum(np.exp(s) for s in scores.values()))
    assert chain.log_partition(emissions, transitions, start, end) == pytest.approx(log_z)
    best = max(scores, key=scores.get)
    assert tuple(chain.viterbi(emissions, transitions, start, end)) == best
    expected = np.zeros((n_tokens, n_tags))
    for path, score in scores.items():
        expected[np.arange(n_tokens), path] += np.exp(score - log_z)
    got = chain.marginals(emissions, transitions, start, end)
    np.testing.assert_allclose(got, expected, atol=1e-10)
    np.testing.assert_allclose(got.sum(axis=1), 1.0)


def test_empty_sentences_decode_to_nothing():
    emissions = np.zeros((0, 3))
    transitions, start, end = np.zeros((3, 3)), np.zeros(3), np.zeros(3)
    assert chain.viterbi(emissions, transitions, start, end) == []
    assert chain.marginals(emissions, transitions, start, end).shape == (0, 3)


def test_keras_loss_is_the_negative_log_likelihood_of_enumeration():
    layers = custom_objects()
    rng = np.random.default_rng(0)
    n_tags, n_tokens, lengths = 3, 5, [5, 3, 1, 0]
    crf = layers["textflow>LinearChainCRF"](n_tags)
    crf.build((len(lengths), n_tokens, n_tags))
    crf.transitions.assign(rng.normal(size=(n_tags, n_tags)).astype("float32"))
    crf.boundaries.assign(rng.normal(size=(2, n_tags)).astype("float32"))
    emissions = rng.normal(size=(len(lengths), n_tokens, n_tags)).astype("float32")
    output = np.asarray(crf(emissions))
    y = np.zeros((len(lengths), n_tokens))
    gold = []
    for row, length in enumerate(lengths):
        gold.append(rng.integers(0, n_tags, length))
        y[row, :length] = gold[-1] + 1  # 0 is padding
    loss = layers["textflow>CRFNegativeLogLikelihood"](reduction=None)
    got = np.asarray(loss(y, output))
    emissions, transitions, start, end = chain.split_crf_output(output, n_tags)
    np.testing.assert_allclose(transitions, np.asarray(crf.transitions), rtol=1e-6)
    for row, length in enumerate(lengths):
        if not length:
            assert got[row] == 0.0
            continue
        scores = all_paths(emissions[row, :length], transitions, start, end)
        log_z = np.log(sum(np.exp(s) for s in scores.values()))
        assert got[row] == pytest.approx(log_z - scores[tuple(gold[row])], rel=1e-4)


def test_a_crf_tagger_learns_that_inside_tags_follow_their_begin_tag():
    chunks = [(("Ann", "Lee"), ("B-PER", "I-PER")), (("Bo", "Chu"), ("B-PER", "I-PER")),
              (("Rome",), ("B-LOC",)), (("met",), ("O",)), (("in",), ("O",)),
              (("today",), ("O",))]  # fmt: skip
    rng = np.random.default_rng(0)
    X, y = [], []
    for _ in range(150):
        picked = [chunks[i] for i in rng.integers(0, len(chunks), 4)]
        X.append([word for words, _ in picked for word in words])
        y.append([tag for _, tags in picked for tag in tags])
    tagger = RNNTagger(units=8, char_filters=8, char_dim=8, embedding_dim=8, epochs=15,
                       learning_rate=0.02, validation_fraction=0.0,
                       random_state=0).fit(X, y)  # fmt: skip
    transitions = np.asarray(tagger.model_.get_layer("crf").transitions)
    index = {tag: i for i, tag in enumerate(tagger.classes_)}
    assert (transitions[index["B-PER"], index["I-PER"]]
            > transitions[index["O"], index["I-PER"]] + 1)  # fmt: skip
    predicted = tagger.predict(X)
    assert all(len(p) == len(s) for p, s in zip(predicted, X))
    for probabilities in tagger.predict_proba(X[:20]):
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
