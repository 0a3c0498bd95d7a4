"""KerasClassifier: a Keras model as a real scikit-learn classifier."""

from __future__ import annotations

import inspect
from numbers import Real

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data

from .._keras import KerasBase, import_keras
from .._keras._batching import predict_in_row_buckets
from .._validation import check_labels
from .._validation import plain_value as _plain

_TRAINING_CHECK_ROWS = 5000  # without a validation split, the baseline is checked on these


def _take(X, rows):
    """``rows`` of a validated ``X``: an array, or a list of frame sequences."""
    return [X[i] for i in rows] if isinstance(X, list) else X[rows]


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
        Share of the training data held out to monitor ``val_loss``: drawn at random
        from each class alike (stratified, seeded by ``random_state``), so data sorted
        by label or by source is held out fairly (Keras alone would take the last rows).
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
    best_score_, baseline_score_ : float
        Accuracy of the model and of always predicting the most frequent class, on the
        validation split (else the first 5,000 training rows); a
        :class:`~textflow.BaselineWarning` says when the model is no better.

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

    _task = "classification"
    _parameter_constraints = {
        **KerasBase._parameter_constraints,
        "model": [callable, None],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
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

    def _training_input(self, X):
        """What ``model.fit`` reads: the validated ``X`` (subclasses pad sequences)."""
        return X

    def _predict_outputs(self, X):
        """The network's outputs for validated ``X``, in a bounded set of batch shapes."""
        return predict_in_row_buckets(self.model_, X, max(self.batch_size, 256))

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
        params = self._routed("model__")
        signature = inspect.signature(self.model).parameters
        takes_meta = "meta" in signature or any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.values()
        )
        model = self.model(meta=meta, **params) if takes_meta else self.model(**params)
        if not isinstance(model, keras.Model):
            name = getattr(self.model, "__name__", type(self.model).__name__)
            raise TypeError(f"model={name} returned {type(model).__name__}; the "
                            "model-building function must return a keras.Model")  # fmt: skip
        return model

    def _compile_unless_compiled(self, keras, model):
        if getattr(model, "optimizer", None) is not None and getattr(model, "compiled", False):
            return model
        binary = model.output_shape[-1] == 1
        loss = "binary_crossentropy" if binary else "sparse_categorical_crossentropy"
        return self._compile(keras, model, loss, metrics=["accuracy"])

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
        self._validate_fit_params()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        X = self._validate_X(X, reset=True)
        classes, y_encoded = self._encode_y(y)
        if len(y_encoded) != len(X):
            raise ValueError(f"X has {len(X)} samples but y has {len(y_encoded)} labels.")
        meta = self._meta(X, classes)
        keras = import_keras()
        with self._seeded(keras):
            model = self._compile_unless_compiled(keras, self._build(keras, meta, X))
            n_outputs = model.output_shape[-1]
            if n_outputs not in (1, len(classes)) or (n_outputs == 1 and len(classes) > 2):
                raise ValueError(
                    f"The model outputs {n_outputs} units; expected 1 (binary, sigmoid) "
                    f"or n_classes_={len(classes)} (softmax)."
                )
            train_rows, held_rows = self._split_rows(y_encoded)
            callbacks = []
            if self.early_stopping:
                monitor = "val_loss" if held_rows is not None else "loss"
                callbacks.append(self._early_stopping(keras, monitor))
            target = y_encoded.astype("float32" if n_outputs == 1 else "int32")
            settings = {
                "epochs": self.epochs, "batch_size": self.batch_size, "verbose": self.verbose,
                "class_weight": self._class_weights(classes, y_encoded[train_rows]),
                "callbacks": callbacks,
            }  # fmt: skip
            if held_rows is not None:
                settings["validation_data"] = (self._training_input(_take(X, held_rows)),
                                               target[held_rows])  # fmt: skip
            history = self._train(model, self._training_input(_take(X, train_rows)),
                                  target[train_rows], settings, **fit_params)  # fmt: skip
        self.classes_ = classes
        self.n_classes_ = len(classes)
        self._store_meta(meta)
        self._finish_fit(model, history)
        self._check_baseline(X, y_encoded, held_rows)
        return self

    def _split_rows(self, y_encoded):
        """The training rows and the held-out ones (None without ``validation_split``):
        a seeded random share of each class, or of all rows when a class is too rare."""
        from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

        n = len(y_encoded)
        held = int(n * self.validation_split)
        if not held:
            return np.arange(n), None
        counts = np.bincount(y_encoded)
        counts = counts[counts > 0]
        stratify = counts.min() >= 2 and len(counts) <= held <= n - len(counts)
        splitter = (StratifiedShuffleSplit if stratify else ShuffleSplit)(
            n_splits=1, test_size=held, random_state=self.random_state)  # fmt: skip
        train, test = next(splitter.split(np.zeros((n, 1)), y_encoded))
        return np.sort(train), np.sort(test)

    def _check_baseline(self, X, y_encoded, held_rows):
        """Accuracy of the model and of always predicting the most frequent class, on the
        held-out rows or the first training rows."""
        from .._keras._baseline import record_baseline

        if held_rows is not None:
            rows, where = held_rows, "the validation split"
        else:
            rows, where = np.arange(min(len(X), _TRAINING_CHECK_ROWS)), "the training data"
        truth = y_encoded[rows]
        majority = np.bincount(y_encoded).argmax()
        predicted = self.predict_proba(_take(X, rows)).argmax(axis=1)
        record_baseline(
            self, score=float(np.mean(predicted == truth)),
            baseline=float(np.mean(truth == majority)), metric="accuracy",
            baseline_name=f"always predicting {_plain(self.classes_[majority])!r}",
            higher_is_better=True, checked_on=where,
            hint="train longer (epochs), with another learning_rate, or balance the classes "
            "(class_weight='balanced')",
        )  # fmt: skip

    def _store_meta(self, meta):
        """Set the fitted attributes that describe the input (subclasses add theirs)."""

    # --- prediction -----------------------------------------------------------

    def predict_proba(self, X):
        """Class probabilities, shape ``(n_samples, n_classes_)``."""
        self._check_ready()
        X = self._validate_X(X, reset=False)
        proba = np.asarray(self._predict_outputs(X), dtype=np.float64)
        if proba.shape[-1] == 1:
            positive = proba.reshape(-1)
            return np.column_stack([1.0 - positive, positive])
        return proba

    def predict(self, X):
        """Most probable class labels."""
        proba = self.predict_proba(X)  # checks fitted-ness before classes_ is read
        return self.classes_[proba.argmax(axis=1)]
