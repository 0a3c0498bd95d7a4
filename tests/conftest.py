import inspect

import pytest
from sklearn.base import BaseEstimator

import textflow

TEXTS = [
    "I didn't LOVE this film.<br />It's a 7/10, maybe 7.5!",
    "Terrible acting... never again 😡 #fail",
    "",
    "Café scenes were naïve but charming — see https://example.com",
    "The geese were running; they does things. @bob said so.",
    "   ",
]
TOKENS = [
    ["I", "didn't", "LOVE", "this", "film", "It's", "7/10"],
    ["terrible", "acting", "...", "never", "again"],
    [],
    ["café", "scenes", "were", "naïve", "but", "charming"],
    ["the", "geese", "were", "running", "they", "does", "things"],
    ["!!!"],
]


def public_estimators():
    """Every public estimator class textflow exports, discovered (so none is forgotten)."""
    found = []
    for name in textflow.__all__:
        obj = getattr(textflow, name)
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            found.append(obj)
    return found


# Small settings so that estimators which train something stay fast in the tests.
TEST_PARAMS = {
    "Word2VecVectorizer": {"vector_size": 4, "min_count": 1, "epochs": 2, "random_state": 0},
    "FastTextVectorizer": {"vector_size": 4, "min_count": 1, "epochs": 2, "random_state": 0,
                           "max_n": 4},
}  # fmt: skip


def build_dense(meta, hidden=4):
    """A tiny Keras model for KerasClassifier in the common checks (module level: picklable)."""
    from textflow.models._keras_backend import import_keras

    keras = import_keras()
    binary = meta["n_classes_"] == 2
    return keras.Sequential([
        keras.Input((meta["n_features_in_"],)),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(1 if binary else meta["n_classes_"],
                           activation="sigmoid" if binary else "softmax"),
    ])  # fmt: skip


TEST_PARAMS["KerasClassifier"] = {
    "model": build_dense, "model__hidden": 16, "epochs": 30, "learning_rate": 0.05,
    "random_state": 0,
}  # fmt: skip
TEST_PARAMS["RNNClassifier"] = {"units": 2, "embedding_dim": 2, "epochs": 1, "random_state": 0}
TEST_PARAMS["RNNLanguageModel"] = {"units": 8, "num_layers": 1, "bptt": 4, "batch_size": 2,
                                   "epochs": 1, "random_state": 0}  # fmt: skip
TEST_PARAMS["RNNTagger"] = {"units": 4, "char_filters": 4, "char_dim": 4, "embedding_dim": 4,
                             "epochs": 1, "random_state": 0}  # fmt: skip
TEST_PARAMS["Seq2SeqTranslator"] = {"units": 4, "embedding_dim": 4, "epochs": 1,
                                     "early_stopping": False, "random_state": 0}  # fmt: skip
TEST_PARAMS["RNNRegressor"] = {"units": 8, "epochs": 60, "learning_rate": 0.01,
                                "validation_split": 0.0, "early_stopping": False,
                                "random_state": 0}  # fmt: skip
#: Estimators of whole sequences (language model, tagger, translator): they take text or
#: token lists but are not per-document steps, so the step checks do not apply to them.
SEQUENCE_MODELS = ("RNNLanguageModel", "RNNTagger", "Seq2SeqTranslator")


def make_instance(cls):
    return cls(**TEST_PARAMS.get(cls.__name__, {}))


def corpus_estimators():
    """The public estimators that take documents (they declare ``accepts``)."""
    return [cls for cls in public_estimators() if hasattr(cls, "accepts")]


IDS = [[5, 2, 9, 2], [], [1, 1, 1, 1, 1, 1, 7], [3], [8, 0, 4], [6, 6]]


def corpus_for(estimator):
    accepts = getattr(estimator, "accepts", ("text",))
    if "text" in accepts:
        return list(TEXTS)
    if "tokens" in accepts:
        return [list(doc) for doc in TOKENS]
    return [list(doc) for doc in IDS]


@pytest.fixture(scope="session")
def imdb_slice():
    """200 real IMDB reviews (100 per class), the same slice every run."""
    from sklearn.model_selection import train_test_split

    from textflow.datasets import load_imdb

    X, y = load_imdb(return_X_y=True)
    X_small, _, y_small, _ = train_test_split(X, y, train_size=200, stratify=y, random_state=0)
    return X_small, y_small


@pytest.fixture(scope="session")
def wordnet_available():
    try:
        from textflow.text._wordnet import load_wordnet

        load_wordnet()
    except LookupError:
        return False
    return True
