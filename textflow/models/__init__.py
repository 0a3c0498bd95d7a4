"""Estimators by task: classifiers and their baselines, the language models (recurrent,
and the n-gram baseline), the tagger and its feature-CRF baseline, the translator, and
the presets that assemble pipelines.

They stand on the shared Keras wing (``textflow._keras``); ``_decoding`` runs trained
sequence models in numpy (recurrent cells, translation steps, greedy / sampling / beam
search, Viterbi).
"""

from ._baselines import (
    identity,
    make_nbsvm_pipeline,
    make_preprocessing_steps,
    make_tfidf_nb_pipeline,
    make_tfidf_svm_pipeline,
    make_token_vectorizer,
)
from ._feature_crf import TokenFeatures, make_crf_tagger
from ._keras_classifier import KerasClassifier
from ._language_model import RNNLanguageModel
from ._nbsvm import NBSVMClassifier
from ._ngram import NGramLanguageModel
from ._presets import (
    PRESETS,
    ConfigError,
    make_pipeline_from_config,
    make_preset_pipeline,
    read_config,
)
from ._rnn import RNNClassifier
from ._tagger import RNNTagger
from ._translator import Seq2SeqTranslator

__all__ = [
    "PRESETS",
    "ConfigError",
    "KerasClassifier",
    "NBSVMClassifier",
    "NGramLanguageModel",
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
