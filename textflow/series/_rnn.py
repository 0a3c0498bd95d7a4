"""RNNRegressor (windows -> values) and RNNForecaster (a series -> its next values, alone
or combined with the classical forecasts)."""

from __future__ import annotations

import warnings
from functools import partial
from numbers import Integral

import numpy as np
from sklearn.base import RegressorMixin, clone
from sklearn.exceptions import DataConversionWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .._keras import CELLS, KerasBase, import_keras, recurrent_layer
from .._keras._base import non_negative_int, positive_int, rate
from .._keras._baseline import BaselineWarning
from .._keras._batching import predict_in_row_buckets
from .._state import fill_missing_parameters
from ._baselines import ETSForecaster, SeasonalNaiveForecaster, ThetaForecaster, _Forecaster
from ._checks import check_horizon, check_series
from ._combination import RULES, combination_weights, held_out_forecasts, mase_scale, scaled_error
from ._window import SlidingWindow


def build_regressor(*, timesteps, n_variables, n_outputs, cell, units, num_layers, dropout,
                    dense_units):  # fmt: skip
    """Windows (time x variables) -> stacked recurrent layers -> a linear output per value."""
    keras = import_keras()
    layers = keras.layers
    inputs = keras.Input((timesteps, n_variables))
    x = inputs
    for layer in range(num_layers):
        x = recurrent_layer(keras, cell)(units, return_sequences=layer < num_layers - 1,
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
        **KerasBase._parameter_constraints,
        "cell": [StrOptions(set(CELLS))],
        "units": [positive_int],
        "num_layers": [positive_int],
        "dropout": [rate],
        "dense_units": [non_negative_int],
        "validation_split": [rate],
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
        self._validate_fit_params()
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
            self._compile(keras, model, "mse")
            validation = self.validation_split if len(X) * self.validation_split >= 1 else 0.0
            callbacks = self._schedule(keras, "val_loss" if validation else "loss")
            history = self._train(model, X, y, {
                "epochs": self.epochs, "batch_size": self.batch_size, "shuffle": True,
                "validation_split": validation, "verbose": self.verbose, "callbacks": callbacks,
            })  # fmt: skip
        self.n_outputs_ = y.shape[1]
        self.window_shape_ = X.shape[1:]
        self._finish_fit(model, history)
        held = int(len(X) * validation)
        rows = slice(len(X) - held, None) if held else slice(None)
        self._check_baseline(
            X[rows],
            y[rows],
            y[: len(X) - held] if held else y,
            "the validation split" if held else "the training windows",
        )
        return self

    def _check_baseline(self, X, y, y_train, where):
        """Mean squared error of the network and of the training targets' mean."""
        from .._keras._baseline import record_baseline

        predicted = self.predict(X).reshape(len(X), -1)
        record_baseline(
            self, score=float(np.mean((predicted - y) ** 2)),
            baseline=float(np.mean((y_train.mean(axis=0) - y) ** 2)),
            metric="mean squared error", baseline_name="predicting the training mean",
            higher_is_better=False, checked_on=where,
            hint="train longer (epochs), or with another learning_rate or window",
        )  # fmt: skip

    def predict(self, X):
        """Values for each window: shape ``(n,)``, or ``(n, n_outputs)`` for several."""
        self._check_ready()
        X = self._windows(X, reset=False)
        out = predict_in_row_buckets(self.model_, X, max(self.batch_size, 256))
        out = np.asarray(out, dtype=np.float64)
        return out[:, 0] if self.n_outputs_ == 1 else out


#: Fewest training windows the network is trained on; a series too short for them gets
#: the classical forecasts alone (or, with ``combine=None``, an error saying so).
MIN_WINDOWS = 10


class RNNForecaster(_Forecaster):
    """Forecast a series with a recurrent network and the classical forecasts it must beat.

    ``fit(y)``, then ``predict(fh)``, as in sktime. The network: the series is
    differenced (seasonally when there is a season), standardised with the mean and
    deviation of the training part only, and cut into windows that train an
    :class:`RNNRegressor`; its forecasts are mapped back through both, exactly.

    By default (``combine="validation"``) the network is combined with the seasonal
    naive, ETS and Theta forecasts: each is fitted on the series less its last
    ``horizon`` values and scored there (MASE); the network gets half the weight when
    it beats the seasonal naive forecast there (none when it loses to it), the
    classical forecasts share the rest in inverse proportion to their squared held-out
    errors, and the ones with a weight are refitted on the whole series. A series too
    short to train the network on gets the classical forecasts alone. Chosen on a
    collection of 189 series (the forecasting page): against the network alone it
    beats the seasonal naive forecast on more series (79.9 % against 75.3 %) at a
    similar mean MASE. ``weights_`` and ``validation_errors_`` show the choice;
    ``combine=None`` forecasts with the network alone.

    Steps beyond ``horizon`` continue recursively, block by block.

    Parameters
    ----------
    window : int or None, default=None
        Past values each forecast reads. ``None``: two seasons (``2 * period``), or 24
        values without a season, fewer when the series is too short to give
        :data:`MIN_WINDOWS` training windows.
    horizon : int, default=12
        Values the direct network predicts at once, and the held-out length the
        combination is chosen on.
    period : int or None, default=None
        The seasonal period m (12 for monthly data with a yearly season, 1 for none).
        ``None`` reads it from a regular time index (:func:`infer_period`: monthly 12,
        quarterly 4, weekly 52, daily 7, hourly 24, half-hourly 48...); a plain array
        has none (1). The period used is ``period_``.
    strategy : {"auto", "direct", "recursive"}, default="auto"
        ``"direct"`` predicts ``horizon`` values at once from the last window (several
        steps without feeding errors back); ``"recursive"`` predicts one step and feeds
        it back. ``"auto"``: direct when the series gives :data:`MIN_WINDOWS` windows of
        ``horizon`` targets, else recursive.
    difference : int or None, default=None
        Lag of a difference taken first, inverted on output (1: steps; the season's
        length: seasonal differences; 0: none). ``None``: seasonal differences with a
        season, first differences without: the network learns what changes, and a
        forecast of "no change" is exactly the (seasonal) naive one.
    combine : {"validation", "equal", "best"} or None, default="validation"
        How the network and the classical forecasts are combined: by their held-out
        errors (above), with equal weights, or the single best one on the held-out
        values; ``None``: the network alone.
    cell, units, num_layers, dropout, epochs, learning_rate, patience, random_state, \
verbose
        See :class:`RNNRegressor`.

    Attributes
    ----------
    period_ : int
        The seasonal period used (given, or read from the index).
    regressor_ : RNNRegressor
        The trained network (``combine=None``).
    candidates_ : dict
        ``{name: fitted forecaster}`` of the combined forecasts with a weight.
    weights_ : dict
        The weight of each candidate (``{"rnn": 1.0}`` with ``combine=None``).
    validation_errors_ : dict
        Each candidate's MASE on the held-out values.
    best_score_, baseline_score_ : float
        The forecaster's held-out MASE and the seasonal naive forecast's (a
        :class:`~textflow.BaselineWarning` says when the first is no lower).

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.series import RNNForecaster
    >>> y = 10 + np.sin(np.arange(200) * 2 * np.pi / 20)
    >>> forecaster = RNNForecaster(window=20, horizon=10, period=20, units=16,
    ...                            random_state=0).fit(y)
    >>> bool(np.abs(forecaster.predict(10) - (10 + np.sin(np.arange(200, 210) * 2 * np.pi
    ...                                                    / 20))).max() < 0.2)
    True
    >>> sorted(forecaster.weights_)
    ['ets', 'rnn', 'seasonal_naive', 'theta']
    """

    _reads_exogenous = True
    _parameter_constraints = {
        "window": [Interval(Integral, 1, None, closed="left"), None],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "period": [Interval(Integral, 1, None, closed="left"), None],
        "strategy": [StrOptions({"auto", "direct", "recursive"})],
        "difference": [Interval(Integral, 0, None, closed="left"), None],
        "combine": [StrOptions(set(RULES)), None],
        **{key: RNNRegressor._parameter_constraints[key] for key in (
            "cell", "units", "num_layers", "dropout", "epochs", "learning_rate", "patience",
            "random_state", "verbose")},
    }  # fmt: skip

    def __init__(self, *, window=None, horizon=12, period=None, strategy="auto",
                 difference=None, combine="validation", cell="gru", units=32, num_layers=1,
                 dropout=0.0, epochs=200, learning_rate=3e-3, patience=20, random_state=None,
                 verbose=0):  # fmt: skip
        self.window = window
        self.horizon = horizon
        self.period = period
        self.strategy = strategy
        self.difference = difference
        self.combine = combine
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.dropout = dropout
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose

    def __setstate__(self, state):
        if "regressor_" in state and "weights_" not in state:
            # saved before the combination existed: the network alone, as it was trained
            state.setdefault("combine", None)
            state.setdefault("strategy_", state.get("strategy", "direct"))
            state.setdefault("period_", state.get("period") or 1)
            state.update(weights_={"rnn": 1.0}, candidates_={},
                         fitted_with_exogenous_=state.get("n_exogenous_", 0) > 0)  # fmt: skip
        super().__setstate__(fill_missing_parameters(type(self), state))

    # --- the network's layout, fitted to the series ------------------------------------

    def _steps_per_model(self):
        return self.horizon if self.strategy_ == "direct" else 1

    def _lag(self, period):
        if self.difference is not None:
            return self.difference
        return period if period > 1 else 1

    def _layout(self, n, period):
        """``(strategy, window, lag)`` for a series of ``n`` values; a ValueError when it is
        too short to train the network on :data:`MIN_WINDOWS` windows."""
        lag = self._lag(period)
        wanted = self.window or (2 * period if period > 1 else 24)
        strategies = [self.strategy] if self.strategy != "auto" else ["direct", "recursive"]
        fewest = 1 if self.window else MIN_WINDOWS  # a window given is the user's choice
        for strategy in strategies:
            outputs = self.horizon if strategy == "direct" else 1
            room = n - lag - outputs + 1 - fewest  # the longest window that still fits
            window = wanted if self.window else min(wanted, room)
            if 1 <= window <= room:
                return strategy, window, lag
        raise ValueError(
            f"the series has {n} values: too few to train the network on {fewest} "
            f"window{'s' * (fewest > 1)} (window {wanted}, horizon {self.horizon}, difference "
            f"lag {lag}); give "
            "a longer series, a smaller window or horizon, or combine='validation' to "
            "forecast it with the classical forecasts"
        )

    # --- fitting ---------------------------------------------------------------------------

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
            variables up to the time it forecasts (the classical forecasts do not).

        Returns
        -------
        self : object
        """
        self._validate_params()
        values, index = self._check_fit_series(y)
        if self.verbose and self.period is None:
            print(
                f"RNNForecaster: period {self.period_} "
                f"({'read from the time index' if index is not None else 'no time index'})"
            )
        if self.combine is None:
            self._fit_network(values, X)
            self.fitted_with_exogenous_ = X is not None
            self.weights_ = {"rnn": 1.0}
            self.candidates_ = {}
        else:
            self._fit_combination(y, X, values)
        self._remember(values, index, getattr(y, "name", None))
        return self

    def _candidates(self):
        network = clone(self).set_params(combine=None, period=self.period_, verbose=0)
        return {"rnn": network, "seasonal_naive": SeasonalNaiveForecaster(period=self.period_),
                "ets": ETSForecaster(period=self.period_),
                "theta": ThetaForecaster(period=self.period_)}  # fmt: skip

    def _fit_combination(self, y, X, values):
        from .._keras._baseline import record_baseline

        self.exogenous_names_ = list(X.columns) if hasattr(X, "columns") else None
        if X is not None:  # the user's X is checked here, not left to a candidate
            self._check_exog(X, len(values), "fit", name="X")
        candidates = self._candidates()
        holdout = min(self.horizon, len(values) // 3)
        try:  # the network is a candidate when the shorter series leaves it room
            self._layout(len(values) - holdout, self.period_)
        except ValueError:
            del candidates["rnn"]
        held = held_out_forecasts(candidates, y, X, holdout)
        if "seasonal_naive" not in held:
            raise ValueError(f"the series has {len(values)} values: too short to hold "
                             f"{holdout} out and forecast them")  # fmt: skip
        head, tail = values[:-holdout], values[-holdout:]
        errors = {name: scaled_error(tail, forecast, head, self.period_)
                  for name, forecast in held.items()}  # fmt: skip
        weights = combination_weights(errors, self.combine)
        combined = sum(weights[name] * held[name] for name in held)
        fitted = {}
        for name, weight in weights.items():
            if weight > 0:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = candidates[name]
                    fitted[name] = (model.fit(y, X) if X is not None and name == "rnn"
                                    else model.fit(y))  # fmt: skip
        self.candidates_ = fitted
        self.weights_ = weights
        self.validation_errors_ = errors
        self.residuals_ = _combination_residuals(self, values)
        self.n_exogenous_ = 0 if X is None or "rnn" not in fitted else fitted["rnn"].n_exogenous_
        self.fitted_with_exogenous_ = X is not None
        if X is not None and "rnn" not in fitted:
            warnings.warn("the network lost to the classical forecasts on the held-out values: "
                          "the forecast does not read X", UserWarning, stacklevel=3)  # fmt: skip
        record_baseline(
            self, score=scaled_error(tail, combined, head, self.period_),
            baseline=errors["seasonal_naive"], metric="held-out MASE",
            baseline_name="the seasonal naive forecast", higher_is_better=False,
            checked_on=f"the last {holdout} values",
            hint="the series may have no more structure than its last season; check the "
            "period (period_) and compare with backtest()",
        )  # fmt: skip

    def _fit_network(self, values, X):
        from .._keras._baseline import record_baseline

        self.strategy_, window, lag = self._layout(len(values), self.period_)
        outputs = self._steps_per_model()
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
        self.exogenous_names_ = list(X.columns) if hasattr(X, "columns") else None
        changes = values[lag:] - values[:-lag] if lag else values
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
        with warnings.catch_warnings():  # the forecaster checks its own baseline, below
            warnings.simplefilter("ignore", BaselineWarning)
            self.regressor_ = RNNRegressor(
                cell=self.cell, units=self.units, num_layers=self.num_layers,
                dropout=self.dropout, epochs=self.epochs, learning_rate=self.learning_rate,
                patience=self.patience, random_state=self.random_state, verbose=self.verbose,
            ).fit(inputs, targets)  # fmt: skip
        self.window_, self.difference_ = window, lag
        self.last_values_ = values[-(window + lag) :]
        self.last_exog_ = None if exog is None else exog[-window:]
        self.residuals_, origins = self._held_out_errors(values, exog, len(inputs))
        self.residual_origins_ = origins
        if len(origins):
            naive = np.stack([_seasonal_naive(values[:o], self.horizon, self.period_)
                              for o in origins])  # fmt: skip
            actual = np.stack([values[o : o + self.horizon] for o in origins])
            scale = mase_scale(values, self.period_)
            record_baseline(
                self, score=float(np.mean(np.abs(self.residuals_))) / scale,
                baseline=float(np.mean(np.abs(actual - naive))) / scale,
                metric="MASE", baseline_name="the seasonal naive forecast",
                higher_is_better=False, checked_on=f"{len(origins)} held-out origins",
                hint="try combine='validation', a longer window, or more epochs",
            )  # fmt: skip

    # --- the network's forecasts ---------------------------------------------------------

    def _check_exog(self, X, rows, when, name="X"):
        exog, _ = check_series(X, min_length=1, name=name)
        exog = exog.reshape(len(exog), -1)
        if when == "fit" and len(exog) != rows:
            raise ValueError(f"X has {len(exog)} rows but y has {rows} values; give one row "
                             "of exogenous variables per value")  # fmt: skip
        if when == "predict" and len(exog) != rows:
            raise ValueError(
                f"X has {len(exog)} rows but the forecast needs the exogenous variables of "
                f"exactly {rows} future steps, one row per step ahead (forecasts are made "
                f"{self._steps_per_model()} steps at a time)"
            )
        if when == "predict" and exog.shape[1] != self.n_exogenous_:
            raise ValueError(f"X has {exog.shape[1]} variables; the forecaster was fitted "
                             f"with {self.n_exogenous_}")  # fmt: skip
        names = list(X.columns) if hasattr(X, "columns") else None
        known = getattr(self, "exogenous_names_", None)
        if when == "predict" and names is not None and known is not None and names != known:
            raise ValueError(f"X has the columns {names}; the forecaster was fitted with "
                             f"{known} (same names, same order)")  # fmt: skip
        return exog

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
        ``at_least`` origins, and those origins: the spread behind ``predict_interval``."""
        lag, size, steps = self.difference_, self.window_, self.horizon
        blocks = -(-steps // self._steps_per_model()) * self._steps_per_model()
        last = len(values) - max(steps, blocks if exog is not None else steps)
        validation = self.regressor_.validation_split
        held_out = n_windows - int(np.ceil(n_windows * (1 - validation)))
        first = max(size + lag, last - max(held_out, at_least) + 1)
        starts = np.arange(first, last + 1)
        if not len(starts):
            return np.empty((0, steps)), starts
        tails = np.stack([values[o - size - lag : o] for o in starts])
        windows = None
        if exog is not None:
            windows = np.stack([exog[o - size : o + blocks] for o in starts])
        forecasts = self._forecast(tails, steps, windows)
        actual = np.stack([values[o : o + steps] for o in starts])
        return actual - forecasts, starts

    # --- prediction ---------------------------------------------------------------------------

    def predict(self, fh, X=None):
        """Forecasts ``fh`` steps ahead (an int, or a list of steps).

        ``X``: the exogenous variables' future values, one row per step from the
        first step ahead on, when the forecaster was fitted with them.
        """
        check_is_fitted(self, "weights_")
        self._validate_params()
        steps = check_horizon(fh)
        if self.combine is None:
            exog = self._future_exog(X, int(steps.max()))
            forecast = self._forecast(self.last_values_[None], int(steps.max()), exog)[0]
            return self._output(forecast[steps - 1], steps)
        if X is not None and not self.fitted_with_exogenous_:
            raise ValueError("X was given but the forecaster was fitted without exogenous "
                             "variables")  # fmt: skip
        if X is None and self.fitted_with_exogenous_:
            raise ValueError("the forecaster was fitted with exogenous variables: pass their "
                             "future values as X (one row per step ahead)")  # fmt: skip
        if X is not None and "rnn" not in self.candidates_:  # checked as the network would
            exog, _ = check_series(X, min_length=1, name="X")
            if len(exog) != int(steps.max()):
                raise ValueError(f"X has {len(exog)} rows but the forecast needs exactly "
                                 f"{int(steps.max())}, one row per step ahead")  # fmt: skip
        total = np.zeros(len(steps))
        for name, model in self.candidates_.items():
            reads = name == "rnn" and self.n_exogenous_  # else X is not read (fit warned)
            forecast = model.predict(steps, X) if reads else model.predict(steps)
            total += self.weights_[name] * np.asarray(forecast, dtype=np.float64)
        return self._output(total, steps)

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
            ahead, of the errors of ``horizon``-step forecasts made in ``fit`` from the
            last origins of the series (at least 10 where it is long enough: for the
            network, the origins of its validation windows, extended back; for a
            combination, the combined forecast, its classical forecasts refitted at
            each origin). Few origins make rough quantiles: check the coverage with
            :func:`backtest`. ``"dropout"`` (``combine=None``): Monte-Carlo dropout
            (Gal & Ghahramani, 2016), the quantiles of ``n_samples`` forecasts with
            dropout left on (needs ``dropout > 0``).
        n_samples : int, default=100
            Forecasts drawn with ``method="dropout"``.

        Returns
        -------
        ndarray of shape (len(fh), 2), or a DataFrame with columns ``lower`` and
        ``upper`` indexed by time when the series had a time index.
        """
        check_is_fitted(self, "weights_")
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
            if self.combine is not None:
                raise ValueError("method='dropout' draws from the network alone: fit with "
                                 "combine=None")  # fmt: skip
            if not self.dropout:
                raise ValueError("method='dropout' needs a forecaster fitted with dropout > 0")
            exog = self._future_exog(X, int(steps.max()))
            model = self.regressor_.model_
            tails = np.repeat(self.last_values_[None], n_samples, axis=0)
            exog = None if exog is None else np.repeat(exog, n_samples, axis=0)
            draws = self._forecast(tails, int(steps.max()), exog,
                                   network=partial(_with_dropout, model))  # fmt: skip
            bounds = np.quantile(draws[:, steps - 1], quantiles, axis=0).T
        else:
            raise ValueError(f"method must be 'residuals' or 'dropout'; got {method!r}")
        if self._index is None:
            return bounds
        import pandas as pd

        return pd.DataFrame({"lower": self._output(bounds[:, 0], steps),
                             "upper": self._output(bounds[:, 1], steps)})  # fmt: skip


def _with_dropout(model, x):
    return np.asarray(model(x, training=True), dtype=np.float64)


def _seasonal_naive(history, steps, period):
    """The last season of ``history`` repeated over ``steps`` values."""
    period = min(period, len(history))
    return history[-period:][np.arange(steps) % period]


def _combination_residuals(forecaster, values, at_most=10):
    """Errors (actual - combined forecast) of ``horizon``-step forecasts from the last
    origins of ``values`` (the network's own held-out origins when it has a weight): the
    classical candidates refitted at each origin, the network's forecasts from them."""
    h, period = forecaster.horizon, forecaster.period_
    network = forecaster.candidates_.get("rnn")
    if network is not None:
        origins = network.residual_origins_
    else:
        first = max(3, 2 * period)
        origins = np.arange(max(first, len(values) - h - at_most + 1), len(values) - h + 1)
    if not len(origins):
        return np.empty((0, h))
    actual = np.stack([values[o : o + h] for o in origins])
    combined = np.zeros((len(origins), h))
    for name, model in forecaster.candidates_.items():
        weight = forecaster.weights_[name]
        if name == "rnn":
            combined += weight * (actual - network.residuals_)
            continue
        for row, origin in enumerate(origins):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    forecast = clone(model).fit(values[:origin]).predict(h)
                except (ValueError, np.linalg.LinAlgError):
                    forecast = _seasonal_naive(values[:origin], h, period)
            combined[row] += weight * np.asarray(forecast, dtype=np.float64)
    return actual - combined
