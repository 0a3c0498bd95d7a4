"""TF-IDF baselines: plain sklearn Pipelines built on textflow's preprocessing."""

from __future__ import annotations

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.naive_bayes import ComplementNB as _ComplementNB
from sklearn.naive_bayes import MultinomialNB as _MultinomialNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC as _LinearSVC

from .._validation import check_labels
from .._validation import plain_value as _plain
from ..text import Lemmatizer, Stemmer, StopwordRemover, TextCleaner, Tokenizer
from ._nbsvm import NBSVMClassifier


class _CheckedLabels:
    """Refuse labels of mixed types and a one-class ``y``, as every textflow classifier does.

    ``np.asarray([1, "neg"])`` would turn every label into a string, and
    scikit-learn's Naive Bayes fits a one-class model that predicts that class
    for everything; both are data errors worth stopping on.
    """

    def fit(self, X, y, sample_weight=None):
        labels = check_labels(y)
        if len(np.unique(labels)) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 classes in y; got 1 class: "
                f"{_plain(labels[0])!r}."
            )
        return super().fit(X, labels, sample_weight=sample_weight)


class MultinomialNB(_CheckedLabels, _MultinomialNB):
    """scikit-learn's :class:`~sklearn.naive_bayes.MultinomialNB` that refuses one class.

    Examples
    --------
    >>> from textflow.models._baselines import MultinomialNB
    >>> MultinomialNB().fit([[1, 0], [0, 1]], ["neg", "pos"]).predict([[2, 0]])
    array(['neg'], dtype='<U3')
    """


class ComplementNB(_CheckedLabels, _ComplementNB):
    """scikit-learn's :class:`~sklearn.naive_bayes.ComplementNB` that refuses one class.

    Examples
    --------
    >>> from textflow.models._baselines import ComplementNB
    >>> ComplementNB().fit([[1, 0], [0, 1]], ["neg", "pos"]).predict([[0, 2]])
    array(['pos'], dtype='<U3')
    """


class LinearSVC(_CheckedLabels, _LinearSVC):
    """scikit-learn's :class:`~sklearn.svm.LinearSVC` that refuses mixed-type labels.

    Examples
    --------
    >>> from textflow.models._baselines import LinearSVC
    >>> LinearSVC().fit([[1, 0], [0, 1]], ["neg", "pos"]).predict([[2, 0]])
    array(['neg'], dtype='<U3')
    """


def identity(doc):
    """Return ``doc`` unchanged: the tokenizer/preprocessor for pre-tokenized input.

    A module-level function (not a lambda), so vectorizers using it pickle.
    """
    return doc


def make_token_vectorizer(kind="tfidf", **params):
    """A ``TfidfVectorizer`` or ``CountVectorizer`` that takes token lists as they are.

    No re-tokenizing and no lowercasing: textflow's steps did that. N-grams,
    ``min_df``, ``max_df``, ``sublinear_tf`` and every other parameter work as
    usual and the result pickles.

    Parameters
    ----------
    kind : {"tfidf", "count"}, default="tfidf"
        Which sklearn vectorizer.
    **params
        Passed to the vectorizer.

    Returns
    -------
    TfidfVectorizer or CountVectorizer

    Examples
    --------
    >>> from textflow.models import make_token_vectorizer
    >>> vec = make_token_vectorizer(ngram_range=(1, 2))
    >>> vec.fit_transform([["not", "good"], ["good"]]).shape
    (2, 3)
    >>> vec.get_feature_names_out().tolist()
    ['good', 'not', 'not good']
    """
    classes = {"tfidf": TfidfVectorizer, "count": CountVectorizer}
    if kind not in classes:
        raise ValueError(f"kind must be 'tfidf' or 'count', got {kind!r}")
    defaults = {
        "tokenizer": identity,
        "preprocessor": identity,
        "lowercase": False,
        "token_pattern": None,
    }
    return classes[kind](**{**defaults, **params})


def make_preprocessing_steps(
    *,
    clean=True,
    lowercase=True,
    stopwords=None,
    keep_negations=True,
    stem=None,
    lemmatize=False,
    n_jobs=None,
):
    """The preprocessing steps every baseline factory starts with, as ``(name, step)`` pairs.

    Parameters
    ----------
    clean : bool, default=True
        :class:`~textflow.TextCleaner` first (HTML, URLs, e-mails, whitespace).
    lowercase : bool, default=True
        Lowercase while tokenizing.
    stopwords : str, iterable or None, default=None
        Add a :class:`~textflow.StopwordRemover` with this list (negations kept).
        ``None``: keep every word (best for n-gram sentiment models; see the docs).
    keep_negations : bool, default=True
        Passed to the :class:`~textflow.StopwordRemover`.
    stem : {"porter", "snowball", "lancaster"} or None, default=None
        Add a :class:`~textflow.Stemmer`.
    lemmatize : bool, default=False
        Add a :class:`~textflow.Lemmatizer`.
    n_jobs : int or None, default=None
        Passed to the steps that parallelise.

    Returns
    -------
    list of (str, estimator)
    """
    steps = []
    if clean:
        steps.append(("clean", TextCleaner(n_jobs=n_jobs)))
    steps.append(("tok", Tokenizer(lowercase=lowercase, n_jobs=n_jobs)))
    if stopwords is not None:
        steps.append(("stop", StopwordRemover(stopwords=stopwords, keep_negations=keep_negations)))
    if lemmatize:
        steps.append(("lemma", Lemmatizer(n_jobs=n_jobs)))
    if stem is not None:
        steps.append(("stem", Stemmer(algorithm=stem, n_jobs=n_jobs)))
    return steps


def _pipeline(preprocessing, vectorizer, classifier):
    return Pipeline([*preprocessing, ("vec", vectorizer), ("clf", classifier)])


def make_tfidf_nb_pipeline(
    *,
    variant="multinomial",
    alpha=0.1,
    ngram_range=(1, 2),
    min_df=2,
    sublinear_tf=True,
    **preprocessing,
):
    """Raw text -> textflow preprocessing -> TF-IDF -> Naive Bayes, as a plain Pipeline.

    Parameters
    ----------
    variant : {"multinomial", "complement"}, default="multinomial"
        :class:`~sklearn.naive_bayes.MultinomialNB` or
        :class:`~sklearn.naive_bayes.ComplementNB`.
    alpha : float, default=0.1
        Additive smoothing.
    ngram_range : tuple, default=(1, 2)
        Word n-grams.
    min_df : int or float, default=2
        Ignore n-grams in fewer documents.
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)``.
    **preprocessing
        Passed to :func:`make_preprocessing_steps` (``stopwords``, ``stem``, …).

    Returns
    -------
    sklearn.pipeline.Pipeline

    Examples
    --------
    >>> from textflow.models import make_tfidf_nb_pipeline
    >>> pipe = make_tfidf_nb_pipeline(min_df=1)
    >>> pipe.fit(["loved it", "great fun", "hated it", "boring mess"], [1, 1, 0, 0])
    Pipeline(...)
    >>> pipe.predict(["great, loved", "a boring mess"]).tolist()
    [1, 0]
    """
    classes = {"multinomial": MultinomialNB, "complement": ComplementNB}
    if variant not in classes:
        raise ValueError(f"variant must be 'multinomial' or 'complement', got {variant!r}")
    vectorizer = make_token_vectorizer(
        ngram_range=ngram_range, min_df=min_df, sublinear_tf=sublinear_tf
    )
    return _pipeline(
        make_preprocessing_steps(**preprocessing), vectorizer, classes[variant](alpha=alpha)
    )


def make_tfidf_svm_pipeline(
    *, C=1.0, ngram_range=(1, 2), min_df=2, sublinear_tf=True, probability=False, **preprocessing
):
    """Raw text -> textflow preprocessing -> TF-IDF -> linear SVM, as a plain Pipeline.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength of :class:`~sklearn.svm.LinearSVC`.
    ngram_range : tuple, default=(1, 2)
        Word n-grams.
    min_df : int or float, default=2
        Ignore n-grams in fewer documents.
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)``.
    probability : bool, default=False
        Wrap the SVM in :class:`~sklearn.calibration.CalibratedClassifierCV`
        (sigmoid, 3 folds) so that the pipeline has ``predict_proba``.
    **preprocessing
        Passed to :func:`make_preprocessing_steps`.

    Returns
    -------
    sklearn.pipeline.Pipeline

    Examples
    --------
    >>> from textflow.models import make_tfidf_svm_pipeline
    >>> pipe = make_tfidf_svm_pipeline(min_df=1)
    >>> texts = ["loved it", "great fun", "hated it", "boring mess"]
    >>> pipe.fit(texts, ["pos", "pos", "neg", "neg"])
    Pipeline(...)
    >>> pipe.predict(["great fun"]).tolist()
    ['pos']
    """
    vectorizer = make_token_vectorizer(
        ngram_range=ngram_range, min_df=min_df, sublinear_tf=sublinear_tf
    )
    classifier = LinearSVC(C=C)
    if probability:
        classifier = CalibratedClassifierCV(classifier, method="sigmoid", cv=3)
    return _pipeline(make_preprocessing_steps(**preprocessing), vectorizer, classifier)


def make_nbsvm_pipeline(
    *, beta=0.5, C=0.1, alpha=1.0, ngram_range=(1, 2), min_df=1, **preprocessing
):
    """Raw text -> textflow preprocessing -> binary n-gram counts -> NBSVM.

    Parameters
    ----------
    beta : float, default=0.5
        Interpolation weight (see :class:`NBSVMClassifier`); 0.5 measured best
        on IMDB (the paper's 0.25 scored 0.898 there, 0.5 scored 0.911).
    C : float, default=0.1
        Inverse regularisation strength of the SVM.
    alpha : float, default=1.0
        Count smoothing.
    ngram_range : tuple, default=(1, 2)
        Word n-grams (the paper's bigram NBSVM).
    min_df : int or float, default=1
        Ignore n-grams in fewer documents.
    **preprocessing
        Passed to :func:`make_preprocessing_steps`.

    Returns
    -------
    sklearn.pipeline.Pipeline

    Examples
    --------
    >>> from textflow.models import make_nbsvm_pipeline
    >>> pipe = make_nbsvm_pipeline()
    >>> pipe.fit(["loved it", "great fun", "hated it", "boring mess"], [1, 1, 0, 0])
    Pipeline(...)
    >>> pipe.predict(["loved the fun"]).tolist()
    [1]
    """
    vectorizer = make_token_vectorizer(
        "count", ngram_range=ngram_range, min_df=min_df, binary=True
    )
    classifier = NBSVMClassifier(beta=beta, C=C, alpha=alpha)
    return _pipeline(make_preprocessing_steps(**preprocessing), vectorizer, classifier)
