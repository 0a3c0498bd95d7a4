"""KerasBase: what every textflow Keras estimator shares, so a task owns only its own parts.

A task estimator owns three things: turning its input into arrays (and back), its
model-building function, and its decoding. Everything else is here: the parameters
every Keras estimator takes and their constraints, ``model__``/``fit__``/``compile__``/
``optimizer__`` routing, seeding without touching the global random generators,
compiling, the training loop's callbacks (early stopping, learning-rate decay),
the end-of-fit bookkeeping, rollback of a failed fit, a cache of objects derived from
the weights, and pickling the model as Keras' own ``.keras`` bytes.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions

from .._cache import DerivedCacheMixin
from .._state import fill_missing_parameters

#: Recurrent cells by the name users give them, and the Keras layer behind each.
CELLS = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
ROUTES = ("model__", "fit__", "compile__", "optimizer__")


def routed(params: dict, prefix: str) -> dict:
    """The parameters that start with ``prefix``, without it."""
    return {key[len(prefix) :]: value for key, value in params.items() if key.startswith(prefix)}


def recurrent_layer(keras, cell):
    """The Keras layer class of a cell name (``"lstm"`` -> ``keras.layers.LSTM``)."""
    return getattr(keras.layers, CELLS[cell])


positive_int = Interval(Integral, 1, None, closed="left")
non_negative_int = Interval(Integral, 0, None, closed="left")
rate = Interval(Real, 0, 1, closed="left")


class KerasBase(DerivedCacheMixin, BaseEstimator):
    """The shared base of textflow's Keras estimators (see the module docstring).

    Subclasses extend :attr:`_parameter_constraints` as scikit-learn's SGD family
    does: ``{**KerasBase._parameter_constraints, "my_param": [...]}``.
    """

    _parameter_constraints = {
        "epochs": [positive_int],
        "batch_size": [positive_int],
        "early_stopping": ["boolean"],
        "patience": [non_negative_int],
        "optimizer": [str],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "random_state": [Interval(Integral, 0, None, closed="left"), None],
        "verbose": [Interval(Integral, 0, 2, closed="both")],
    }

    # --- parameters -----------------------------------------------------------

    @staticmethod
    def _check_routes(unknown):
        if unknown:
            raise TypeError(
                f"Unknown parameters {unknown}; extra parameters must start with one of "
                f"{', '.join(ROUTES)}."
            )

    def _set_routed(self, params):
        for key, value in params.items():  # names are checked in fit, not here
            setattr(self, key, value)

    def _routed_params(self) -> dict:
        return {key: value for key, value in vars(self).items() if key.startswith(ROUTES)}

    def _routed(self, prefix) -> dict:
        """The ``prefix`` parameters (``"fit__"``, ...), without the prefix."""
        return routed(self._routed_params(), prefix)

    def _extra_params(self) -> list:
        names = set(self._get_param_names())
        return [key for key in vars(self) if key not in names and not key.endswith("_")
                and not key.startswith("_") and not key.startswith(ROUTES)]  # fmt: skip

    def _validate_fit_params(self):
        """Every parameter, routed ones included, checked before any work."""
        self._validate_params()
        self._check_routes(self._extra_params())

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        params.update(self._routed_params())
        return params

    def set_params(self, **params):
        routes = {key: value for key, value in params.items() if key.startswith(ROUTES)}
        for key, value in routes.items():
            setattr(self, key, value)
        return super().set_params(**{k: v for k, v in params.items() if k not in routes})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True  # bit-exact only with a seed on one backend
        return tags

    def _check_ready(self):
        """Before a prediction: fitted, and every parameter valid (users change them with
        ``set_params`` after ``fit``; prediction reads them as they are now)."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "model_")
        self._validate_params()

    # --- training ---------------------------------------------------------------

    @contextmanager
    def _rollback_on_error(self):
        """A ``fit`` that raises leaves the estimator exactly as it was before."""
        before = dict(vars(self))
        try:
            yield
        except BaseException:
            vars(self).clear()
            vars(self).update(before)
            raise

    @contextmanager
    def _seeded(self, keras):
        """Seed Keras for reproducible weights, leaving Python's and numpy's global
        random generators as the caller had them."""
        if self.random_state is None:
            yield
            return
        python_state, numpy_state = random.getstate(), np.random.get_state()  # noqa: NPY002
        keras.utils.set_random_seed(int(self.random_state))
        try:
            yield
        finally:
            random.setstate(python_state)
            np.random.set_state(numpy_state)  # noqa: NPY002

    def _make_optimizer(self, keras, **defaults):
        """``optimizer`` at ``learning_rate``, clipped to ``clipnorm`` where the estimator
        has one, with the ``optimizer__*`` parameters last."""
        clipnorm = getattr(self, "clipnorm", None)
        clip = {} if clipnorm is None else {"global_clipnorm": clipnorm}
        config = {"learning_rate": self.learning_rate, **clip, **defaults,
                  **self._routed("optimizer__")}  # fmt: skip
        return keras.optimizers.get({"class_name": self.optimizer, "config": config})

    def _compile(self, keras, model, loss, optimizer=None, **settings):
        """Compile ``model`` with ``loss`` and ``optimizer`` (this estimator's, by
        default); ``settings`` (metrics...) are overridden by the ``compile__*``
        parameters."""
        optimizer = optimizer or self._make_optimizer(keras)
        model.compile(optimizer=optimizer, loss=loss,
                      **{**settings, **self._routed("compile__")})  # fmt: skip
        return model

    def _early_stopping(self, keras, monitor, mode="min", kind=None):
        """``kind`` (default ``keras.callbacks.EarlyStopping``) with this estimator's
        patience, keeping the best weights."""
        kind = kind or keras.callbacks.EarlyStopping
        return kind(monitor=monitor, mode=mode, patience=self.patience, restore_best_weights=True)

    def _lr_decay(self, keras, monitor, patience=0, mode="min"):
        """Multiply the learning rate by ``lr_decay`` when ``monitor`` stops improving."""
        return keras.callbacks.ReduceLROnPlateau(
            monitor=monitor, mode=mode, factor=self.lr_decay, patience=patience, min_delta=1e-3,
            verbose=int(self.verbose > 0),
        )  # fmt: skip

    def _schedule(self, keras, monitor, mode="min", *, decay_patience=0, stopping=None):
        """The callbacks that follow ``monitor``: learning-rate decay (estimators with an
        ``lr_decay`` below 1), then early stopping (with ``early_stopping``; ``stopping``
        is its class, ``keras.callbacks.EarlyStopping`` by default)."""
        callbacks = []
        if getattr(self, "lr_decay", 1.0) < 1:
            callbacks.append(self._lr_decay(keras, monitor, decay_patience, mode))
        if self.early_stopping:
            callbacks.append(self._early_stopping(keras, monitor, mode, stopping))
        return callbacks

    def _train(self, model, x, y, settings, **fit_params):
        """``model.fit(x, y)`` with ``settings``, overridden by the ``fit__*`` parameters,
        overridden by ``fit_params``; returns the history as a dict of lists."""
        routes = self._routed("fit__")
        callbacks = [*settings.get("callbacks", []), *routes.pop("callbacks", []),
                     *fit_params.pop("callbacks", [])]  # fmt: skip
        settings = dict(settings)
        if settings.get("verbose") == 1:  # one bar for the run, not one per epoch
            from ._callbacks import EpochProgress

            settings["verbose"] = 0
            callbacks.append(EpochProgress(settings.get("epochs", 1), type(self).__name__))
        history = model.fit(x, y, **{**settings, **routes, **fit_params, "callbacks": callbacks})
        return {key: list(map(float, values)) for key, values in history.history.items()}

    def _finish_fit(self, model, history):
        """The fitted attributes every Keras estimator sets once training has ended."""
        self.model_ = model
        self.history_ = history
        self.n_iter_ = len(history.get("loss", []))
        self._clear_cache()
        return self

    # --- pickling: the model travels as Keras' own .keras bytes ----------------

    def __getstate__(self):
        from ._saving import model_to_bytes

        state = super().__getstate__()  # a copy, without the derived cache
        model = state.pop("model_", None)
        if model is not None:
            state["_model_bytes"] = model_to_bytes(model)
        return state

    def __setstate__(self, state):
        from ._saving import model_from_bytes

        model_bytes = state.pop("_model_bytes", None)
        super().__setstate__(fill_missing_parameters(type(self), state))
        if model_bytes is not None:
            self.model_ = model_from_bytes(model_bytes)


class SequenceModelBase(KerasBase):
    """Keras models of whole sequences (language model, tagger, translator): they read
    text or token lists, never numeric arrays, and share the recurrent network's and the
    learning-rate schedule's parameters."""

    _parameter_constraints = {
        **KerasBase._parameter_constraints,
        "cell": [StrOptions(set(CELLS))],
        "units": [positive_int],
        "num_layers": [positive_int],
        "dropout": [rate],
        "lr_decay": [Interval(Real, 0, 1, closed="right")],
        "clipnorm": [Interval(Real, 0, None, closed="neither"), None],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
