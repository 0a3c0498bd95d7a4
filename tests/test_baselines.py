"""TF-IDF + NB / SVM / NBSVM baselines."""

import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.svm import LinearSVC

from textflow import (
    NBSVMClassifier,
    RNNClassifier,
    TokenCorpus,
    Tokenizer,
)
from textflow.models import (
    make_nbsvm_pipeline,
    make_tfidf_nb_pipeline,
    make_tfidf_svm_pipeline,
    make_token_vectorizer,
)
from textflow.models._nbsvm import log_count_ratio

from .conftest import TEST_PARAMS

FACTORIES = [make_tfidf_nb_pipeline, make_tfidf_svm_pipeline, make_nbsvm_pipeline]


def test_token_vectorizer_takes_token_lists_as_they_are():
    tokens = Tokenizer().fit_transform(["Not GOOD at all", "good fun"])
    assert isinstance(tokens, TokenCorpus)
    vec = make_token_vectorizer("count", ngram_range=(1, 2))
    X = vec.fit_transform(tokens)
    assert "Not GOOD" in vec.get_feature_names_out()  # no lowercasing, no re-tokenizing
    assert X.shape == (2, 10)  # 6 words + 4 bigrams
    restored = pickle_round_trip(vec)
    assert (restored.transform(tokens) != X).nnz == 0


def pickle_round_trip(obj):
    import pickle

    return pickle.loads(pickle.dumps(obj))


def test_nbsvm_matches_the_formula_on_a_small_example():
    rng = np.random.RandomState(0)
    X = sp.csr_matrix(rng.poisson(0.7, size=(40, 12)).astype(float))
    y = (X[:, 0].toarray().ravel() + rng.rand(40) > 1).astype(int)
    clf = NBSVMClassifier(alpha=1.0, beta=0.25, C=0.5).fit(X, y)

    binary = (X.toarray() > 0).astype(float)
    p = 1.0 + binary[y == 1].sum(axis=0)
    q = 1.0 + binary[y == 0].sum(axis=0)
    r = np.log((p / p.sum()) / (q / q.sum()))
    np.testing.assert_allclose(clf.r_[0], r)
    np.testing.assert_allclose(log_count_ratio(binary, y, 1.0), r)
    svm = LinearSVC(C=0.5, max_iter=2000).fit(binary * r, y)
    w = svm.coef_.ravel()
    w_interp = 0.75 * np.abs(w).mean() + 0.25 * w
    expected = binary @ (w_interp * r) + svm.intercept_[0]
    np.testing.assert_allclose(clf.decision_function(X), expected, rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(clf.predict(X), (expected > 0).astype(int))
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(proba.argmax(axis=1), clf.predict(X))


def test_nbsvm_multiclass_string_labels_and_dense_input():
    texts = ["good great", "great fun", "bad awful", "awful boring", "ok fine", "fine meh"]
    labels = np.array(["pos", "pos", "neg", "neg", "mid", "mid"])
    X = CountVectorizer().fit_transform(texts)
    clf = NBSVMClassifier(beta=1.0, C=10).fit(X, labels)
    assert clf.coef_.shape == (3, X.shape[1]) and list(clf.classes_) == ["mid", "neg", "pos"]
    assert clf.predict(X).tolist() == labels.tolist()
    assert clf.predict(X.toarray()).tolist() == labels.tolist()
    assert clf.predict_proba(X).shape == (6, 3)
    logreg = NBSVMClassifier(estimator="logreg", beta=1.0, C=10).fit(X, labels)
    assert logreg.predict(X).tolist() == labels.tolist()


def test_nbsvm_single_class_is_a_clear_error():
    with pytest.raises(ValueError, match=r"at least 2 classes.*1 class"):
        NBSVMClassifier().fit(np.eye(3), [1, 1, 1])


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_factories_work_on_real_reviews_with_defaults(factory, imdb_slice):
    X, y = imdb_slice
    scores = cross_val_score(factory(), X, y, cv=3)
    assert scores.mean() > 0.65  # 200 reviews; the full benchmark reaches ~0.9


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_factories_multiclass_string_labels(factory):
    texts = [
        "great fun film",
        "loved it, great",
        "awful boring film",
        "boring, awful mess",
        "it was ok I guess",
        "fine, ok, average",
    ] * 3
    labels = ["pos", "pos", "neg", "neg", "mid", "mid"] * 3
    pipe = factory(min_df=1).fit(texts, labels)
    assert set(pipe.predict(texts)) <= {"pos", "neg", "mid"}
    assert (pipe.predict(texts) == np.array(labels)).mean() > 0.8


def test_svm_probability_option():
    texts = ["great fun", "loved it", "so good", "awful", "boring", "so bad"] * 3
    labels = [1, 1, 1, 0, 0, 0] * 3
    pipe = make_tfidf_svm_pipeline(probability=True, min_df=1).fit(texts, labels)
    proba = pipe.predict_proba(["great fun", "so bad"])
    assert proba.shape == (2, 2) and proba[0, 1] > 0.5 > proba[1, 1]


def test_grid_search_over_factory_parameters(imdb_slice):
    X, y = imdb_slice
    grid = GridSearchCV(
        make_tfidf_svm_pipeline(),
        {"clf__C": [0.1, 1.0], "vec__ngram_range": [(1, 1), (1, 2)], "tok__lowercase": [True]},
        cv=2,
    )
    grid.fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_estimator_.predict(X[:5]).shape == (5,)


def test_preprocessing_options_are_steps():
    pipe = make_nbsvm_pipeline(stopwords="english", stem="porter", lemmatize=True)
    assert [name for name, _ in pipe.steps] == [
        "clean",
        "tok",
        "stop",
        "lemma",
        "stem",
        "vec",
        "clf",
    ]


def test_fitted_pipeline_loads_in_a_fresh_process(tmp_path, imdb_slice):
    X, y = imdb_slice
    pipe = make_nbsvm_pipeline().fit(X, y)
    joblib.dump(pipe, tmp_path / "model.joblib")
    joblib.dump(X[:50], tmp_path / "docs.joblib")
    script = textwrap.dedent(f"""
        import joblib
        pipe = joblib.load({str(tmp_path / "model.joblib")!r})
        docs = joblib.load({str(tmp_path / "docs.joblib")!r})
        joblib.dump((pipe.predict(docs), pipe.predict_proba(docs)), {str(tmp_path / "out")!r})
    """)
    subprocess.run([sys.executable, "-c", script], check=True)
    predicted, proba = joblib.load(tmp_path / "out")
    np.testing.assert_array_equal(predicted, pipe.predict(X[:50]))
    np.testing.assert_array_equal(proba, pipe.predict_proba(X[:50]))


MIXED = [1, "neg", 1, "neg"]


@pytest.mark.parametrize("make", [make_tfidf_nb_pipeline, make_tfidf_svm_pipeline],
                         ids=["nb", "svm"])  # fmt: skip
def test_pipelines_refuse_mixed_label_types(make):
    with pytest.raises(ValueError, match=r"mixes label types.*position 1"):
        make(min_df=1).fit(["good", "bad", "fine", "awful"], MIXED)


def test_estimators_refuse_mixed_label_types():
    X = np.abs(np.random.RandomState(0).rand(4, 3))
    with pytest.raises(ValueError, match="mixes label types"):
        NBSVMClassifier().fit(X, MIXED)
    with pytest.raises(ValueError, match="mixes label types"):
        RNNClassifier(**TEST_PARAMS["RNNClassifier"]).fit(np.ones((4, 2), int), MIXED)
    with pytest.raises(ValueError, match=r"missing label.*position 2"):
        NBSVMClassifier().fit(X, ["a", "b", None, "a"])


def test_naive_bayes_pipeline_refuses_one_class_like_the_others():
    texts = ["good film", "great film"]
    for make in (make_tfidf_nb_pipeline, make_tfidf_svm_pipeline):
        with pytest.raises(ValueError, match="class"):
            make(min_df=1).fit(texts, ["pos", "pos"])
    with pytest.raises(ValueError) as message:
        make_tfidf_nb_pipeline(min_df=1).fit(texts, ["p", "p"])
    assert "np.str_" not in str(message.value)
