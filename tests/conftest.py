import atexit
import importlib
import inspect
import os
import pkgutil
import shutil
import tempfile

import pytest
from sklearn.base import BaseEstimator

import textflow

# One XLA compilation cache for the whole run, the subprocesses included (they inherit the
# environment): the tests fit the same tiny networks many times, and a network of the same
# architecture and shapes compiles once instead of once per fit. Fresh for every run.
if "JAX_COMPILATION_CACHE_DIR" not in os.environ:
    _XLA_CACHE = tempfile.mkdtemp(prefix="textflow-tests-xla-")
    atexit.register(shutil.rmtree, _XLA_CACHE, ignore_errors=True)
    os.environ["JAX_COMPILATION_CACHE_DIR"] = _XLA_CACHE
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0.2")
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")

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


def public_modules():
    """``textflow`` and every public module below it (no name part starting with ``_``)."""
    modules, queue = [], [textflow]
    while queue:
        module = queue.pop()
        modules.append(module)
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            if not info.name.startswith("_"):
                queue.append(importlib.import_module(f"{module.__name__}.{info.name}"))
    return modules


def public_estimators():
    """Every estimator class a public module of textflow exports (its ``__all__``),
    discovered by walking the packages, so none is forgotten."""
    found = {}
    for module in public_modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                found.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
    return sorted(found.values(), key=lambda cls: cls.__name__)


# Small settings so that estimators which train something stay fast in the tests.
TEST_PARAMS = {
    "Word2VecVectorizer": {"vector_size": 4, "min_count": 1, "epochs": 2, "random_state": 0},
    "FastTextVectorizer": {"vector_size": 4, "min_count": 1, "epochs": 2, "random_state": 0,
                           "max_n": 4},
    "CTCTranscriber": {"units": 8, "num_layers": 1, "epochs": 2, "batch_size": 4,
                       "random_state": 0},
}  # fmt: skip


def build_dense(meta, hidden=4):
    """A tiny Keras model for KerasClassifier in the common checks (module level: picklable)."""
    from textflow._keras._backend import import_keras

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
TEST_PARAMS["RNNForecaster"] = {"window": 6, "horizon": 3, "period": 12, "units": 4, "epochs": 2,
                                 "random_state": 0}  # fmt: skip
TEST_PARAMS["SlidingWindow"] = {"window": 4}


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


@pytest.fixture(scope="session")
def small_model():
    """A two-review TF-IDF + Naive Bayes pipeline: the quickest fitted model there is."""
    from textflow.models import make_tfidf_nb_pipeline

    return make_tfidf_nb_pipeline(min_df=1).fit(["good film", "bad film"], ["pos", "neg"])


def run_textflow(*args, stdin=None):
    """``python -m textflow ARGS`` in a fresh process, as a user runs it."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "textflow", *map(str, args)],
                          capture_output=True, text=True, input=stdin)  # fmt: skip
