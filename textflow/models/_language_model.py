"""RNNLanguageModel: next-word prediction, autocomplete and generation with an RNN."""

from __future__ import annotations

import math
import warnings
from functools import partial
from numbers import Integral, Real

import numpy as np
from scipy.special import logsumexp
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from .._keras import SequenceModelBase, import_keras, recurrent_layer
from .._keras._base import positive_int, rate
from .._keras._baseline import TrainingDivergedError, record_baseline
from ._decoding import RecurrentLanguageStack, beam_search, check_sampling, sample_token
from ._token_stream import EOS, UNK, TokenStreamMixin

_ATTEMPTS = 3  # a diverging start is retried at a quarter of the learning rate, twice
_TRAINING_CHECK_TOKENS = 200_000  # the baseline is checked on at most this much training text
_MIN_HELD_OUT_DOCUMENTS = 20


def build_language_model(*, vocab_size, cell, units, num_layers, embedding_dim, dropout,
                         tie_weights, batch_size, bptt, stateful=True, embedding_dropout=0.0,
                         recurrent_dropout=0.0):  # fmt: skip
    """Embedding -> [token dropout] -> locked dropout -> [cell -> locked dropout] x
    num_layers -> logits over the vocabulary.

    Dropout is *locked* (variational, Gal & Ghahramani 2016): one mask per sequence,
    the same at every time step, on the embeddings, between layers and before the
    output; ``recurrent_dropout`` drops the recurrent state the same way, and
    ``embedding_dropout`` whole token types (Merity et al., 2017). With
    ``tie_weights`` the output layer reuses the embedding table (and a linear
    projection maps ``units`` to ``embedding_dim`` when they differ).
    """
    keras = import_keras()
    from .._keras._layers import TiedEmbedding

    layers = keras.layers
    inputs = keras.Input(batch_shape=(batch_size, bptt), dtype="int32", name="ids")
    if tie_weights:
        embedding = TiedEmbedding(vocab_size, embedding_dim, name="embedding")
    else:
        embedding = layers.Embedding(vocab_size, embedding_dim, name="embedding")
    x = embedding(inputs)
    if embedding_dropout:
        from .._keras._layers import TokenDropout

        x = TokenDropout(vocab_size, embedding_dropout, name="token_dropout")([inputs, x])

    def locked_dropout(x):
        return layers.Dropout(dropout, noise_shape=(None, 1, x.shape[-1]))(x) if dropout else x

    x = locked_dropout(x)
    for layer in range(num_layers):
        recurrent = recurrent_layer(keras, cell)(
            units,
            return_sequences=True,
            stateful=stateful,
            name=f"recurrent_{layer}",
            recurrent_dropout=recurrent_dropout,
        )
        x = locked_dropout(recurrent(x))
    if tie_weights:
        if units != embedding_dim:
            x = layers.Dense(embedding_dim, name="projection")(x)
        logits = embedding(x, reverse=True)
    else:
        logits = layers.Dense(vocab_size, name="output")(x)
    return keras.Model(inputs, logits)


class RNNLanguageModel(TokenStreamMixin, SequenceModelBase):
    """A recurrent language model: next-word prediction, autocomplete and generation.

    The training corpus is read as one long stream — each document followed by
    ``<eos>`` — cut into ``batch_size`` parallel streams and trained with
    truncated back-propagation through time over windows of ``bptt`` tokens,
    the hidden state carried from one window to the next (the classic layout of
    Zaremba et al.). Targets stay integer ids: no one-hot tensor is built.

    The defaults fit themselves to the corpus: the windows (``bptt``) and the number
    of parallel streams (``batch_size``) shrink for a short corpus, so that every
    epoch still makes at least 50 updates, and without ``validation_data`` the last
    ``validation_fraction`` of the documents is held out for early stopping. A
    training that diverges (a loss that is not finite, or worse than a uniform guess
    after an epoch: a perplexity over 1.5 times the vocabulary's size) starts again at
    a quarter of the learning rate, and says so. After
    ``fit``, ``best_score_`` is the perplexity on the held-out text and
    ``baseline_score_`` a unigram model's on the same text; a
    :class:`~textflow.BaselineWarning` says when the network does not beat it.
    :class:`NGramLanguageModel` is the smoothed n-gram anchor, and
    ``make_preset_pipeline("lm")`` the Penn Treebank recipe.

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
    dropout : float, default=0.2
        Locked (variational) dropout on the embeddings, between recurrent layers and
        before the output layer: one mask per sequence, the same at every step.
    embedding_dropout : float, default=0.0
        Share of token types dropped from each training batch (every occurrence).
    recurrent_dropout : float, default=0.0
        Locked dropout on the recurrent state.
    tie_weights : bool, default=True
        Share the embedding table with the output layer (Press & Wolf, 2017).
    bptt : int or None, default=None
        Truncated back-propagation length: tokens per training window. ``None``:
        35, or fewer for a stream under 3,500 tokens (a hundredth of it, at least
        2); the one used is ``bptt_``.
    batch_size : int or None, default=None
        Parallel streams per batch. ``None``: as many as give every epoch at least
        50 updates, at most 20 (the used one is ``batch_size_``).
    validation_fraction : float, default=0.1
        Without ``validation_data``, and with ``early_stopping``, the share of the
        documents (the last ones) held out to monitor perplexity; 0 monitors the
        training loss instead. Not used for fewer than 20 documents.
    max_vocab : int or None, default=None
        Keep this many most frequent tokens (besides ``<unk>`` and ``<eos>``).
    min_count : int, default=1
        Tokens seen fewer times in training become ``<unk>``.
    epochs : int, default=40
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
        Stop when the held-out perplexity (the training loss when there is no
        held-out text) has not improved for ``patience`` epochs, and keep the best
        weights.
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
        Per epoch: ``loss``, ``perplexity`` and, with held-out text, ``val_loss``
        and ``val_perplexity``.
    bptt_, batch_size_ : int
        The window length and the streams per batch used.
    best_score_, baseline_score_ : float
        Perplexity of the network, and of a unigram model (add-one smoothed counts of
        the training tokens), on the held-out text (the training text without it).
    learning_rate_ : float
        The learning rate training ended up with (below ``learning_rate`` when a
        diverging start was retried).
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

    _task = "language-model"
    _parameter_constraints = {
        **SequenceModelBase._parameter_constraints,
        "level": [StrOptions({"word", "char"})],
        "embedding_dim": [positive_int, None],
        "embedding_dropout": [rate],
        "recurrent_dropout": [rate],
        "tie_weights": ["boolean"],
        "bptt": [positive_int, None],
        "batch_size": [positive_int, None],
        "validation_fraction": [rate],
        "max_vocab": [positive_int, None],
        "min_count": [positive_int],
    }

    def __init__(
        self,
        *,
        level="word",
        cell="lstm",
        units=200,
        num_layers=2,
        embedding_dim=None,
        dropout=0.2,
        embedding_dropout=0.0,
        recurrent_dropout=0.0,
        tie_weights=True,
        bptt=None,
        batch_size=None,
        validation_fraction=0.1,
        max_vocab=None,
        min_count=1,
        epochs=40,
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
        self.embedding_dropout = embedding_dropout
        self.recurrent_dropout = recurrent_dropout
        self.tie_weights = tie_weights
        self.bptt = bptt
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
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

    def _layout(self, n_tokens):
        """``(bptt, batch_size)`` for a training stream of ``n_tokens`` predictions."""
        bptt = self.bptt or max(2, min(35, n_tokens // 100))
        if n_tokens < bptt:
            raise ValueError(
                f"The corpus has {n_tokens} tokens (with <eos>), fewer than one bptt "
                f"window of {bptt}; give more text or lower bptt."
            )
        batch = self.batch_size or int(np.clip(n_tokens // (bptt * 50), 1, 20))
        return bptt, batch

    @staticmethod
    def _windows(stream, bptt, batch):
        """Inputs, targets and weights laid out for stateful training.

        Row ``w * batch + b`` is window ``w`` of stream ``b``; the tail is padded with
        weight 0, so every token is trained on and none is invented.
        """
        n = len(stream) - 1
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
        self._validate_fit_params()
        corpus = self._tokens(X)
        held_out = validation_data
        if held_out is None and self.early_stopping and self.validation_fraction:
            corpus, held_out = _split_held_out(corpus, self.validation_fraction)
        vocabulary = self._learn_vocabulary(corpus)
        if len(vocabulary) == 2 and len(corpus.ids):
            raise ValueError(
                f"Every training token is rarer than min_count={self.min_count} (or cut by "
                f"max_vocab={self.max_vocab}): the vocabulary holds only <unk> and <eos>, "
                "so there is nothing to learn. Lower min_count or give more text."
            )
        index = {token: i for i, token in enumerate(vocabulary)}
        stream = self._stream(corpus, index)
        bptt, batch = self._layout(len(stream) - 1)
        valid = None if held_out is None else self._stream(self._tokens(held_out), index)
        inputs, targets, weights = self._windows(stream, bptt, batch)
        keras = import_keras()
        learning_rate = self.learning_rate
        for attempt in range(_ATTEMPTS):
            with self._seeded(keras):
                model = build_language_model(
                    vocab_size=len(vocabulary), cell=self.cell, units=self.units,
                    num_layers=self.num_layers, embedding_dim=self.embedding_dim or self.units,
                    dropout=self.dropout, tie_weights=self.tie_weights, batch_size=batch,
                    bptt=bptt, embedding_dropout=self.embedding_dropout,
                    recurrent_dropout=self.recurrent_dropout,
                )  # fmt: skip
                loss = keras.losses.SparseCategoricalCrossentropy(
                    from_logits=True, reduction="mean_with_sample_weight"
                )
                optimizer = self._make_optimizer(keras, learning_rate=learning_rate)
                self._compile(keras, model, loss, optimizer=optimizer)
                from .._keras._callbacks import StopOnDivergence

                # worse than half again a uniform guess's perplexity: no slow start, a failure
                divergence = StopOnDivergence(limit=math.log(1.5 * len(vocabulary)))
                history = self._train(model, inputs, targets, {
                    "epochs": self.epochs, "batch_size": batch, "shuffle": False,
                    "sample_weight": weights, "verbose": self.verbose,
                    "callbacks": [*self._callbacks(keras, valid, batch), divergence],
                })  # fmt: skip
            if not divergence.diverged:
                break
            if attempt == _ATTEMPTS - 1:
                raise TrainingDivergedError(
                    f"RNNLanguageModel's training diverged at every learning rate tried "
                    f"(down to {learning_rate:g} from learning_rate={self.learning_rate:g}): "
                    f"{divergence.reason}. Lower learning_rate further, or use "
                    "optimizer='adam' with learning_rate=1e-3."
                )
            warnings.warn(
                f"RNNLanguageModel's training diverged at learning_rate={learning_rate:g} "
                f"({divergence.reason}); starting again at {learning_rate / 4:g}",
                UserWarning,
                stacklevel=3,
            )
            learning_rate /= 4
        history["perplexity"] = [_perplexity(loss) for loss in history["loss"]]
        self.vocabulary_ = vocabulary
        self.vocab_size_ = len(vocabulary)
        self.n_train_tokens_ = len(stream) - 1
        self.unk_rate_ = float(np.mean(stream[1:] == UNK))
        self.bptt_, self.batch_size_, self.learning_rate_ = bptt, batch, learning_rate
        self._finish_fit(model, history)
        self._check_baseline(stream, valid, history)
        return self

    def _check_baseline(self, stream, valid, history):
        """Perplexity of the network and of a unigram model on the held-out text (the
        training text without any), kept and compared."""
        counts = np.bincount(stream[1:], minlength=self.vocab_size_) + 1.0
        log_probs = np.log(counts / counts.sum())
        checked = valid if valid is not None else stream[: _TRAINING_CHECK_TOKENS + 1]
        unigram = math.exp(-float(np.mean(log_probs[checked[1:]])))
        if valid is not None and history.get("val_perplexity"):
            score = min(history["val_perplexity"])
        else:
            total, count = self._network().negative_log_likelihood(checked)
            score = _perplexity(total / max(count, 1))
        where = "the held-out text" if valid is not None else "the training text"
        record_baseline(
            self, score=score, baseline=unigram, metric="perplexity",
            baseline_name="a unigram model", higher_is_better=False, checked_on=where,
            hint="train longer (epochs), or with a larger learning_rate or a smaller batch_size",
        )  # fmt: skip

    def _callbacks(self, keras, valid, batch):
        from .._keras._callbacks import HeldOutScore, ResetStatefulLayers

        callbacks = [ResetStatefulLayers()]
        monitor = "loss"
        if valid is not None:
            score = partial(self._validation_perplexity, valid)
            callbacks.append(HeldOutScore(score, verbose=self.verbose > 1))
            monitor = "val_loss"
        return callbacks + self._schedule(keras, monitor)

    def _validation_perplexity(self, stream, model):
        """The exact perplexity of the held-out ``stream`` under ``model``'s weights."""
        total, count = self._network_of(model).negative_log_likelihood(stream)
        return {"val_loss": total / count, "val_perplexity": _perplexity(total / count)}

    # --- inference -------------------------------------------------------------

    def _network_of(self, model):
        return RecurrentLanguageStack.from_keras(model, self.cell, self.num_layers,
                                                 self.tie_weights)  # fmt: skip

    def _network(self):
        """The trained weights as a numpy stack (built once per fitted model)."""
        check_is_fitted(self, "model_")
        return self._cached("network", partial(self._network_of, self.model_))

    def _next_token_log_probs(self, ids):
        """Log-probabilities of the next token after ``ids``, and the state there."""
        network = self._network()
        hidden, state = network.hidden(np.asarray([ids]), network.initial_state(1))
        log_probs = network.logits(hidden[:, -1])
        return log_probs[0] - logsumexp(log_probs[0]), state

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
        self._check_ready()
        if not isinstance(k, Integral) or k < 1:
            raise ValueError(f"k must be an integer >= 1; got {k!r}")
        log_probs, _ = self._next_token_log_probs(self._context_ids(context))
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
        self._check_ready()
        _check_count("max_words", max_words)
        if not isinstance(beam_width, Integral) or isinstance(beam_width, bool) or beam_width < 1:
            raise ValueError(f"beam_width must be an integer >= 1; got {beam_width!r}")
        if not isinstance(length_penalty, Real) or not length_penalty >= 0:
            raise ValueError(f"length_penalty must be a number >= 0; got {length_penalty!r}")
        if max_words == 0:
            return ""
        log_probs, state = self._next_token_log_probs(self._context_ids(prefix))
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
        self._check_ready()
        _check_count("max_words", max_words)
        check_sampling(temperature, top_k, top_p)
        if not (random_state is None or isinstance(random_state, np.random.Generator)
                or (isinstance(random_state, Integral) and not isinstance(random_state, bool)
                    and random_state >= 0)):  # fmt: skip
            raise ValueError("random_state must be None, an integer >= 0 or a "
                             f"numpy Generator; got {random_state!r}")  # fmt: skip
        rng = np.random.default_rng(random_state)
        network = self._network()
        log_probs, state = self._next_token_log_probs(self._context_ids(prompt))
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
        self._check_ready()
        stream = self._stream(self._tokens(X), self._index())
        total, count = self._network().negative_log_likelihood(stream)
        return total / count

    def perplexity(self, X):
        """Perplexity of the corpus: ``exp`` of the mean negative log-likelihood per token.

        Every token is predicted from all that precede it in the stream (each
        document followed by ``<eos>``, the stream starting at a sentence
        boundary); ``<eos>`` tokens are counted, as in the PTB literature.
        """
        return _perplexity(self._mean_nll(X))

    def score(self, X, y=None):
        """Mean log-likelihood per token (``-log perplexity``): higher is better.

        So ``GridSearchCV`` can select a language model on held-out text.
        """
        return -self._mean_nll(X)


def _check_count(name, value):
    if not isinstance(value, Integral) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0; got {value!r}")


def _perplexity(mean_nll):
    """``exp(mean_nll)``, infinite rather than an overflow for a diverged model."""
    return math.exp(mean_nll) if mean_nll < 700 else math.inf


def _split_held_out(corpus, fraction):
    """``(training part, held-out part)``: the last ``fraction`` of the documents held out,
    or ``(corpus, None)`` for fewer than 20 documents."""
    n = len(corpus)
    held = round(n * fraction)
    if n < _MIN_HELD_OUT_DOCUMENTS or held < 1:
        return corpus, None
    return corpus[: n - held], corpus[n - held :]
