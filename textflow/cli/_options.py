"""Argument types and checks shared by the commands: bad values fail before any work."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value}")
    return value


def jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {text!r}") from None
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(
            f"expected a number >= 1, or -1 for every core, got {value}"
        )
    return value


def _float(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def holdout_fraction(text: str) -> float:
    value = _float(text, "a fraction")
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a fraction in [0, 1) (0: no held-out part), got {value}"
        )
    return value


def coverage(text: str) -> float:
    """A probability strictly between 0 and 1 (an interval's coverage)."""
    value = _float(text, "a probability")
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a probability in (0, 1), got {value}")
    return value


def compress_level(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a zlib level 0-9, got {text!r}") from None
    if not 0 <= value <= 9:
        raise argparse.ArgumentTypeError(f"expected a zlib level 0-9, got {value}")
    return value


def encoding(text: str) -> str:
    import codecs

    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown text encoding {text!r}") from None
    return text


def add_row_file_arguments(parser, *, model_help, output_formats, output_format_help):
    """MODEL, INPUT and the per-row reading and writing options of tag and translate."""
    from ..scoring._readers import FORMATS

    parser.add_argument("model", metavar="MODEL", help=model_help)
    parser.add_argument("input", metavar="INPUT", help="text (a sentence a line), CSV/TSV, "
                        "JSON Lines or Parquet file, or - (stdin)")  # fmt: skip
    parser.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    parser.add_argument("--format", choices=FORMATS, help="input format (default: suffix)")
    parser.add_argument("--output-format", choices=output_formats, help=output_format_help)
    parser.add_argument("--text-column", default="text", help="default: %(default)s")
    parser.add_argument("--id-column", help="copy this column to the output")
    parser.add_argument("--chunk-size", type=positive_int, default=1000,
                        help="default: %(default)s")  # fmt: skip
    parser.add_argument("--on-error", choices=("fail", "skip-and-report"), default="fail")
    parser.add_argument("--encoding", type=encoding, default="utf-8")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary")
