"""Classifiers and ready-made pipelines: TF-IDF + Naive Bayes / linear SVM, NBSVM."""

from ._baselines import (
    identity,
    make_nbsvm_pipeline,
    make_preprocessing_steps,
    make_tfidf_nb_pipeline,
    make_tfidf_svm_pipeline,
    make_token_vectorizer,
)
from ._keras import KerasClassifier
from ._nbsvm import NBSVMClassifier
from ._rnn import RNNClassifier

__all__ = [
    "KerasClassifier",
    "NBSVMClassifier",
    "RNNClassifier",
    "identity",
    "make_nbsvm_pipeline",
    "make_preprocessing_steps",
    "make_tfidf_nb_pipeline",
    "make_tfidf_svm_pipeline",
    "make_token_vectorizer",
]
