"""Named ready-made pipelines, and pipelines described by a plain config (JSON/TOML/YAML)."""

from __future__ import annotations

import inspect
import json
from functools import partial
from importlib import import_module
from pathlib import Path

from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline

from .._preset_catalog import PRESET_DESCRIPTIONS
from ._baselines import (
    make_nbsvm_pipeline,
    make_preprocessing_steps,
    make_tfidf_nb_pipeline,
    make_tfidf_svm_pipeline,
)


def _sequence_pipeline(cell):
    """The configuration measured best on IMDB (0.898 for the GRU in 8 minutes on 2 cores)."""
    from ..sequences import SequencePadder, TextsToSequences
    from ._rnn import RNNClassifier

    return Pipeline(
        [
            *make_preprocessing_steps(),
            ("seq", TextsToSequences(num_words=20_000)),
            ("pad", SequencePadder(maxlen=400, truncating="pre")),
            ("clf", RNNClassifier(cell=cell, units=64, embedding_dim=100, pooling="max",
                                  embeddings="word2vec", epochs=3, random_state=0)),
        ]
    )  # fmt: skip


def _word2vec_logreg():
    from sklearn.linear_model import LogisticRegression

    from ..embeddings import Word2VecVectorizer

    return Pipeline(
        [
            *make_preprocessing_steps(),
            ("vec", Word2VecVectorizer(random_state=0)),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    )


#: The Penn Treebank recipe (docs/performance.rst): a 2x200 tied LSTM with locked,
#: embedding and recurrent dropout, trained with SGD at 20 on 20 streams of 35 tokens.
PTB_RECIPE = {"units": 200, "num_layers": 2, "tie_weights": True, "dropout": 0.3,
              "embedding_dropout": 0.1, "recurrent_dropout": 0.2, "bptt": 35,
              "batch_size": 20, "optimizer": "sgd", "learning_rate": 20.0, "lr_decay": 0.25,
              "clipnorm": 0.25, "epochs": 40, "patience": 3, "random_state": 0}  # fmt: skip


def _language_model(raw):
    """The configuration measured on PTB (docs/performance.rst), for text as given or raw."""
    from ..text import TextCleaner, Tokenizer
    from ._language_model import RNNLanguageModel

    steps = [("lm", RNNLanguageModel(**PTB_RECIPE))]
    if raw:
        steps[:0] = [("clean", TextCleaner()), ("tok", Tokenizer(lowercase=True))]
    return Pipeline(steps)


def _tagger(kind):
    """BiLSTM-CNN-CRF with the shipped GloVe vectors (NER; a softmax output for parts of
    speech, as measured on CoNLL-2003), or the feature CRF."""
    if kind == "crf":
        from ._feature_crf import make_crf_tagger

        return make_crf_tagger()
    from ._tagger import RNNTagger

    tagger = RNNTagger(embeddings="glove-6b-50d", crf=kind == "ner", random_state=0)
    return Pipeline([("tagger", tagger)])


def _forecaster(kind):
    from ..series import ETSForecaster, RNNForecaster, SeasonalNaiveForecaster, ThetaForecaster

    make = {"forecaster": partial(RNNForecaster, random_state=0), "ets": ETSForecaster,
            "theta": ThetaForecaster, "seasonal-naive": SeasonalNaiveForecaster}[kind]  # fmt: skip
    return Pipeline([("forecaster", make())])


def _translator():
    from ._translator import Seq2SeqTranslator

    return Pipeline([("translator", Seq2SeqTranslator(random_state=0))])


def _transcriber():
    from ..speech import AudioFeatures, CTCTranscriber

    return Pipeline([("features", AudioFeatures()),
                     ("transcriber", CTCTranscriber(random_state=0))])  # fmt: skip


_FACTORIES = {
    "tfidf-svm": make_tfidf_svm_pipeline,
    "tfidf-nb": make_tfidf_nb_pipeline,
    "nbsvm": make_nbsvm_pipeline,
    "lstm": partial(_sequence_pipeline, "lstm"),
    "gru": partial(_sequence_pipeline, "gru"),
    "word2vec-logreg": _word2vec_logreg,
    "lm": partial(_language_model, False),
    "lm-raw": partial(_language_model, True),
    "ner": partial(_tagger, "ner"),
    "pos": partial(_tagger, "pos"),
    "crf": partial(_tagger, "crf"),
    "forecaster": partial(_forecaster, "forecaster"),
    "ets": partial(_forecaster, "ets"),
    "theta": partial(_forecaster, "theta"),
    "seasonal-naive": partial(_forecaster, "seasonal-naive"),
    "translator": _translator,
    "transcriber": _transcriber,
}
#: Preset name -> (description, factory returning a fresh unfitted pipeline).
PRESETS = {name: (PRESET_DESCRIPTIONS[name], _FACTORIES[name]) for name in PRESET_DESCRIPTIONS}


def make_preset_pipeline(name, **params):
    """A fresh, unfitted pipeline from a named preset, with optional parameter overrides.

    Parameters
    ----------
    name : str
        The preset: a classifier (``tfidf-svm``, ``tfidf-nb``, ``nbsvm``, ``lstm``,
        ``gru``, ``word2vec-logreg``), a language model (``lm``, ``lm-raw``), a tagger
        (``ner``, ``pos``, ``crf``), a forecaster (``forecaster``, ``ets``, ``theta``,
        ``seasonal-naive``), a translator (``translator``) or a transcriber
        (``transcriber``); ``textflow train --help``
        describes each.
    **params
        Pipeline parameters to set, in ``step__param`` form (``clf__C=0.5``).

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline

    Examples
    --------
    >>> from textflow.models import make_preset_pipeline
    >>> pipe = make_preset_pipeline("tfidf-svm", clf__C=0.5)
    >>> [name for name, _ in pipe.steps], pipe.get_params()["clf__C"]
    (['clean', 'tok', 'vec', 'clf'], 0.5)
    """
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    pipeline = PRESETS[name][1]()
    return pipeline.set_params(**params) if params else pipeline


def read_config(path) -> dict:
    """Read a pipeline config from a ``.json``, ``.toml`` or ``.yaml``/``.yml`` file.

    A file that does not parse raises :class:`ConfigError` naming the file and the
    position of the first error.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            config = json.loads(text)
        elif suffix == ".toml":
            import tomllib

            config = tomllib.loads(text)
        elif suffix in (".yaml", ".yml"):
            try:
                import yaml
            except ImportError:
                raise ConfigError(f"{path}: reading YAML needs PyYAML (pip install pyyaml)") \
                    from None  # fmt: skip
            config = yaml.safe_load(text)
        else:
            raise ConfigError(f"{path}: a config must be .json, .toml, .yaml or .yml")
    except ConfigError:
        raise
    except Exception as error:  # json, tomllib and yaml each raise their own parse errors
        detail = " ".join(str(error).split())
        raise ConfigError(f"{path}: not valid {suffix.lstrip('.').upper()}: {detail}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path}: a config is a mapping with a 'steps' list; this file holds "
                          f"{type(config).__name__}")  # fmt: skip
    return config


#: Functions a config may name besides estimator classes: textflow's own factories.
CONFIG_FACTORIES = frozenset({
    "make_token_vectorizer", "make_tfidf_svm_pipeline", "make_tfidf_nb_pipeline",
    "make_nbsvm_pipeline", "make_preset_pipeline",
})  # fmt: skip
#: Modules whose estimator classes a config may name without being allowed explicitly.
TRUSTED_MODULES = ("textflow", "sklearn")


class ConfigError(ValueError):
    """A pipeline config names something it may not, or is malformed; nothing was run.

    Examples
    --------
    >>> from textflow.models import ConfigError, make_pipeline_from_config
    >>> config = {"steps": [{"name": "run", "estimator": "os.system", "params": {}}]}
    >>> try:
    ...     make_pipeline_from_config(config)
    ... except ConfigError as error:
    ...     print(type(error).__name__)
    ConfigError
    """


def _allowed(module_name: str, allow_modules) -> bool:
    roots = (*TRUSTED_MODULES, *allow_modules)
    return any(module_name == root or module_name.startswith(root + ".") for root in roots)


def _resolve_estimator(name, allow_modules=()):
    """The estimator class (or textflow factory) a config names, checked before any call.

    Only names inside textflow, scikit-learn or a module in ``allow_modules`` are
    imported at all, and only a class deriving from scikit-learn's
    ``BaseEstimator`` (or one of textflow's pipeline factories) is returned, so a
    config can never reach ``os.system``, ``builtins.open`` or ``subprocess.run``.
    """
    if not isinstance(name, str) or not name or name.strip() != name:
        raise ConfigError(f"an estimator must be named by a string; got {name!r}")
    module_name, _, attribute = name.rpartition(".")
    module_name = module_name or "textflow"
    if attribute.startswith("_") or not _allowed(module_name, allow_modules):
        allowed = ", ".join((*TRUSTED_MODULES, *allow_modules))
        raise ConfigError(
            f"refusing estimator {name!r}: configs may name estimators from {allowed} only; "
            "allow another package explicitly (--allow-module PACKAGE, or "
            "allow_modules=[...]) if you trust it"
        )
    try:
        module = import_module(module_name)
    except ImportError as error:
        raise ConfigError(
            f"cannot import {module_name!r} for estimator {name!r}: {error}"
        ) from None
    target = getattr(module, attribute, None)
    if target is None:
        raise ConfigError(
            f"unknown estimator {name!r}: use a textflow name (Tokenizer) "
            "or a dotted path (sklearn.svm.LinearSVC)"
        )
    if attribute in CONFIG_FACTORIES and _allowed(module_name, ("textflow",)):
        return target
    if inspect.isfunction(target) and allow_modules and _allowed(module_name, allow_modules):
        return target  # a function of a module the user allowed by name
    if not (inspect.isclass(target) and issubclass(target, BaseEstimator)):
        raise ConfigError(
            f"refusing {name!r}: it is not an estimator class (a subclass of scikit-learn's "
            "BaseEstimator)"
        )
    return target


def make_pipeline_from_config(config: dict, *, allow_modules=()) -> Pipeline:
    """Build an unfitted pipeline from a config mapping.

    A config either names a preset and parameter overrides::

        {"preset": "nbsvm", "params": {"clf__C": 0.2}}

    or lists the steps, each an estimator class (a textflow name or a dotted
    path) with its parameters::

        {"steps": [
            {"name": "tok", "estimator": "Tokenizer", "params": {"lowercase": true}},
            {"name": "vec", "estimator": "textflow.models.make_token_vectorizer",
             "params": {"ngram_range": [1, 2]}},
            {"name": "clf", "estimator": "sklearn.svm.LinearSVC", "params": {"C": 0.5}}
        ]}

    ``estimator`` may also name one of textflow's factories, such as
    :func:`~textflow.models.make_token_vectorizer`. JSON and TOML have no tuples:
    list values of parameters named ``*_range`` (``ngram_range``) become tuples.

    A config is data, not code: names are resolved against an allow-list —
    textflow's and scikit-learn's estimator classes, textflow's factories, and
    the modules given in ``allow_modules`` — and each is checked to be an
    estimator class before it is called. Anything else (``os.system``,
    ``builtins.open``, ``subprocess.run``...) is refused without being run.

    Parameters
    ----------
    config : dict
        The parsed config (see :func:`read_config`).
    allow_modules : iterable of str, default=()
        Further top-level packages (``"mypkg"``) or modules whose estimator
        classes and functions the config may name. Only list code you trust.

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline

    Examples
    --------
    >>> from textflow.models import make_pipeline_from_config
    >>> config = {"steps": [
    ...     {"name": "tok", "estimator": "Tokenizer"},
    ...     {"name": "seq", "estimator": "TextsToSequences", "params": {"num_words": 100}},
    ...     {"name": "pad", "estimator": "SequencePadder", "params": {"maxlen": 5}}]}
    >>> pipe = make_pipeline_from_config(config)
    >>> pipe.fit_transform(["one two three", "two"]).tolist()
    [[3, 2, 4, 0, 0], [2, 0, 0, 0, 0]]
    """
    if not isinstance(config, dict):
        raise ConfigError("a config must be a mapping with 'preset' or 'steps'")
    unknown = set(config) - {"preset", "params", "steps"}
    if unknown:
        raise ConfigError(f"unknown config keys: {', '.join(sorted(unknown))}")
    if ("preset" in config) == ("steps" in config):
        raise ConfigError("a config names either a 'preset' or a list of 'steps'")
    allow_modules = tuple(allow_modules)
    if not isinstance(config.get("params", {}), dict):
        raise ConfigError("'params' must be a mapping of parameter names to values")
    if "preset" in config:
        return make_preset_pipeline(config["preset"], **ranges_as_tuples(config.get("params", {})))
    if not isinstance(config["steps"], list) or not config["steps"]:
        raise ConfigError("'steps' must be a non-empty list of steps")
    resolved = []
    for position, step in enumerate(config["steps"], start=1):  # check every name first
        if not isinstance(step, dict) or "estimator" not in step:
            raise ConfigError(f"step {position} needs an 'estimator'")
        if not isinstance(step.get("params", {}), dict):
            raise ConfigError(f"step {position}: 'params' must be a mapping")
        resolved.append(_resolve_estimator(step["estimator"], allow_modules))
    steps = []
    for position, (step, estimator_class) in enumerate(zip(config["steps"], resolved), start=1):
        name = step.get("name", f"step{position}")
        try:
            estimator = estimator_class(**ranges_as_tuples(step.get("params", {})))
        except TypeError as error:
            raise ConfigError(f"step {position} ({name}): {error}") from None
        if not isinstance(estimator, BaseEstimator):
            raise ConfigError(
                f"step {position} ({name}): {step['estimator']!r} is not an estimator"
            )
        steps.append((name, estimator))
    pipeline = Pipeline(steps)
    params = ranges_as_tuples(config.get("params", {}))
    return pipeline.set_params(**params) if params else pipeline


def ranges_as_tuples(params: dict) -> dict:
    return {
        key: tuple(value) if key.endswith("_range") and isinstance(value, list) else value
        for key, value in params.items()
    }
