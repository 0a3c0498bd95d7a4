"""Forecast combinations chosen on held-out data: the network and the classical forecasts.

The forecasters are fitted on the series less its last ``holdout`` values; their errors
there, scaled by the in-sample seasonal-naive error (MASE), weight them; then those with
a weight are refitted on the whole series. Combinations of simple forecasts won the M
competitions (M4: Makridakis et al., 2020). The rule was chosen on textflow's forecasting
collection (189 series, docs/forecasting.rst): half the weight to the network when it
beats the seasonal naive forecast on the held-out values, the rest to the classical
forecasts by their held-out errors.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import clone

#: How the held-out errors become weights.
RULES = ("validation", "equal", "best")


def mase_scale(train, period):
    """The in-sample mean absolute error of the seasonal naive forecast (lag ``period``,
    else 1), the scale of MASE; a constant series falls back to its mean level."""
    train = np.asarray(train, dtype=np.float64)
    for lag in (period, 1):
        if len(train) > lag:
            scale = float(np.mean(np.abs(train[lag:] - train[:-lag])))
            if scale > 0:
                return scale
    return max(float(np.mean(np.abs(train))), 1e-12)


def scaled_error(actual, forecast, train, period):
    """MASE of ``forecast``: its mean absolute error over :func:`mase_scale` of ``train``."""
    error = np.mean(np.abs(np.asarray(actual, np.float64) - np.asarray(forecast, np.float64)))
    return float(error) / mase_scale(train, period)


def held_out_forecasts(candidates, y, X, holdout):
    """Each candidate fitted on ``y`` less its last ``holdout`` values and its forecast
    of them: ``{name: forecast}`` (a classical forecast that cannot fit the shorter
    series, statsmodels failing on it, is left out)."""
    head = y.iloc[:-holdout] if hasattr(y, "iloc") else y[:-holdout]
    X_head = X_tail = None
    if X is not None:
        X_head = X.iloc[:-holdout] if hasattr(X, "iloc") else X[:-holdout]
        X_tail = X.iloc[-holdout:] if hasattr(X, "iloc") else X[-holdout:]
    forecasts = {}
    for name, model in candidates.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # statsmodels' convergence chatter, baselines'
            try:
                fitted = clone(model)
                if X is not None and getattr(model, "_reads_exogenous", False):
                    forecast = fitted.fit(head, X_head).predict(holdout, X_tail)
                else:
                    forecast = fitted.fit(head).predict(holdout)
            except (ValueError, np.linalg.LinAlgError):
                if name == "rnn":  # the network's room is checked first: a real error
                    raise
                continue
        forecast = np.asarray(forecast, dtype=np.float64)
        if np.all(np.isfinite(forecast)):
            forecasts[name] = forecast
    return forecasts


def combination_weights(errors, rule, anchor="seasonal_naive", network="rnn"):
    """Weights from held-out errors (``{name: MASE}``), summing to 1.

    ``"validation"``: the network gets half the weight when its held-out error is no
    worse than ``anchor``'s (none when it loses to the trivial forecast), the classical
    forecasts share the rest in inverse proportion to their squared errors;
    ``"equal"``: the same weight for every candidate; ``"best"``: all weight on the
    lowest error.
    """
    names = sorted(errors)
    if rule == "equal":
        return {name: 1.0 / len(names) for name in names}
    if rule == "best":
        best = min(names, key=lambda name: (errors[name], name))
        return {name: float(name == best) for name in names}
    classical = [n for n in names if n != network]
    inverse = {n: 1.0 / max(errors[n], 1e-9) ** 2 for n in classical}
    total = sum(inverse.values())
    weights = {n: inverse[n] / total for n in classical}
    if network in errors:
        share = 0.5 if errors[network] <= errors.get(anchor, np.inf) else 0.0
        weights = {n: (1 - share) * w for n, w in weights.items()}
        weights[network] = share
    return weights
