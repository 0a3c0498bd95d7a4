"""Estimators that know their trivial baseline: both figures kept, a warning when the model
does not beat it, and a clear error when training diverges."""

from __future__ import annotations

import math
import warnings


class BaselineWarning(UserWarning):
    """A trained model scores no better than its trivial baseline on the data it was
    checked on (held-out data where there was some, else the training data).

    The message names both figures and the parameter most likely to help; the figures
    stay on the estimator as ``best_score_`` and ``baseline_score_``.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from textflow import BaselineWarning
    >>> from textflow.series import RNNForecaster
    >>> noise = np.random.default_rng(0).normal(size=60)  # nothing to learn
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     forecaster = RNNForecaster(horizon=6, epochs=5, random_state=0).fit(noise)
    >>> any(issubclass(w.category, BaselineWarning) for w in caught)  # doctest: +SKIP
    True
    """


class TrainingDivergedError(ValueError):
    """Training produced a non-finite loss (or never left a uniform guess): the message
    names the parameter to change; the estimator is left as it was before ``fit``.

    Examples
    --------
    >>> from textflow import TrainingDivergedError
    >>> issubclass(TrainingDivergedError, ValueError)
    True
    """


def beats(score, baseline, higher_is_better):
    """Whether ``score`` is strictly better than ``baseline``."""
    return score > baseline if higher_is_better else score < baseline


def record_baseline(estimator, *, score, baseline, metric, baseline_name, higher_is_better,
                    checked_on, hint):  # fmt: skip
    """Keep both figures on ``estimator`` and warn when the model does not beat the baseline.

    Sets ``best_score_`` (the model's ``metric`` on ``checked_on``), ``baseline_score_``
    (the baseline's), ``baseline_`` (its name) and ``score_name_`` (``metric``).
    """
    estimator.best_score_ = float(score)
    estimator.baseline_score_ = float(baseline)
    estimator.baseline_ = baseline_name
    estimator.score_name_ = metric
    if not math.isfinite(score) or not beats(score, baseline, higher_is_better):
        warnings.warn(
            f"{type(estimator).__name__} does not beat its baseline: {metric} {score:.4g} on "
            f"{checked_on}, against {baseline:.4g} for {baseline_name}; {hint}",
            BaselineWarning,
            stacklevel=4,
        )


def check_finite_loss(estimator, history, hint):
    """Raise :class:`TrainingDivergedError` when a training loss is not finite."""
    for epoch, loss in enumerate(history.get("loss", []), start=1):
        if not math.isfinite(loss):
            raise TrainingDivergedError(
                f"{type(estimator).__name__}'s training loss became {loss} at epoch {epoch}: "
                f"the training diverged; {hint}"
            )
