"""The classic feature-based CRF tagger (``sklearn-crfsuite``), as a ready Pipeline."""

from __future__ import annotations

from numbers import Integral

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import Interval

CRF_HINT = "the CRF baseline needs sklearn-crfsuite: pip install 'textflow[tagging]'"


def _shape(token: str) -> str:
    """``Xxxx``-style word shape with runs collapsed: ``McDonald`` -> ``XxXx``."""
    out = []
    for char in token:
        kind = (
            "X" if char.isupper() else "x" if char.islower() else "d" if char.isdigit() else char
        )
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def token_features(sentence, position, window=1):
    """The features of one token: itself, its shape and affixes, and its neighbours'."""
    token = sentence[position]
    lower = token.lower()
    features = {
        "bias": 1.0, "word": lower, "shape": _shape(token), "prefix3": lower[:3],
        "suffix3": lower[-3:], "suffix2": lower[-2:], "is_title": token.istitle(),
        "is_upper": token.isupper(), "is_digit": token.isdigit(),
        "has_hyphen": "-" in token, "length": min(len(token), 10),
    }  # fmt: skip
    for offset in range(-window, window + 1):
        if offset == 0:
            continue
        where = position + offset
        if 0 <= where < len(sentence):
            other = sentence[where]
            features[f"{offset:+d}:word"] = other.lower()
            features[f"{offset:+d}:shape"] = _shape(other)
            features[f"{offset:+d}:is_title"] = other.istitle()
        else:
            features[f"{offset:+d}:boundary"] = True
    return features


class TokenFeatures(TransformerMixin, BaseEstimator):
    """Sentences (token lists) to one feature dict per token, for a CRF.

    Parameters
    ----------
    window : int, default=1
        Neighbours on each side whose word, shape and case are features.

    Examples
    --------
    >>> from textflow.models import TokenFeatures
    >>> features = TokenFeatures().fit_transform([["EU", "rejects", "German"]])
    >>> features[0][0]["shape"], features[0][1]["-1:word"], features[0][2]["+1:boundary"]
    ('X', 'eu', True)
    """

    _parameter_constraints = {"window": [Interval(Integral, 0, None, closed="left")]}

    def __init__(self, *, window=1):
        self.window = window

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags

    def fit(self, X, y=None):
        self._validate_params()
        return self

    def transform(self, X):
        from ._tagger import check_sentences

        return [[token_features(sentence, i, self.window) for i in range(len(sentence))]
                for sentence in check_sentences(X, allow_empty=True)]  # fmt: skip


def make_crf_tagger(*, c1=0.1, c2=0.1, max_iterations=100, window=1):
    """A feature-based CRF tagger: word, shape, affixes and neighbours -> CRF (L-BFGS).

    The baseline sequence taggers are compared with: token lists in, one tag list
    per sentence out, as a plain scikit-learn ``Pipeline``.

    Parameters
    ----------
    c1, c2 : float, default=0.1
        L1 and L2 regularisation of the CRF.
    max_iterations : int, default=100
        L-BFGS iterations.
    window : int, default=1
        Neighbouring tokens whose features are used.

    Returns
    -------
    sklearn.pipeline.Pipeline

    Examples
    --------
    >>> from textflow.models import make_crf_tagger
    >>> X = [["Alice", "met", "Bob"], ["Bob", "saw", "Carol", "today"]] * 5
    >>> y = [["B-PER", "O", "B-PER"], ["B-PER", "O", "B-PER", "O"]] * 5
    >>> crf = make_crf_tagger(max_iterations=20).fit(X, y)
    >>> [list(tags) for tags in crf.predict([["Dave", "met", "Alice"]])]
    [['B-PER', 'O', 'B-PER']]
    """
    try:
        from sklearn_crfsuite import CRF
    except ImportError:
        raise ImportError(CRF_HINT) from None
    return Pipeline([
        ("features", TokenFeatures(window=window)),
        ("crf", CRF(algorithm="lbfgs", c1=c1, c2=c2, max_iterations=max_iterations,
                    all_possible_transitions=True)),
    ])  # fmt: skip
