"""Seq2SeqTranslator: an encoder-decoder RNN with attention, for translation and other
text-to-text jobs."""

from __future__ import annotations

import re
import warnings
from functools import partial
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._keras import SequenceModelBase, import_keras, recurrent_layer
from .._keras._base import positive_int
from .._keras._batching import bucket_length
from .._validation import InvalidDocumentError, as_corpus, describe
from ..text import BytePairEncoding
from ._decoding import NumpyTranslator, beam_search, select_rows

PAD, UNK = 0, 1
_TRAINING_CHECK_PAIRS = 500  # without held-out pairs, the baseline is checked on these
START, END = "<start>", "<end>"
BUCKETS = (8, 12, 16, 24, 32, 48, 64)
_NO_SPACE_BEFORE = re.compile(r" ([.,!?;:%)\]}»“])")
_NO_SPACE_AFTER = re.compile(r"([(\[{«„]) ")


def detokenize(tokens) -> str:
    """Tokens joined into text: no space before closing punctuation or after opening."""
    text = " ".join(tokens)
    return _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", text))


def build_translator(*, source_vocab, target_vocab, cell, units, embedding_dim, num_layers,
                     bidirectional, attention, dropout, tie_embeddings=False):  # fmt: skip
    """Encoder (stacked, optionally bidirectional) -> bridge -> decoder with teacher forcing
    -> attention over the encoder outputs (Luong-style: after the decoder cell) -> tanh
    layer, layer normalisation -> logits (through the target embedding table, transposed,
    with ``tie_embeddings``)."""
    keras = import_keras()
    from .._keras._layers import TiedEmbedding

    layers = keras.layers
    cell_class = recurrent_layer(keras, cell)
    n_states = 2 if cell == "lstm" else 1
    source = keras.Input((None,), dtype="int32", name="source")
    target = keras.Input((None,), dtype="int32", name="target_in")
    x = layers.Embedding(source_vocab, embedding_dim, mask_zero=True,
                         name="source_embedding")(source)  # fmt: skip
    initial_states = []
    for layer in range(num_layers):
        if dropout:
            x = layers.Dropout(dropout)(x)
        recurrent = cell_class(units, return_sequences=True, return_state=True,
                               name=f"encoder_{layer}")  # fmt: skip
        if not bidirectional:
            x, *states = recurrent(x)
            initial_states.append(states)
            continue
        x, *states = layers.Bidirectional(recurrent, name=f"encoder_{layer}")(x)
        forward, backward = states[:n_states], states[n_states:]
        initial_states.append([
            layers.Dense(units, activation="tanh", name=f"bridge_{layer}_{part}")(
                layers.Concatenate()([forward[part], backward[part]]))
            for part in range(n_states)
        ])  # fmt: skip
    memory = x
    if tie_embeddings:
        # no mask needed: targets are padded at the end, and padded steps carry no loss
        target_embedding = TiedEmbedding(target_vocab, embedding_dim, name="target_embedding")
    else:
        target_embedding = layers.Embedding(target_vocab, embedding_dim, mask_zero=True,
                                            name="target_embedding")  # fmt: skip
    y = target_embedding(target)
    for layer in range(num_layers):
        if dropout:
            y = layers.Dropout(dropout)(y)
        y, *_ = cell_class(
            units, return_sequences=True, return_state=True, name=f"decoder_{layer}"
        )(y, initial_state=initial_states[layer])
    if attention:
        keys = layers.Dense(units, use_bias=False, name="attention_keys")(memory)
        score = layers.Attention if attention == "dot" else layers.AdditiveAttention
        context = score(name="attention")([y, memory, keys])  # query, values, keys
        y = layers.Concatenate()([y, context])
    y = layers.Dense(embedding_dim if tie_embeddings else units, activation="tanh",
                     name="combine")(y)  # fmt: skip
    # measured: without normalisation Adam drives the tanh units into saturation within
    # an epoch on real data when attention is on, and the loss stalls at the unigram's
    y = layers.LayerNormalization(name="combine_norm")(y)
    if dropout:
        y = layers.Dropout(dropout)(y)
    if tie_embeddings:
        logits = target_embedding(y, reverse=True)
    else:
        logits = layers.Dense(target_vocab, name="output")(y)
    return keras.Model([source, target], logits)


class Seq2SeqTranslator(SequenceModelBase):
    """An encoder-decoder recurrent network with attention: text in, text out.

    The encoder reads the source sentence (both ways with ``bidirectional``); its
    final states start the decoder, which writes the target sentence one token at
    a time. With ``attention``, every output token looks back at all source tokens
    (Luong et al., 2015: dot-product scores, or Bahdanau-style additive scores),
    and :meth:`attention_weights` shows where it looked. Training uses teacher
    forcing; :meth:`predict` decodes greedily or with a beam search, in numpy on the
    trained weights.

    Sources and targets are raw strings (split with textflow's
    :class:`~textflow.Tokenizer`, punctuation kept) or token lists. Words are split
    into subword pieces learned by byte-pair encoding (``subwords``), so rare and
    unseen words are read and written through their parts; each side gets its own
    vocabulary of pieces (:class:`~textflow.TextsToSequences`, with ``<unk>``,
    ``<start>`` and ``<end>``). Output is text: pieces joined into words, words
    joined with spaces, without a space before closing punctuation.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}, default="gru"
    units : int, default=256
        Units of each recurrent layer (per direction in the encoder).
    embedding_dim : int, default=128
    num_layers : int, default=1
        Recurrent layers in the encoder and in the decoder.
    bidirectional : bool, default=True
        Read the source both ways.
    attention : {"dot", "additive"} or None, default="dot"
        How each output token scores the source tokens; None: no attention, the
        encoder's final state carries the whole sentence.
    dropout : float, default=0.2
    tie_embeddings : bool, default=True
        The output layer reuses the target embedding table (Press and Wolf, 2017):
        the layer before it has ``embedding_dim`` units, and the network has one
        table of target vectors instead of two. False: a separate output layer.
    subwords : int or None, default=4000
        Byte-pair encoding merges learned on the training sentences (both sides
        together, Sennrich et al., 2016): words are split into frequent pieces, so
        a rare word (a German compound seen once) is read and written through its
        parts. None: whole words, and words outside the vocabulary are ``<unk>``.
    subword_dropout : float, default=0.0
        BPE-dropout (Provilkov et al., 2020): the training sentences are segmented
        anew every epoch, each merge skipped with this probability, so the network
        sees each word split several ways (a regulariser for small corpora).
        Translating always uses the full merges. Needs ``subwords``.
    label_smoothing : float, default=0.1
        Share of each target token's probability spread over the whole vocabulary
        in the training loss (a regulariser: the network is not pushed to certainty;
        the validation loss includes it).
    num_words : int, default=20_000
        Largest vocabulary per side (of words, or of subword pieces), reserved ids
        included; rarer entries read (and are written) as ``<unk>``.
    max_length : int, default=50
        Longest sentence, in tokens; a longer source or target is cut to it with a
        warning (in ``fit`` and ``predict``).
    beam_width : int, default=1
        Hypotheses kept while decoding; 1 is greedy decoding.
    length_penalty : float, default=1.0
        Beam hypotheses are ranked by ``log p / length ** length_penalty``.
    max_output_length : int or None, default=None
        Most tokens written per sentence; None: twice the source length plus 10.
    epochs : int, default=30
    batch_size : int, default=64
    optimizer : str, default="adam"
    learning_rate : float, default=2e-3
    lr_decay : float, default=1.0
        Factor applied to the learning rate after each epoch that does not lower
        the validation loss (1.0: constant).
    clipnorm : float or None, default=5.0
        Clip the global gradient norm.
    early_stopping : bool, default=True
        Stop when the validation score (see ``monitor``) has not improved for
        ``patience`` epochs, keeping the best weights. Without ``validation_data``,
        ``validation_fraction`` of the pairs are held out.
    monitor : {"bleu", "loss"}, default="bleu"
        The validation score: the corpus BLEU of the held-out pairs' greedy
        translations (one decoding pass per epoch, logged as ``val_bleu`` in
        ``history_``; epochs of equal BLEU are ranked by loss), or the training loss
        on them. BLEU kept improving for several epochs after the loss had stopped:
        +0.9 BLEU on the German-English benchmark. Without held-out pairs, the
        training loss.
    validation_fraction : float, default=0.05
    patience : int, default=4
        Epochs without a better validation score before training stops (BLEU moves
        more from epoch to epoch than the loss does).
    random_state : int or None, default=None
    verbose : int, default=0
        0 silent, 1 progress bar, 2 one line per epoch.
    **routed_params
        ``fit__*``, ``compile__*`` and ``optimizer__*`` parameters.

    Attributes
    ----------
    source_vocabulary_, target_vocabulary_ : TextsToSequences
    model_ : keras.Model
        The training network (teacher forcing).
    history_ : dict
    n_iter_ : int
    best_score_, baseline_score_ : float
        Corpus BLEU of the translations and of copying the source unchanged, on the
        held-out pairs (else the first 500 training pairs); a
        :class:`~textflow.BaselineWarning` says when the first is no higher.

    Examples
    --------
    >>> from textflow.models import Seq2SeqTranslator
    >>> X = ["ein Hund", "eine Katze", "ein Haus", "eine Maus"] * 30
    >>> y = ["a dog", "a cat", "a house", "a mouse"] * 30
    >>> translator = Seq2SeqTranslator(units=16, embedding_dim=8, epochs=40,
    ...                                learning_rate=0.02, early_stopping=False,
    ...                                random_state=0).fit(X, y)
    >>> translator.predict(["eine Katze", "ein Hund"])
    ['a cat', 'a dog']
    """

    #: The output column of ``textflow.score`` / ``textflow translate``.
    prediction_column = "translation"
    _task = "translation"

    _parameter_constraints = {
        **SequenceModelBase._parameter_constraints,
        "embedding_dim": [positive_int],
        "bidirectional": ["boolean"],
        "attention": [StrOptions({"dot", "additive"}), None],
        "subword_dropout": [Interval(Real, 0, 1, closed="left")],
        "tie_embeddings": ["boolean"],
        "subwords": [positive_int, None],
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
        "num_words": [Interval(Integral, 8, None, closed="left")],
        "max_length": [positive_int],
        "beam_width": [positive_int],
        "length_penalty": [Interval(Real, 0, None, closed="left")],
        "max_output_length": [positive_int, None],
        "monitor": [StrOptions({"loss", "bleu"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    }

    def __init__(self, *, cell="gru", units=256, embedding_dim=128, num_layers=1,
                 bidirectional=True, attention="dot", dropout=0.2, tie_embeddings=True,
                 subwords=4000, subword_dropout=0.0,
                 label_smoothing=0.1, num_words=20_000,
                 max_length=50, beam_width=1, length_penalty=1.0, max_output_length=None,
                 epochs=30, batch_size=64, optimizer="adam", learning_rate=2e-3, lr_decay=1.0,
                 clipnorm=5.0,
                 early_stopping=True, monitor="bleu", validation_fraction=0.05, patience=4,
                 random_state=None,
                 verbose=0, **routed_params):  # fmt: skip
        self.cell = cell
        self.units = units
        self.embedding_dim = embedding_dim
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.attention = attention
        self.dropout = dropout
        self.tie_embeddings = tie_embeddings
        self.subwords = subwords
        self.subword_dropout = subword_dropout
        self.label_smoothing = label_smoothing
        self.num_words = num_words
        self.max_length = max_length
        self.beam_width = beam_width
        self.length_penalty = length_penalty
        self.max_output_length = max_output_length
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.lr_decay = lr_decay
        self.clipnorm = clipnorm
        self.early_stopping = early_stopping
        self.monitor = monitor
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose
        self._set_routed(routed_params)

    # --- text -> tokens -> ids -------------------------------------------------------

    def _tokens(self, X, name):
        """Token lists, one per entry: strings are tokenized, token lists checked."""
        from ..text import Tokenizer

        docs = as_corpus(X, allow_empty=True)
        out, texts = [], {}
        for index, doc in enumerate(docs):
            if isinstance(doc, str):
                texts[index] = doc
                out.append(None)
            elif isinstance(doc, (list, tuple, np.ndarray)) and all(
                isinstance(token, str) for token in doc
            ):
                out.append([str(token) for token in doc])
            else:
                raise InvalidDocumentError(
                    f"Entry {index} of {name} is {describe(doc)}; expected a string or a list "
                    "of string tokens.",
                    index=index,
                )
        if texts:
            tokenized = Tokenizer(punctuation=True).fit_transform(list(texts.values())).tolist()
            for index, tokens in zip(texts, tokenized):
                out[index] = list(tokens)
        return out

    def _truncate(self, token_lists, name):
        long = [i for i, tokens in enumerate(token_lists) if len(tokens) > self.max_length]
        if long:
            warnings.warn(
                f"{len(long)} {name} longer than max_length={self.max_length} tokens were cut "
                f"to it (the first: entry {long[0]}, {len(token_lists[long[0]])} tokens)",
                stacklevel=3,
            )
        return [tokens[: self.max_length] for tokens in token_lists]

    def _check_pairs(self, X, y, name="X"):
        if y is None:
            raise ValueError("a translator needs y: one target text per source")
        sources = self._truncate(self._tokens(X, name), "sources")
        targets = self._truncate(self._tokens(y, "y"), "targets")
        if len(sources) != len(targets):
            raise ValueError(f"{name} has {len(sources)} sources but y has {len(targets)} "
                             "targets; give one target per source")  # fmt: skip
        return sources, targets

    def _pieces(self, token_lists, random=None):
        """Token lists as subword pieces (unchanged without ``subwords``); with a
        ``random.Random``, sampled with ``subword_dropout``."""
        encoding = self.subword_encoding_
        if encoding is None:
            return token_lists
        if random is not None:
            dropout = self.subword_dropout
            return [encoding.sample(tokens, dropout, random) for tokens in token_lists]
        return [encoding.segment(tokens) for tokens in token_lists]

    def _words(self, pieces):
        encoding = self.subword_encoding_
        return pieces if encoding is None else encoding.join(pieces)

    def _source_ids(self, sources):
        return (
            [np.asarray(ids, dtype=np.int32) for ids in self.source_vocabulary_.transform(sources)]
            if sources
            else []
        )

    # --- training ----------------------------------------------------------------------

    def fit(self, X, y, validation_data=None):
        """Learn both vocabularies and train the network.

        Parameters
        ----------
        X : list of str or list of list of str
            Source sentences.
        y : list of str or list of list of str
            Their translations, one per source.
        validation_data : (X_val, y_val), default=None
            Held-out pairs for early stopping (else ``validation_fraction`` of
            the training pairs).

        Returns
        -------
        self : object
        """
        with self._rollback_on_error():
            return self._fit(X, y, validation_data)

    def _fit(self, X, y, validation_data):
        from ..sequences import TextsToSequences

        self._validate_fit_params()
        sources, targets = self._check_pairs(X, y)
        if not any(sources) or not any(targets):
            raise ValueError("a translator needs non-empty source and target sentences")
        rng = np.random.default_rng(self.random_state)
        if validation_data is not None:
            val_sources, val_targets = self._check_pairs(*validation_data, name="validation X")
        elif self.early_stopping and len(sources) >= 20:
            order = rng.permutation(len(sources))
            held = set(order[: max(1, int(len(sources) * self.validation_fraction))].tolist())
            val_sources = [s for i, s in enumerate(sources) if i in held]
            val_targets = [t for i, t in enumerate(targets) if i in held]
            sources = [s for i, s in enumerate(sources) if i not in held]
            targets = [t for i, t in enumerate(targets) if i not in held]
        else:
            val_sources = val_targets = None
        self.subword_encoding_ = None
        resample = None
        val_words = val_sources, val_targets
        train_words = sources[:_TRAINING_CHECK_PAIRS], targets[:_TRAINING_CHECK_PAIRS]
        if self.subwords is not None:
            self.subword_encoding_ = BytePairEncoding(self.subwords).fit(sources + targets)
            if self.subword_dropout:
                resample = _ResampledPairs(self, sources, targets, int(rng.integers(2**31)))
            sources, targets = self._pieces(sources), self._pieces(targets)
            if val_sources is not None:
                val_sources, val_targets = self._pieces(val_sources), self._pieces(val_targets)
        elif self.subword_dropout:
            raise ValueError("subword_dropout needs subwords (got subwords=None)")
        marked = [[START, *tokens, END] for tokens in targets]
        if resample is not None:  # pieces seen only when merges are skipped need ids too
            sampled_sources, sampled_targets = resample.draw()
            sources_for_vocabulary = sources + sampled_sources
            marked += [[START, *tokens, END] for tokens in sampled_targets]
        else:
            sources_for_vocabulary = sources
        self.source_vocabulary_ = TextsToSequences(
            num_words=self.num_words, oov_token="<unk>").fit(sources_for_vocabulary)  # fmt: skip
        self.target_vocabulary_ = TextsToSequences(num_words=self.num_words,
                                                   oov_token="<unk>").fit(marked)  # fmt: skip
        data = self._pairs(sources, targets)
        keras = import_keras()
        with self._seeded(keras):
            model = build_translator(
                source_vocab=self.source_vocabulary_.vocab_size_,
                target_vocab=self.target_vocabulary_.vocab_size_, cell=self.cell,
                units=self.units, embedding_dim=self.embedding_dim,
                num_layers=self.num_layers, bidirectional=self.bidirectional,
                attention=self.attention, dropout=self.dropout,
                tie_embeddings=self.tie_embeddings,
            )  # fmt: skip
            from .._keras._callbacks import EarlyStoppingRankingTiesByLoss, HeldOutScore
            from .._keras._layers import SmoothedSparseCrossEntropy

            loss = SmoothedSparseCrossEntropy(self.label_smoothing,
                                              reduction="mean_with_sample_weight")  # fmt: skip
            self._compile(keras, model, loss)
            settings = {"epochs": self.epochs, "verbose": self.verbose, "callbacks": []}
            monitor, mode, stopping = "loss", "min", None
            if val_sources:
                settings["validation_data"] = self._dataset(self._pairs(val_sources, val_targets))
                monitor = "val_loss"
                if self.monitor == "bleu":
                    score = partial(self._validation_bleu, *val_words)
                    settings["callbacks"].append(HeldOutScore(score))
                    monitor, mode, stopping = "val_bleu", "max", EarlyStoppingRankingTiesByLoss
            settings["callbacks"] += self._schedule(keras, monitor, mode, stopping=stopping)
            history = self._train(model, self._dataset(data, rng, resample), None, settings)
        self._finish_fit(model, history)
        if val_words[0]:
            self._check_baseline(*val_words, "the held-out pairs")
        else:
            self._check_baseline(*train_words, "the training pairs")
        return self

    def _check_baseline(self, sources, targets, where):
        """Corpus BLEU of the greedy translations and of copying the source, on ``sources``
        (word token lists), kept and compared."""
        from .._keras._baseline import record_baseline
        from ..metrics import corpus_bleu

        history = self.history_.get("val_bleu")
        score = max(history) if history else self._validation_bleu(
            sources, targets, self.model_)["val_bleu"]  # fmt: skip
        references = [detokenize(t) for t in targets]
        copied = corpus_bleu(references, [detokenize(s) for s in sources])
        record_baseline(
            self, score=score, baseline=copied, metric="BLEU",
            baseline_name="copying the source", higher_is_better=True, checked_on=where,
            hint="train longer (epochs) or on more pairs; check that X holds the sources "
            "and y their translations",
        )  # fmt: skip

    def _dataset(self, pairs, rng=None, resample=None):
        """Length-bucketed batches of id pairs; with ``resample``, drawn anew every epoch."""
        from .._keras._datasets import LengthBucketedBatches

        source = _PairBatches(self, pairs)
        regroup = None if resample is None else partial(source.redraw, resample)
        return LengthBucketedBatches(source.lengths(), self.batch_size, source.batch, rng,
                                     regroup)  # fmt: skip

    def _validation_bleu(self, sources, targets, model):
        """Corpus BLEU of ``model``'s greedy translations of held-out sources (token lists)."""
        from ..metrics import corpus_bleu

        network = self._decoder_of(model)
        _, translations, _ = self._translate(sources, 1, network=network)
        hypotheses = [detokenize(self._words(pieces)) for pieces in translations]
        return {"val_bleu": corpus_bleu([detokenize(t) for t in targets], hypotheses)}

    def _pairs(self, sources, targets):
        """(source ids, decoder input ids, decoder target ids) per pair."""
        vocabulary = self.target_vocabulary_
        start, end = vocabulary.vocabulary_[START], vocabulary.vocabulary_[END]
        target_ids = vocabulary.transform(targets)
        pairs = []
        for source, target in zip(self._source_ids(sources), target_ids):
            if len(source):  # an empty source has nothing to encode, nothing to teach
                pairs.append((source, np.r_[start, target].astype(np.int32),
                              np.r_[target, end].astype(np.int32)))  # fmt: skip
        return pairs

    def _batch(self, pairs, rows):
        """Rows padded to bucket lengths: the network sees few shapes, compiles few times."""
        rows = [pairs[i] for i in rows]
        source_length = bucket_length(max(len(p[0]) for p in rows), BUCKETS, 32)
        target_length = bucket_length(max(len(p[1]) for p in rows), BUCKETS, 32)
        n = self.batch_size
        source = np.zeros((n, source_length), dtype=np.int32)
        decoder_in = np.zeros((n, target_length), dtype=np.int32)
        decoder_out = np.zeros((n, target_length), dtype=np.int32)
        weights = np.zeros((n, target_length), dtype=np.float32)
        for k, (src, tin, tout) in enumerate(rows):
            source[k, : len(src)], decoder_in[k, : len(tin)], decoder_out[k, : len(tout)] = (
                src, tin, tout)  # fmt: skip
            weights[k, : len(tout)] = 1.0
        return {"source": source, "target_in": decoder_in}, decoder_out, weights

    # --- decoding ----------------------------------------------------------------------

    def _decoder_of(self, model):
        return NumpyTranslator(model, cell=self.cell, num_layers=self.num_layers,
                               bidirectional=self.bidirectional,
                               attention=self.attention)  # fmt: skip

    def _network_for_decoding(self):
        """The trained network in numpy (built once per fitted model)."""
        self._check_ready()
        return self._cached("decoder", partial(self._decoder_of, self.model_))

    def _output_limit(self, source_length):
        if self.max_output_length is not None:
            return self.max_output_length
        return 2 * source_length + 10

    def _decode(self, network, ids, beam_width, with_attention=False):
        """Target ids (and attention rows) for sources of one length, batched greedily or
        beam by beam."""
        vocabulary = self.target_vocabulary_.vocabulary_
        start, end = vocabulary[START], vocabulary[END]
        limit = self._output_limit(ids.shape[1])
        state = network.encode(ids)
        log_probs, state = network.step(np.full(len(ids), start), state)
        if beam_width > 1:
            return [
                beam_search(
                    network.step,
                    select_rows(state, np.asarray([row])),
                    log_probs[row],
                    beam_width=beam_width,
                    max_steps=limit,
                    end_id=end,
                    length_penalty=self.length_penalty,
                )
                for row in range(len(ids))
            ], None
        outputs = [[] for _ in ids]
        attention = [[] for _ in ids]
        alive = np.arange(len(ids))
        for _ in range(limit):
            chosen = log_probs.argmax(axis=1)
            for k, row in enumerate(alive):
                outputs[row].append(int(chosen[k]))
                if with_attention and network.last_attention is not None:
                    attention[row].append(network.last_attention[k])
            keep = chosen != end
            if not keep.any():
                break
            alive, chosen = alive[keep], chosen[keep]
            state = select_rows(state, np.flatnonzero(keep))
            log_probs, state = network.step(chosen, state)
        return outputs, attention

    def _translate(self, X, beam_width, with_attention=False, network=None):
        network = network or self._network_for_decoding()
        sources = self._pieces(self._truncate(self._tokens(X, "X"), "sources"))
        ids = self._source_ids(sources)
        index_to_word = self.target_vocabulary_.index_to_word_
        end = self.target_vocabulary_.vocabulary_[END]
        translations = [[] for _ in sources]
        attention = [None for _ in sources]
        by_length = {}
        for row, source in enumerate(ids):
            if len(source):
                by_length.setdefault(len(source), []).append(row)
        for rows in by_length.values():
            for start in range(0, len(rows), 512):
                part = rows[start : start + 512]
                outputs, weights = self._decode(network, np.stack([ids[i] for i in part]),
                                                beam_width, with_attention)  # fmt: skip
                for k, row in enumerate(part):
                    tokens = outputs[k]
                    kept = tokens[: tokens.index(end)] if end in tokens else tokens
                    translations[row] = [str(index_to_word[t]) for t in kept]
                    if weights is not None and weights[k]:
                        attention[row] = np.asarray(weights[k])[: len(kept)]
        return sources, translations, attention

    def predict(self, X):
        """Translations: one string per source (an empty string for an empty source)."""
        _, translations, _ = self._translate(X, self.beam_width)
        return [detokenize(self._words(pieces)) for pieces in translations]

    def attention_weights(self, X):
        """For each source: its tokens, the greedy translation's tokens and the attention
        weights (target tokens x source tokens; None without attention). With
        ``subwords`` the tokens are the subword pieces the network read and wrote; a
        piece that the next piece continues ends with ``"@@"`` (``"Ent@@", "wurf"``).

        Returns
        -------
        list of (source_tokens, target_tokens, weights)
        """
        sources, translations, attention = self._translate(X, 1, with_attention=True)
        return [
            (BytePairEncoding.readable(source), BytePairEncoding.readable(target), weights)
            for source, target, weights in zip(sources, translations, attention)
        ]

    def score(self, X, y):
        """Corpus BLEU (sacrebleu, 0-100) of the translations of ``X`` against ``y``."""
        from ..metrics import corpus_bleu

        references = [detokenize(tokens) for tokens in self._tokens(y, "y")]
        hypotheses = self.predict(X)
        if len(references) != len(hypotheses):
            raise ValueError(f"X has {len(hypotheses)} sources but y has {len(references)} "
                             "references")  # fmt: skip
        return corpus_bleu(references, hypotheses)


class _PairBatches:
    """Id pairs (source, decoder input, decoder target) and their training batches."""

    def __init__(self, translator, pairs):
        self.translator, self.pairs = translator, pairs

    def lengths(self):
        return [max(len(pair[0]), len(pair[1])) for pair in self.pairs]

    def batch(self, rows):
        return self.translator._batch(self.pairs, rows)

    def redraw(self, resample):
        """Replace the pairs by ``resample.pairs()``; their lengths."""
        self.pairs = resample.pairs()
        return self.lengths()


class _ResampledPairs:
    """The training pairs segmented anew, with ``subword_dropout``, at every ``draw``."""

    def __init__(self, translator, sources, targets, seed):
        import random

        self.translator, self.sources, self.targets = translator, sources, targets
        self.random = random.Random(seed)

    def draw(self):
        """Pieces of the sources and of the targets."""
        pieces = self.translator._pieces
        return pieces(self.sources, self.random), pieces(self.targets, self.random)

    def pairs(self):
        """Id pairs, as the batches hold them."""
        return self.translator._pairs(*self.draw())
