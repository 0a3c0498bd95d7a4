"""KerasClassifier and RNNClassifier, with tiny models so the suite stays fast."""

import os
import pickle
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

try:  # textflow picks an installed backend; a bare `import keras` may not
    from textflow._keras._backend import import_keras

    import_keras()
except ImportError as error:
    pytest.skip(f"Keras is not usable here: {error}", allow_module_level=True)

import random

import pytest
from sklearn.exceptions import NotFittedError

from textflow import (
    KerasClassifier,
    RNNClassifier,
    SequencePadder,
    TextsToSequences,
    Tokenizer,
)

from .conftest import TEST_PARAMS

TINY = {"units": 4, "embedding_dim": 4, "epochs": 2, "batch_size": 16, "random_state": 0}


def ids_and_labels(n=64, maxlen=6, labels=("neg", "pos"), seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randint(1, 30, size=(n, maxlen))
    y = np.asarray(labels)[X[:, 0] % len(labels)]
    return X, y


def build_dense(meta, hidden=8):
    import keras

    return keras.Sequential([
        keras.Input((meta["n_features_in_"],)),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(meta["n_classes_"], activation="softmax"),
    ])  # fmt: skip


def test_routing_params_survive_clone_and_set_params():
    clf = KerasClassifier(build_dense, model__hidden=3, fit__shuffle=False,
                          optimizer__beta_1=0.8, compile__jit_compile=False)  # fmt: skip
    params = clone(clf).get_params()
    assert params["model__hidden"] == 3 and params["fit__shuffle"] is False
    assert params["optimizer__beta_1"] == 0.8 and params["compile__jit_compile"] is False
    clf.set_params(model__hidden=5, epochs=1)
    assert clf.get_params()["model__hidden"] == 5 and clf.epochs == 1
    with pytest.raises(TypeError, match="must start with one of model__"):
        KerasClassifier(build_dense, hidden=3).fit(np.eye(4), [0, 1, 0, 1])


def test_keras_classifier_string_labels_multiclass_and_routing():
    rng = np.random.RandomState(0)
    X = rng.rand(90, 3).astype("float32")
    y = np.array(["a", "b", "c"])[np.argmax(X, axis=1)]
    clf = KerasClassifier(build_dense, model__hidden=16, epochs=30, learning_rate=0.03,
                          random_state=0).fit(X, y)  # fmt: skip
    assert list(clf.classes_) == ["a", "b", "c"] and clf.n_classes_ == 3
    assert clf.model_.layers[0].units == 16  # model__hidden reached the build function
    proba = clf.predict_proba(X)
    assert proba.shape == (90, 3) and np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    assert clf.score(X, y) > 0.7
    assert is_classifier(clf) and is_classifier(Pipeline([("clf", clf)]))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_rnn_cells_train_and_predict(cell):
    X, y = ids_and_labels()
    clf = RNNClassifier(cell=cell, **TINY).fit(X, y)
    assert clf.predict(X).shape == (64,) and set(clf.predict(X)) <= {"neg", "pos"}
    assert clf.predict_proba(X).shape == (64, 2) and clf.n_iter_ == 2
    assert clf.model_.get_layer(index=2).__class__.__name__ == {
        "rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}[cell]  # fmt: skip


def test_rnn_architecture_options():
    X, y = ids_and_labels(labels=("a", "b", "c"))
    clf = RNNClassifier(cell="gru", num_layers=2, bidirectional=True, pooling="mean",
                        dense_units=4, dropout=0.1, **TINY).fit(X, y)  # fmt: skip
    names = [layer.__class__.__name__ for layer in clf.model_.layers]
    assert names.count("Bidirectional") == 2 and "GlobalAveragePooling1D" in names
    assert clf.model_.output_shape[-1] == 3 and clf.predict_proba(X).shape == (64, 3)


def test_learns_a_real_signal_with_random_state_reproducible():
    X, _ = ids_and_labels(n=200)
    y = np.where(X[:, -1] < 15, "low", "high")  # the last token decides
    params = {**TINY, "epochs": 8, "learning_rate": 0.02}
    first = RNNClassifier(cell="gru", **params).fit(X, y)
    second = RNNClassifier(cell="gru", **params).fit(X, y)
    assert first.score(X, y) > 0.8
    np.testing.assert_allclose(first.predict_proba(X), second.predict_proba(X), atol=1e-6)


def test_early_stopping_stops_and_class_weights():
    X, y = ids_and_labels()
    clf = RNNClassifier(**{**TINY, "epochs": 50}, early_stopping=True, patience=1,
                        validation_split=0.25, learning_rate=0.05,
                        class_weight={"pos": 3.0})  # fmt: skip
    clf.fit(X, y)
    assert clf.n_iter_ < 50 and "val_loss" in clf.history_
    with pytest.raises(ValueError, match="class_weight names labels not in y"):
        RNNClassifier(**TINY, class_weight={"nope": 2.0}).fit(X, y)
    balanced = RNNClassifier(**{**TINY, "epochs": 1}, class_weight="balanced").fit(X, y)
    assert balanced.n_iter_ == 1


def test_validation_split_holds_out_every_class_from_sorted_data():
    X, y = ids_and_labels(n=80)
    order = np.argsort(y, kind="stable")  # all of one class, then all of the other
    X, y = X[order], y[order]
    clf = RNNClassifier(**TINY, validation_split=0.25)
    train, held = clf._split_rows(np.searchsorted(np.unique(y), y))
    assert len(held) == 20 and set(y[held]) == set(y) and set(y[train]) == set(y)
    assert sorted([*train, *held]) == list(range(80))
    clf.fit(X, y)
    assert "val_loss" in clf.history_
    majority = max(set(y), key=list(y).count)  # the baseline is scored on the held-out rows
    assert clf.baseline_score_ == pytest.approx(np.mean(y[held] == majority))


def test_pretrained_initialisation_from_word2vec_on_the_fold():
    pytest.importorskip("gensim")
    X, y = ids_and_labels()
    clf = RNNClassifier(embeddings="word2vec", trainable_embeddings=False, **TINY).fit(X, y)
    assert clf.n_pretrained_rows_ == 29  # ids 1..29 all got a vector
    weights = clf.model_.layers[1].get_weights()[0]
    assert not weights[0].any() and weights[1:].any()
    assert not clf.model_.layers[1].trainable


@pytest.mark.parametrize(
    "X, match",
    [
        (np.full((4, 3), 1.5), "non-integer values"),
        (np.array([[1, 2, -1]] * 4), "must be >= 0"),
        (np.array([1, 2, 3, 4]), "2D array"),
    ],
)
def test_bad_input(X, match):
    with pytest.raises(ValueError, match=match):
        RNNClassifier(**TINY).fit(X, ["a", "b", "a", "b"][: len(X)])


def test_bad_labels_and_unseen_ids():
    X, y = ids_and_labels(n=8)
    with pytest.raises(ValueError, match="at least 2 classes"):
        RNNClassifier(**TINY).fit(X, ["a"] * 8)
    with pytest.raises(ValueError, match="NaN"):
        RNNClassifier(**TINY).fit(X, [0.0, 1.0, np.nan, 1.0, 0.0, 1.0, 0.0, 1.0])
    clf = RNNClassifier(**TINY, vocab_size=50).fit(X, y)
    with pytest.raises(ValueError, match=r"id 500.*vocabulary has 50 ids"):
        clf.predict(np.full((2, 6), 500))
    # without vocab_size, ids never seen in training read as the OOV id 1
    clf = RNNClassifier(**TINY).fit(X, y)
    unseen = np.full((2, 6), 500)
    np.testing.assert_allclose(clf.predict_proba(unseen), clf.predict_proba(np.ones((2, 6), int)))


def text_pipeline():
    return Pipeline([
        ("tok", Tokenizer(lowercase=True)), ("seq", TextsToSequences(num_words=50)),
        ("pad", SequencePadder(maxlen=5)), ("clf", RNNClassifier(**TINY)),
    ])  # fmt: skip


TEXTS = ["great fun film", "loved it so much", "awful boring mess", "hated every minute",
         "a great watch", "boring and awful"] * 6  # fmt: skip
LABELS = [1, 1, 0, 0, 1, 0] * 6


def test_grid_search_over_cells_with_roc_auc():
    grid = GridSearchCV(text_pipeline(), {"clf__cell": ["rnn", "lstm", "gru"],
                                          "seq__num_words": [50]},
                        scoring="roc_auc", cv=2)  # fmt: skip
    grid.fit(TEXTS, LABELS)
    assert len(grid.cv_results_["params"]) == 3
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()


def test_fresh_process_pickle_round_trip(tmp_path):
    pipe = text_pipeline().fit(TEXTS, LABELS)
    joblib.dump(pipe, tmp_path / "pipe.joblib")
    script = textwrap.dedent(f"""
        import sys, joblib
        pipe = joblib.load({str(tmp_path / "pipe.joblib")!r})
        joblib.dump(pipe.predict_proba({TEXTS!r}), {str(tmp_path / "proba")!r})
    """)
    env = {key: value for key, value in os.environ.items() if key != "KERAS_BACKEND"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
    np.testing.assert_array_equal(joblib.load(tmp_path / "proba"), pipe.predict_proba(TEXTS))


def test_a_model_saved_before_a_parameter_existed_loads_with_its_default():
    X, y = ids_and_labels()
    model = RNNClassifier(units=4, embedding_dim=4, epochs=1, dropout=0.3).fit(X, y)
    state = model.__getstate__()
    del state["dropout"]  # as if saved by a version without this parameter
    restored = RNNClassifier.__new__(RNNClassifier)
    restored.__setstate__(state)
    assert restored.get_params()["dropout"] == RNNClassifier().dropout
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def test_import_does_not_import_keras_but_fit_does():
    code = (
        "import sys, textflow; textflow.RNNClassifier\n"
        "assert 'keras' not in sys.modules, 'imported keras too early'\n"
        "import numpy as np\n"
        "textflow.RNNClassifier(units=2, embedding_dim=2, epochs=1).fit("
        "np.array([[1, 2], [2, 1]] * 4), [0, 1] * 4)\n"
        "assert 'keras' in sys.modules\n"
        "assert not any(m.startswith('tensorflow') for m in sys.modules)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "KERAS_BACKEND"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


def test_max_pooling_ignores_padding_and_survives_pickling():
    keras_backend = pytest.importorskip("textflow._keras._backend")
    try:
        keras_backend.import_keras()
    except ImportError as error:
        pytest.skip(str(error))
    from textflow._keras._layers import custom_objects

    layer = custom_objects()["textflow>MaskedGlobalMaxPooling1D"]()
    steps = np.array([[[-1.0, -2.0], [-0.5, -3.0], [9.0, 9.0]]], dtype="float32")
    pooled = np.asarray(layer(steps, mask=np.array([[True, True, False]])))
    np.testing.assert_array_equal(pooled, [[-0.5, -2.0]])
    X = np.array([[3, 4, 5, 0, 0], [6, 7, 0, 0, 0]] * 10)
    y = np.array([0, 1] * 10)
    clf = RNNClassifier(cell="gru", units=3, embedding_dim=3, pooling="max", epochs=1,
                        random_state=0).fit(X, y)  # fmt: skip
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(X),
                                  clf.predict_proba(X))  # fmt: skip


def test_pretrained_vectors_start_a_frozen_embedding_in_every_fold(imdb_slice):
    pytest.importorskip("gensim")
    from sklearn.model_selection import GridSearchCV

    from textflow import SequencePadder, TextsToSequences, Tokenizer
    from textflow.embeddings import pretrained_embedding_matrix
    from textflow.embeddings._vectors import keyed_vectors

    try:
        from textflow.embeddings import load_glove_6b_50d

        vectors = load_glove_6b_50d(max_words=5000)
    except ImportError:  # the GloVe package is optional: same test with made-up vectors
        words = Tokenizer(lowercase=True).fit_transform(imdb_slice[0]).vocabulary[:5000]
        vectors = keyed_vectors(words, np.random.default_rng(0).normal(size=(len(words), 8)))
    words = list(vectors.index_to_key[:3000])
    matrix = pretrained_embedding_matrix(vectors, words)
    pipe = Pipeline([
        ("tok", Tokenizer(lowercase=True)),
        ("seq", TextsToSequences(vocabulary=words)),
        ("pad", SequencePadder(maxlen=20)),
        ("clf", RNNClassifier(units=2, epochs=1, embeddings=matrix, trainable_embeddings=False,
                              vocab_size=len(matrix), random_state=0)),
    ])  # fmt: skip
    search = GridSearchCV(pipe, {"clf__cell": ["gru", "lstm"]}, cv=2).fit(*imdb_slice)
    clf = search.best_estimator_.named_steps["clf"]
    embedding = clf.model_.layers[1].get_weights()[0]
    np.testing.assert_array_equal(embedding, matrix)
    assert clf.n_pretrained_rows_ > 2500
    best, texts = search.best_estimator_, imdb_slice[0][:5]
    reloaded = pickle.loads(pickle.dumps(best))
    np.testing.assert_array_equal(reloaded.predict_proba(texts), best.predict_proba(texts))
    with pytest.raises(ValueError, match="one row per id"):
        RNNClassifier(embeddings=matrix[:10], epochs=1).fit(np.ones((4, 3), int) * 2, [0, 1] * 2)


def test_rnn_classifier_refuses_ids_beyond_int32():
    X = np.array([[2**33, 1], [1, 2]], dtype=np.int64)
    with pytest.raises(ValueError, match="beyond the int32 range"):
        RNNClassifier(**TEST_PARAMS["RNNClassifier"]).fit(X, ["a", "b"])


@pytest.mark.parametrize(
    "X, missing",
    [(["a good film", "bad"], "TextsToSequences"), ([["a", "b"], ["c"]], "TextsToSequences"),
     ([[1, 2, 3], [4]], "SequencePadder")],
    ids=["raw text", "token lists", "ragged ids"],
)  # fmt: skip
def test_rnn_classifier_names_the_missing_steps(X, missing):
    with pytest.raises(ValueError, match=missing):
        RNNClassifier(**TEST_PARAMS["RNNClassifier"]).fit(X, ["a", "b"])


def test_rnn_classifier_validates_the_embeddings_name_before_training():
    clf = RNNClassifier(**TEST_PARAMS["RNNClassifier"], embeddings="glove")
    with pytest.raises(ValueError, match="embeddings"):
        clf.fit(np.ones((4, 3), int), ["a", "b", "a", "b"])
    assert not hasattr(clf, "classes_") and not hasattr(clf, "vocab_size_")


def test_a_failed_fit_leaves_no_fitted_attributes():
    def broken(meta):
        raise RuntimeError("the model cannot be built")

    clf = KerasClassifier(broken, epochs=1)
    with pytest.raises(RuntimeError):
        clf.fit(np.ones((4, 2), np.float32), ["a", "b", "a", "b"])
    assert [key for key in vars(clf) if key.endswith("_")] == []
    with pytest.raises(NotFittedError):
        clf.predict(np.ones((1, 2), np.float32))


def test_seeded_fit_leaves_global_random_generators_alone():
    legacy_numpy = np.random  # the global generator users may still seed
    random.seed(123)
    legacy_numpy.seed(123)
    expected = (random.random(), legacy_numpy.rand())
    random.seed(123)
    legacy_numpy.seed(123)
    X = np.random.RandomState(1).randint(1, 9, size=(8, 3))
    RNNClassifier(**TEST_PARAMS["RNNClassifier"]).fit(X, ["a", "b"] * 4)
    assert (random.random(), legacy_numpy.rand()) == expected


def test_a_model_function_that_returns_no_model_is_named():
    def not_a_model():
        return "not a model"

    with pytest.raises(TypeError, match=r"model=not_a_model returned str.*keras.Model"):
        KerasClassifier(not_a_model, epochs=1).fit(np.ones((4, 2), np.float32), [0, 1, 0, 1])


def test_a_classifier_that_cannot_learn_says_it_loses_to_the_majority_class():
    from textflow import BaselineWarning

    rng = np.random.RandomState(0)
    X = rng.randint(1, 20, size=(60, 5))
    y = np.array(["rare"] * 10 + ["common"] * 50)
    with pytest.warns(BaselineWarning, match=r"accuracy .* always predicting 'common'"):
        clf = RNNClassifier(units=2, embedding_dim=2, epochs=1, learning_rate=1e-6,
                            random_state=0).fit(X, y)  # fmt: skip
    assert clf.baseline_score_ == pytest.approx(50 / 60)
    assert clf.best_score_ <= clf.baseline_score_
