"""textflow: classic NLP preprocessing and embeddings as scikit-learn estimators, and the
recurrent models built on them (classification, language models, tagging, translation,
forecasting, speech).

Subpackages, in data-flow order: ``text`` (cleaning, tokenizing, normalising, stemming),
``sequences`` (ids and padding), ``embeddings`` (document vectors), ``models`` (estimators
by task), ``series`` (forecasting), ``speech`` (audio frames and transcription); beside
them ``datasets``, ``scoring``, ``metrics``, ``plot`` and the ``textflow`` command line
(``cli``).

Public names are imported lazily: ``import textflow`` loads neither nltk,
gensim nor keras; each is imported by the step that needs it.
"""

from importlib import import_module

from ._corpus import TokenCorpus
from ._validation import InvalidDocumentError
from ._version import __version__

_LAZY = {
    "textflow.text": [
        "AccentStripper", "ContractionExpander", "EmailRemover", "EmojiRemover",
        "HTMLStripper", "HashtagRemover", "Lemmatizer", "Lowercaser", "MentionRemover",
        "NumberRemover", "PunctuationStripper", "Stemmer", "StopwordRemover",
        "TextCleaner", "Tokenizer", "URLRemover", "WhitespaceNormalizer",
    ],
    "textflow.sequences": ["SequencePadder", "TextsToSequences"],
    "textflow.embeddings": ["FastTextVectorizer", "Word2VecVectorizer"],
    "textflow.models": [
        "KerasClassifier",
        "RNNClassifier",
        "RNNLanguageModel",
        "RNNTagger",
        "Seq2SeqTranslator",
        "NBSVMClassifier", "NGramLanguageModel", "make_nbsvm_pipeline", "make_tfidf_nb_pipeline",
        "make_tfidf_svm_pipeline", "make_token_vectorizer",
    ],
    "textflow._keras._baseline": ["BaselineWarning", "TrainingDivergedError"],
    "textflow._persistence": [
        "ModelFileError", "UnfittedModelError", "VersionMismatchWarning", "load", "read_info",
        "save",
    ],
    "textflow.scoring": ["ScoreSummary", "ScoringError", "score"],
}  # fmt: skip
_NAME_TO_MODULE = {name: module for module, names in _LAZY.items() for name in names}
_SUBMODULES = {
    "text",
    "datasets",
    "sequences",
    "embeddings",
    "models",
    "scoring",
    "series",
    "speech",
    "plot",
    "metrics",
}

__all__ = ["InvalidDocumentError", "TokenCorpus", "__version__", *sorted(_NAME_TO_MODULE)]


def __getattr__(name):
    if name in _NAME_TO_MODULE:
        value = getattr(import_module(_NAME_TO_MODULE[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return import_module(f"textflow.{name}")
    raise AttributeError(f"module 'textflow' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)
