"""Models saved by an earlier textflow load and give the outputs they gave when saved.

The files in ``tests/golden/`` were written by ``python -m tests.golden.make_golden_models``
and are never regenerated to make this test pass: a failure means that a file a user
saved would no longer load, or would predict something else.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import textflow

from .golden.make_golden_models import outputs

GOLDEN = Path(__file__).parent / "golden"
EXPECTED = json.loads((GOLDEN / "expected.json").read_text())


def _same(actual, expected, where):
    if isinstance(expected, dict):
        assert set(actual) == set(expected), where
        for key in expected:
            _same(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list) and expected and isinstance(expected[0], (list, float)):
        assert len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected)):
            _same(a, e, f"{where}[{i}]")
    elif isinstance(expected, float):
        np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-5, err_msg=where)
    else:
        assert actual == expected, where


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_a_saved_model_loads_and_predicts_as_when_saved(kind):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", textflow.VersionMismatchWarning)
        model = textflow.load(GOLDEN / f"{kind}.joblib")
    _same(outputs(kind, model), EXPECTED[kind], kind)


def test_every_kind_of_model_has_a_golden_file():
    kinds = {"tfidf_svm", "rnn_classifier", "keras_classifier", "language_model", "tagger",
             "feature_crf", "translator", "forecaster"}  # fmt: skip
    assert set(EXPECTED) == kinds
    assert {path.stem for path in GOLDEN.glob("*.joblib")} == kinds
