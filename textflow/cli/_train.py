"""``textflow train`` and ``textflow evaluate``."""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from .._paths import check_output_path
from ._data import add_data_arguments, load_labelled, match_label_type
from ._errors import UserError
from ._language import evaluate_language_model, is_language_model, train_language_model
from ._options import compress_level, holdout_fraction
from ._trust import add_sha256_argument, load_fitted_model, refuse_tasks


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
    estimators = [pipeline, *(value for value in pipeline.get_params(deep=True).values()
                              if hasattr(value, "_validate_params"))]  # fmt: skip
    for estimator in estimators:
        if hasattr(estimator, "_validate_params"):
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
    if is_language_model(pipeline):
        return train_language_model(args, pipeline, description)
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


def cmd_evaluate(args) -> int:
    from sklearn.metrics import accuracy_score, classification_report, confusion_matrix

    if args.plot:
        check_output_path(args.plot)
    model = load_fitted_model(args)
    if is_language_model(model):
        return evaluate_language_model(args, model)
    refuse_tasks(args, model, ("tagging", "forecasting", "translation"), "evaluate")
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
        help="hold out this fraction (stratified) and report its accuracy; for a language "
        "model, the last documents, used for early stopping",
    )
    train.add_argument("--seed", type=int, default=0, help="seed of the held-out split")
    train.add_argument(
        "--compress", type=compress_level, default=None, metavar="LEVEL", help="zlib level 1-9"
    )
    train.set_defaults(func=cmd_train)

    evaluate = commands.add_parser(
        "evaluate", help="accuracy, per-class report and confusion matrix on labelled data"
    )
    evaluate.add_argument("model", metavar="MODEL", help="a model file written by textflow")
    add_data_arguments(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.add_argument("--plot", metavar="PNG", help="also draw the confusion matrix")
    add_sha256_argument(evaluate)
    evaluate.set_defaults(func=cmd_evaluate)


def _raw_formatter():
    import argparse

    return argparse.RawDescriptionHelpFormatter
