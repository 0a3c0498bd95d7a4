"""RNNRegressor (windows -> values) and RNNForecaster (a series -> its next values)."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..models._keras import KerasBase, _routed
from ..models._keras_backend import import_keras
from ._baselines import _Forecaster
from ._checks import check_horizon, check_series
from ._window import SlidingWindow

CELLS = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def build_regressor(*, timesteps, n_variables, n_outputs, cell, units, num_layers, dropout,
                    dense_units):  # fmt: skip
    """Windows (time x variables) -> stacked recurrent layers -> a linear output per value."""
    keras = import_keras()
    layers = keras.layers
    inputs = keras.Input((timesteps, n_variables))
    x = inputs
    for layer in range(num_layers):
        x = getattr(layers, CELLS[cell])(units, return_sequences=layer < num_layers - 1,
                                         dropout=dropout)(x)  # fmt: skip
    if dense_units:
        x = layers.Dense(dense_units, activation="relu")(x)
    return keras.Model(inputs, layers.Dense(n_outputs)(x))


class RNNRegressor(RegressorMixin, KerasBase):
    """A recurrent regressor: windows of a series in, one or several values out.

    The input is what :class:`~textflow.series.SlidingWindow` produces: shape
    ``(n_samples, window)`` for one variable or ``(n_samples, window, n_variables)``.
    The target is ``(n_samples,)`` or ``(n_samples, n_outputs)`` (several steps ahead
    at once). It is scikit-learn's regressor contract (``score`` is R²) on the shared
    Keras base: routing, seeding, early stopping, pickling.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}, default="gru"
    units : int, default=32
    num_layers : int, default=1
    dropout : float, default=0.0
        Input dropout of the recurrent layers.
    dense_units : int, default=0
        A ReLU layer of this size before the output (0: none).
    epochs : int, default=200
        An upper bound with early stopping.
    batch_size : int, default=32
    validation_split : float, default=0.1
        The latest share of the windows held out to monitor ``val_loss`` (the
        windows are in time order, so this is the most recent part, never a
        random one).
    early_stopping : bool, default=True
    patience : int, default=20
    optimizer : str, default="adam"
    learning_rate : float, default=3e-3
    random_state : int or None, default=None
    verbose : int, default=0
    **routed_params
        ``fit__*``, ``compile__*`` and ``optimizer__*`` parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.series import RNNRegressor, SlidingWindow
    >>> y = np.sin(np.arange(120) / 4)
    >>> X, Y = SlidingWindow(window=8).make_supervised(y)
    >>> model = RNNRegressor(units=16, epochs=60, random_state=0).fit(X, Y.ravel())
    >>> bool(model.score(X, Y.ravel()) > 0.95)
    True
    """

    _parameter_constraints = {
        "cell": [StrOptions(set(CELLS))],
        "units": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "dense_units": [Interval(Integral, 0, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "optimizer": [str],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "random_state": [Interval(Integral, 0, None, closed="left"), None],
        "verbose": [Interval(Integral, 0, 2, closed="both")],
    }

    def __init__(self, *, cell="gru", units=32, num_layers=1, dropout=0.0, dense_units=0,
                 epochs=200, batch_size=32, validation_split=0.1, early_stopping=True,
                 patience=20, optimizer="adam", learning_rate=3e-3, random_state=None,
                 verbose=0, **routed_params):  # fmt: skip
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.dropout = dropout
        self.dense_units = dense_units
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.patience = patience
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.verbose = verbose
        self._set_routed(routed_params)

    def _windows(self, X, reset):
        X = validate_data(self, X, reset=reset, dtype=np.float32, allow_nd=True,
                          ensure_min_samples=1)  # fmt: skip
        if X.ndim == 2:
            X = X[:, :, None]
        if X.ndim != 3:
            raise ValueError(f"X must be windows: 2-D (samples, window) or 3-D (samples, "
                             f"window, variables); got shape {X.shape}")  # fmt: skip
        return X

    def fit(self, X, y):
        """Train on windows ``X`` and their targets ``y``.

        Returns
        -------
        self : object
        """
        with self._rollback_on_error():
            return self._fit(X, y)

    def _fit(self, X, y):
        self._validate_params()
        self._check_routes(self._extra_params())
        if y is None:
            raise ValueError("RNNRegressor requires y to be passed, but the target y is None.")
        X = self._windows(X, reset=True)
        y = np.asarray(y, dtype=np.float32)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn("A column-vector y was passed when a 1d array was expected; it is "
                          "read as one output.", DataConversionWarning, stacklevel=3)  # fmt: skip
        if y.ndim == 1:
            y = y[:, None]
        if y.ndim != 2 or len(y) != len(X):
            raise ValueError(f"y must hold one value (or one row of values) per window: "
                             f"{len(X)} windows, y of shape {y.shape}")  # fmt: skip
        if not np.all(np.isfinite(y)):
            raise ValueError("y contains NaN or infinite values")
        keras = import_keras()
        with self._seeded(keras):
            model = build_regressor(timesteps=X.shape[1], n_variables=X.shape[2],
                                    n_outputs=y.shape[1], cell=self.cell, units=self.units,
                                    num_layers=self.num_layers, dropout=self.dropout,
                                    dense_units=self.dense_units)  # fmt: skip
            model.compile(optimizer=self._make_optimizer(keras), loss="mse",
                          **_routed(self._routed_params(), "compile__"))  # fmt: skip
            validation = self.validation_split if len(X) * self.validation_split >= 1 else 0.0
            monitor = "val_loss" if validation else "loss"
            callbacks = [self._early_stopping(keras, monitor)] if self.early_stopping else []
            history = self._fit_model(model, X, y, {
                "epochs": self.epochs, "batch_size": self.batch_size, "shuffle": True,
                "validation_split": validation, "verbose": self.verbose, "callbacks": callbacks,
            })  # fmt: skip
        self.n_outputs_ = y.shape[1]
        self.window_shape_ = X.shape[1:]
        self.model_ = model
        self.history_ = history
        self.n_iter_ = len(history.get("loss", []))
        return self

    def predict(self, X):
        """Values for each window: shape ``(n,)``, or ``(n, n_outputs)`` for several."""
        check_is_fitted(self, "model_")
        X = self._windows(X, reset=False)
        out = np.asarray(self.model_.predict(X, batch_size=max(self.batch_size, 256),
                                             verbose=0), dtype=np.float64)  # fmt: skip
        return out[:, 0] if self.n_outputs_ == 1 else out


class RNNForecaster(_Forecaster):
    """Forecast a series with a recurrent network: ``fit(y)``, then ``predict(fh)``.

    The series is (optionally) differenced, then standardised with the mean and
    deviation of the training part only; windows of ``window`` values train an
    :class:`RNNRegressor`; forecasts are mapped back through both, exactly.

    ``strategy="direct"`` predicts ``horizon`` values at once from the last window
    (several steps without feeding errors back); ``"recursive"`` predicts one step
    and feeds it back. Steps beyond ``horizon`` continue recursively, block by block.

    Parameters
    ----------
    window : int or None, default=None
        Past values each forecast reads (``None``: two seasons, ``2 * period``, or
        24 values for a series without a season).
    horizon : int, default=12
        Values the direct model predicts at once.
    period : int, default=1
        The seasonal period m of the series (12 for monthly data with a yearly
        season, 1 for none), as the seasonal naive and ETS baselines take it.
    strategy : {"direct", "recursive"}, default="direct"
    difference : int or None, default=None
        Lag of a difference taken first, inverted on output (1: steps; the season's
        length: seasonal differences; 0: none). ``None`` takes seasonal
        differences when there is a season (``period > 1``), none otherwise: the
        network then learns what changes from one season to the next, and a
        forecast of "no change" is exactly the seasonal naive one.
    cell, units, num_layers, dropout, epochs, learning_rate, patience, random_state, \
verbose
        See :class:`RNNRegressor`.

    Attributes
    ----------
    regressor_ : RNNRegressor
        The trained network.

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.series import RNNForecaster
    >>> y = 10 + np.sin(np.arange(200) * 2 * np.pi / 20)
    >>> forecaster = RNNForecaster(window=20, horizon=10, units=16, random_state=0).fit(y)
    >>> bool(np.abs(forecaster.predict(10) - (10 + np.sin(np.arange(200, 210) * 2 * np.pi
    ...                                                    / 20))).max() < 0.2)
    True
    """

    _parameter_constraints = {
        "window": [Interval(Integral, 1, None, closed="left"), None],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "period": [Interval(Integral, 1, None, closed="left")],
        "strategy": [StrOptions({"direct", "recursive"})],
        "difference": [Interval(Integral, 0, None, closed="left"), None],
        **{key: RNNRegressor._parameter_constraints[key] for key in (
            "cell", "units", "num_layers", "dropout", "epochs", "learning_rate", "patience",
            "random_state", "verbose")},
    }  # fmt: skip

    def __init__(self, *, window=None, horizon=12, period=1, strategy="direct", difference=None,
                 cell="gru", units=32, num_layers=1, dropout=0.0, epochs=200,
                 learning_rate=3e-3, patience=20, random_state=None, verbose=0):  # fmt: skip
        self.window = window
        self.horizon = horizon
        self.period = period
        self.strategy = strategy
        self.difference = difference
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.dropout = dropout
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose

    def _steps_per_model(self):
        return self.horizon if self.strategy == "direct" else 1

    def _window(self):
        return self.window or (2 * self.period if self.period > 1 else 24)

    def _lag(self):
        if self.difference is not None:
            return self.difference
        return self.period if self.period > 1 else 0

    def fit(self, y, X=None):
        """Train on the series ``y`` (a 1-D array or pandas Series).

        Parameters
        ----------
        y : array-like of shape (n,)
            The series.
        X : array-like of shape (n,) or (n, k), default=None
            Exogenous variables, one row per value of ``y`` (a calendar, a
            temperature...). Their future values must then be given to
            ``predict``: the network reads, beside each window of the series, the
            variables up to the time it forecasts.

        Returns
        -------
        self : object
        """
        self._validate_params()
        outputs, window, lag = self._steps_per_model(), self._window(), self._lag()
        values, index = check_series(y, min_length=window + outputs + lag)
        if values.ndim != 1:
            raise ValueError("RNNForecaster forecasts one series: y must be 1-D")
        exog = None
        if X is not None:
            exog = self._check_exog(X, len(values), "fit", name="X")
            if window < outputs:
                raise ValueError(f"with exogenous variables the window ({window}) must be at "
                                 f"least the steps forecast at once ({outputs})")  # fmt: skip
            self.exog_mean_ = exog.mean(axis=0)
            self.exog_scale_ = np.where(exog.std(axis=0) > 0, exog.std(axis=0), 1.0)
            exog = (exog - self.exog_mean_) / self.exog_scale_
        self.n_exogenous_ = 0 if exog is None else exog.shape[1]
        changes = self._difference(values)
        self.mean_, self.scale_ = float(changes.mean()), float(changes.std() or 1.0)
        scaled = (changes - self.mean_) / self.scale_
        inputs, targets = SlidingWindow(window, horizon=outputs).make_supervised(scaled)
        if exog is not None:  # beside each window, the variables `outputs` steps later
            later = exog[lag + outputs :]
            shifted = np.lib.stride_tricks.sliding_window_view(later, window, axis=0)
            shifted = shifted.transpose(0, 2, 1)
            inputs = np.concatenate([inputs[:, :, None], shifted[: len(inputs)]], axis=2)
        if outputs == 1:
            targets = targets.ravel()
        self.regressor_ = RNNRegressor(
            cell=self.cell, units=self.units, num_layers=self.num_layers,
            dropout=self.dropout, epochs=self.epochs, learning_rate=self.learning_rate,
            patience=self.patience, random_state=self.random_state, verbose=self.verbose,
        ).fit(inputs, targets)  # fmt: skip
        self.window_, self.difference_ = window, lag
        self.last_values_ = values[-(window + lag) :]
        self.last_exog_ = None if exog is None else exog[-window:]
        self._remember(values, index, getattr(y, "name", None))
        self.residuals_ = self._held_out_errors(values, exog, len(inputs))
        return self

    def _check_exog(self, X, rows, when, name="X"):
        exog, _ = check_series(X, min_length=1, name=name)
        exog = exog.reshape(len(exog), -1)
        if when == "fit" and len(exog) != rows:
            raise ValueError(f"X has {len(exog)} rows but y has {rows} values; give one row "
                             "of exogenous variables per value")  # fmt: skip
        if when == "predict" and len(exog) < rows:
            raise ValueError(
                f"X has {len(exog)} rows but the forecast needs the exogenous variables of "
                f"{rows} future steps (forecasts are made {self._steps_per_model()} steps at "
                "a time)"
            )
        if when == "predict" and exog.shape[1] != self.n_exogenous_:
            raise ValueError(f"X has {exog.shape[1]} variables; the forecaster was fitted "
                             f"with {self.n_exogenous_}")  # fmt: skip
        return exog[:rows]

    def _difference(self, values):
        lag = self._lag()
        return values[lag:] - values[:-lag] if lag else values

    def _forecast(self, tails, n_steps, exog=None, network=None):
        """Forecasts from many origins at once: ``tails`` (origins, window + lag) holds
        the values before each origin, ``exog`` (origins, window + blocks * steps, k) the
        scaled variables from the window's first time on. Returns (origins, n_steps)."""
        lag, size, outputs = self.difference_, self.window_, self._steps_per_model()
        network = network or (lambda x: self.regressor_.predict(x).reshape(len(x), -1))
        changes = tails[:, lag:] - tails[:, :-lag] if lag else tails
        history = (changes - self.mean_) / self.scale_
        for block in range(-(-n_steps // outputs)):
            x = history[:, -size:, None]
            if exog is not None:
                start = (block + 1) * outputs
                x = np.concatenate([x, exog[:, start : start + size]], axis=2)
            history = np.concatenate([history, network(x.astype(np.float32))], axis=1)
        produced = history[:, size : size + n_steps] * self.scale_ + self.mean_
        if not lag:
            return produced
        levels = np.concatenate([tails[:, -lag:], np.zeros_like(produced)], axis=1)
        for step in range(n_steps):
            levels[:, lag + step] = levels[:, step] + produced[:, step]
        return levels[:, lag:]

    def _future_exog(self, X, n_steps):
        if self.n_exogenous_ == 0:
            if X is not None:
                raise ValueError("X was given but the forecaster was fitted without "
                                 "exogenous variables")  # fmt: skip
            return None
        if X is None:
            raise ValueError(f"the forecaster was fitted with {self.n_exogenous_} exogenous "
                             "variables: pass their future values as X (one row per step "
                             "ahead)")  # fmt: skip
        rows = -(-n_steps // self._steps_per_model()) * self._steps_per_model()
        future = (self._check_exog(X, rows, "predict") - self.exog_mean_) / self.exog_scale_
        return np.concatenate([self.last_exog_, future])[None]

    def _held_out_errors(self, values, exog, n_windows, at_least=10):
        """Errors (actual - forecast) of ``horizon``-step forecasts from the origins of the
        network's validation windows (the last tenth, never trained on), extended back to
        ``at_least`` origins: the spread behind ``predict_interval``."""
        lag, size, steps = self.difference_, self.window_, self.horizon
        blocks = -(-steps // self._steps_per_model()) * self._steps_per_model()
        last = len(values) - max(steps, blocks if exog is not None else steps)
        validation = self.regressor_.validation_split
        held_out = n_windows - int(np.ceil(n_windows * (1 - validation)))
        first = max(size + lag, last - max(held_out, at_least) + 1)
        starts = np.arange(first, last + 1)
        if not len(starts):
            return np.empty((0, steps))
        tails = np.stack([values[o - size - lag : o] for o in starts])
        windows = None
        if exog is not None:
            windows = np.stack([exog[o - size : o + blocks] for o in starts])
        forecasts = self._forecast(tails, steps, windows)
        actual = np.stack([values[o : o + steps] for o in starts])
        return actual - forecasts

    def predict(self, fh, X=None):
        """Forecasts ``fh`` steps ahead (an int, or a list of steps).

        ``X``: the exogenous variables' future values, one row per step from the
        first step ahead on, when the forecaster was fitted with them.
        """
        check_is_fitted(self, "regressor_")
        steps = check_horizon(fh)
        exog = self._future_exog(X, int(steps.max()))
        forecast = self._forecast(self.last_values_[None], int(steps.max()), exog)[0]
        return self._output(forecast[steps - 1], steps)

    def predict_interval(self, fh, X=None, coverage=0.9, method="residuals", n_samples=100):
        """Lower and upper bounds that should hold the truth with probability ``coverage``.

        Parameters
        ----------
        fh : int or list of int
            Steps ahead (at most ``horizon`` with ``method="residuals"``).
        X : array-like, default=None
            Future exogenous variables, as for :meth:`predict`.
        coverage : float, default=0.9
        method : {"residuals", "dropout"}, default="residuals"
            ``"residuals"``: the point forecast plus the quantiles, at each step
            ahead, of the errors of forecasts made in ``fit`` from the origins of the
            network's validation windows (the last tenth of the series, not trained
            on; at least 10 origins, taking earlier ones on short series). Few
            origins make rough quantiles: check the coverage with :func:`backtest`. ``"dropout"``:
            Monte-Carlo dropout (Gal & Ghahramani, 2016), the quantiles of
            ``n_samples`` forecasts with dropout left on (needs ``dropout > 0``).
        n_samples : int, default=100
            Forecasts drawn with ``method="dropout"``.

        Returns
        -------
        ndarray of shape (len(fh), 2), or a DataFrame with columns ``lower`` and
        ``upper`` indexed by time when the series had a time index.
        """
        check_is_fitted(self, "regressor_")
        if not 0 < coverage < 1:
            raise ValueError(f"coverage must be in (0, 1); got {coverage}")
        steps = check_horizon(fh)
        quantiles = [(1 - coverage) / 2, (1 + coverage) / 2]
        if method == "residuals":
            if steps.max() > self.horizon:
                raise ValueError(f"residual intervals reach {self.horizon} steps (the "
                                 f"horizon); fh asks for {steps.max()}")  # fmt: skip
            if not len(self.residuals_):
                raise ValueError("the series is too short for residual intervals: no "
                                 "forecast of the whole horizon fits in it")  # fmt: skip
            point = self.predict(steps, X)
            errors = np.quantile(self.residuals_[:, steps - 1], quantiles, axis=0).T
            bounds = np.asarray(point, dtype=np.float64)[:, None] + errors
        elif method == "dropout":
            if not self.dropout:
                raise ValueError("method='dropout' needs a forecaster fitted with dropout > 0")
            exog = self._future_exog(X, int(steps.max()))
            model = self.regressor_.model_
            tails = np.repeat(self.last_values_[None], n_samples, axis=0)
            exog = None if exog is None else np.repeat(exog, n_samples, axis=0)
            draws = self._forecast(tails, int(steps.max()), exog,
                                   network=lambda x: np.asarray(model(x, training=True),
                                                                dtype=np.float64))  # fmt: skip
            bounds = np.quantile(draws[:, steps - 1], quantiles, axis=0).T
        else:
            raise ValueError(f"method must be 'residuals' or 'dropout'; got {method!r}")
        if self._index is None:
            return bounds
        import pandas as pd

        return pd.DataFrame({"lower": self._output(bounds[:, 0], steps),
                             "upper": self._output(bounds[:, 1], steps)})  # fmt: skip
