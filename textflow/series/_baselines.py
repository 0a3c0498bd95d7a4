"""Forecasting baselines: seasonal naive, and exponential smoothing through statsmodels."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._checks import as_output, check_horizon, check_series


class _Forecaster(RegressorMixin, BaseEstimator):
    """``fit(y)`` on a series, ``predict(fh)`` for the steps ahead (sktime's convention)."""

    _task = "forecasting"

    def _resolve_period(self, index, n_values):
        """``period``, else the one the time index implies when the series holds a whole
        season of it, else 1 (no season)."""
        if self.period is not None:
            return self.period
        from ._period import infer_period

        inferred = infer_period(index) or 1
        return inferred if inferred <= n_values else 1

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.one_d_array = True
        tags.target_tags.required = False
        return tags

    def _check_fit_series(self, y, min_length=3):
        """``(values, index)`` of a 1-D series, ``period_`` resolved."""
        values, index = check_series(y, min_length=min_length)
        if values.ndim != 1:
            raise ValueError(f"{type(self).__name__} forecasts one series: y must be 1-D "
                             f"(got shape {values.shape}; pick one column of a "
                             "DataFrame)")  # fmt: skip
        self.period_ = self._resolve_period(index, len(values))
        return values, index

    def _remember(self, values, index, name):
        self.n_observations_ = len(values)
        self._index = index
        self._name = name

    def _output(self, values, steps):
        return as_output(values, self._index, steps, self._name)


class _PeriodicForecaster(_Forecaster):
    """A forecaster whose one parameter is the season's length."""

    _parameter_constraints = {"period": [Interval(Integral, 1, None, closed="left"), None]}

    def __init__(self, *, period=None):
        self.period = period


class SeasonalNaiveForecaster(_PeriodicForecaster):
    """Each forecast repeats the value one season earlier: ``y[t + h] = y[t + h - m]``.

    The anchor every forecaster must beat (and the scale of MASE).

    Parameters
    ----------
    period : int or None, default=None
        The season's length m (1: the naive forecast, the last value). ``None`` reads
        it from a regular time index (:func:`infer_period`) when the series holds a
        whole season of it, else 1; the one used is ``period_``.

    Examples
    --------
    >>> from textflow.series import SeasonalNaiveForecaster
    >>> SeasonalNaiveForecaster(period=3).fit([1, 2, 3, 4, 5, 6]).predict(4).tolist()
    [4.0, 5.0, 6.0, 4.0]
    """

    def fit(self, y, X=None):
        """Remember the last season of ``y``."""
        self._validate_params()
        values, index = self._check_fit_series(y, min_length=1)
        if len(values) < self.period_:
            raise ValueError(f"y has {len(values)} values, fewer than one season "
                             f"(period {self.period_})")  # fmt: skip
        self.last_season_ = values[-self.period_ :].copy()
        self._remember(values, index, getattr(y, "name", None))
        return self

    def predict(self, fh):
        """Forecasts ``fh`` steps ahead (an int, or a list of steps)."""
        check_is_fitted(self, "last_season_")
        self._validate_params()
        steps = check_horizon(fh)
        return self._output(self.last_season_[(steps - 1) % self.period_], steps)


class ETSForecaster(_Forecaster):
    """Exponential smoothing (Holt-Winters) through ``statsmodels``, as a forecaster.

    Parameters
    ----------
    trend : {"add", "mul", None}, default="add"
    damped_trend : bool, default=True
    seasonal : {"add", "mul", None}, default="add"
    period : int or None, default=None
        The season's length (ignored without ``seasonal``); ``None`` reads it from a
        regular time index, else 1 (the one used is ``period_``).

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.series import ETSForecaster
    >>> y = 10 + np.tile([0.0, 2.0, 4.0, 2.0], 8) + np.arange(32) * 0.5
    >>> forecast = ETSForecaster(period=4).fit(y).predict(4)
    >>> expected = 10 + np.array([0, 2, 4, 2]) + np.arange(32, 36) * 0.5
    >>> bool(np.allclose(forecast, expected, atol=0.05))
    True
    """

    _parameter_constraints = {
        "trend": [StrOptions({"add", "mul"}), None],
        "damped_trend": ["boolean"],
        "seasonal": [StrOptions({"add", "mul"}), None],
        "period": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, *, trend="add", damped_trend=True, seasonal="add", period=None):
        self.trend = trend
        self.damped_trend = damped_trend
        self.seasonal = seasonal
        self.period = period

    def fit(self, y, X=None):
        """Estimate the smoothing parameters by maximum likelihood."""
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        self._validate_params()
        values, index = self._check_fit_series(y)
        period = self.period_
        seasonal = self.seasonal if period > 1 else None
        if seasonal and len(values) < 2 * period:
            raise ValueError(f"y has {len(values)} values; a seasonal ETS needs two "
                             f"seasons ({2 * period}); set seasonal=None for a shorter "
                             "series")  # fmt: skip
        model = ExponentialSmoothing(
            values, trend=self.trend, seasonal=seasonal,
            damped_trend=self.damped_trend and self.trend is not None,
            seasonal_periods=period if seasonal else None,
        )  # fmt: skip
        self.model_ = model.fit()
        self._remember(values, index, getattr(y, "name", None))
        return self

    def predict(self, fh):
        """Forecasts ``fh`` steps ahead (an int, or a list of steps)."""
        check_is_fitted(self, "model_")
        self._validate_params()
        steps = check_horizon(fh)
        forecast = np.asarray(self.model_.forecast(int(steps.max())))
        return self._output(forecast[steps - 1], steps)


class ThetaForecaster(_PeriodicForecaster):
    """The Theta method (Assimakopoulos & Nikolopoulos, 2000) through ``statsmodels``.

    Simple exponential smoothing with half the series' linear trend added back (the
    winner of the M3 competition, and a strong anchor on short yearly series). With a
    season, the series is deseasonalised first when a test finds the season
    (multiplicatively when every value is positive) and reseasonalised after.

    Parameters
    ----------
    period : int or None, default=None
        The season's length (1: none); ``None`` reads it from a regular time index,
        else 1 (the one used is ``period_``).

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.series import ThetaForecaster
    >>> y = 5.0 + np.arange(20)  # a straight line: Theta follows its trend
    >>> forecast = ThetaForecaster().fit(y).predict(3)
    >>> bool(np.all(np.diff(forecast) > 0))
    True
    """

    def fit(self, y, X=None):
        """Estimate the smoothing parameter and the trend."""
        from statsmodels.tsa.forecasting.theta import ThetaModel

        self._validate_params()
        values, index = self._check_fit_series(y)
        period = self.period_
        seasonal = period > 1 and len(values) >= 2 * period
        method = "multiplicative" if seasonal and (values > 0).all() else "additive"
        model = ThetaModel(values, period=period if seasonal else None,
                           deseasonalize=seasonal, method=method)  # fmt: skip
        self.model_ = model.fit()
        self._remember(values, index, getattr(y, "name", None))
        return self

    def predict(self, fh):
        """Forecasts ``fh`` steps ahead (an int, or a list of steps)."""
        check_is_fitted(self, "model_")
        self._validate_params()
        steps = check_horizon(fh)
        forecast = np.asarray(self.model_.forecast(int(steps.max())))
        return self._output(forecast[steps - 1], steps)
