"""scikit-learn's estimator checks, and their text-corpus counterparts, for every step."""

import pickle
import re

import numpy as np
import pytest
from hypothesis import given
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from textflow import (
    AccentStripper,
    ContractionExpander,
    InvalidDocumentError,
    Lowercaser,
    NumberRemover,
    PunctuationStripper,
    SequencePadder,
    StopwordRemover,
    TextCleaner,
    TextsToSequences,
    Tokenizer,
    WhitespaceNormalizer,
)

from .conftest import (
    TEST_PARAMS,
    corpus_estimators,
    corpus_for,
    make_instance,
    public_estimators,
)
from .strategies import FUZZ, corpora
from .strategies import fit_transform_one_per_document as _run

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


def _takes_matrices(cls):
    return make_instance(cls).__sklearn_tags__().input_tags.two_d_array


# Three groups, by what the estimator reads: documents (text steps, which declare
# ``accepts``), numeric matrices (the legacy checks too), and whole sequences or series
# (language model, tagger, translator, feature CRF, windows, forecasters), for which
# scikit-learn runs only the checks that apply; the intents of the others are re-tested
# on each one's own kind of data below.
TEXT_ESTIMATORS = [make_instance(cls) for cls in public_estimators() if hasattr(cls, "accepts")]
NUMERIC_ESTIMATORS = [make_instance(cls) for cls in public_estimators()
                      if not hasattr(cls, "accepts") and _takes_matrices(cls)]  # fmt: skip
SEQUENCE_ESTIMATORS = [make_instance(cls) for cls in public_estimators()
                       if not hasattr(cls, "accepts") and not _takes_matrices(cls)]  # fmt: skip
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


@pytest.mark.full_suite
@parametrize_with_checks(TEXT_ESTIMATORS, legacy=False)
def test_sklearn_checks_on_text_steps(estimator, check):
    _run_check(estimator, check)


@pytest.mark.full_suite
@parametrize_with_checks(NUMERIC_ESTIMATORS)
def test_sklearn_checks_on_numeric_estimators(estimator, check):
    _run_check(estimator, check)


@pytest.mark.full_suite
@parametrize_with_checks(SEQUENCE_ESTIMATORS, legacy=False)
def test_sklearn_checks_on_sequence_and_series_estimators(estimator, check):
    check(estimator)  # no expected failures


def test_every_public_estimator_is_checked():
    groups = [TEXT_ESTIMATORS, NUMERIC_ESTIMATORS, SEQUENCE_ESTIMATORS]
    names = [type(est).__name__ for group in groups for est in group]
    assert len(names) == len(set(names))  # each in one group
    assert set(names) == {cls.__name__ for cls in public_estimators()}
    expected = {
        "Tokenizer",
        "NBSVMClassifier",
        "RNNRegressor",
        "TokenFeatures",
        "SlidingWindow",
        "RNNForecaster",
        "ETSForecaster",
        "SeasonalNaiveForecaster",
        "RNNTagger",
        "AudioFeatures",
        "CTCTranscriber",
    }
    assert expected <= set(names)
    assert set(SEQUENCE_FIT) == {type(est).__name__ for est in SEQUENCE_ESTIMATORS}


# --- The intents of scikit-learn's checks on sequences and series ------------------

SENTENCES = [["Alice", "met", "Bob"], ["Bob", "saw", "Carol", "today"]] * 6
TAGS = [["B-PER", "O", "B-PER"], ["B-PER", "O", "B-PER", "O"]] * 6
TONE = (np.sin(np.arange(800) * 2 * np.pi * 440 / 8000).astype(np.float32), 8000)
SOUNDS = [np.repeat(np.eye(3, dtype=np.float32)[[i, (i + 1) % 3]], 4, axis=0) for i in range(3)]
SERIES = 10 + np.sin(np.arange(48) * 2 * np.pi / 12) + np.arange(48) * 0.1
#: How each estimator of whole sequences or series is fitted, and what it outputs then.
SEQUENCE_FIT = {
    "RNNLanguageModel": ((["one two three four five six"] * 8,),
                         lambda m: m.perplexity(["one two three"])),
    "NGramLanguageModel": ((["one two three four five six"] * 8,),
                           lambda m: m.perplexity(["one two three"])),
    "RNNTagger": ((SENTENCES, TAGS), lambda m: m.predict(SENTENCES[:2])),
    "Seq2SeqTranslator": ((["ein Hund", "eine Katze"] * 6, ["a dog", "a cat"] * 6),
                          lambda m: m.predict(["ein Hund"])),
    "TokenFeatures": ((SENTENCES[:2],), lambda m: m.transform(SENTENCES[:2])),
    "SlidingWindow": ((SERIES,), lambda m: m.transform(SERIES).tolist()),
    "RNNForecaster": ((SERIES,), lambda m: m.predict(3).tolist()),
    "ETSForecaster": ((SERIES,), lambda m: m.predict(3).tolist()),
    "SeasonalNaiveForecaster": ((SERIES,), lambda m: m.predict(3).tolist()),
    "ThetaForecaster": ((SERIES,), lambda m: m.predict(3).tolist()),
    "AudioReader": (([TONE],), lambda m: m.transform([TONE])[0].round(4).tolist()),
    "AudioFeatures": (([TONE],), lambda m: m.transform([TONE])[0].round(4).tolist()),
    "CTCTranscriber": ((SOUNDS * 4, ["ab", "bc", "ca"] * 4), lambda m: m.predict(SOUNDS)),
}  # fmt: skip
sequence_ids = [type(est).__name__ for est in SEQUENCE_ESTIMATORS]


@pytest.mark.parametrize("estimator", SEQUENCE_ESTIMATORS, ids=sequence_ids)
def test_sequence_estimators_keep_the_estimator_contract(estimator):
    fit_args, output = SEQUENCE_FIT[type(estimator).__name__]
    est = clone(estimator)
    params = est.get_params()
    if est.__sklearn_tags__().requires_fit:
        with pytest.raises(NotFittedError):
            output(est)
    before = pickle.dumps(fit_args)
    assert est.fit(*fit_args) is est
    assert pickle.dumps(fit_args) == before  # the input is left alone
    assert est.get_params() == params
    public = {k for k in vars(est) if not k.startswith("_") and not k.endswith("_")}
    assert public <= set(params)
    first = output(est)
    restored = pickle.loads(pickle.dumps(est))
    assert repr(output(restored)) == repr(first)
    assert repr(output(clone(estimator).fit(*fit_args))) == repr(first)  # seeded: the same
    assert clone(est).get_params() == params


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


def _unfitted_steps():
    steps = [TextsToSequences(), SequencePadder()]
    pytest.importorskip("gensim")
    from textflow import FastTextVectorizer, Word2VecVectorizer

    steps += [Word2VecVectorizer(**TEST_PARAMS["Word2VecVectorizer"]),
              FastTextVectorizer(**TEST_PARAMS["FastTextVectorizer"])]  # fmt: skip
    return steps


def test_transform_before_fit_raises_not_fitted():
    for step in _unfitted_steps():
        data = [[1, 2], [3]] if isinstance(step, SequencePadder) else [["a", "b"], ["c"]]
        with pytest.raises(NotFittedError):
            step.transform(data)


def test_transform_does_not_change_the_estimator():
    for step in _unfitted_steps():
        data = [[1, 2], [3]] if isinstance(step, SequencePadder) else [["a", "b"], ["c", "a"]]
        fitted = clone(step).fit(data)
        before = {key: repr(value) for key, value in vars(fitted).items()}
        fitted.transform(data)
        fitted.transform([["z"]] if not isinstance(step, SequencePadder) else [[9]])
        assert {key: repr(value) for key, value in vars(fitted).items()} == before


ALL = [make_instance(cls) for cls in corpus_estimators()]


@pytest.mark.filterwarnings("ignore::textflow.embeddings.EmptyDocumentWarning")
@pytest.mark.parametrize("step", ALL, ids=lambda e: type(e).__name__)
@FUZZ
@given(corpus=corpora)
def test_every_step_keeps_one_output_per_document(step, corpus):
    if "tokens" in step.accepts and "text" not in step.accepts:
        corpus = Tokenizer(punctuation=True, emoji=True).fit_transform(corpus)
    elif step.accepts == ("ids",):
        corpus = TextsToSequences().fit_transform(corpus)
    try:
        out = _run(step, corpus)
    except ValueError as error:  # a model cannot be trained on a corpus without words
        assert "No word occurs" in str(error)
        assert not any(Tokenizer().fit_transform(corpus))
        return
    for doc in out:
        if isinstance(doc, np.ndarray) and doc.dtype.kind == "f":
            assert np.isfinite(doc).all()
        elif isinstance(doc, np.ndarray):
            assert doc.dtype.kind in "iu" and (doc >= 0).all()
        elif isinstance(doc, list):
            assert all(isinstance(token, str) and token for token in doc)
        else:
            assert isinstance(doc, str)


@FUZZ
@given(corpus=corpora)
def test_string_steps_work_per_token_on_token_input(corpus):
    tokens = Tokenizer(method="whitespace").fit_transform(corpus)
    for step in (Lowercaser(), AccentStripper(), PunctuationStripper(), NumberRemover()):
        out = _run(step, tokens)
        for doc_in, doc_out in zip(tokens, out):
            assert len(doc_out) <= len(doc_in)


IDEMPOTENT = [
    Lowercaser(), PunctuationStripper(), WhitespaceNormalizer(), AccentStripper(),
    NumberRemover(), StopwordRemover(), TextCleaner(), ContractionExpander(),
]  # fmt: skip


@pytest.mark.parametrize("step", IDEMPOTENT, ids=lambda e: type(e).__name__)
@FUZZ
@given(corpus=corpora)
def test_idempotent_steps(step, corpus):
    if "text" not in step.accepts:
        corpus = Tokenizer().fit_transform(corpus)
    once = _run(step, corpus)
    assert _run(step, once) == once
