"""Audio front-end: recordings to waveforms (``AudioReader``) and to frames of features
(``AudioFeatures``: MFCC or log-mel, deltas, per-utterance normalisation), on librosa."""

from __future__ import annotations

from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions

from .._validation import InvalidDocumentError

INSTALL_HINT = "the audio front-end needs librosa: pip install 'textflow[speech]'"


def _librosa():
    try:
        import librosa
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return librosa


def _recordings(X):
    if isinstance(X, (str, Path)) or (isinstance(X, np.ndarray) and X.ndim == 1
                                      and X.dtype.kind == "f"):  # fmt: skip
        raise ValueError(
            "expected a collection of recordings (paths, waveforms or "
            "(waveform, sample_rate) pairs), got a single one: wrap it in a list"
        )
    recordings = list(X)
    if not recordings:
        raise ValueError("no recordings given")
    return recordings


def read_recording(item, sample_rate, index=0):
    """One recording as a float32 waveform at ``sample_rate`` (None: its own rate), and
    that rate. ``item``: a path, a ``(waveform, rate)`` pair, or a waveform already at
    ``sample_rate``."""
    librosa = _librosa()
    if isinstance(item, (str, Path)):
        path = Path(item)
        if not path.is_file():
            raise InvalidDocumentError(f"Recording {index}: no audio file at {path}", index)
        import soundfile

        try:  # libsndfile: WAV, FLAC, OGG/Opus, MP3, AIFF...
            channels, rate = soundfile.read(path, dtype="float32", always_2d=True)
        except Exception as error:  # soundfile.LibsndfileError and the OS's errors
            raise InvalidDocumentError(
                f"Recording {index} ({path}) cannot be read as audio: "
                f"{' '.join(str(error).split())}",
                index,
            ) from None
        item = (channels.mean(axis=1), rate)
    if isinstance(item, tuple) and len(item) == 2:
        waveform, rate = item
        waveform = _waveform(waveform, index)
        if not isinstance(rate, Integral) or rate <= 0:
            raise InvalidDocumentError(f"Recording {index}: the sample rate must be a positive "
                                       f"integer; got {rate!r}", index)  # fmt: skip
        if sample_rate is not None and rate != sample_rate:
            waveform = librosa.resample(waveform, orig_sr=rate, target_sr=sample_rate)
            rate = sample_rate
        return waveform.astype(np.float32), int(rate)
    if isinstance(item, np.ndarray):
        if sample_rate is None:
            raise InvalidDocumentError(
                f"Recording {index} is a bare waveform: give its rate as a "
                "(waveform, sample_rate) pair, or set sample_rate",
                index,
            )
        return _waveform(item, index), sample_rate
    raise InvalidDocumentError(
        f"Recording {index} is {type(item).__name__}; expected a path, a 1-D waveform or a "
        "(waveform, sample_rate) pair",
        index,
    )


def _waveform(array, index):
    array = np.asarray(array)
    if array.ndim != 1 or array.dtype.kind not in "fiu":
        raise InvalidDocumentError(f"Recording {index}: a waveform is a 1-D numeric array; "
                                   f"got shape {array.shape}, dtype {array.dtype}",
                                   index)  # fmt: skip
    if array.dtype.kind in "iu":  # PCM integers to [-1, 1]
        array = array / float(np.iinfo(array.dtype).max)
    if not np.all(np.isfinite(array)):
        raise InvalidDocumentError(f"Recording {index} holds NaN or infinite samples", index)
    return array.astype(np.float32)


class _AudioStep(TransformerMixin, BaseEstimator):
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def fit(self, X, y=None):
        """Check the parameters; the step learns nothing."""
        self._validate_params()
        return self


class AudioReader(_AudioStep):
    """Recordings to waveforms at one sample rate: files (WAV, FLAC, OGG, MP3...: what
    libsndfile reads, through ``soundfile``), ``(waveform, sample_rate)`` pairs, or
    waveforms already at ``sample_rate``; mixed down to mono and resampled (librosa's
    ``soxr`` resampler).

    Parameters
    ----------
    sample_rate : int or None, default=16000
        The rate every waveform is given at; ``None`` keeps each file's own.

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.speech import AudioReader
    >>> tone = np.sin(np.arange(8000) * 2 * np.pi * 440 / 8000)  # one second at 8 kHz
    >>> [len(w) for w in AudioReader(sample_rate=16000).fit_transform([(tone, 8000)])]
    [16000]
    """

    _parameter_constraints = {"sample_rate": [Interval(Integral, 1, None, closed="left"), None]}

    def __init__(self, *, sample_rate=16000):
        self.sample_rate = sample_rate

    def transform(self, X):
        """One float32 waveform per recording, in order."""
        self._validate_params()
        return [read_recording(item, self.sample_rate, i)[0]
                for i, item in enumerate(_recordings(X))]  # fmt: skip


class AudioFeatures(_AudioStep):
    """Recordings to frames of features: MFCC or log-mel energies, with deltas, normalised
    per utterance; one ``(n_frames, n_features)`` float32 array per recording, the input
    of :class:`~textflow.RNNClassifier` and :class:`CTCTranscriber`.

    The digital signal processing is librosa's (``librosa.feature.melspectrogram``,
    ``mfcc``, ``delta``); this step chooses the settings speech recognisers use: 25 ms
    windows every 10 ms, 40 mel bands, 13 cepstra, first and second differences, and
    each coefficient standardised over the utterance (cepstral mean and variance
    normalisation), which takes out the recording channel's colour and level.

    Parameters
    ----------
    features : {"mfcc", "log-mel"}, default="mfcc"
    sample_rate : int or None, default=16000
        Recordings are resampled to this rate first (``None``: each file's own).
    n_mfcc : int, default=13
        Cepstral coefficients (``features="mfcc"``).
    n_mels : int, default=40
        Mel bands.
    frame_length, hop_length : float, default=0.025, 0.010
        Window and step, in seconds.
    deltas : int, default=2
        0, 1 or 2: append the first (and second) time differences of the features.
    normalize : bool, default=True
        Standardise each feature over the utterance.

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.speech import AudioFeatures
    >>> rng = np.random.default_rng(0)
    >>> one_second = (rng.normal(size=16000).astype("float32"), 16000)
    >>> frames = AudioFeatures().fit_transform([one_second])
    >>> frames[0].shape  # 101 frames of 13 cepstra and their two deltas
    (101, 39)
    """

    _parameter_constraints = {
        "features": [StrOptions({"mfcc", "log-mel"})],
        "sample_rate": [Interval(Integral, 1, None, closed="left"), None],
        "n_mfcc": [Interval(Integral, 1, None, closed="left")],
        "n_mels": [Interval(Integral, 1, None, closed="left")],
        "frame_length": [Interval(Real, 0, None, closed="neither")],
        "hop_length": [Interval(Real, 0, None, closed="neither")],
        "deltas": [Interval(Integral, 0, 2, closed="both")],
        "normalize": ["boolean"],
    }

    def __init__(self, *, features="mfcc", sample_rate=16000, n_mfcc=13, n_mels=40,
                 frame_length=0.025, hop_length=0.010, deltas=2, normalize=True):  # fmt: skip
        self.features = features
        self.sample_rate = sample_rate
        self.n_mfcc = n_mfcc
        self.n_mels = n_mels
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.deltas = deltas
        self.normalize = normalize

    def transform(self, X):
        """One ``(n_frames, n_features)`` float32 array per recording, in order."""
        self._validate_params()
        return [self._frames(*read_recording(item, self.sample_rate, i))
                for i, item in enumerate(_recordings(X))]  # fmt: skip

    def _frames(self, waveform, rate):
        librosa = _librosa()
        window = max(1, round(self.frame_length * rate))
        hop = max(1, round(self.hop_length * rate))
        n_fft = 1 << (window - 1).bit_length()
        if len(waveform) < n_fft:  # a recording shorter than one window: pad it
            waveform = np.pad(waveform, (0, n_fft - len(waveform)))
        mel = librosa.feature.melspectrogram(y=waveform, sr=rate, n_fft=n_fft, win_length=window,
                                             hop_length=hop, n_mels=self.n_mels)  # fmt: skip
        features = librosa.power_to_db(mel, ref=1.0, amin=1e-10)
        if self.features == "mfcc":
            features = librosa.feature.mfcc(S=features, n_mfcc=self.n_mfcc)
        parts = [features]
        if self.deltas and features.shape[1] >= 3:
            width = min(9, features.shape[1] - (1 - features.shape[1] % 2))
            parts += [librosa.feature.delta(features, order=k, width=max(3, width))
                      for k in range(1, self.deltas + 1)]  # fmt: skip
        elif self.deltas:
            parts += [np.zeros_like(features)] * self.deltas
        frames = np.concatenate(parts).T.astype(np.float32)
        if self.normalize:
            frames = (frames - frames.mean(axis=0)) / np.maximum(frames.std(axis=0), 1e-5)
        return frames.astype(np.float32)
