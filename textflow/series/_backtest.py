"""Expanding-window evaluation of a forecaster (backtesting) on scikit-learn's TimeSeriesSplit."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit

from ..metrics import mase, smape
from ._checks import check_series


def backtest(forecaster, y, *, horizon, n_splits=3, period=1):
    """Refit ``forecaster`` on growing prefixes of ``y`` and score the next ``horizon`` values.

    Each fold trains a clone on everything before its test part (``TimeSeriesSplit``
    with ``test_size=horizon``), forecasts ``horizon`` steps and scores them.

    Parameters
    ----------
    forecaster : estimator with ``fit(y)`` and ``predict(fh)``
    y : array-like or pandas Series
    horizon : int
        Values forecast (and scored) in each fold.
    n_splits : int, default=3
    period : int, default=1
        Seasonal period of the MASE scale.

    Returns
    -------
    list of dict
        Per fold: ``train_size``, ``mase``, ``smape``, ``forecast`` and ``actual``.

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.series import SeasonalNaiveForecaster, backtest
    >>> y = np.tile([1.0, 2.0, 3.0, 4.0], 10)
    >>> [round(fold["mase"], 3) for fold in backtest(SeasonalNaiveForecaster(period=4), y,
    ...                                              horizon=4, period=4)]
    Traceback (most recent call last):
    ...
    ValueError: MASE is undefined: the training series repeats with its period
    >>> folds = backtest(SeasonalNaiveForecaster(period=4), y + np.arange(40) * 0.1,
    ...                  horizon=4, period=4)
    >>> [fold["train_size"] for fold in folds]
    [28, 32, 36]
    """
    for name, value, least in (("horizon", horizon, 1), ("n_splits", n_splits, 2),
                               ("period", period, 1)):  # fmt: skip
        if not isinstance(value, Integral) or isinstance(value, bool) or value < least:
            raise ValueError(f"backtest: {name} must be an integer >= {least}; got {value!r}")
    values, _ = check_series(y, min_length=horizon + 2)
    if len(values) < horizon * n_splits + 2:
        raise ValueError(f"backtest: the series has {len(values)} values, too few for "
                         f"{n_splits} folds of {horizon} (give fewer splits or a shorter "
                         "horizon)")  # fmt: skip
    series = y if hasattr(y, "iloc") else values
    folds = []
    for train, test in TimeSeriesSplit(n_splits=n_splits, test_size=horizon).split(values):
        model = clone(forecaster).fit(series[train] if not hasattr(series, "iloc")
                                      else series.iloc[train])  # fmt: skip
        forecast = np.asarray(model.predict(horizon), dtype=np.float64)
        actual = values[test]
        folds.append({"train_size": len(train), "forecast": forecast, "actual": actual,
                      "mase": mase(actual, forecast, values[train], period=period),
                      "smape": smape(actual, forecast)})  # fmt: skip
    return folds
