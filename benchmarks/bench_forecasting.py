"""Forecasting four classic series: RNNForecaster against seasonal naive and ETS, same run.

Hold out the last h values of each series, train on the rest, report MASE (scaled by the
in-sample seasonal-naive error with the series' period m) and sMAPE. Anchors measured with
statsmodels' Holt-Winters: airline (m 12, h 24) seasonal naive 2.494, ETS 1.278; CO2 (12,
36) 2.219, 0.614; sunspots (11, 22) 1.726, 1.716; Taylor (336, 336) 0.631, 0.945.
Target: RNNForecaster beats seasonal naive on all four and ETS on at least two, with one
set of defaults (the series' period is given, as to the baselines); training <= 2 minutes
per monthly/yearly series and <= 10 minutes for Taylor on 2 cores.
"""

import argparse
import statistics
import time

from textflow.datasets import load_series
from textflow.metrics import mase, smape
from textflow.series import ETSForecaster, RNNForecaster, SeasonalNaiveForecaster

try:
    from ._common import parse_params, save
except ImportError:
    from _common import parse_params, save

ETS = {"airline": {"seasonal": "mul"}}  # the anchors' configurations; additive elsewhere


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--series", nargs="*", default=["airline", "co2", "sunspots", "taylor"])
    parser.add_argument("--cell", default="gru")
    parser.add_argument("--seeds", type=int, default=1, help="RNN runs per series (median)")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="an RNNForecaster setting (a tuned configuration, reported "
                        "apart from the defaults), e.g. --param window=336")  # fmt: skip
    parser.add_argument("--tag", default="", help="suffix of the results file")
    args = parser.parse_args(argv)
    tuned = parse_params(args.param)
    results = {}
    for name in args.series:
        data = load_series(name)
        m, h = data.period, data.horizon
        train, test = data.y[:-h], data.y[-h:]
        row = {"period": m, "horizon": h}
        models = {
            "seasonal_naive": SeasonalNaiveForecaster(period=m),
            "ets": ETSForecaster(period=m, **ETS.get(name, {})),
        }
        for seed in range(args.seeds):
            models[f"rnn_{seed}"] = RNNForecaster(**{"horizon": h, "period": m,
                                                     "cell": args.cell, **tuned},
                                                  random_state=seed)  # fmt: skip
        for label, model in models.items():
            start = time.perf_counter()
            forecast = model.fit(train).predict(h)
            row[label] = {"mase": mase(test, forecast, train, period=m),
                          "smape": smape(test, forecast),
                          "seconds": time.perf_counter() - start}  # fmt: skip
            print(
                f"{name:9s} {label:15s} MASE {row[label]['mase']:.3f}  sMAPE "
                f"{row[label]['smape']:6.2f}  {row[label]['seconds']:6.1f} s",
                flush=True,
            )
        if args.seeds > 1:
            row["rnn_median_mase"] = statistics.median(
                row[f"rnn_{seed}"]["mase"] for seed in range(args.seeds))  # fmt: skip
        results[name] = row
    save(f"forecasting{args.tag}", {"rnn_settings": tuned, **results})


if __name__ == "__main__":
    main()
