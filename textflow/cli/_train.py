"""``textflow train`` and ``textflow evaluate``."""

from __future__ import annotations

import json
import time

import numpy as np

from ._data import add_data_arguments, load_labelled, match_label_type
from ._errors import UserError


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
    from ..models import make_pipeline_from_config, make_preset_pipeline, read_config
    from ..models._presets import ranges_as_tuples

    overrides = dict(map(parse_assignment, args.set or []))
    try:
        if args.config:
            pipeline = make_pipeline_from_config(read_config(args.config))
            description = f"config {args.config}"
        else:
            pipeline = make_preset_pipeline(args.preset)
            description = f"preset {args.preset}"
        if overrides:
            pipeline.set_params(**ranges_as_tuples(overrides))
    except (ValueError, OSError) as error:
        raise UserError(str(error)) from None
    return pipeline, description


def cmd_train(args) -> int:
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    from .._persistence import save

    pipeline, description = build_pipeline(args)
    texts, labels, source = load_labelled(args)
    scores = {}
    if args.test_size:
        texts, test_texts, labels, test_labels = train_test_split(
            texts, labels, test_size=args.test_size, stratify=labels, random_state=args.seed
        )
    print(f"training {description} on {len(texts):,} documents from {source}")
    start = time.perf_counter()
    pipeline.fit(texts, labels)
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

    from .._persistence import load

    model = load(args.model, expected_sha256=args.sha256)
    texts, labels, source = load_labelled(args)
    classes = getattr(model, "classes_", None)
    if classes is not None:
        labels = match_label_type(labels, classes)
    start = time.perf_counter()
    predicted = model.predict(texts)
    seconds = time.perf_counter() - start
    order = classes if classes is not None else np.unique(np.concatenate([labels, predicted]))
    matrix = confusion_matrix(labels, predicted, labels=order)
    report = {
        "documents": len(texts),
        "accuracy": float(accuracy_score(labels, predicted)),
        "docs_per_second": len(texts) / seconds if seconds else None,
        "classes": np.asarray(order).tolist(),
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
        "--test-size",
        type=float,
        default=0.0,
        help="hold out this fraction (stratified) and report its accuracy",
    )
    train.add_argument("--seed", type=int, default=0, help="seed of the held-out split")
    train.add_argument(
        "--compress", type=int, default=None, metavar="LEVEL", help="zlib level 1-9"
    )
    train.set_defaults(func=cmd_train)

    evaluate = commands.add_parser(
        "evaluate", help="accuracy, per-class report and confusion matrix on labelled data"
    )
    evaluate.add_argument("model", metavar="MODEL", help="a model file written by textflow")
    add_data_arguments(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.add_argument("--plot", metavar="PNG", help="also draw the confusion matrix")
    evaluate.add_argument("--sha256", help="refuse the model unless its SHA-256 is this")
    evaluate.set_defaults(func=cmd_evaluate)


def _raw_formatter():
    import argparse

    return argparse.RawDescriptionHelpFormatter
