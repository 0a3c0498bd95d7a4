"""RNNLanguageModel: next-word prediction, autocomplete and generation with an RNN."""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._corpus import TokenCorpus
from .._validation import InvalidDocumentError, as_corpus
from ._decoding import beam_search, check_sampling, sample_token
from ._inference import RecurrentLanguageStack
from ._keras import SequenceModelBase
from ._keras_backend import import_keras
from ._layers import custom_layers

CELLS = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
UNK, EOS = 0, 1


def build_language_model(*, vocab_size, cell, units, num_layers, embedding_dim, dropout,
                         tie_weights, batch_size, bptt, stateful=True):  # fmt: skip
    """Embedding -> dropout -> [cell -> dropout] x num_layers -> logits over the vocabulary.

    With ``tie_weights`` the output layer reuses the embedding table (and a
    linear projection maps ``units`` to ``embedding_dim`` when they differ).
    """
    keras = import_keras()
    layers = keras.layers
    inputs = keras.Input(batch_shape=(batch_size, bptt), dtype="int32", name="ids")
    if tie_weights:
        embedding = custom_layers()["textflow>TiedEmbedding"](vocab_size, embedding_dim,
                                                              name="embedding")  # fmt: skip
    else:
        embedding = layers.Embedding(vocab_size, embedding_dim, name="embedding")
    x = layers.Dropout(dropout)(embedding(inputs)) if dropout else embedding(inputs)
    for layer in range(num_layers):
        recurrent = getattr(layers, CELLS[cell])(
            units, return_sequences=True, stateful=stateful, name=f"recurrent_{layer}"
        )
        x = recurrent(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    if tie_weights:
        if units != embedding_dim:
            x = layers.Dense(embedding_dim, name="projection")(x)
        logits = embedding(x, reverse=True)
    else:
        logits = layers.Dense(vocab_size, name="output")(x)
    return keras.Model(inputs, logits)


class RNNLanguageModel(SequenceModelBase):
    """A recurrent language model: next-word prediction, autocomplete and generation.

    The training corpus is read as one long stream — each document followed by
    ``<eos>`` — cut into ``batch_size`` parallel streams and trained with
    truncated back-propagation through time over windows of ``bptt`` tokens,
    the hidden state carried from one window to the next (the classic layout of
    Zaremba et al.). Targets stay integer ids: no one-hot tensor is built.

    Input is raw text (split on whitespace, or into characters with
    ``level="char"``), token lists, or the :class:`~textflow.TokenCorpus` that
    textflow's token steps produce, so the model can end a ``Pipeline``. Words
    outside the vocabulary (``max_vocab``, ``min_count``) become ``<unk>``;
    nothing else is dropped or changed.

    Parameters
    ----------
    level : {"word", "char"}, default="word"
        Tokens of a text document: whitespace-separated words, or characters.
    cell : {"rnn", "lstm", "gru"}, default="lstm"
        Recurrent cell.
    units : int, default=200
        Units per recurrent layer.
    num_layers : int, default=2
        Stacked recurrent layers.
    embedding_dim : int or None, default=None
        Size of the token vectors (``None``: ``units``).
    dropout : float, default=0.0
        Dropout on the embeddings, between recurrent layers and before the
        output layer.
    tie_weights : bool, default=False
        Share the embedding table with the output layer (Press & Wolf, 2017).
    bptt : int, default=35
        Truncated back-propagation length: tokens per training window.
    batch_size : int, default=20
        Parallel streams per batch.
    max_vocab : int or None, default=None
        Keep this many most frequent tokens (besides ``<unk>`` and ``<eos>``).
    min_count : int, default=1
        Tokens seen fewer times in training become ``<unk>``.
    epochs : int, default=10
        Passes over the training stream (an upper bound with early stopping).
    optimizer : str, default="sgd"
        Keras optimizer name. Plain SGD with a large learning rate and gradient
        clipping is the classic recipe for word-level LSTM language models, and
        measured here it escapes the early unigram plateau several times faster
        than Adam.
    learning_rate : float, default=20.0
        Initial learning rate (of the loss averaged over tokens; 20 for SGD
        equals Zaremba et al.'s 1.0 on the loss summed over 20 time steps). For
        ``cell="rnn"`` use about 2: measured on PTB, 20 makes a simple RNN diverge.
    lr_decay : float, default=0.25
        Factor applied to the learning rate when the monitored perplexity stops
        improving (1.0: constant learning rate).
    clipnorm : float or None, default=0.25
        Clip the global norm of all gradients together to this value.
    early_stopping : bool, default=True
        Stop when the validation perplexity (training loss without
        ``validation_data``) has not improved for ``patience`` epochs, and keep
        the best weights.
    patience : int, default=2
        Epochs without improvement before stopping.
    random_state : int or None, default=None
        Seeds weights, dropout and generation defaults; global random generators
        are left untouched.
    verbose : int, default=0
        0 silent, 1 a progress bar per epoch, 2 one line per epoch.
    **routed_params
        ``fit__*``, ``compile__*`` and ``optimizer__*`` parameters.

    Attributes
    ----------
    vocabulary_ : list of str
        Id to token; ``vocabulary_[0] == "<unk>"``, ``vocabulary_[1] == "<eos>"``,
        then the most frequent first.
    vocab_size_ : int
        ``len(vocabulary_)``.
    model_ : keras.Model
        The trained Keras model (the training layout, stateful).
    history_ : dict
        Per epoch: ``loss``, ``perplexity`` and, with validation data,
        ``val_loss`` and ``val_perplexity``.
    n_iter_ : int
        Epochs run.
    n_train_tokens_ : int
        Tokens in the training stream, ``<eos>`` included.
    unk_rate_ : float
        Share of training tokens mapped to ``<unk>``.

    Examples
    --------
    >>> from textflow.models import RNNLanguageModel
    >>> corpus = ["one two three four five six"] * 40
    >>> lm = RNNLanguageModel(units=16, num_layers=1, bptt=6, batch_size=4, epochs=20,
    ...                       random_state=0).fit(corpus)
    >>> lm.predict_next("one two three", k=1)[0][0]
    'four'
    >>> lm.complete("three four")
    'five six'
    >>> lm.perplexity(["one two three four five six"]) < 1.5
    True
    """

    _parameter_constraints = {
        "level": [StrOptions({"word", "char"})],
        "cell": [StrOptions(set(CELLS))],
        "units": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "embedding_dim": [Interval(Integral, 1, None, closed="left"), None],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "tie_weights": ["boolean"],
        "bptt": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "max_vocab": [Interval(Integral, 1, None, closed="left"), None],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [str],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "lr_decay": [Interval(Real, 0, 1, closed="right")],
        "clipnorm": [Interval(Real, 0, None, closed="neither"), None],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "random_state": [Interval(Integral, 0, None, closed="left"), None],
        "verbose": [Interval(Integral, 0, 2, closed="both")],
    }

    unk_token = "<unk>"
    eos_token = "<eos>"

    def __init__(
        self,
        *,
        level="word",
        cell="lstm",
        units=200,
        num_layers=2,
        embedding_dim=None,
        dropout=0.0,
        tie_weights=False,
        bptt=35,
        batch_size=20,
        max_vocab=None,
        min_count=1,
        epochs=10,
        optimizer="sgd",
        learning_rate=20.0,
        lr_decay=0.25,
        clipnorm=0.25,
        early_stopping=True,
        patience=2,
        random_state=None,
        verbose=0,
        **routed_params,
    ):
        self.level = level
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.embedding_dim = embedding_dim
        self.dropout = dropout
        self.tie_weights = tie_weights
        self.bptt = bptt
        self.batch_size = batch_size
        self.max_vocab = max_vocab
        self.min_count = min_count
        self.epochs = epochs
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.lr_decay = lr_decay
        self.clipnorm = clipnorm
        self.early_stopping = early_stopping
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose
        self._set_routed(routed_params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags

    # --- corpus -> token stream -----------------------------------------------

    def _tokens(self, X, *, allow_empty=False) -> TokenCorpus:
        """The corpus as a TokenCorpus (text is split; token lists are checked)."""
        docs = as_corpus(X, allow_empty=allow_empty)
        if isinstance(docs, TokenCorpus):
            return docs
        for index, doc in enumerate(docs):
            if not isinstance(doc, (str, list, tuple, np.ndarray)):
                raise InvalidDocumentError(
                    f"Document {index} is {type(doc).__name__}; expected text (str) or a "
                    "list of str tokens.",
                    index=index,
                )
        split = list if self.level == "char" else str.split
        lists = [split(doc) if isinstance(doc, str) else list(doc) for doc in docs]
        return TokenCorpus.from_lists(lists)

    def _learn_vocabulary(self, corpus):
        counts = corpus.counts()
        specials = {self.unk_token, self.eos_token}
        order = np.argsort(-counts, kind="stable")  # most frequent first, ties by first use
        vocabulary = corpus.vocabulary
        words = [vocabulary[i] for i in order
                 if counts[i] >= self.min_count and vocabulary[i] not in specials]  # fmt: skip
        if self.max_vocab is not None:
            words = words[: self.max_vocab]
        return [self.unk_token, self.eos_token, *words]

    def _stream(self, corpus, index):
        """One id stream: ``<eos>``, then each document followed by ``<eos>``."""
        remap = np.fromiter((index.get(token, UNK) for token in corpus.vocabulary),
                            dtype=np.int32, count=len(corpus.vocabulary))  # fmt: skip
        lengths = corpus.document_lengths()
        stream = np.full(len(corpus.ids) + len(lengths) + 1, EOS, dtype=np.int32)
        is_token = np.ones(len(stream), dtype=bool)
        is_token[0] = False
        is_token[np.cumsum(lengths + 1)] = False
        stream[is_token] = remap[corpus.ids] if len(corpus.ids) else []
        return stream

    def _windows(self, stream):
        """Inputs, targets and weights laid out for stateful training.

        Row ``w * batch_size + b`` is window ``w`` of stream ``b``; the tail is
        padded with weight 0, so every token is trained on and none is invented.
        """
        n, batch, bptt = len(stream) - 1, self.batch_size, self.bptt
        per_stream = -(-n // batch)
        windows = -(-per_stream // bptt)
        arrays = []
        for values in (stream[:-1], stream[1:], np.ones(n, dtype=np.float32)):
            # stream b holds tokens [b * per_stream, (b + 1) * per_stream)
            grid = np.zeros((batch, windows * bptt), dtype=values.dtype)
            flat = np.zeros(batch * per_stream, dtype=values.dtype)
            flat[:n] = values
            grid[:, :per_stream] = flat.reshape(batch, per_stream)
            padded = grid.reshape(batch, windows, bptt).transpose(1, 0, 2)
            arrays.append(np.ascontiguousarray(padded.reshape(-1, bptt)))
        return arrays

    # --- training ---------------------------------------------------------------

    def fit(self, X, y=None, validation_data=None):
        """Learn the vocabulary and train the network on the corpus.

        Parameters
        ----------
        X : corpus
            Texts, token lists or a TokenCorpus; each document (a sentence, a
            line, a review) is followed by ``<eos>`` in the training stream.
        y : None
            Ignored.
        validation_data : corpus, default=None
            Held-out documents: their perplexity is reported after every epoch
            and drives early stopping and learning-rate decay.

        Returns
        -------
        self : object
        """
        with self._rollback_on_error():
            return self._fit(X, validation_data)

    def _fit(self, X, validation_data):
        self._validate_params()
        self._check_routes(self._extra_params())
        corpus = self._tokens(X)
        vocabulary = self._learn_vocabulary(corpus)
        index = {token: i for i, token in enumerate(vocabulary)}
        stream = self._stream(corpus, index)
        if len(stream) - 1 < self.bptt:
            raise ValueError(
                f"The corpus has {len(stream) - 1} tokens (with <eos>), fewer than one "
                f"bptt window of {self.bptt}; give more text or lower bptt."
            )
        valid = None
        if validation_data is not None:
            valid = self._stream(self._tokens(validation_data), index)
        keras = import_keras()
        with self._seeded(keras):
            model = build_language_model(
                vocab_size=len(vocabulary), cell=self.cell, units=self.units,
                num_layers=self.num_layers, embedding_dim=self.embedding_dim or self.units,
                dropout=self.dropout, tie_weights=self.tie_weights,
                batch_size=self.batch_size, bptt=self.bptt,
            )  # fmt: skip
            clip = {} if self.clipnorm is None else {"global_clipnorm": self.clipnorm}
            model.compile(
                optimizer=self._make_optimizer(keras, **clip),
                loss=keras.losses.SparseCategoricalCrossentropy(
                    from_logits=True, reduction="mean_with_sample_weight"
                ),
                **_compile_params(self),
            )
            inputs, targets, weights = self._windows(stream)
            history = self._fit_model(model, inputs, targets, {
                "epochs": self.epochs, "batch_size": self.batch_size, "shuffle": False,
                "sample_weight": weights, "verbose": self.verbose,
                "callbacks": self._callbacks(keras, valid),
            })  # fmt: skip
        history["perplexity"] = [math.exp(min(loss, 700.0)) for loss in history["loss"]]
        self.vocabulary_ = vocabulary
        self.vocab_size_ = len(vocabulary)
        self.n_train_tokens_ = len(stream) - 1
        self.unk_rate_ = float(np.mean(stream[1:] == UNK))
        self.model_ = model
        self.history_ = history
        self.n_iter_ = len(history["loss"])
        self.__dict__.pop("_stack", None)
        return self

    def _callbacks(self, keras, valid):
        callbacks = [_state_resetter(keras)()]
        monitor = "loss"
        if valid is not None:
            callbacks.append(_validation_scorer(keras)(self, valid))
            monitor = "val_loss"
        if self.lr_decay < 1:
            callbacks.append(self._lr_decay(keras, monitor))
        if self.early_stopping:
            callbacks.append(self._early_stopping(keras, monitor))
        return callbacks

    # --- inference -------------------------------------------------------------

    def _network(self, model=None):
        """The trained weights as a numpy stack (cached; rebuilt after fit or unpickling)."""
        if model is not None:
            return RecurrentLanguageStack.from_keras(model, self.cell, self.num_layers,
                                                     self.tie_weights)  # fmt: skip
        stack = self.__dict__.get("_stack")
        if stack is None:
            check_is_fitted(self, "model_")
            stack = self._network(self.model_)
            self.__dict__["_stack"] = stack
        return stack

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_stack", None)
        return state

    def _ids(self, context):
        """A context (text or token list) as ids, starting from a sentence boundary."""
        if isinstance(context, str):
            tokens = list(context) if self.level == "char" else context.split()
        elif isinstance(context, (list, tuple)):
            tokens = list(context)
            for position, token in enumerate(tokens):
                if not isinstance(token, str):
                    raise InvalidDocumentError(
                        f"Token {position} of the context is {type(token).__name__}; "
                        "tokens must be str."
                    )
        else:
            raise InvalidDocumentError(
                f"A context must be text (str) or a list of str tokens; got "
                f"{type(context).__name__}."
            )
        index = self._index()
        return [EOS, *(index.get(token, UNK) for token in tokens)]

    def _index(self):
        index = self.__dict__.get("_token_index")
        if index is None or len(index) != len(self.vocabulary_):
            index = {token: i for i, token in enumerate(self.vocabulary_)}
            self.__dict__["_token_index"] = index
        return index

    def _after(self, ids):
        """Log-probabilities of the next token after ``ids``, and the state there."""
        network = self._network()
        hidden, state = network.hidden(np.asarray([ids]), network.initial_state(1))
        log_probs = network.logits(hidden[:, -1])
        return log_probs[0] - _logsumexp(log_probs[0]), state

    def predict_next(self, context, k=5):
        """The ``k`` most likely next tokens after ``context``, with their probabilities.

        Parameters
        ----------
        context : str or list of str
            The words so far (unknown ones read as ``<unk>``); ``""`` asks for
            the first word of a sentence.
        k : int, default=5
            How many candidates.

        Returns
        -------
        list of (str, float)
            Tokens and probabilities, most likely first.
        """
        check_is_fitted(self, "model_")
        if not isinstance(k, Integral) or k < 1:
            raise ValueError(f"k must be an integer >= 1; got {k!r}")
        log_probs, _ = self._after(self._ids(context))
        top = np.argsort(-log_probs, kind="stable")[:k]
        return [(self.vocabulary_[i], float(np.exp(log_probs[i]))) for i in top]

    def complete(self, prefix, max_words=10, *, beam_width=1, length_penalty=1.0):
        """Autocomplete: the most likely continuation of ``prefix`` up to the sentence end.

        Parameters
        ----------
        prefix : str or list of str
            What has been typed so far.
        max_words : int, default=10
            Longest continuation (tokens; characters with ``level="char"``).
        beam_width : int, default=1
            1 is greedy decoding; more keeps that many hypotheses (beam search).
        length_penalty : float, default=1.0
            Beam ranking: ``log p / length ** length_penalty``.

        Returns
        -------
        str
            The continuation alone, without the prefix and without ``<eos>``.
        """
        check_is_fitted(self, "model_")
        _check_count("max_words", max_words)
        if not isinstance(beam_width, Integral) or beam_width < 1:
            raise ValueError(f"beam_width must be an integer >= 1; got {beam_width!r}")
        if max_words == 0:
            return ""
        log_probs, state = self._after(self._ids(prefix))
        ids = beam_search(
            self._network().step, state, log_probs, beam_width=beam_width,
            max_steps=max_words, end_id=EOS, length_penalty=length_penalty,
        )  # fmt: skip
        return self._detokenize(ids, stop_at_eos=True)

    def generate(self, prompt="", max_words=50, *, temperature=1.0, top_k=None, top_p=None,
                 random_state=None):  # fmt: skip
        """Sample a continuation of ``prompt``, token by token.

        Parameters
        ----------
        prompt : str or list of str, default=""
            The start of the text (``""``: a new sentence).
        max_words : int, default=50
            Tokens to generate; sentence ends (``<eos>``) count and are written
            as line breaks.
        temperature : float, default=1.0
            Below 1 sharpens the distribution, above 1 flattens it.
        top_k : int or None, default=None
            Sample only among the ``top_k`` most likely tokens (1: greedy).
        top_p : float or None, default=None
            Nucleus sampling: the smallest set of tokens whose probability
            reaches ``top_p``.
        random_state : int, Generator or None, default=None
            Seed of the draws (the same seed gives the same text).

        Returns
        -------
        str
            The generated continuation, without the prompt.
        """
        check_is_fitted(self, "model_")
        _check_count("max_words", max_words)
        check_sampling(temperature, top_k, top_p)
        rng = np.random.default_rng(random_state)
        network = self._network()
        log_probs, state = self._after(self._ids(prompt))
        ids = []
        for position in range(max_words):
            token = sample_token(log_probs, rng, temperature=temperature, top_k=top_k,
                                 top_p=top_p)  # fmt: skip
            ids.append(token)
            if position < max_words - 1:
                step_log_probs, state = network.step(np.asarray([token]), state)
                log_probs = step_log_probs[0]
        return self._detokenize(ids, stop_at_eos=False)

    def _detokenize(self, ids, *, stop_at_eos):
        separator = "" if self.level == "char" else " "
        lines, words = [], []
        for i in ids:
            if i == EOS:
                lines.append(separator.join(words))
                words = []
                if stop_at_eos:
                    break
            else:
                words.append(self.vocabulary_[i])
        if words or not lines:
            lines.append(separator.join(words))
        return "\n".join(lines)

    # --- evaluation ------------------------------------------------------------

    def _mean_nll(self, X):
        check_is_fitted(self, "model_")
        stream = self._stream(self._tokens(X), self._index())
        total, count = self._network().negative_log_likelihood(stream)
        return total / count

    def perplexity(self, X):
        """Perplexity of the corpus: ``exp`` of the mean negative log-likelihood per token.

        Every token is predicted from all that precede it in the stream (each
        document followed by ``<eos>``, the stream starting at a sentence
        boundary); ``<eos>`` tokens are counted, as in the PTB literature.
        """
        return math.exp(self._mean_nll(X))

    def score(self, X, y=None):
        """Mean log-likelihood per token (``-log perplexity``): higher is better.

        So ``GridSearchCV`` can select a language model on held-out text.
        """
        return -self._mean_nll(X)


def _check_count(name, value):
    if not isinstance(value, Integral) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0; got {value!r}")


def _logsumexp(values):
    top = values.max()
    return top + math.log(float(np.exp(values - top).sum()))


def _compile_params(estimator):
    from ._keras import _routed

    return _routed(estimator._routed_params(), "compile__")


def _state_resetter(keras):
    class ResetStates(keras.callbacks.Callback):
        """Start every epoch (and every evaluation) from zero recurrent states."""

        def _reset(self):
            for layer in self.model.layers:
                if getattr(layer, "stateful", False):
                    layer.reset_state()

        def on_epoch_begin(self, epoch, logs=None):
            self._reset()

        def on_test_begin(self, logs=None):
            self._reset()

    return ResetStates


def _validation_scorer(keras):
    class ValidationPerplexity(keras.callbacks.Callback):
        """Exact validation perplexity after each epoch, as ``val_loss``/``val_perplexity``."""

        def __init__(self, estimator, stream):
            super().__init__()
            self.estimator, self.stream = estimator, stream

        def on_epoch_end(self, epoch, logs=None):
            network = self.estimator._network(self.model)
            total, count = network.negative_log_likelihood(self.stream)
            logs["val_loss"] = total / count
            logs["val_perplexity"] = math.exp(total / count)
            if self.estimator.verbose:
                print(f"epoch {epoch + 1}: validation perplexity {logs['val_perplexity']:.2f}")

    return ValidationPerplexity
