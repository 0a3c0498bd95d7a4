"""``textflow forecast``: the next values of a series from a saved forecaster."""

from __future__ import annotations

import csv
import sys

import numpy as np

from .._paths import check_output_path
from ._errors import UserError
from ._options import coverage, positive_int
from ._trust import add_sha256_argument, load_model_of_kind


def read_exogenous(path):
    """Future values of the exogenous variables: ``(names, times, values)`` from a CSV with
    a header, one row per step ahead, numeric columns, and optionally a first column of
    times. Blank lines, empty cells and text where numbers belong are refused by line, so
    no row can move up a step."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            lines = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"cannot read --exogenous {path}: {error}") from None
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise UserError(f"--exogenous {path} is empty: it needs a header and one row per "
                        "step ahead")  # fmt: skip
    header, rows = [cell.strip() for cell in lines[0]], lines[1:]
    if not rows:
        raise UserError(f"--exogenous {path} has a header but no rows")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise UserError(f"--exogenous {path}: the column {duplicates[0]!r} appears twice")
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            raise UserError(
                f"--exogenous {path} line {number} is blank: every line is one "
                "step ahead, so a blank line would shift the later ones"
            )
        if len(row) != len(header):
            raise UserError(f"--exogenous {path} line {number} has {len(row)} cells; the "
                            f"header has {len(header)}")  # fmt: skip
    times = None
    if not _is_number(rows[0][0]):
        times, header, rows = [row[0] for row in rows], header[1:], [row[1:] for row in rows]
    values = []
    for number, row in enumerate(rows, start=2):
        for name, cell in zip(header, row):
            if not _is_number(cell):
                raise UserError(f"--exogenous {path} line {number}, column {name!r}: "
                                f"{cell!r} is not a number")  # fmt: skip
        values.append([float(cell) for cell in row])
    if not header:
        raise UserError(f"--exogenous {path} has no column of values")
    return header, times, np.asarray(values, dtype=float)


def _is_number(text):
    try:
        return np.isfinite(float(text))
    except ValueError:
        return False


def check_exogenous(model, path, names, times):
    """The file's columns, times and rows against what the forecaster was fitted with."""
    known = getattr(model, "exogenous_names_", None)
    if known is not None and list(known) != list(names):
        raise UserError(f"--exogenous {path} has the columns {names}; the forecaster was "
                        f"fitted with {list(known)} (same names, same order)")  # fmt: skip
    if times is not None:
        import pandas as pd

        from ..series._checks import forecast_index

        expected = forecast_index(model._index, np.arange(1, len(times) + 1))
        if expected is None:
            raise UserError(f"--exogenous {path} has a time column, but the forecaster was "
                            "fitted on a series without times")  # fmt: skip
        given = pd.to_datetime(pd.Series(times), errors="coerce")
        for row, (when, want) in enumerate(zip(given, expected), start=2):
            if pd.isna(when) or pd.Timestamp(when) != pd.Timestamp(want):
                raise UserError(f"--exogenous {path} line {row}: the time {times[row - 2]!r} "
                                f"is not the step's {want}")  # fmt: skip


def cmd_forecast(args) -> int:
    check_output_path(args.output)
    exogenous = None
    if args.exogenous is not None:
        names, times, exogenous = read_exogenous(args.exogenous)
    model = load_model_of_kind(args, "forecasting", "a fitted forecaster",
                               "save one from textflow.series")  # fmt: skip
    if args.exogenous is not None:
        check_exogenous(model, args.exogenous, names, times)
    if args.coverage is not None and not hasattr(model, "predict_interval"):
        raise UserError(f"{type(model).__name__} gives no prediction intervals; drop --coverage")
    try:
        kwargs = {} if exogenous is None else {"X": exogenous}
        forecast = model.predict(args.horizon, **kwargs)
        bounds = None
        if args.coverage is not None:
            bounds = model.predict_interval(args.horizon, coverage=args.coverage, **kwargs)
    except ValueError as error:
        raise UserError(str(error)) from None
    times = getattr(forecast, "index", None)
    steps = times if times is not None else range(1, args.horizon + 1)
    bounds = [] if bounds is None else np.asarray(bounds, dtype=float)
    stream = sys.stdout if args.output == "-" else open(args.output, "w", newline="")
    try:
        writer = csv.writer(stream, lineterminator="\n")
        header = ["time" if times is not None else "step", "forecast"]
        writer.writerow(header + (["lower", "upper"] if len(bounds) else []))
        for k, (when, value) in enumerate(zip(steps, list(forecast))):
            interval = [repr(float(b)) for b in bounds[k]] if len(bounds) else []
            writer.writerow([str(when), repr(float(value)), *interval])
    finally:
        if stream is not sys.stdout:
            stream.close()
    return 0


def add_forecast_parser(commands):
    parser = commands.add_parser(
        "forecast", help="the next values of a series from a saved forecaster",
        description="Write the forecasts of a fitted textflow.series forecaster (saved with "
        "textflow.save) as CSV: its time (or step) and value, one row per step ahead.",
    )  # fmt: skip
    parser.add_argument("model", metavar="MODEL", help="a forecaster saved by textflow")
    parser.add_argument("--horizon", type=positive_int, required=True, help="steps ahead")
    parser.add_argument("-o", "--output", default="-", help="CSV file (default: stdout)")
    parser.add_argument("--coverage", type=coverage,
                        help="also write lower and upper bounds holding the truth with this "
                        "probability, e.g. 0.9 (forecasters with predict_interval)")  # fmt: skip
    parser.add_argument("--exogenous", metavar="CSV",
                        help="future values of the exogenous variables the forecaster was "
                        "fitted with: a CSV with a header, one row per step ahead")  # fmt: skip
    add_sha256_argument(parser)
    parser.set_defaults(func=cmd_forecast)
