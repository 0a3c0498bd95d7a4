"""``textflow forecast``: the next values of a series from a saved forecaster."""

from __future__ import annotations

import csv
import sys

from .._paths import check_output_path
from ._errors import UserError
from ._options import coverage, positive_int
from ._trust import add_sha256_argument, load_model_of_kind


def read_exogenous(path):
    """Future values of the exogenous variables: a CSV with a header, numeric columns."""
    import numpy as np

    try:
        values = np.genfromtxt(path, delimiter=",", names=True, dtype=float, encoding="utf-8")
    except (ValueError, OSError) as error:
        raise UserError(f"cannot read --exogenous {path}: {error}") from None
    table = np.atleast_1d(values)
    columns = np.column_stack([table[name] for name in table.dtype.names])
    if np.isnan(columns).any():
        raise UserError(f"--exogenous {path} has empty or non-numeric values")
    return columns


def cmd_forecast(args) -> int:
    import numpy as np

    check_output_path(args.output)
    exogenous = None if args.exogenous is None else read_exogenous(args.exogenous)
    model = load_model_of_kind(args, "forecasting", "a fitted forecaster",
                               "save one from textflow.series")  # fmt: skip
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
