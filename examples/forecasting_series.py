"""Forecast classic series with a GRU, against seasonal naive and ETS, with a backtest.

For each series, hold out the last h values, fit RNNForecaster (its defaults: seasonal
differences, two seasons of history), the seasonal naive forecast and Holt-Winters ETS,
and compare MASE; then backtest the forecaster on two expanding windows and draw the
history with the forecasts and the per-fold errors.

Run: python examples/forecasting_series.py [--series airline co2] [--epochs E]
"""

import argparse
import tempfile
from pathlib import Path

from textflow.datasets import load_series
from textflow.metrics import mase
from textflow.series import ETSForecaster, RNNForecaster, SeasonalNaiveForecaster, backtest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--series", nargs="*", default=["airline", "co2", "sunspots"])
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--output-dir", default=None, help="where the plots go")
    args = parser.parse_args(argv)
    folder = Path(args.output_dir or tempfile.mkdtemp())
    for name in args.series:
        data = load_series(name)
        m, h = data.period, data.horizon
        train, test = data.y[:-h], data.y[-h:]
        rnn = RNNForecaster(horizon=h, period=m, epochs=args.epochs, random_state=0)
        forecasts = {
            "RNNForecaster": rnn.fit(train).predict(h),
            "seasonal naive": SeasonalNaiveForecaster(period=m).fit(train).predict(h),
            "ETS": ETSForecaster(period=m).fit(train).predict(h),
        }
        scores = ", ".join(f"{label} {mase(test, forecast, train, period=m):.3f}"
                           for label, forecast in forecasts.items())  # fmt: skip
        print(f"{name} (m={m}, h={h}) MASE: {scores}")
        folds = backtest(RNNForecaster(horizon=h, period=m, epochs=args.epochs,
                                       random_state=0), train, horizon=h, n_splits=2,
                         period=m)  # fmt: skip
        errors = ", ".join(f"{fold['mase']:.3f}" for fold in folds)
        print(f"  backtest MASE per fold: {errors}")
        try:
            import matplotlib

            matplotlib.use("Agg")
            from textflow.plot import plot_backtest, plot_forecast
        except ImportError:
            continue
        ax = plot_forecast(train, forecasts["RNNForecaster"], actual=test, last=4 * h)
        ax.figure.savefig(folder / f"{name}_forecast.png", dpi=100, bbox_inches="tight")
        ax = plot_backtest(folds)
        ax.figure.savefig(folder / f"{name}_backtest.png", dpi=100, bbox_inches="tight")
    print(f"plots written to {folder}")


if __name__ == "__main__":
    main()
