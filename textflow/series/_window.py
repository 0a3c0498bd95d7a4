"""SlidingWindow: a series to supervised windows (inputs) and the values that follow them."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval

from ._checks import check_series


class SlidingWindow(TransformerMixin, BaseEstimator):
    """Cut a series into windows of ``window`` values and the ``horizon`` values after each.

    ``transform`` gives the input windows (every window that starts at a multiple of
    ``stride`` and has ``horizon`` values after it, oldest first); ``targets`` gives
    those values; ``make_supervised`` both at once; ``last_window`` the final
    ``window`` values, from which a forecast starts.

    Parameters
    ----------
    window : int
        Values in each input window.
    horizon : int, default=1
        Values after each window that are its targets.
    stride : int, default=1
        Step between the starts of consecutive windows.

    Examples
    --------
    >>> from textflow.series import SlidingWindow
    >>> X, Y = SlidingWindow(window=3, horizon=2).make_supervised([1, 2, 3, 4, 5, 6])
    >>> X.tolist(), Y.tolist()
    ([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]], [[4.0, 5.0], [5.0, 6.0]])
    >>> SlidingWindow(window=3).fit([1, 2, 3, 4, 5, 6]).last_window([1, 2, 3, 4, 5, 6]).tolist()
    [4.0, 5.0, 6.0]
    """

    _parameter_constraints = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, window, *, horizon=1, stride=1):
        self.window = window
        self.horizon = horizon
        self.stride = stride

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        # a series in, fewer rows (windows) out: not a row-preserving feature transformer
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        return tags

    def fit(self, y, X=None):
        """Check the parameters and that ``y`` holds at least one window and its targets."""
        self._check(y)
        self.n_variables_ = 1 if np.ndim(y) == 1 else np.shape(y)[1]
        return self

    def _check(self, y):
        self._validate_params()
        values, _ = check_series(y, min_length=1)
        needed = self.window + self.horizon
        if len(values) < needed:
            raise ValueError(
                f"the series has {len(values)} values, fewer than window + horizon = "
                f"{self.window} + {self.horizon} = {needed}: no window has its targets"
            )
        return values

    def _starts(self, n):
        return np.arange(0, n - self.window - self.horizon + 1, self.stride)

    def transform(self, y):
        """Input windows: shape ``(n_windows, window)``, or ``(n_windows, window, n_vars)``."""
        values = self._check(y)
        starts = self._starts(len(values))
        return values[starts[:, None] + np.arange(self.window)]

    def targets(self, y, column=0):
        """The ``horizon`` values after each window (of one ``column`` of a 2-D series)."""
        values = self._check(y)
        if values.ndim == 2:
            values = values[:, column]
        starts = self._starts(len(values)) + self.window
        return values[starts[:, None] + np.arange(self.horizon)]

    def make_supervised(self, y, column=0):
        """``(X, Y)``: input windows and their targets, aligned row by row."""
        return self.transform(y), self.targets(y, column)

    def last_window(self, y):
        """The final ``window`` values of ``y``: the input of a forecast."""
        self._validate_params()
        values, _ = check_series(y, min_length=self.window)
        return values[-self.window :]

    def get_feature_names_out(self, input_features=None):
        """``lag_{window-1}`` ... ``lag_0`` (the most recent value last)."""
        return np.array([f"lag_{self.window - 1 - i}" for i in range(self.window)], dtype=object)
