"""Checks shared by the forecasters: the series, its time index and the horizon."""

from __future__ import annotations

from numbers import Integral

import numpy as np


def check_series(y, *, min_length=2, name="y"):
    """``(values, index)``: a float array (1-D, or 2-D with variables as columns).

    Refuses non-numeric values, NaN and infinities (naming the first position), and
    an unsorted, duplicated or irregular time index.
    """
    index = getattr(y, "index", None)
    if not hasattr(index, "dtype"):  # a list's .index is a method, not a time index
        index = None
    if hasattr(y, "to_numpy"):
        y = y.to_numpy()
    raw = np.asarray(y, dtype=object) if not isinstance(y, np.ndarray) else y
    if raw.dtype.kind in "bUSO" and _holds_text_or_booleans(raw):
        sample = raw.ravel()[:3].tolist()
        raise ValueError(
            f"{name} must be numeric, not text or booleans; it holds values "
            f"such as {sample} (convert them first, e.g. pd.to_numeric)"
        )
    try:
        values = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        sample = np.asarray(y, dtype=object).ravel()[:3].tolist()
        raise ValueError(f"{name} must be numeric; it holds values such as {sample}") from None
    if values.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D (one series) or 2-D (time x variables); "
                         f"got shape {values.shape}")  # fmt: skip
    bad = ~np.isfinite(values)
    if bad.any():
        position = int(np.argwhere(bad)[0][0])
        kind = "NaN" if np.isnan(values.ravel()[np.flatnonzero(bad.ravel())[0]]) else "inf"
        raise ValueError(
            f"{name} has a missing or infinite value ({kind}) at position {position}; fill "
            "the gaps first (e.g. y.interpolate(method='time')) or drop the values"
        )
    if len(values) < min_length:
        raise ValueError(f"{name} has {len(values)} values; at least {min_length} are needed")
    if index is not None and _is_time_index(index):
        _check_time_index(index, name)
    else:
        if index is not None and len(index) > 1:
            _check_positions(index, name)
        index = None
    return values, index


def _holds_text_or_booleans(raw):
    if raw.dtype.kind in "bUS":
        return True
    return any(isinstance(v, (str, bytes, bool, np.bool_)) for v in raw.ravel()[:10_000])


def _check_positions(index, name):
    """A numeric index must count up, once per value, as the times of a series do."""
    values = np.asarray(index)
    if values.dtype.kind not in "iuf":
        return
    if np.any(np.diff(values) <= 0):
        kind = "duplicate" if len(np.unique(values)) < len(values) else "descending"
        raise ValueError(
            f"the index of {name} has {kind} positions: a series must be in "
            f"time order, one value per time (sort it, y.sort_index())"
        )


def infer_frequency(index):
    """The regular frequency of a time index (a pandas offset), or None: its ``freq``,
    else pandas' inference (whose return type pandas is changing: both are read)."""
    import warnings

    import pandas as pd

    if getattr(index, "freq", None) is not None:
        return index.freq
    if len(index) < 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        freq = pd.infer_freq(index)
    return None if freq is None else pd.tseries.frequencies.to_offset(freq)


def _is_time_index(index):
    return (
        hasattr(index, "is_monotonic_increasing")
        and getattr(index, "dtype", None) is not None
        and (str(index.dtype).startswith("datetime") or str(index.dtype).startswith("period"))
    )


def _check_time_index(index, name):
    if not index.is_monotonic_increasing:
        raise ValueError(f"the time index of {name} is not sorted; sort it (y.sort_index())")
    if index.has_duplicates:
        raise ValueError(f"the time index of {name} has duplicate times")
    if len(index) > 2 and getattr(index, "freq", None) is None:
        if infer_frequency(index) is None:
            raise ValueError(
                f"the time index of {name} is irregular (no frequency can be inferred); "
                "resample it to a regular frequency (e.g. y.resample('MS').mean())"
            )


def check_horizon(fh):
    """Steps ahead as an array of positive ints, in the caller's order and length:
    ``3`` -> ``[1, 2, 3]``; ``[3, 1, 1]`` stays ``[3, 1, 1]`` (one forecast per step asked).
    Booleans, strings and floats are refused, not converted."""
    if isinstance(fh, Integral) and not isinstance(fh, (bool, np.bool_)):
        if fh < 1:
            raise ValueError(f"fh must be >= 1 (steps ahead); got {fh}")
        return np.arange(1, int(fh) + 1)
    steps = np.asarray(fh)
    if steps.ndim != 1 or not len(steps) or steps.dtype.kind not in "iu":
        raise ValueError(f"fh must be an int or a 1-D list of ints (steps ahead); got {fh!r}")
    if steps.min() < 1:
        raise ValueError(f"fh must hold steps >= 1 ahead; got {steps.min()}")
    return steps.astype(np.int64)


def forecast_index(index, steps):
    """The timestamps ``steps`` ahead of the end of ``index`` (None: plain positions)."""
    if index is None:
        return None
    import pandas as pd

    freq = infer_frequency(index)
    future = pd.date_range(index[-1], periods=int(steps.max()) + 1, freq=freq)[1:]
    return future[steps - 1]


def as_output(values, index, steps, name=None):
    """Forecasts as a pandas Series indexed by time when the series had a time index."""
    future = forecast_index(index, steps)
    if future is None:
        return values
    import pandas as pd

    return pd.Series(values, index=future, name=name)
