"""KerasClassifier: a Keras model as a real scikit-learn classifier."""

from __future__ import annotations

import inspect
import os
import random
import tempfile
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .._validation import check_labels
from .._validation import plain_value as _plain
from ._keras_backend import import_keras

ROUTES = ("model__", "fit__", "compile__", "optimizer__")


def _routed(params: dict, prefix: str) -> dict:
    return {key[len(prefix) :]: value for key, value in params.items() if key.startswith(prefix)}


class KerasBase(BaseEstimator):
    """What every textflow Keras estimator shares: routing, seeding, training, pickling.

    Subclasses own three things only: turning their input into arrays (and
    back), building the Keras model, and decoding its output. Everything else —
    ``model__``/``fit__``/``compile__``/``optimizer__`` routing, the optimizer,
    early stopping, seeding without touching the global random generators,
    history, pickling the model as ``.keras`` bytes — lives here.
    """

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

    def _extra_params(self) -> list:
        names = set(self._get_param_names())
        return [key for key in vars(self) if key not in names and not key.endswith("_")
                and not key.startswith("_") and not key.startswith(ROUTES)]  # fmt: skip

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        params.update(self._routed_params())
        return params

    def set_params(self, **params):
        routed = {key: value for key, value in params.items() if key.startswith(ROUTES)}
        for key, value in routed.items():
            setattr(self, key, value)
        return super().set_params(**{k: v for k, v in params.items() if k not in routed})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True  # bit-exact only with a seed on one backend
        return tags

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
        config = {"learning_rate": self.learning_rate, **defaults,
                  **_routed(self._routed_params(), "optimizer__")}  # fmt: skip
        return keras.optimizers.get({"class_name": self.optimizer, "config": config})

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

    def _fit_model(self, model, x, y, settings, **fit_params):
        """``model.fit(x, y)`` with ``settings``, overridden by the ``fit__*`` parameters,
        overridden by ``fit_params``; returns the history as a dict of lists."""
        routed = _routed(self._routed_params(), "fit__")
        callbacks = [*settings.get("callbacks", []), *routed.pop("callbacks", []),
                     *fit_params.pop("callbacks", [])]  # fmt: skip
        history = model.fit(x, y, **{**settings, **routed, **fit_params, "callbacks": callbacks})
        return {key: list(map(float, values)) for key, values in history.history.items()}

    # --- pickling: the model travels as Keras' own .keras bytes ----------------

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: never strip the live estimator
        model = state.pop("model_", None)
        if model is not None:
            state["_model_bytes"] = _model_to_bytes(model)
        return state

    def __setstate__(self, state):
        model_bytes = state.pop("_model_bytes", None)
        # a model saved before a parameter existed was trained as its default says
        for name, parameter in inspect.signature(type(self).__init__).parameters.items():
            if parameter.default is not inspect.Parameter.empty:
                state.setdefault(name, parameter.default)
        super().__setstate__(state)
        if model_bytes is not None:
            self.model_ = _model_from_bytes(model_bytes)


class SequenceModelBase(KerasBase):
    """Keras models of whole sequences (language model, tagger, translator): they read
    text or token lists, never numeric arrays."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class KerasClassifier(ClassifierMixin, KerasBase):
    """A Keras model as a scikit-learn classifier.

    ``model`` is a function that builds (and optionally compiles) a Keras model.
    It receives ``meta`` — a dict with ``n_features_in_``, ``n_classes_``,
    ``classes_`` and, for id input, ``vocab_size`` and ``maxlen`` — plus every
    ``model__*`` parameter. Other routed parameters: ``fit__*`` to
    ``model.fit``, ``compile__*`` to ``model.compile``, ``optimizer__*`` to the
    optimizer. All of them are ordinary estimator parameters: they survive
    ``clone`` and can be grid-searched.

    The model must end in one sigmoid unit (binary) or ``n_classes_`` softmax
    units. An uncompiled model is compiled with ``optimizer``,
    ``learning_rate`` and the matching cross-entropy.

    Parameters
    ----------
    model : callable
        ``model(meta=..., **model_params) -> keras.Model``.
    epochs : int, default=10
        Training epochs (an upper bound with ``early_stopping``).
    batch_size : int, default=32
        Mini-batch size for training and prediction.
    validation_split : float, default=0.0
        Share of the training data held out to monitor ``val_loss``.
    early_stopping : bool, default=False
        Stop when the monitored loss (``val_loss`` with a validation split,
        else ``loss``) has not improved for ``patience`` epochs, and restore the
        best weights.
    patience : int, default=2
        Epochs without improvement before early stopping.
    class_weight : dict, "balanced" or None, default=None
        Weights per class label (original labels, not encoded ones).
    optimizer : str, default="adam"
        Optimizer name for an uncompiled model.
    learning_rate : float, default=1e-3
        Its learning rate.
    random_state : int or None, default=None
        Seeds Python, numpy and the backend (``keras.utils.set_random_seed``).
    verbose : int, default=0
        Keras' verbosity during ``fit`` (0 silent, 1 progress bar, 2 one line per
        epoch).
    **routed_params
        ``model__*``, ``fit__*``, ``compile__*`` and ``optimizer__*`` parameters.

    Attributes
    ----------
    model_ : keras.Model
        The trained model.
    classes_ : ndarray
        Class labels.
    n_classes_ : int
        Number of classes.
    history_ : dict
        Keras' training history (``loss``, ``val_loss``, metrics per epoch).
    n_iter_ : int
        Epochs actually run.

    Examples
    --------
    >>> import numpy as np
    >>> from textflow import KerasClassifier
    >>> def build(meta, hidden=8):
    ...     import keras
    ...     return keras.Sequential([
    ...         keras.Input((meta["n_features_in_"],)),
    ...         keras.layers.Dense(hidden, activation="relu"),
    ...         keras.layers.Dense(meta["n_classes_"], activation="softmax")])
    >>> X = np.random.RandomState(0).rand(60, 4).astype("float32")
    >>> y = np.where(X[:, 0] > 0.5, "high", "low")
    >>> clf = KerasClassifier(build, model__hidden=16, epochs=3, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape, clf.predict_proba(X[:3]).shape
    ((3,), (3, 2))
    """

    _parameter_constraints = {
        "model": [callable, None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "optimizer": [str],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "random_state": [Interval(Integral, 0, None, closed="left"), None],
        "verbose": [Interval(Integral, 0, 2, closed="both")],
    }

    def __init__(
        self,
        model=None,
        *,
        epochs=10,
        batch_size=32,
        validation_split=0.0,
        early_stopping=False,
        patience=2,
        class_weight=None,
        optimizer="adam",
        learning_rate=1e-3,
        random_state=None,
        verbose=0,
        **routed_params,
    ):
        self.model = model
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.patience = patience
        self.class_weight = class_weight
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.verbose = verbose
        self._set_routed(routed_params)

    # --- data -----------------------------------------------------------------

    def _validate_X(self, X, reset):
        return validate_data(self, X, reset=reset, dtype=np.float32)

    def _meta(self, X, classes):
        return {"n_features_in_": X.shape[1], "n_classes_": len(classes), "classes_": classes}

    def _encode_y(self, y):
        """``(classes, encoded y)``; nothing is stored on the estimator yet."""
        y = check_labels(y)
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        if len(encoder.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 classes in y; got 1 class: "
                f"{_plain(encoder.classes_[0])!r}."
            )
        return encoder.classes_, encoder.transform(y)

    # --- model ----------------------------------------------------------------

    def _build(self, keras, meta, X):
        if self.model is None:
            raise ValueError("KerasClassifier needs a model-building function: model=...")
        params = _routed(self._routed_params(), "model__")
        signature = inspect.signature(self.model).parameters
        takes_meta = "meta" in signature or any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.values()
        )
        return self.model(meta=meta, **params) if takes_meta else self.model(**params)

    def _compile(self, keras, model):
        if getattr(model, "optimizer", None) is not None and getattr(model, "compiled", False):
            return model
        binary = model.output_shape[-1] == 1
        loss = "binary_crossentropy" if binary else "sparse_categorical_crossentropy"
        compile_params = {"loss": loss, "metrics": ["accuracy"]}
        compile_params.update(_routed(self._routed_params(), "compile__"))
        model.compile(optimizer=self._make_optimizer(keras), **compile_params)
        return model

    def _class_weights(self, classes, y_encoded):
        if self.class_weight is None:
            return None
        if isinstance(self.class_weight, str):
            weights = compute_class_weight("balanced", classes=np.arange(len(classes)),
                                           y=y_encoded)  # fmt: skip
            return dict(enumerate(weights.tolist()))
        unknown = set(self.class_weight) - set(classes.tolist())
        if unknown:
            raise ValueError(f"class_weight names labels not in y: {sorted(map(str, unknown))}")
        return {
            index: float(self.class_weight.get(label, 1.0))
            for index, label in enumerate(classes.tolist())
        }

    def fit(self, X, y, **fit_params):
        """Build, compile and train the model.

        Fitted attributes are set only once training has finished: a ``fit``
        that fails leaves the estimator as it was.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels: strings or integers (not a mix), two or more classes.
        **fit_params
            Passed to ``model.fit`` (after the ``fit__*`` parameters).

        Returns
        -------
        self : object
        """
        with self._rollback_on_error():
            return self._fit(X, y, **fit_params)

    def _fit(self, X, y, **fit_params):
        self._validate_params()
        self._check_routes(self._extra_params())
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        X = self._validate_X(X, reset=True)
        classes, y_encoded = self._encode_y(y)
        if len(y_encoded) != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} samples but y has {len(y_encoded)} labels.")
        meta = self._meta(X, classes)
        keras = import_keras()
        with self._seeded(keras):
            model = self._compile(keras, self._build(keras, meta, X))
            n_outputs = model.output_shape[-1]
            if n_outputs not in (1, len(classes)) or (n_outputs == 1 and len(classes) > 2):
                raise ValueError(
                    f"The model outputs {n_outputs} units; expected 1 (binary, sigmoid) "
                    f"or n_classes_={len(classes)} (softmax)."
                )
            callbacks = []
            if self.early_stopping:
                monitor = "val_loss" if self.validation_split else "loss"
                callbacks.append(self._early_stopping(keras, monitor))
            target = y_encoded.astype("float32" if n_outputs == 1 else "int32")
            settings = {
                "epochs": self.epochs, "batch_size": self.batch_size,
                "validation_split": self.validation_split, "verbose": self.verbose,
                "class_weight": self._class_weights(classes, y_encoded), "callbacks": callbacks,
            }  # fmt: skip
            history = self._fit_model(model, X, target, settings, **fit_params)
        self.classes_ = classes
        self.n_classes_ = len(classes)
        self._store_meta(meta)
        self.model_ = model
        self.history_ = history
        self.n_iter_ = len(history.get("loss", []))
        return self

    def _store_meta(self, meta):
        """Set the fitted attributes that describe the input (subclasses add theirs)."""

    # --- prediction -----------------------------------------------------------

    def predict_proba(self, X):
        """Class probabilities, shape ``(n_samples, n_classes_)``."""
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        proba = np.asarray(self.model_.predict(X, batch_size=max(self.batch_size, 256),
                                               verbose=0), dtype=np.float64)  # fmt: skip
        if proba.shape[-1] == 1:
            positive = proba.reshape(-1)
            return np.column_stack([1.0 - positive, positive])
        return proba

    def predict(self, X):
        """Most probable class labels."""
        proba = self.predict_proba(X)  # checks fitted-ness before classes_ is read
        return self.classes_[proba.argmax(axis=1)]


def _model_to_bytes(model) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as handle:
            return handle.read()


def _model_from_bytes(data: bytes):
    keras = import_keras()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as handle:
            handle.write(data)
        from ._layers import custom_layers

        return keras.saving.load_model(path, custom_objects=custom_layers())
