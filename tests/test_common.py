"""scikit-learn's estimator checks, and their text-corpus counterparts, for every step."""

import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

import textflow
from textflow._validation import InvalidDocumentError
from textflow.series import RNNRegressor

from .conftest import SEQUENCE_MODELS, corpus_for, make_instance, public_estimators

# How each expected failure must fail. A check listed here passes the test only
# when it raises for the listed reason (the exception's type and message match
# the pattern); any other exception is a real failure, and a listed check that
# passes fails the test too, so the list cannot go stale.
#
# Text steps run with ``legacy=False``: scikit-learn's non-legacy checks. Seven
# of them still feed random numeric matrices as X. textflow's steps take
# documents and reject numbers by design (DESIGN.md invariant 3); the intent of
# each of the seven is re-checked on real documents further down this file.
REJECTS_NUMBERS = (
    r"InvalidDocumentError: (Expected a corpus: a 1-D array of documents|Expected documents "
    r"of text|Document \d+ has the non-integer id)"
)
TEXT_STEP_FAILURES = {
    "check_dont_overwrite_parameters": REJECTS_NUMBERS,
    "check_estimators_fit_returns_self": REJECTS_NUMBERS,
    "check_estimators_overwrite_params": REJECTS_NUMBERS,
    "check_fit_score_takes_y": REJECTS_NUMBERS,
    "check_n_features_in_after_fitting": REJECTS_NUMBERS,
    "check_readonly_memmap_input": REJECTS_NUMBERS,
    "check_positive_only_tag_during_fit": r"raised InvalidDocumentError unexpectedly",
}

# Numeric-input estimators run the full (legacy) set. RNNClassifier takes integer
# token ids and refuses the random float matrices most checks build
# (tests/test_keras.py covers the same intents on ids).
FLOAT_IDS = r"ValueError: RNNClassifier expects integer token ids"
# Routed model__/fit__/compile__/optimizer__ parameters are stored under their own
# names by design (get_params, set_params and clone see them); these two checks
# only know the signature's names and pass the **routed_params catch-all as one.
ROUTED_INIT = r"Found attributes \['model__hidden'\]"
ROUTED_SET_PARAMS = r"Invalid parameter 'routed_params'"
MORE_EXPECTED_FAILURES = {
    "RNNRegressor": {"check_do_not_raise_errors_in_init_or_set_params": ROUTED_SET_PARAMS},
    "KerasClassifier": {
        "check_no_attributes_set_in_init": ROUTED_INIT,
        "check_do_not_raise_errors_in_init_or_set_params": ROUTED_SET_PARAMS,
    },
    "RNNClassifier": {
        "check_do_not_raise_errors_in_init_or_set_params": ROUTED_SET_PARAMS,
        **dict.fromkeys([
            "check_class_weight_classifiers", "check_classifiers_classes",
            "check_classifiers_train", "check_dict_unchanged", "check_dont_overwrite_parameters",
            "check_estimators_dtypes", "check_estimators_fit_returns_self",
            "check_estimators_nan_inf", "check_estimators_overwrite_params",
            "check_estimators_pickle", "check_f_contiguous_array_estimator",
            "check_fit2d_predict1d", "check_fit_check_is_fitted", "check_fit_idempotent",
            "check_fit_score_takes_y", "check_n_features_in",
            "check_n_features_in_after_fitting", "check_readonly_memmap_input",
            "check_supervised_y_2d",
        ], FLOAT_IDS),
        "check_dtype_object": r"RNNClassifier expects integer token ids; X has dtype object",
        # these assert on the wording of an error that, on float input, is ours:
        "check_classifiers_one_label_sample_weights": r"Got RNNClassifier expects integer",
        "check_fit2d_1feature": r"Got RNNClassifier expects integer token ids",
        "check_fit2d_1sample": r"Got RNNClassifier expects integer token ids",
        "check_positive_only_tag_during_fit": r"Got RNNClassifier expects integer token ids",
        # a one-class y is refused with a clear error, not trained on
        "check_classifiers_one_label": r"Classifier can't train when only one class",
        # a float target: classification targets are refused, in our own words
        "check_classifiers_regression_target": r"continuous target, it should raise",
    },
}  # fmt: skip

TEXT_ESTIMATORS = [make_instance(cls) for cls in public_estimators() if hasattr(cls, "accepts")]
NUMERIC_ESTIMATORS = [
    make_instance(cls) for cls in public_estimators()
    if not hasattr(cls, "accepts") and cls.__name__ not in SEQUENCE_MODELS
] + [make_instance(RNNRegressor)]  # fmt: skip
ALL_ESTIMATORS = TEXT_ESTIMATORS + NUMERIC_ESTIMATORS
ESTIMATORS = TEXT_ESTIMATORS


def expected_failed_checks(estimator):
    if hasattr(estimator, "accepts"):
        return TEXT_STEP_FAILURES
    return MORE_EXPECTED_FAILURES.get(type(estimator).__name__, {})


def _run_check(estimator, check):
    # Expected failures are handled here rather than by parametrize_with_checks'
    # xfail marks: each must fail for its listed reason, not for any reason.
    name = getattr(check, "func", check).__name__
    pattern = expected_failed_checks(estimator).get(name)
    if pattern is None:
        check(estimator)
        return
    try:
        check(estimator)
    except Exception as error:
        message = f"{type(error).__name__}: {error}"
    else:
        pytest.fail(f"{name} was expected to fail ({pattern}) but passed; update the list")
    if re.search(pattern, message, flags=re.S) is None:
        pytest.fail(f"{name} failed for another reason than the expected one: {message[:500]}")
    pytest.xfail(pattern)


@parametrize_with_checks(TEXT_ESTIMATORS, legacy=False)
def test_sklearn_checks_on_text_steps(estimator, check):
    _run_check(estimator, check)


@parametrize_with_checks(NUMERIC_ESTIMATORS)
def test_sklearn_checks_on_numeric_estimators(estimator, check):
    _run_check(estimator, check)


SEQUENCE_ESTIMATORS = [make_instance(getattr(textflow, name)) for name in SEQUENCE_MODELS]


@parametrize_with_checks(SEQUENCE_ESTIMATORS, legacy=False)
def test_sklearn_checks_on_sequence_models(estimator, check):
    check(estimator)  # no expected failures


def test_every_public_estimator_is_checked():
    names = {type(est).__name__ for est in ALL_ESTIMATORS + SEQUENCE_ESTIMATORS}
    assert {"Tokenizer", "Stemmer", "StopwordRemover", "TextCleaner", "NBSVMClassifier"} <= names
    assert names == {cls.__name__ for cls in public_estimators()} | {"RNNRegressor"}


# --- The same intents on text corpora ---------------------------------------

ids = [type(est).__name__ for est in ESTIMATORS]


def _fit_transform(estimator, X):
    return clone(estimator).fit(X).transform(X)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_fit_returns_self_and_keeps_params(estimator):
    X = corpus_for(estimator)
    est = clone(estimator)
    params = est.get_params()
    assert est.fit(X) is est
    assert est.get_params() == params
    # fitting changes only attributes that end in "_"
    public = {k for k in vars(est) if not k.startswith("_") and not k.endswith("_")}
    assert public == set(params)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_input_not_modified(estimator):
    X = corpus_for(estimator)
    before = pickle.dumps(X)
    _fit_transform(estimator, X)
    assert pickle.dumps(X) == before


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_one_output_per_document_in_order(estimator):
    X = corpus_for(estimator)
    full = _fit_transform(estimator, X)
    assert len(full) == len(X)
    fitted = clone(estimator).fit(X)
    reversed_out = fitted.transform(X[::-1])
    assert _as_list(reversed_out) == _as_list(full)[::-1]  # sample-order invariance
    for i in range(len(X)):  # subset invariance
        assert _as_list(fitted.transform(X[i : i + 1])) == _as_list(full)[i : i + 1]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_fit_idempotent_and_fit_transform_consistent(estimator):
    X = corpus_for(estimator)
    est = clone(estimator)
    first = est.fit(X).transform(X)
    second = est.fit(X).transform(X)
    assert _as_list(first) == _as_list(second)
    assert _as_list(clone(estimator).fit_transform(X)) == _as_list(first)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_pickle_round_trip(estimator):
    X = corpus_for(estimator)
    est = clone(estimator).fit(X)
    restored = pickle.loads(pickle.dumps(est))
    assert _as_list(restored.transform(X)) == _as_list(est.transform(X))


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
@pytest.mark.parametrize(
    "container", [np.asarray, "object_array", "series", "frame", tuple], ids=str
)
def test_array_like_containers(estimator, container):
    pd = pytest.importorskip("pandas")
    X = corpus_for(estimator)
    expected = _as_list(_fit_transform(estimator, X))
    if container == "series":
        wrapped = pd.Series(X, index=np.arange(len(X))[::-1])  # labels must not matter
    elif container == "frame":
        wrapped = pd.DataFrame({"text": X})
    elif container == "object_array":
        wrapped = np.empty(len(X), dtype=object)
        wrapped[:] = X
    elif container is np.asarray:
        if isinstance(X[0], list):
            pytest.skip("ragged token lists are not a regular numpy array")
        wrapped = np.asarray(X)
    else:
        wrapped = container(X)
    assert _as_list(_fit_transform(estimator, wrapped)) == expected


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_empty_corpus_fit_fails_clearly(estimator):
    with pytest.raises(ValueError, match="empty corpus"):
        clone(estimator).fit([])


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ids)
def test_numeric_matrix_rejected_clearly(estimator):
    with pytest.raises((InvalidDocumentError, ValueError), match=r"corpus|[Dd]ocument|text"):
        clone(estimator).fit(np.random.RandomState(0).rand(5, 3))


def _as_list(out):
    if isinstance(out, np.ndarray):
        return out.tolist()
    return [list(doc) if isinstance(doc, (list, tuple, np.ndarray)) else doc for doc in out]
