"""German-English sentence pairs and a word dictionary from the Ding dictionary file."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from sklearn.utils import Bunch

DEFAULT_PATH = Path("/usr/share/trans/de-en")
ENVIRONMENT_VARIABLE = "TEXTFLOW_DE_EN"
INSTALL_HINT = (
    "load_de_en reads the German-English file of the Ding dictionary (Frank Richter, "
    "TU Chemnitz; GPL-2+). On Debian or Ubuntu: sudo apt-get install trans-de-en "
    f"(it installs {DEFAULT_PATH}); elsewhere download de-en.txt from "
    "https://dict.tu-chemnitz.de/ and pass path=... or set TEXTFLOW_DE_EN. "
    "`python3 tasks.py test` installs the Debian package where apt is available."
)
_ANNOTATION = re.compile(r"\s*(\{[^}]*\}|\[[^\]]*\]|<[^>]*>)")
_SENTENCE_END = re.compile(r"[.!?…][\"'“”’»«]?$")
_SENTENCE_START = "„\"'¿¡«"

DE_EN_DESCR = """\
German-English sentence pairs of the Ding dictionary (TU Chemnitz)
------------------------------------------------------------------
Example sentences of the German-English dictionary by Frank Richter and
contributors (the Debian package trans-de-en). Each dictionary line pairs German
and English parts, ' | '-separated, on either side of ' :: '; the pairs kept here
are parts whose two sides are sentences: a capital (or opening quote) first, a
full stop, '!', '?' or '…' last, at least two words, the dictionary's
annotations ({f}, [coll.], <...>) removed. Exact duplicates are dropped; the
order is the file's (grouped by German head word), so shuffle or split with a
seed before holding pairs out. Where a side lists alternative sentences
('; '-separated), the first is kept.

The single-word entries form the word dictionary (kind="words"): each German
word (and inflected form) with the first single-word English translation of its
own entry, else of the first entry that lists it.

Licence: GPL-2.0-or-later (the dictionary data). Source: dict.tu-chemnitz.de.
"""


def _resolve(path):
    path = Path(path or os.environ.get(ENVIRONMENT_VARIABLE) or DEFAULT_PATH)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found. {INSTALL_HINT}")
    return path


def _clean(text):
    return _ANNOTATION.sub("", text).strip()


def _is_sentence(text):
    return (
        bool(text)
        and (text[0].isupper() or text[0] in _SENTENCE_START)
        and bool(_SENTENCE_END.search(text))
        and len(text.split()) >= 2
    )


def _first_alternative(text):
    """The first of '; '-separated alternative sentences, when every part is one."""
    parts = [part.strip() for part in text.split("; ")]
    return parts[0] if len(parts) > 1 and all(map(_is_sentence, parts)) else text


@lru_cache(maxsize=2)
def _read(path: Path):
    pairs, seen, phrases, seen_phrases = [], set(), [], set()
    head_words, other_words = {}, {}  # a word's own entry wins over its other uses
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or " :: " not in line:
                continue
            german, english = line.rstrip("\n").split(" :: ", 1)
            for part, (de, en) in enumerate(zip(german.split(" | "), english.split(" | "))):
                de, en = _clean(de), _clean(en)
                if _is_sentence(de) and _is_sentence(en):
                    pair = (_first_alternative(de), _first_alternative(en))
                    if pair not in seen:
                        seen.add(pair)
                        pairs.append(pair)
                    continue
                phrase = (_clean(de.split(";")[0]), _clean(en.split(";")[0]))
                if all(phrase) and phrase not in seen_phrases:
                    seen_phrases.add(phrase)
                    phrases.append(phrase)
                single = [t for t in map(_clean, en.split(";")) if t and " " not in t]
                if not single:
                    continue
                for position, synonym in enumerate(map(_clean, de.split(";"))):
                    if synonym and " " not in synonym:
                        words = head_words if part == position == 0 else other_words
                        words.setdefault(synonym, single[0])
    return tuple(pairs), tuple(phrases), {**other_words, **head_words}


def load_de_en(kind="sentences", *, path=None, return_X_y=False):
    """German-English sentence pairs (or the word dictionary) of the Ding dictionary.

    Read from the Debian package ``trans-de-en`` (``/usr/share/trans/de-en``), or
    the file at ``path`` or ``$TEXTFLOW_DE_EN``; nothing is downloaded. The data
    is GPL-2.0-or-later.

    Parameters
    ----------
    kind : {"sentences", "phrases", "words"}, default="sentences"
        Sentence pairs (about 21,000); the dictionary's other entries as pairs of
        words and phrases (the first German and English alternative of each, about
        290,000: extra training data for a translator); or the single-word
        dictionary (German word -> English word) for word-by-word baselines.
    path : str or Path, default=None
    return_X_y : bool, default=False
        For sentences: return ``(german, english)`` lists instead of a Bunch.

    Returns
    -------
    Bunch with ``data`` (German sentences), ``target`` (English sentences) and
    ``DESCR``; ``(data, target)`` with ``return_X_y``; for ``kind="words"`` a dict.
    For ``kind="phrases"``, ``data`` and ``target`` hold the German and English
    entries.

    Examples
    --------
    >>> from textflow.datasets import load_de_en
    >>> german, english = load_de_en(return_X_y=True)  # doctest: +SKIP
    >>> german[0], english[0]  # doctest: +SKIP
    """
    if kind not in ("sentences", "phrases", "words"):
        raise ValueError(f"kind must be 'sentences', 'phrases' or 'words'; got {kind!r}")
    pairs, phrases, words = _read(_resolve(path))
    if kind == "words":
        return dict(words)
    if kind == "phrases":
        pairs = phrases
    german, english = [p[0] for p in pairs], [p[1] for p in pairs]
    if return_X_y:
        return german, english
    return Bunch(data=german, target=english, DESCR=DE_EN_DESCR)
