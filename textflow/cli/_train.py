"""``textflow train`` and ``textflow evaluate``."""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from .._paths import check_output_path
from .._pipelines import final_estimator, task_of
from ._data import add_data_arguments, load_labelled, match_label_type
from ._errors import UserError
from ._language import evaluate_language_model, train_language_model
from ._options import compress_level, coverage, holdout_fraction
from ._tasks import (
    dataset_task,
    evaluate_forecaster,
    evaluate_tagger,
    evaluate_transcriber,
    evaluate_translator,
    train_forecaster,
    train_tagger,
    train_transcriber,
    train_translator,
)
from ._trust import add_sha256_argument, load_fitted_model

SEQUENCE_TRAINERS = {"tagging": train_tagger, "translation": train_translator,
                     "forecasting": train_forecaster,
                     "transcription": train_transcriber}  # fmt: skip
SEQUENCE_EVALUATORS = {"tagging": evaluate_tagger, "translation": evaluate_translator,
                       "forecasting": evaluate_forecaster,
                       "transcription": evaluate_transcriber}  # fmt: skip
LANGUAGE_DATASETS = ("ptb", "wikitext2")


def parse_assignment(text: str):
    """``clf__C=0.5`` -> ``("clf__C", 0.5)``; values are JSON where they parse, else strings."""
    key, separator, value = text.partition("=")
    if not separator or not key:
        raise UserError(f"--set expects KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def build_pipeline(args):
    """The pipeline to train, with every parameter checked (nothing is fitted yet)."""
    from ..models import make_pipeline_from_config, make_preset_pipeline, read_config
    from ..models._presets import ranges_as_tuples

    overrides = dict(map(parse_assignment, args.set or []))
    try:
        if args.config:
            config = read_config(args.config)
            pipeline = make_pipeline_from_config(config, allow_modules=args.allow_module or ())
            description = f"config {args.config}"
        else:
            pipeline = make_preset_pipeline(args.preset)
            description = f"preset {args.preset}"
        if overrides:
            pipeline.set_params(**ranges_as_tuples(overrides))
        check_parameters(pipeline)
    except (ValueError, TypeError, OSError) as error:
        raise UserError(str(error)) from None
    return pipeline, description


def check_parameters(pipeline):
    """Run each estimator's own parameter validation now, not minutes into training."""
    estimators = [pipeline, *pipeline.get_params(deep=True).values()]
    for estimator in estimators:  # the estimators that declare their constraints
        if hasattr(estimator, "_validate_params") and hasattr(estimator, "_parameter_constraints"):
            estimator._validate_params()
    for _, step in pipeline.steps:
        extra = getattr(step, "_extra_params", None)
        if extra is not None:
            step._check_routes(extra())


def cmd_train(args) -> int:
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    from .._persistence import save

    check_output_path(args.output)
    pipeline, description = build_pipeline(args)
    show_progress(pipeline, args)
    task = task_of(pipeline) or "classification"
    check_dataset_task(args, task)
    if task == "language-model":
        return train_language_model(args, pipeline, description)
    if task in SEQUENCE_TRAINERS:
        return _train_sequence_task(args, pipeline, description, task)
    texts, labels, source = load_labelled(args)
    scores = {}
    if args.test_size:
        try:
            texts, test_texts, labels, test_labels = train_test_split(
                texts, labels, test_size=args.test_size, stratify=labels,
                random_state=args.seed,
            )  # fmt: skip
        except ValueError as error:
            raise UserError(f"--test-size {args.test_size}: {error}") from None
    print(f"training {description} on {len(texts):,} documents from {source}")
    start = time.perf_counter()
    try:
        pipeline.fit(texts, labels)
    except ValueError as error:  # data the pipeline cannot learn from (too few, one class...)
        raise UserError(f"training on {len(texts):,} documents failed: {error}") from None
    scores["fit_seconds"] = round(time.perf_counter() - start, 2)
    print(f"fitted in {scores['fit_seconds']:.1f} s")
    if args.test_size:
        scores["holdout_accuracy"] = float(
            accuracy_score(test_labels, pipeline.predict(test_texts))
        )
        scores["holdout_documents"] = len(test_texts)
        print(
            f"held-out accuracy {scores['holdout_accuracy']:.4f} on {len(test_texts):,} documents"
        )
    info = save(
        pipeline,
        args.output,
        compress=args.compress,
        metadata={
            "trained_on": source,
            "pipeline": description,
            "documents": len(texts),
            **scores,
        },
    )
    print(
        f"saved to {args.output} ({info['payload_bytes'] / 1e6:.1f} MB, sha256 {info['sha256']})"
    )
    return 0


def show_progress(pipeline, args):
    """One progress bar per training run for Keras estimators left silent (``--quiet``:
    none); a ``verbose`` the user set is kept."""
    from .._keras import KerasBase

    final = final_estimator(pipeline)
    user_set = any(key.split("=")[0].endswith("verbose") for key in args.set or [])
    if isinstance(final, KerasBase) and not user_set and not args.quiet:
        final.set_params(verbose=1)


def check_dataset_task(args, task):
    """Refuse, before any work, a dataset of another task than the model's."""
    if not getattr(args, "dataset", None):
        return
    wanted = "language-model" if args.dataset in LANGUAGE_DATASETS else dataset_task(args.dataset)
    if wanted != task:
        raise UserError(f"--dataset {args.dataset} is {wanted} data; this model does {task}: "
                        f"use a {task} dataset or --data FILE")  # fmt: skip


def _train_sequence_task(args, pipeline, description, task):
    from .._persistence import save

    trained = SEQUENCE_TRAINERS[task](args, pipeline, description)
    scores, facts = trained[:2]
    model = trained[2] if len(trained) > 2 else pipeline  # a forecaster is saved bare
    info = save(model, args.output, compress=args.compress,
                metadata={"pipeline": description, "task": task, **facts,
                          **scores})  # fmt: skip
    print(f"saved to {args.output} ({info['payload_bytes'] / 1e6:.1f} MB, sha256 "
          f"{info['sha256']})")  # fmt: skip
    return 0


def cmd_evaluate(args) -> int:
    from sklearn.metrics import accuracy_score, classification_report, confusion_matrix

    if args.plot:
        check_output_path(args.plot)
    model = load_fitted_model(args)
    task = task_of(model) or "classification"
    check_dataset_task(args, task)
    if task == "language-model":
        return evaluate_language_model(args, model)
    if task in SEQUENCE_EVALUATORS:
        evaluated = final_estimator(model) if task == "forecasting" else model
        return SEQUENCE_EVALUATORS[task](args, evaluated)
    texts, labels, source = load_labelled(args)
    classes = getattr(model, "classes_", None)
    if classes is not None:
        labels = match_label_type(labels, classes)
        unknown = sorted(set(labels.tolist()) - set(np.asarray(classes).tolist()), key=str)
        if len(unknown) == len(set(labels.tolist())):
            raise UserError(
                f"none of the labels ({_listed(unknown)}) is one of the model's classes "
                f"({_listed(classes)}): is --label-column right, or is this another model's data?"
            )
        if unknown:
            print(
                f"warning: {int(np.isin(labels, unknown).sum()):,} documents have labels the "
                f"model never saw ({_listed(unknown)}); they count as errors in every figure",
                file=sys.stderr,
            )
    start = time.perf_counter()
    predicted = model.predict(texts)
    seconds = time.perf_counter() - start
    known = np.asarray(classes).tolist() if classes is not None else []
    seen = set(np.asarray(labels).tolist()) | set(np.asarray(predicted).tolist())
    order = np.asarray(known + sorted(seen - set(known), key=str))  # unknown labels last
    matrix = confusion_matrix(labels, predicted, labels=order)
    report = {
        "documents": len(texts),
        "accuracy": float(accuracy_score(labels, predicted)),
        "docs_per_second": len(texts) / seconds if seconds else None,
        "classes": order.tolist(),
        "confusion_matrix": matrix.tolist(),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{source}: {len(texts):,} documents, accuracy {report['accuracy']:.4f}")
        print(classification_report(labels, predicted, labels=order, zero_division=0))
        print(format_confusion_matrix(matrix, order))
    if args.plot:
        from ..plot import plot_confusion_matrix

        axes = plot_confusion_matrix(labels, predicted, labels=order)
        axes.figure.savefig(args.plot, dpi=120, bbox_inches="tight")
        print(f"confusion matrix written to {args.plot}")
    return 0


def _listed(values, limit=6) -> str:
    values = [str(value) for value in values]
    more = f", ... ({len(values)} in all)" if len(values) > limit else ""
    return ", ".join(values[:limit]) + more


def format_confusion_matrix(matrix, classes) -> str:
    names = [str(name) for name in classes]
    width = max(len(name) for name in [*names, "true \\ predicted", *map(str, matrix.ravel())])
    lines = ["true \\ predicted".ljust(width) + "  " + "  ".join(n.rjust(width) for n in names)]
    for name, row in zip(names, matrix):
        lines.append(name.ljust(width) + "  " + "  ".join(str(v).rjust(width) for v in row))
    return "\n".join(lines)


def add_train_parser(commands):
    from .._preset_catalog import PRESET_DESCRIPTIONS as PRESETS

    presets = "\n".join(f"  {name:<16} {text}" for name, text in PRESETS.items())
    train = commands.add_parser(
        "train",
        help="fit a pipeline from a preset or a config file and save it",
        description="Fit a pipeline on labelled data and save it with textflow.save.\n\n"
        f"presets:\n{presets}",
        formatter_class=_raw_formatter(),
    )
    recipe = train.add_mutually_exclusive_group(required=True)
    recipe.add_argument("--preset", choices=list(PRESETS), help="a ready-made pipeline")
    recipe.add_argument("--config", metavar="FILE", help="pipeline config (.json/.toml/.yaml)")
    train.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a pipeline parameter, e.g. --set clf__C=0.5 (repeatable)",
    )
    add_data_arguments(train)
    train.add_argument(
        "-o", "--output", required=True, metavar="MODEL", help="model file to write"
    )
    train.add_argument(
        "--allow-module",
        action="append",
        metavar="PACKAGE",
        help="let --config name estimators from this package too (repeatable; trusted code only)",
    )
    train.add_argument(
        "--test-size",
        type=holdout_fraction,
        default=0.0,
        help="hold out this fraction and report its score: stratified for a classifier; "
        "the last documents for a language model, the last sentences for a tagger and the "
        "last pairs for a translator (used for early stopping), the last values of a series",
    )
    train.add_argument("--seed", type=int, default=0, help="seed of the held-out split")
    train.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    train.add_argument(
        "--compress", type=compress_level, default=None, metavar="LEVEL", help="zlib level 1-9"
    )
    train.set_defaults(func=cmd_train)

    evaluate = commands.add_parser(
        "evaluate", help="the task's metrics on held-out data: accuracy and a confusion matrix, "
        "perplexity, entity F1 and token accuracy, BLEU and chrF, MASE and sMAPE",
        description="Score a saved model on labelled data with its task's metrics: a "
        "classifier's accuracy, per-class report and confusion matrix; a language model's "
        "perplexity; a tagger's entity F1 per type (seqeval) and token accuracy; a "
        "translator's BLEU and chrF (sacrebleu); a forecaster's MASE, sMAPE and interval "
        "coverage on the values after those it was fitted on.",
    )  # fmt: skip
    evaluate.add_argument("model", metavar="MODEL", help="a model file written by textflow")
    add_data_arguments(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.add_argument(
        "--plot",
        metavar="PNG",
        help="also draw a figure: the confusion "
        "matrix, F1 per entity type, attention, or forecast and actual",
    )
    evaluate.add_argument(
        "--coverage",
        type=coverage,
        default=0.9,
        help="forecasters: the intervals' probability (default 0.9)",
    )
    add_sha256_argument(evaluate)
    evaluate.set_defaults(func=cmd_evaluate)


def _raw_formatter():
    import argparse

    return argparse.RawDescriptionHelpFormatter
