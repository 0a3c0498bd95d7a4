"""``textflow forecast``: the next values of a series from a saved forecaster."""

from __future__ import annotations

import csv
import sys

from .._paths import check_output_path
from ._options import positive_int
from ._trust import add_sha256_argument, load_model_of_kind


def is_forecaster(model) -> bool:
    return hasattr(model, "predict") and hasattr(model, "n_observations_")


def cmd_forecast(args) -> int:
    check_output_path(args.output)
    model = load_model_of_kind(args, is_forecaster, "a fitted forecaster",
                               "save one from textflow.series")  # fmt: skip
    forecast = model.predict(args.horizon)
    times = getattr(forecast, "index", None)
    rows = zip(times if times is not None else range(1, args.horizon + 1), list(forecast))
    stream = sys.stdout if args.output == "-" else open(args.output, "w", newline="")
    try:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["time" if times is not None else "step", "forecast"])
        writer.writerows((str(when), repr(float(value))) for when, value in rows)
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
    add_sha256_argument(parser)
    parser.set_defaults(func=cmd_forecast)
