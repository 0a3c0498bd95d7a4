"""NBSVM: a linear SVM on Naive Bayes log-count-ratio features (Wang & Manning, 2012)."""

from __future__ import annotations

from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import LabelBinarizer
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .._validation import check_labels
from .._validation import plain_value as _plain


def log_count_ratio(X_binary, y_binary, alpha):
    """``r = log((p / |p|_1) / (q / |q|_1))`` with ``p``/``q`` smoothed feature counts."""
    positive = np.asarray(X_binary[y_binary == 1].sum(axis=0)).ravel() + alpha
    negative = np.asarray(X_binary[y_binary != 1].sum(axis=0)).ravel() + alpha
    return np.log(positive / positive.sum()) - np.log(negative / negative.sum())


class NBSVMClassifier(ClassifierMixin, BaseEstimator):
    """NBSVM: a linear classifier on Naive Bayes log-count-ratio scaled features.

    Wang & Manning (2012), "Baselines and Bigrams": binarize the features,
    scale each by its log-count ratio ``r`` between the classes, fit a linear
    SVM (or logistic regression), then interpolate the weights towards their
    mean magnitude: ``w' = (1 - beta) * mean(|w|) + beta * w``. Multi-class
    problems are solved one-vs-rest, with one ``r`` per class.

    Parameters
    ----------
    alpha : float, default=1.0
        Additive smoothing of the feature counts.
    beta : float, default=0.25
        Interpolation between the mean weight magnitude (0) and the SVM
        weights (1). The paper uses 0.25.
    C : float, default=1.0
        Inverse regularisation strength of the linear model.
    binarize : bool, default=True
        Use ``1[x > 0]`` instead of the raw feature values.
    estimator : {"svm", "logreg"}, default="svm"
        ``"svm"``: :class:`~sklearn.svm.LinearSVC` (squared hinge loss, as in
        the paper). ``"logreg"``: :class:`~sklearn.linear_model.LogisticRegression`.
    max_iter : int, default=2000
        Iteration limit of the linear solver.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    r_ : ndarray of shape (n_problems, n_features)
        Log-count ratios, one row per one-vs-rest problem (one row if binary).
    coef_ : ndarray of shape (n_problems, n_features)
        Interpolated weights times ``r_``, applied to the binarized features.
    intercept_ : ndarray of shape (n_problems,)
        Intercepts.
    n_features_in_ : int
        Number of features seen in fit.
    n_iter_ : int
        The most iterations any of the linear solvers ran.

    Notes
    -----
    ``predict_proba`` is the logistic (binary) or softmax (multi-class)
    function of ``decision_function``. With ``estimator="logreg"`` and
    ``beta=1`` these are the logistic model's probabilities; otherwise they are
    monotone scores, not calibrated probabilities. Wrap the classifier in
    :class:`~sklearn.calibration.CalibratedClassifierCV` when calibration matters.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> from textflow.models import NBSVMClassifier
    >>> texts = ["good great fun", "great acting", "bad boring", "boring awful plot"]
    >>> X = CountVectorizer().fit_transform(texts)
    >>> clf = NBSVMClassifier().fit(X, ["pos", "pos", "neg", "neg"])
    >>> clf.predict(X).tolist()
    ['pos', 'pos', 'neg', 'neg']
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "beta": [Interval(Real, 0, 1, closed="both")],
        "C": [Interval(Real, 0, None, closed="neither")],
        "binarize": ["boolean"],
        "estimator": [StrOptions({"svm", "logreg"})],
        "max_iter": [Interval(Real, 1, None, closed="left")],
    }

    def __init__(
        self, *, alpha=1.0, beta=0.25, C=1.0, binarize=True, estimator="svm", max_iter=2000
    ):
        self.alpha = alpha
        self.beta = beta
        self.C = C
        self.binarize = binarize
        self.estimator = estimator
        self.max_iter = max_iter

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        # Binarizing dense continuous features (sklearn's synthetic blobs) throws
        # their information away: NBSVM is a model for counts, not for blobs.
        tags.classifier_tags.poor_score = True
        return tags

    def _features(self, X, reset):
        X = validate_data(self, X, accept_sparse="csr", reset=reset, dtype=np.float64)
        return self._binarized(X)

    def _binarized(self, X):
        if self.binarize:
            X = (X > 0).astype(np.float64)
        return X

    def _linear_model(self):
        if self.estimator == "logreg":
            return LogisticRegression(C=self.C, max_iter=int(self.max_iter))
        return LinearSVC(C=self.C, max_iter=int(self.max_iter))

    def fit(self, X, y):
        """Fit one NBSVM per one-vs-rest problem.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative features, typically counts or TF-IDF.
        y : array-like of shape (n_samples,)
            Labels (strings or integers).

        Returns
        -------
        self : object
        """
        self._validate_params()
        y = check_labels(y) if y is not None else y
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        X = self._binarized(X)
        check_classification_targets(y)
        binarizer = LabelBinarizer()
        Y = binarizer.fit_transform(np.asarray(y))
        classes = binarizer.classes_
        if len(classes) < 2:
            raise ValueError(
                "NBSVMClassifier needs at least 2 classes in y; got 1 class: "
                f"{_plain(classes[0])!r}."
            )
        r_rows, coef_rows, intercepts, iterations = [], [], [], []
        for column in Y.T:
            r = log_count_ratio(X, column, self.alpha)
            scaled = X @ sp.diags(r) if sp.issparse(X) else X * r
            model = self._linear_model().fit(scaled, column)
            w = model.coef_.ravel()
            w = (1 - self.beta) * np.abs(w).mean() + self.beta * w
            r_rows.append(r)
            coef_rows.append(w * r)
            intercepts.append(model.intercept_[0])
            iterations.append(int(np.max(model.n_iter_)))
        self.classes_ = classes
        self.r_ = np.vstack(r_rows)
        self.coef_ = np.vstack(coef_rows)
        self.intercept_ = np.asarray(intercepts)
        self.n_iter_ = max(iterations)
        return self

    def decision_function(self, X):
        """Signed distance to each one-vs-rest hyperplane.

        Returns
        -------
        ndarray of shape (n_samples,) for binary problems, (n_samples, n_classes) otherwise
        """
        check_is_fitted(self)
        X = self._features(X, reset=False)
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict(self, X):
        """Predict class labels."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[scores.argmax(axis=1)]

    def predict_proba(self, X):
        """Class scores in [0, 1] that sum to 1 (see Notes: not calibrated)."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            positive = 1.0 / (1.0 + np.exp(-scores))
            return np.column_stack([1 - positive, positive])
        shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)
