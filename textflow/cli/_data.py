"""Labelled data for ``train`` and ``evaluate``: a file, or a dataset shipped with textflow."""

from __future__ import annotations

import sys

import numpy as np

from .._validation import check_labels
from ..scoring._readers import read_chunks
from ._errors import UserError
from ._options import encoding, positive_int

DATASETS = ("imdb", "rotten-tomatoes", "ptb", "wikitext2", "conll2003-ner", "conll2003-pos",
            "turkish-web", "turkish-wiki", "de-en", "asterisk-en", "airline", "co2", "sunspots",
            "taylor", "shampoo", "pbs", "uschange", "solar")  # fmt: skip


def load_labelled(args):
    """``(texts, labels, description)`` from ``--dataset`` or ``--data``."""
    if args.dataset in ("ptb", "wikitext2"):
        raise UserError(f"--dataset {args.dataset} is unlabelled text: train a language model "
                        "on it (--preset lm)")  # fmt: skip
    if args.dataset:
        from ..datasets import load_imdb, load_rotten_tomatoes

        loader = load_imdb if args.dataset == "imdb" else load_rotten_tomatoes
        bunch = loader()
        return list(bunch.data), np.asarray(bunch.target), f"dataset {args.dataset}"
    if not args.data:
        raise UserError("name the labelled data with --data FILE or --dataset NAME")
    texts, labels, failures = [], [], []
    chunks = read_chunks(
        args.data,
        format=args.format,
        text_column=args.text_column,
        id_column=args.label_column,
        chunk_size=50_000,
        encoding=args.encoding,
    )
    for chunk in chunks:
        for line, row, text, label, error in zip(
            chunk.lines, chunk.rows, chunk.texts, chunk.ids, chunk.errors
        ):
            if error is None and label in (None, ""):
                error = f"missing label (no {args.label_column!r} value)"
            if error is not None:
                failures.append(f"{'line ' + str(line) if line else 'row ' + str(row)}: {error}")
                continue
            texts.append(text)
            labels.append(label)
    if failures and args.on_error == "fail":
        raise UserError(
            f"{args.data}: {len(failures)} unusable rows, the first at {failures[0]} "
            "(--on-error skip-and-report leaves them out and lists them)"
        )
    for failure in failures:
        print(f"skipped {failure}", file=sys.stderr)
    if not texts:
        raise UserError(f"{args.data}: no labelled documents")
    try:
        labels = check_labels(labels)
    except (TypeError, ValueError) as error:
        raise UserError(f"{args.data}: the {args.label_column!r} column: {error}") from None
    return texts, labels, f"{args.data} ({len(failures)} rows skipped)"


def match_label_type(labels, classes):
    """Labels read from text files are strings; convert them to a model's numeric classes."""
    classes = np.asarray(classes)
    if labels.dtype.kind in "UO" and classes.dtype.kind in "iuf":
        try:
            return labels.astype(classes.dtype)
        except ValueError:
            raise UserError(
                f"the labels ({', '.join(map(str, np.unique(labels)[:5]))}) are not the "
                f"model's classes ({', '.join(map(str, classes))})"
            ) from None
    return labels


def add_data_arguments(parser):
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--data",
        metavar="FILE",
        help="the data: labelled CSV/TSV/JSON Lines/Parquet (classifiers), text "
        "(language models), CoNLL columns or JSON Lines (taggers), pairs in "
        "TSV/CSV/JSON Lines (translators), a CSV series (forecasters), audio paths and "
        "transcripts in CSV/TSV/JSON Lines (transcribers)",
    )
    source.add_argument("--dataset", choices=DATASETS, help="a dataset shipped as data")
    parser.add_argument("--text-column", default="text", help="default: %(default)s")
    parser.add_argument("--label-column", default="label", help="default: %(default)s")
    parser.add_argument("--format", choices=("csv", "tsv", "jsonl", "parquet", "conll"),
                        default=None)  # fmt: skip
    tagged = parser.add_argument_group("taggers (CoNLL columns, 0-based; negative: from the end)")
    tagged.add_argument("--word-column", type=int, default=0, help="default: %(default)s")
    tagged.add_argument("--tag-column", type=int, default=-1, help="default: the last (-1)")
    pairs = parser.add_argument_group("translators")
    pairs.add_argument("--source-column", default="source", help="default: %(default)s")
    pairs.add_argument("--target-column", default="target", help="default: %(default)s")
    pairs.add_argument(
        "--no-header",
        action="store_true",
        help="the TSV/CSV has no header: columns are positions (0 first)",
    )
    speech = parser.add_argument_group("transcribers (paths relative to the data file's folder)")
    speech.add_argument("--audio-column", default="path", help="default: %(default)s")
    speech.add_argument("--transcript-column", default="transcript",
                        help="default: %(default)s")  # fmt: skip
    series = parser.add_argument_group("forecasters (a CSV with a header)")
    series.add_argument("--time-column", help="the column of times (the period is read from them)")
    series.add_argument("--value-column", help="the column to forecast")
    series.add_argument(
        "--exogenous-column",
        action="append",
        metavar="COLUMN",
        help="a regressor known in advance (repeatable)",
    )
    series.add_argument(
        "--horizon",
        type=positive_int,
        default=None,
        help="steps forecast (default: the dataset's, or the model's)",
    )
    parser.add_argument("--encoding", type=encoding, default="utf-8", help="default: %(default)s")
    parser.add_argument(
        "--on-error",
        choices=("fail", "skip-and-report"),
        default="fail",
        help="rows without text or label: stop, or leave them out and list them",
    )
