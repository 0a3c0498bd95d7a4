"""Forecasting a collection of series: RNNForecaster against its baselines, same run.

The collection (``textflow.datasets.load_forecasting_collection``): the 181 yearly series
of M1 (h 6), shampoo (monthly, h 12), PBS (monthly counts, h 18), US change (quarterly,
h 8), solar (half-hourly, h 48), airline (h 24), CO2 (h 36), sunspots (m 11, h 22) and
Taylor (m 336, h 336). Each series' last h values are held out; every forecaster trains
on the rest. Reported per series and over the collection: MASE (scaled by the in-sample
seasonal-naive error with the series' period m) and sMAPE of naive, seasonal naive,
ETS (damped additive trend, additive season), Theta and RNNForecaster with its defaults;
the win rate of each against seasonal naive; the distribution of the MASE ratio to
seasonal naive.

Targets (issue 26): RNNForecaster (period given, or read from the index) beats seasonal
naive on >= 80 % of the series, its mean MASE is no higher than ETS's, and no series has a
MASE above 3x the seasonal naive's.

    python benchmarks/bench_forecasting.py                    # the whole collection
    python benchmarks/bench_forecasting.py --series airline co2 --param units=64
    python benchmarks/bench_forecasting.py --limit-m1 30      # a quicker slice of M1
"""

import argparse
import json
import statistics
import time
import warnings

import numpy as np

from textflow.datasets import load_forecasting_collection
from textflow.metrics import mase, smape
from textflow.series import (
    ETSForecaster,
    RNNForecaster,
    SeasonalNaiveForecaster,
    ThetaForecaster,
)

try:
    from ._common import parse_params, save
except ImportError:
    from _common import parse_params, save


def baselines(period):
    return {
        "naive": SeasonalNaiveForecaster(period=1),
        "seasonal_naive": SeasonalNaiveForecaster(period=period),
        "ets": ETSForecaster(period=period),
        "theta": ThetaForecaster(period=period),
    }


def evaluate(model, train, test, period, X_train=None, X_test=None):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if X_train is not None:
                forecast = model.fit(train, X_train).predict(len(test), X_test)
            else:
                forecast = model.fit(train).predict(len(test))
        except (ValueError, np.linalg.LinAlgError) as error:  # a baseline that cannot fit
            return {"error": str(error)[:200]}
    forecast = np.asarray(forecast, dtype=np.float64)
    extra = {key: getattr(model, key) for key in ("weights_", "validation_errors_", "period_")
             if hasattr(model, key)}  # fmt: skip
    try:
        scaled = mase(test, forecast, train, period=period)
    except ValueError:  # a constant training series: MASE undefined
        scaled = float("nan")
    return {"mase": scaled, "smape": smape(test, forecast),
            "seconds": time.perf_counter() - start, "forecast": forecast.tolist(),
            **{key.rstrip("_"): value for key, value in extra.items()}}  # fmt: skip


def summarise(rows, models):
    """Mean, median and win rate against seasonal naive, over the series where all scored."""
    scored = [r for r in rows if all(np.isfinite(r.get(m, {}).get("mase", np.nan))
                                     for m in models)]  # fmt: skip
    summary = {"series": len(rows), "scored_by_all": len(scored)}
    anchor = np.array([r["seasonal_naive"]["mase"] for r in scored])
    for name in models:
        values = np.array([r[name]["mase"] for r in scored])
        with np.errstate(divide="ignore", invalid="ignore"):  # 0 / 0: as good as the anchor
            ratios = np.where(anchor > 0, values / anchor, np.where(values > 0, np.inf, 1.0))
        summary[name] = {
            "mean_mase": float(values.mean()), "median_mase": float(np.median(values)),
            "mean_smape": float(np.mean([r[name]["smape"] for r in scored])),
            "wins_vs_seasonal_naive": float(np.mean(ratios < 1)),
            "ratio_quantiles": [float(q) for q in np.quantile(ratios, [0.1, 0.5, 0.9, 1.0])],
            "series_above_3x_seasonal_naive": int(np.sum(ratios > 3)),
        }  # fmt: skip
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--series", nargs="*", help="only these series (names: T1.., airline...)")
    parser.add_argument("--limit-m1", type=int, default=None, help="the first N M1 series only")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an RNNForecaster setting, e.g. --param units=64",
    )
    parser.add_argument(
        "--infer-period",
        action="store_true",
        help="let RNNForecaster read the period from the time index",
    )
    parser.add_argument("--no-rnn", action="store_true", help="baselines only")
    parser.add_argument("--tag", default="", help="suffix of the results file")
    args = parser.parse_args(argv)
    settings = parse_params(args.param)
    collection = load_forecasting_collection()
    if args.limit_m1 is not None:
        m1 = [s for s in collection if s.name.startswith("T")][: args.limit_m1]
        collection = m1 + [s for s in collection if not s.name.startswith("T")]
    if args.series:
        collection = [s for s in collection if s.name in set(args.series)]
    rows, start = [], time.perf_counter()
    models = ["naive", "seasonal_naive", "ets", "theta"] + ([] if args.no_rnn else ["rnn"])
    for series in collection:
        m, h = series.period, series.horizon
        train, test = series.y[:-h], series.y[-h:]
        X_train = X_test = None
        if series.X is not None:
            X_train, X_test = series.X[:-h], series.X[-h:]
        row = {"name": series.name, "period": m, "horizon": h, "length": len(series.y)}
        for label, model in baselines(m).items():
            row[label] = evaluate(model, train, test, m)
        if not args.no_rnn:
            period = {} if args.infer_period else {"period": m}
            rnn = RNNForecaster(horizon=h, random_state=0, **period, **settings)
            row["rnn"] = evaluate(rnn, train, test, m, X_train, X_test)
        rows.append(row)
        shown = "  ".join(f"{k} {row[k].get('mase', float('nan')):.3f}" for k in models)
        print(f"{series.name:10s} n={len(series.y):5d} {shown}", flush=True)
    summary = summarise(rows, models)
    print(json.dumps(summary, indent=1))
    print(f"{time.perf_counter() - start:.0f} s in all; RNN seconds per series: median "
          f"{statistics.median(r['rnn'].get('seconds', 0) for r in rows):.1f}"
          if not args.no_rnn else "")  # fmt: skip
    save(f"forecasting{args.tag}", {"rnn_settings": settings, "summary": summary,
                                     "series": rows})  # fmt: skip


if __name__ == "__main__":
    main()
