"""Classifiers and ready-made pipelines: TF-IDF + Naive Bayes / linear SVM, NBSVM."""

from ._baselines import (
    identity,
    make_nbsvm_pipeline,
    make_preprocessing_steps,
    make_tfidf_nb_pipeline,
    make_tfidf_svm_pipeline,
    make_token_vectorizer,
)
from ._crf import TokenFeatures, make_crf_tagger
from ._keras import KerasClassifier
from ._language_model import RNNLanguageModel
from ._nbsvm import NBSVMClassifier
from ._presets import PRESETS, make_pipeline_from_config, make_preset_pipeline, read_config
from ._rnn import RNNClassifier
from ._tagger import RNNTagger
from ._translator import Seq2SeqTranslator

__all__ = [
    "PRESETS",
    "KerasClassifier",
    "NBSVMClassifier",
    "RNNClassifier",
    "RNNLanguageModel",
    "RNNTagger",
    "Seq2SeqTranslator",
    "TokenFeatures",
    "identity",
    "make_crf_tagger",
    "make_nbsvm_pipeline",
    "make_pipeline_from_config",
    "make_preprocessing_steps",
    "make_preset_pipeline",
    "make_tfidf_nb_pipeline",
    "make_tfidf_svm_pipeline",
    "make_token_vectorizer",
    "read_config",
]
