"""CTCTranscriber: frames of audio features to text, a bidirectional recurrent encoder
trained with connectionist temporal classification on characters."""

from __future__ import annotations

import re
from collections import Counter
from functools import partial
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval

from .._keras import SequenceModelBase, import_keras, recurrent_layer
from .._keras._base import positive_int, rate

BLANK = 0
#: Transcript lengths (in characters) the training targets are padded to.
LABEL_BUCKETS = (16, 32, 64, 128, 256)
#: Recordings needed before some are held out for early stopping.
MIN_HELD_OUT_RECORDINGS = 20


def normalize_transcript(text: str) -> str:
    """Lower case, punctuation read as a word break, one space between words: what a
    recogniser can hear (``"Press 1, then #."`` -> ``"press 1 then"``)."""
    return " ".join(re.sub(r"[^\w']+|_", " ", text.lower()).replace(" '", " ").split())


def split_by_transcript(transcripts, test_size=0.15, random_state=0):
    """Indices of training and test recordings with no transcript on both sides: a
    ``test_size`` share of the distinct (normalised) transcripts is held out, so a score
    on the test side is never a prompt heard in training.

    Examples
    --------
    >>> from textflow.speech import split_by_transcript
    >>> split_by_transcript(["Yes.", "yes", "no", "stop", "go"], test_size=0.25)
    ([2, 3, 4], [0, 1])

    One of the four distinct transcripts is held out; "Yes." and "yes" are the same one.
    """
    keys = [normalize_transcript(t) for t in transcripts]
    distinct = sorted(set(keys))
    rng = np.random.default_rng(random_state)
    held = set(rng.choice(distinct, size=max(1, round(test_size * len(distinct))),
                          replace=False))  # fmt: skip
    return ([i for i, k in enumerate(keys) if k not in held],
            [i for i, k in enumerate(keys) if k in held])  # fmt: skip


def check_transcripts(y, n, *, name="y", normalize=True):
    """One str per recording, normalised when asked."""
    if y is None:
        raise ValueError("a transcriber needs y: one transcript (str) per recording")
    if isinstance(y, str):
        raise ValueError(f"{name} is a single str; give one transcript per recording")
    transcripts = list(y)
    if len(transcripts) != n:
        raise ValueError(f"X has {n} recordings but {name} has {len(transcripts)} transcripts")
    for index, text in enumerate(transcripts):
        if not isinstance(text, str):
            raise ValueError(f"Transcript {index} of {name} is {type(text).__name__}; "
                             "transcripts must be str")  # fmt: skip
    return [normalize_transcript(t) for t in transcripts] if normalize else transcripts


def stack_frames(frames, stride):
    """Every ``stride`` consecutive frames as one (the last padded by repeating it): a
    ``stride`` times shorter sequence for the recurrent layers to read."""
    if stride == 1:
        return frames
    extra = -len(frames) % stride
    if extra:
        frames = np.concatenate([frames, np.repeat(frames[-1:], extra, axis=0)])
    return frames.reshape(len(frames) // stride, stride * frames.shape[1])


def frames_needed(labels):
    """The fewest output frames CTC can align ``labels`` to: one per label, plus a blank
    between each pair of equal neighbours."""
    labels = np.asarray(labels)
    return len(labels) + int(np.sum(labels[1:] == labels[:-1])) if len(labels) else 0


def build_ctc_encoder(*, n_features, n_labels, cell, units, num_layers, bidirectional, dropout):
    """Frames (+ their mask) -> stacked [bidirectional] recurrent layers -> per frame, the
    logits of every label and the blank."""
    keras = import_keras()
    layers = keras.layers
    frames = keras.Input((None, n_features), name="frames")
    mask = keras.Input((None,), dtype="bool", name="mask")
    x = frames
    cell_class = recurrent_layer(keras, cell)
    for layer in range(num_layers):
        recurrent = cell_class(units, return_sequences=True, name=f"recurrent_{layer}")
        recurrent = layers.Bidirectional(recurrent) if bidirectional else recurrent
        x = recurrent(x, mask=mask)
        if dropout:
            x = layers.Dropout(dropout)(x)
    from .._keras._layers import DropMask

    logits = layers.Dense(n_labels, name="logits")(DropMask()(x))
    return keras.Model([frames, mask], logits)


class CTCTranscriber(SequenceModelBase):
    """Speech to text: a bidirectional recurrent network over frames of audio features,
    trained with connectionist temporal classification (CTC; Graves et al., 2006) to
    spell the transcript one character at a time.

    CTC needs no alignment of the text to the audio: at every output frame the network
    gives a probability to each character and to a *blank*, and training sums over every
    way of laying the transcript out on the frames. Consecutive input frames are stacked
    (``frame_stride``), so the recurrent layers read a shorter sequence. Reading is greedy
    (the best label at each frame) or a prefix beam search over whole transcripts
    (``beam_width``), in numpy.

    Transcripts are compared as a recogniser hears them: lower-cased, punctuation read
    as a break between words (``normalize``).

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}, default="lstm"
    units : int, default=128
        Units per direction of each recurrent layer.
    num_layers : int, default=3
    bidirectional : bool, default=True
    frame_stride : int, default=2
        Input frames stacked into one step (2: a 10 ms hop reads as 20 ms steps, about
        three steps per spoken character; the network refuses a recording with fewer
        steps than its transcript needs).
    dropout : float, default=0.2
        After each recurrent layer.
    normalize : bool, default=True
        Lower-case the transcripts and read punctuation as a word break; ``False``:
        every character of the transcripts is a label.
    beam_width : int, default=8
        Prefixes kept by the beam search at prediction; 1: greedy decoding.
    epochs : int, default=60
        An upper bound with early stopping.
    batch_size : int, default=16
        Recordings per batch (of similar length).
    optimizer : str, default="adam"
    learning_rate : float, default=2e-3
    lr_decay : float, default=0.5
        Factor applied to the learning rate when the held-out loss stops improving.
    clipnorm : float or None, default=5.0
    early_stopping : bool, default=True
        Stop when the held-out loss has not improved for ``patience`` epochs, and keep
        the best weights.
    validation_fraction : float, default=0.1
        Without ``validation_data``, the share of the recordings (the last ones) held
        out; not used for fewer than 20 recordings.
    patience : int, default=8
    random_state : int or None, default=None
    verbose : int, default=0
    **routed_params
        ``fit__*``, ``compile__*`` and ``optimizer__*`` parameters.

    Attributes
    ----------
    alphabet_ : list of str
        The labels: ``alphabet_[0]`` is the blank (``""``), then the characters.
    n_features_in_ : int
        Features per input frame.
    frame_mean_, frame_scale_ : ndarray of shape (``n_features_in_``,)
        The training frames' mean and deviation, taken out before the network.
    model_ : keras.Model
    history_ : dict
    n_iter_ : int
    best_score_, baseline_score_ : float
        The character error rate of the network and of the best constant transcript
        (nothing, or the most frequent training transcript) on the held-out recordings
        (else the training ones); a :class:`~textflow.BaselineWarning` says when the
        first is no lower.

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.speech import CTCTranscriber
    >>> rng = np.random.default_rng(0)
    >>> def say(word):  # a made-up "sound" per letter: 6 frames around its own centre
    ...     return np.concatenate([rng.normal(ord(c) % 7, 0.3, (6, 4)) for c in word])
    >>> words = ["ab", "ba", "abc", "cab", "bca"] * 4
    >>> transcriber = CTCTranscriber(units=16, num_layers=1, epochs=40, batch_size=20,
    ...                              learning_rate=0.03, early_stopping=False, random_state=0)
    >>> transcriber = transcriber.fit([say(w) for w in words], words)
    >>> transcriber.predict([say("cab"), say("ab")])
    ['cab', 'ab']
    """

    prediction_column = "transcript"
    _task = "transcription"
    _parameter_constraints = {
        **SequenceModelBase._parameter_constraints,
        "bidirectional": ["boolean"],
        "frame_stride": [positive_int],
        "normalize": ["boolean"],
        "beam_width": [Interval(Integral, 1, None, closed="left")],
        "validation_fraction": [rate],
    }

    def __init__(self, *, cell="lstm", units=128, num_layers=3, bidirectional=True,
                 frame_stride=2, dropout=0.2, normalize=True, beam_width=8, epochs=60,
                 batch_size=16, optimizer="adam", learning_rate=2e-3, lr_decay=0.5,
                 clipnorm=5.0, early_stopping=True, validation_fraction=0.1, patience=8,
                 random_state=None, verbose=0, **routed_params):  # fmt: skip
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.frame_stride = frame_stride
        self.dropout = dropout
        self.normalize = normalize
        self.beam_width = beam_width
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = False
        return tags

    # --- frames and transcripts -> arrays ------------------------------------------

    def _steps(self, frames):
        """The network's input for each recording: standardised, stacked frames."""
        return [stack_frames((f - self.frame_mean_) / self.frame_scale_, self.frame_stride)
                for f in frames]  # fmt: skip

    def _labels(self, transcripts, index, name):
        labels = []
        for i, text in enumerate(transcripts):
            unknown = sorted({c for c in text if c not in index})
            if unknown:
                raise ValueError(f"Transcript {i} of {name} has characters no training "
                                 f"transcript has: {unknown}")  # fmt: skip
            labels.append(np.array([index[c] for c in text], dtype=np.int32))
        return labels

    def _check_lengths(self, steps, labels, name):
        for i, (x, target) in enumerate(zip(steps, labels)):
            if frames_needed(target) > len(x):
                raise ValueError(
                    f"Recording {i} of {name} gives {len(x)} steps (frames / frame_stride) "
                    f"for a transcript that needs {frames_needed(target)}: lower "
                    "frame_stride, or use a shorter hop between frames"
                )

    def _batch(self, steps, labels, rows):
        """Padded inputs, packed CTC targets and row weights for ``rows``, padded to a
        bucket length and to ``batch_size`` rows (padding rows weigh nothing)."""
        from .._keras._batching import bucket_length
        from .._keras._frames import FRAME_BUCKETS, pad_frames

        length = bucket_length(max(len(steps[i]) for i in rows), FRAME_BUCKETS, 512)
        width = bucket_length(max(len(labels[i]) for i in rows), LABEL_BUCKETS, 256)
        n = max(self.batch_size, len(rows))
        padded = [*rows, *([rows[0]] * (n - len(rows)))]
        x = pad_frames(steps, padded, length, steps[rows[0]].shape[1])
        y = np.zeros((n, 1 + width), dtype=np.int32)
        weights = np.zeros(n, dtype=np.float32)
        for k, i in enumerate(padded):
            y[k, 0] = len(steps[i])
            y[k, 1 : 1 + len(labels[i])] = labels[i]
            weights[k] = k < len(rows)
        return x, y, weights

    def _dataset(self, steps, labels, rng=None):
        from .._keras._datasets import LengthBucketedBatches

        make_batch = partial(self._batch, steps, labels)
        return LengthBucketedBatches([len(s) for s in steps], self.batch_size, make_batch, rng)

    # --- training ----------------------------------------------------------------------

    def fit(self, X, y, validation_data=None):
        """Learn the alphabet and train the network.

        Parameters
        ----------
        X : list of ndarray of shape (n_frames_i, n_features)
            Frames of audio features (:class:`AudioFeatures`' output), one array per
            recording; or a padded 3-D array.
        y : list of str
            The transcripts.
        validation_data : (X_val, y_val), default=None
            Held-out recordings for early stopping and the baseline check.

        Returns
        -------
        self : object
        """
        with self._rollback_on_error():
            return self._fit(X, y, validation_data)

    def _fit(self, X, y, validation_data):
        from .._keras._frames import check_frames

        self._validate_fit_params()
        frames = check_frames(X)
        transcripts = check_transcripts(y, len(frames), normalize=self.normalize)
        if validation_data is None and self.early_stopping and self.validation_fraction:
            held = round(len(frames) * self.validation_fraction)
            if len(frames) >= MIN_HELD_OUT_RECORDINGS and held:
                validation_data = (frames[-held:], transcripts[-held:])
                frames, transcripts = frames[:-held], transcripts[:-held]
        stacked = np.concatenate(frames)
        self.frame_mean_ = stacked.mean(axis=0)
        self.frame_scale_ = np.maximum(stacked.std(axis=0), 1e-5).astype(np.float32)
        self.n_features_in_ = stacked.shape[1]
        alphabet = ["", *sorted({c for text in transcripts for c in text})]
        if len(alphabet) < 2:
            raise ValueError("every transcript is empty: nothing to learn to spell")
        index = {c: i for i, c in enumerate(alphabet) if i}
        steps, labels = self._steps(frames), self._labels(transcripts, index, "y")
        self._check_lengths(steps, labels, "X")
        validation = None
        if validation_data is not None:
            X_val, y_val = validation_data
            val_frames = check_frames(X_val, self.n_features_in_, name="validation X")
            val_transcripts = check_transcripts(y_val, len(val_frames), name="validation y",
                                                normalize=self.normalize)  # fmt: skip
            kept = [i for i, t in enumerate(val_transcripts) if set(t) <= set(index)]
            val_steps = self._steps([val_frames[i] for i in kept])
            val_labels = self._labels([val_transcripts[i] for i in kept], index, "validation y")
            validation = (val_steps, val_labels, val_frames, val_transcripts)
        keras = import_keras()
        from .._keras._layers import CTCLoss

        rng = np.random.default_rng(self.random_state)
        with self._seeded(keras):
            model = build_ctc_encoder(
                n_features=steps[0].shape[1], n_labels=len(alphabet), cell=self.cell,
                units=self.units, num_layers=self.num_layers, bidirectional=self.bidirectional,
                dropout=self.dropout,
            )  # fmt: skip
            self._compile(keras, model, CTCLoss())
            settings = {"epochs": self.epochs, "verbose": self.verbose, "callbacks": []}
            monitor = "loss"
            if validation is not None and validation[0]:
                settings["validation_data"] = self._dataset(validation[0], validation[1])
                monitor = "val_loss"
            settings["callbacks"] += self._schedule(keras, monitor, decay_patience=2)
            history = self._train(model, self._dataset(steps, labels, rng), None, settings)
        from .._keras._baseline import check_finite_loss

        check_finite_loss(self, history, "lower learning_rate, or set clipnorm")
        self.alphabet_ = alphabet
        self._finish_fit(model, history)
        if validation is not None:
            self._check_baseline(transcripts, validation[2], validation[3], "validation_data")
        else:
            self._check_baseline(transcripts, frames[:200], transcripts[:200], "the training data")
        return self

    def _check_baseline(self, transcripts, frames, truth, where):
        """Character error rate of the network and of the best constant transcript."""
        from .._keras._baseline import record_baseline
        from ..metrics import character_error_rate

        heard = self._decode(frames, beam_width=1)
        constants = {"", Counter(transcripts).most_common(1)[0][0]}
        baseline = min(character_error_rate(truth, [c] * len(truth)) for c in constants)
        record_baseline(
            self, score=character_error_rate(truth, heard), baseline=baseline,
            metric="character error rate", baseline_name="the best constant transcript",
            higher_is_better=False, checked_on=where,
            hint="train longer (epochs), on more recordings, or with a larger network (units)",
        )  # fmt: skip

    # --- prediction ---------------------------------------------------------------------

    def predict_log_proba(self, X):
        """Per recording, the log-probabilities of the labels (``alphabet_``, the blank
        first) at each step: one ``(n_steps_i, len(alphabet_))`` array each."""
        from .._keras._frames import check_frames, predict_frames
        from ..models._decoding import log_softmax

        self._check_ready()
        frames = check_frames(X, self.n_features_in_)
        steps = self._steps(frames)
        logits = predict_frames(self.model_, steps, steps[0].shape[1], max(self.batch_size, 64))
        return [log_softmax(out[: len(s)].astype(np.float64)) for out, s in zip(logits, steps)]

    def _decode(self, X, beam_width):
        from ..models._decoding import ctc_beam_search, ctc_greedy

        texts = []
        for log_probs in self.predict_log_proba(X):
            ids = (ctc_greedy(log_probs, BLANK) if beam_width == 1
                   else ctc_beam_search(log_probs, beam_width, BLANK))  # fmt: skip
            texts.append(" ".join("".join(self.alphabet_[i] for i in ids).split()))
        return texts

    def predict(self, X):
        """The transcript of each recording (normalised, with ``normalize``).

        Parameters
        ----------
        X : list of ndarray of shape (n_frames_i, n_features)

        Returns
        -------
        list of str
        """
        self._check_ready()
        return self._decode(X, self.beam_width)

    def score(self, X, y):
        """``1 - word error rate`` of the transcripts (higher is better, as scikit-learn's
        model selection expects; 1.0 is a perfect transcription, and a transcriber that
        inserts words can score below 0)."""
        from ..metrics import word_error_rate

        truth = check_transcripts(y, len(X), normalize=self.normalize)
        return 1.0 - word_error_rate(truth, self.predict(X))
