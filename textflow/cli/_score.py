"""``textflow score`` and ``textflow info``."""

from __future__ import annotations

import json
import sys

from .._paths import check_output_path
from ..scoring._readers import FORMATS, check_read_options, infer_format
from ._options import encoding, jobs, positive_int
from ._trust import add_sha256_argument, load_fitted_model, refuse_tasks


def cmd_score(args) -> int:
    from ..scoring import score

    check_score_options(args)
    model = load_fitted_model(args)
    refuse_tasks(args, model, ("language-model", "tagging", "forecasting"), "score")
    progress = False if args.quiet else (True if args.progress else None)
    summary = score(
        model,
        args.input,
        args.output,
        input_format=args.format,
        output_format=args.output_format,
        text_column=args.text_column,
        id_column=args.id_column,
        chunk_size=args.chunk_size,
        n_jobs=args.n_jobs,
        on_error=args.on_error,
        errors_output=args.errors,
        proba=not args.no_proba,
        encoding=args.encoding,
        progress=progress,
        scheduler=args.scheduler,
    )
    if not args.quiet:
        print(summary, file=sys.stderr)
    return 0


def check_score_options(args):
    """Everything about the input and output that can be checked before the model loads."""
    if args.scheduler is not None:
        return  # inputs and outputs of a Dask run are checked by score_on_dask
    if args.format is not None or args.input != "-":
        check_read_options(args.format or infer_format(args.input), chunk_size=args.chunk_size,
                           encoding=args.encoding, id_column=args.id_column)  # fmt: skip
    check_output_path(args.output)
    if args.errors is not None:
        check_output_path(args.errors)


def cmd_info(args) -> int:
    from .._persistence import read_info

    info = read_info(args.model)
    if args.json:
        print(json.dumps(info, indent=2, sort_keys=True))
        return 0
    print(f"file       {args.model} ({info['file_bytes'] / 1e6:.2f} MB)")
    print(f"estimator  {info.get('estimator')}")
    if info.get("steps"):
        print("steps      " + " -> ".join(f"{name} ({kind})" for name, kind in info["steps"]))
    if info.get("classes") is not None:
        print(f"classes    {', '.join(map(str, info['classes']))}")
    print(f"created    {info.get('created')}")
    print(f"sha256     {info['sha256']}")
    print(f"compress   {info.get('compress')}")
    versions = info.get("versions", {})
    print("versions   " + ", ".join(f"{name} {version}" for name, version in versions.items()))
    for key, value in info.get("metadata", {}).items():
        print(f"{key:<10} {value}")
    return 0


def add_score_parser(commands):
    score = commands.add_parser(
        "score",
        help="score a file with a saved model, streaming it in chunks",
        description="Write one row per input row: its id (or row number), the predicted "
        "label and the class probabilities where the model has them.",
    )
    score.add_argument("model", metavar="MODEL", help="a model file written by textflow")
    score.add_argument(
        "input", metavar="INPUT", help="CSV/TSV/JSON Lines/Parquet/text file, a glob, or - (stdin)"
    )
    score.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    score.add_argument("--format", choices=FORMATS, help="input format (default: from suffix)")
    score.add_argument("--output-format", choices=FORMATS, help="default: from suffix or input")
    score.add_argument("--text-column", default="text", help="default: %(default)s")
    score.add_argument("--id-column", help="copy this column to the output (default: row number)")
    score.add_argument(
        "--chunk-size", type=positive_int, default=10_000, help="default: %(default)s"
    )
    score.add_argument("--n-jobs", type=jobs, default=None, help="processes scoring in parallel")
    score.add_argument(
        "--on-error",
        choices=("fail", "skip-and-report"),
        default="fail",
        help="rows that cannot be scored: stop (default), or write them with an error column",
    )
    score.add_argument("--errors", metavar="FILE", help="also list unscorable rows in this CSV")
    score.add_argument("--no-proba", action="store_true", help="labels only")
    score.add_argument(
        "--encoding", type=encoding, default="utf-8", help="input encoding (default: utf-8)"
    )
    add_sha256_argument(score)
    score.add_argument(
        "--scheduler", help="score on Dask: tcp://HOST:PORT, or local[:N] for a local cluster"
    )
    shown = score.add_mutually_exclusive_group()
    shown.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    shown.add_argument("--progress", action="store_true", help="progress bar even in a pipe")
    score.set_defaults(func=cmd_score)

    info = commands.add_parser("info", help="show a model file's metadata without loading it")
    info.add_argument("model", metavar="MODEL")
    info.add_argument("--json", action="store_true", help="print the metadata as JSON")
    info.set_defaults(func=cmd_info)
