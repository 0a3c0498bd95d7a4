"""RNNClassifier: a ready recurrent classifier for padded id sequences."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import validate_data

from .._keras import CELLS, import_keras, recurrent_layer
from ._keras_classifier import KerasClassifier

OOV_ID = 1  # TextsToSequences' id for words outside its vocabulary


def build_rnn(meta, *, cell, units, num_layers, bidirectional, embedding_dim, dropout,
              recurrent_dropout, pooling, dense_units, embedding_matrix,
              trainable_embeddings):  # fmt: skip
    """Embedding (masked) -> stacked recurrent layers -> pooling -> dense -> output; for
    frame sequences (``meta["n_frame_features"]``), the frames and their mask in place of
    the embedded ids."""
    keras = import_keras()
    layers = keras.layers
    mask = None
    if "n_frame_features" in meta:
        frames = keras.Input(shape=(None, meta["n_frame_features"]), name="frames")
        mask = keras.Input(shape=(None,), dtype="bool", name="mask")
        inputs, x = [frames, mask], frames
    else:
        inputs = keras.Input(shape=(meta["maxlen"],), dtype="int32")
        embedding_kwargs = {}
        if embedding_matrix is not None:
            embedding_dim = embedding_matrix.shape[1]
            embedding_kwargs["embeddings_initializer"] = keras.initializers.Constant(
                embedding_matrix)  # fmt: skip
        x = layers.Embedding(
            meta["vocab_size"],
            embedding_dim,
            mask_zero=True,
            trainable=trainable_embeddings,
            **embedding_kwargs,
        )(inputs)
    cell_class = recurrent_layer(keras, cell)
    for layer in range(num_layers):
        last = layer == num_layers - 1
        recurrent = cell_class(units, dropout=dropout, recurrent_dropout=recurrent_dropout,
                               return_sequences=not (last and pooling == "last"))  # fmt: skip
        recurrent = layers.Bidirectional(recurrent) if bidirectional else recurrent
        x = recurrent(x) if mask is None else recurrent(x, mask=mask)
    if pooling == "mean":
        pool = layers.GlobalAveragePooling1D()
        x = pool(x) if mask is None else pool(x, mask=mask)
    elif pooling == "max":
        from .._keras._layers import MaskedGlobalMaxPooling1D

        pool = MaskedGlobalMaxPooling1D()
        x = pool(x) if mask is None else pool(x, mask=mask)
    if dense_units:
        x = layers.Dense(dense_units, activation="relu")(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    binary = meta["n_classes_"] == 2
    outputs = layers.Dense(1 if binary else meta["n_classes_"],
                           activation="sigmoid" if binary else "softmax")(x)  # fmt: skip
    return keras.Model(inputs, outputs)


def _refuse_unpadded(X):
    """Name the missing steps when X is text, token lists or ragged id lists."""
    if isinstance(X, np.ndarray) and X.dtype.kind != "O":
        if X.dtype.kind in "USa":
            raise ValueError(_MISSING_STEPS.format(what="text"))
        return
    rows = list(X[:1000]) if isinstance(X, (list, tuple, np.ndarray)) else None
    if not rows:
        return
    if any(isinstance(row, (str, bytes)) for row in rows):
        raise ValueError(_MISSING_STEPS.format(what="text"))
    if any(isinstance(row, (list, tuple)) and any(isinstance(t, str) for t in row[:50])
           for row in rows):  # fmt: skip
        raise ValueError(_MISSING_STEPS.format(what="token lists"))
    lengths = {len(row) for row in X if hasattr(row, "__len__")}
    if len(lengths) > 1:
        raise ValueError(
            f"RNNClassifier got id sequences of different lengths ({min(lengths)} to "
            f"{max(lengths)}); pad them to one length first with SequencePadder."
        )


_MISSING_STEPS = (
    "RNNClassifier expects a 2-D array of token ids but got {what}. Put "
    "TextsToSequences and SequencePadder before it, e.g. Pipeline([('tok', Tokenizer()), "
    "('seq', TextsToSequences()), ('pad', SequencePadder()), ('clf', RNNClassifier())])."
)


class RNNClassifier(KerasClassifier):
    """A recurrent classifier (simple RNN, LSTM or GRU) for id sequences or frame sequences.

    The input is what :class:`~textflow.SequencePadder` produces: a 2-D array
    of integer ids, 0 being padding. The Embedding layer masks padding, so the
    recurrent layers never see it. Or sequences of numeric frames (audio features
    from :class:`textflow.speech.AudioFeatures`, sensor readings): a list of
    ``(n_frames_i, n_features)`` arrays of their own lengths, or a padded 3-D array
    whose trailing all-zero frames are padding; they are masked, never truncated,
    and predicted in batches of a few bucket lengths (``embeddings`` and the
    vocabulary parameters do not apply to them). Everything else — labels,
    routing, ``epochs``, ``early_stopping``, pickling — is :class:`KerasClassifier`'s.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}, default="lstm"
        Recurrent cell.
    units : int, default=64
        Units per recurrent layer (per direction).
    num_layers : int, default=1
        Stacked recurrent layers.
    bidirectional : bool, default=False
        Read the sequences both ways.
    embedding_dim : int, default=100
        Size of the learned word vectors (ignored with ``embeddings``).
    dropout : float, default=0.0
        Input dropout of the recurrent layers, and after the dense layer.
    recurrent_dropout : float, default=0.0
        Dropout on the recurrent state.
    pooling : {"last", "mean", "max"}, default="last"
        Summarise the sequence by the last state, or pool over all states.
    dense_units : int, default=0
        A ReLU layer of this size before the output (0: none).
    vocab_size : int or None, default=None
        Size of the id space (``TextsToSequences.vocab_size_``, or its
        ``num_words``). ``None`` uses ``max id + 1`` of the training data; an id
        beyond it at prediction time belongs to a word the model never saw in
        training (one that padding cut from every training row, say) and reads as
        the OOV id 1, as TextsToSequences reads unknown words. With ``vocab_size``
        set, an id beyond it is an error.
    embeddings : {"word2vec", "fasttext"}, Word2VecVectorizer, FastTextVectorizer, ndarray \
or None, default=None
        Initialise the Embedding layer with word vectors trained, in ``fit``, on
        the id sequences it receives (each id is a word to Word2Vec). Inside a
        cross-validation every fold trains its own vectors on its own data, so
        nothing leaks. An estimator instance sets the training parameters.
        An array of shape ``(vocab_size, dim)`` is used as it is: pretrained
        vectors (GloVe...) aligned with a fixed vocabulary, built by
        :func:`textflow.embeddings.pretrained_embedding_matrix`.
    trainable_embeddings : bool, default=True
        Fine-tune the initial vectors (``False`` freezes them).
    epochs, batch_size, validation_split, early_stopping, patience, class_weight, \
optimizer, learning_rate, random_state, verbose
        See :class:`KerasClassifier`.
    **routed_params
        ``fit__*``, ``compile__*``, ``optimizer__*`` parameters.

    Attributes
    ----------
    classes_, model_, history_, n_iter_, best_score_, baseline_score_
        See :class:`KerasClassifier`.
    vocab_size_ : int or None
        Rows of the embedding (``None`` for frame sequences).
    n_frame_features_ : int
        Fitted on frame sequences only: features per frame.
    frame_mean_, frame_scale_ : ndarray of shape (``n_frame_features_``,)
        Fitted on frame sequences only: the training frames' mean and deviation, taken
        out of every frame before the network (features on any scale, as MFCC or LPC
        cepstra come, train alike).

    Examples
    --------
    >>> import numpy as np
    >>> from textflow import RNNClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randint(1, 20, size=(40, 6))
    >>> y = np.where(X[:, 0] > 10, "pos", "neg")
    >>> clf = RNNClassifier(cell="gru", units=4, embedding_dim=4, epochs=2, random_state=0)
    >>> clf.fit(X, y).predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints = {
        **KerasClassifier._parameter_constraints,
        "cell": [StrOptions(set(CELLS))],
        "units": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "pooling": [StrOptions({"last", "mean", "max"})],
        "dense_units": [Interval(Integral, 0, None, closed="left")],
        "vocab_size": [Interval(Integral, 2, None, closed="left"), None],
        "embeddings": [
            StrOptions({"word2vec", "fasttext"}),
            np.ndarray,
            HasMethods(["fit", "embedding_matrix"]),
            None,
        ],
        "trainable_embeddings": ["boolean"],
    }

    def __init__(
        self,
        *,
        cell="lstm",
        units=64,
        num_layers=1,
        bidirectional=False,
        embedding_dim=100,
        dropout=0.0,
        recurrent_dropout=0.0,
        pooling="last",
        dense_units=0,
        vocab_size=None,
        embeddings=None,
        trainable_embeddings=True,
        epochs=5,
        batch_size=64,
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
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.embedding_dim = embedding_dim
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.pooling = pooling
        self.dense_units = dense_units
        self.vocab_size = vocab_size
        self.embeddings = embeddings
        self.trainable_embeddings = trainable_embeddings
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True  # token ids are >= 0
        return tags

    def _validate_X(self, X, reset):
        from .._keras._frames import check_frames, is_frames

        reads_frames = is_frames(X) if reset else hasattr(self, "n_frame_features_")
        if reads_frames:
            if not is_frames(X):
                raise ValueError("RNNClassifier was fitted on sequences of frames: give a "
                                 "list of (n_frames, n_features) arrays")  # fmt: skip
            frames = check_frames(X, None if reset else self.n_frame_features_)
            if reset:
                stacked = np.concatenate(frames)
                self.n_features_in_ = stacked.shape[1]
                self.frame_mean_ = stacked.mean(axis=0)
                self.frame_scale_ = np.maximum(stacked.std(axis=0), 1e-5).astype(np.float32)
            return [(f - self.frame_mean_) / self.frame_scale_ for f in frames]
        _refuse_unpadded(X)
        X = validate_data(self, X, reset=reset, dtype=None, ensure_min_features=1)
        if X.dtype.kind == "f":
            if not np.all(np.isfinite(X)) or not np.all(X == np.round(X)):
                raise ValueError(
                    "RNNClassifier expects integer token ids (e.g. from SequencePadder); "
                    "X holds non-integer values."
                )
        elif X.dtype.kind not in "iu":
            raise ValueError(f"RNNClassifier expects integer token ids; X has dtype {X.dtype}.")
        if X.size and X.max() > np.iinfo(np.int32).max:
            raise ValueError(
                f"X contains the id {int(X.max())}, beyond the int32 range token ids use; "
                "check where the ids come from."
            )
        X = X.astype(np.int32)
        if X.size and X.min() < 0:
            raise ValueError(
                f"Negative values in data passed to RNNClassifier: token ids must be >= 0; "
                f"X contains {int(X.min())}."
            )
        if not reset and X.size and X.max() >= self.vocab_size_:
            limit = self.vocab_size_
            if self.vocab_size is not None:
                raise ValueError(
                    f"X contains the id {int(X.max())}, but the model's vocabulary has "
                    f"{limit} ids (0..{limit - 1}) (vocab_size={self.vocab_size}). Fit on "
                    "data from the same TextsToSequences, or set vocab_size to match it."
                )
            # ids never seen in training (cut by padding, say) are unknown words: OOV
            X = np.where(X >= limit, OOV_ID, X).astype(np.int32)
        return X

    def _meta(self, X, classes):
        if isinstance(X, list):  # frame sequences
            return {"n_features_in_": X[0].shape[1], "n_classes_": len(classes),
                    "classes_": classes, "n_frame_features": X[0].shape[1]}  # fmt: skip
        meta = super()._meta(X, classes)
        largest = int(X.max()) + 1 if X.size else 2
        if self.vocab_size is not None and largest > self.vocab_size:
            raise ValueError(f"X contains the id {largest - 1}, but vocab_size={self.vocab_size}.")
        meta.update({"vocab_size": self.vocab_size or max(largest, 2), "maxlen": X.shape[1]})
        return meta

    def _training_input(self, X):
        if not isinstance(X, list):
            return X
        from .._keras._frames import pad_frames

        length = max(len(f) for f in X)
        return pad_frames(X, range(len(X)), length, X[0].shape[1])

    def _predict_outputs(self, X):
        if not isinstance(X, list):
            return super()._predict_outputs(X)
        from .._keras._frames import predict_frames

        return predict_frames(self.model_, X, self.n_frame_features_, max(self.batch_size, 256))

    def _store_meta(self, meta):
        if "n_frame_features" in meta:
            self.n_frame_features_ = meta["n_frame_features"]
            self.vocab_size_ = None
            return
        for name in ("n_frame_features_", "frame_mean_", "frame_scale_"):
            self.__dict__.pop(name, None)
        self.vocab_size_ = meta["vocab_size"]
        if "n_pretrained_rows" in meta:
            self.n_pretrained_rows_ = meta["n_pretrained_rows"]

    def _build(self, keras, meta, X):
        return build_rnn(
            meta, cell=self.cell, units=self.units, num_layers=self.num_layers,
            bidirectional=self.bidirectional, embedding_dim=self.embedding_dim,
            dropout=self.dropout, recurrent_dropout=self.recurrent_dropout,
            pooling=self.pooling, dense_units=self.dense_units,
            embedding_matrix=self._embedding_matrix(meta, X),
            trainable_embeddings=self.trainable_embeddings,
        )  # fmt: skip

    def _embedding_matrix(self, meta, X):
        if self.embeddings is None or "n_frame_features" in meta:
            return None
        if isinstance(self.embeddings, np.ndarray):
            matrix = np.asarray(self.embeddings, dtype=np.float32)
            if matrix.ndim != 2 or matrix.shape[0] != meta["vocab_size"]:
                raise ValueError(
                    f"embeddings has shape {matrix.shape}; it needs one row per id, "
                    f"({meta['vocab_size']}, dim): build it from the same vocabulary as "
                    "TextsToSequences(vocabulary=...) and set vocab_size to match."
                )
            meta["n_pretrained_rows"] = int(np.any(matrix != 0, axis=1).sum())
            return matrix
        from ..embeddings import FastTextVectorizer, Word2VecVectorizer

        if isinstance(self.embeddings, str):
            if self.embeddings not in ("word2vec", "fasttext"):
                raise ValueError(
                    f"embeddings={self.embeddings!r} is not a known name; use 'word2vec', "
                    "'fasttext', a Word2VecVectorizer / FastTextVectorizer, an array or None."
                )
            make = Word2VecVectorizer if self.embeddings == "word2vec" else FastTextVectorizer
            vectorizer = make(vector_size=self.embedding_dim, min_count=1,
                              random_state=self.random_state)  # fmt: skip
        elif isinstance(self.embeddings, (Word2VecVectorizer, FastTextVectorizer)):
            vectorizer = clone(self.embeddings)
        else:
            raise TypeError(
                "embeddings must be None, 'word2vec', 'fasttext', a Word2VecVectorizer / "
                f"FastTextVectorizer or an array; got {type(self.embeddings).__name__}."
            )
        sentences = [[str(i) for i in row[row > 0]] for row in X]
        vectorizer.fit(sentences)
        tokens = [str(i) for i in range(meta["vocab_size"])]
        matrix, found = vectorizer.embedding_matrix(tokens, return_found=True)
        meta["n_pretrained_rows"] = int(found.sum())
        return matrix
