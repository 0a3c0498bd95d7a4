"""Compiled regular expressions and character tables, built once per process."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# A tag starts with a letter (or "/", "!"), so "<3" and "a < b > c" are not tags.
HTML_TAG = re.compile(r"<!--.*?-->|<[/!]?[A-Za-z][^<>]{0,2000}>", re.DOTALL)
URL = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]{1,20}://|\bwww\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]",
    re.IGNORECASE,
)  # a URL does not end with the sentence's punctuation
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
MENTION = re.compile(r"(?<![\w@])@(\w{1,50})")
HASHTAG = re.compile(r"(?<![\w#&])#(\w+)")
NUMBER = re.compile(r"(?<![\w.,])[-+]?\d+(?:[.,:/]\d+)*(?![\w])")
WHITESPACE = re.compile(r"\s+")

# Emoji and pictographs: the Unicode blocks that hold them, plus the joiners and
# variation selectors that glue multi-codepoint emoji together.
EMOJI_CHARS = (
    "\U0001f000-\U0001faff"  # mahjong .. symbols & pictographs extended-A
    "\u2600-\u27bf"  # misc symbols, dingbats
    "\u2300-\u23ff"  # misc technical (watch, hourglass, ...)
    "\u2b00-\u2bff"  # arrows, stars
    "\u200d\ufe0f\ufe0e\u20e3"  # zero-width joiner, variation selectors, keycap
    "\U0001f1e6-\U0001f1ff"  # regional indicators (flags)
)
EMOJI = re.compile(f"[{EMOJI_CHARS}]+")
EMOJI_SINGLE = re.compile(f"[{EMOJI_CHARS}]")

# Tokenizer building blocks: numbers (3.5, 10,000, 12:30, 1/2 stay one token) and
# words with inner ' and - (don't, state-of-the-art, rock'n'roll). Nothing follows
# a repetition inside a token, so possessive quantifiers match the same tokens
# without keeping backtracking state.
NUMBER_TOKEN = r"\d++(?:[.,:/]\d++)++"
WORD_TOKEN = r"\w++(?:['\u2019-]\w++)*+"
EMOJI_TOKEN = f"[{EMOJI_CHARS}]+"
PUNCT_TOKEN = r"[^\w\s]+"


class PieceShape(NamedTuple):
    """Whitespace-free ASCII pieces that a built-in pattern cuts in a known way.

    ``regex`` (RE2 syntax) matches them, with groups ``lead``, ``word`` and ``trail``;
    the word is a token, and so are non-empty lead and trail runs when
    ``punctuation_tokens``.
    """

    regex: str
    punctuation_tokens: bool


_ASCII_PUNCTUATION = r"[!-/:-@\[-^`{-~]"  # ASCII, neither \w nor \s


def word_piece_shape(punctuation: bool) -> PieceShape:
    r"""Pieces such as ``(movie),`` under the built-in regex patterns.

    A run of ASCII word characters is one word token: no number separator inside, and
    ``\w++`` takes it all (an inner ``'`` or ``-`` needs a word character after it). A
    run of ASCII punctuation on either side is one punctuation token (``[^\w\s]+``),
    or none without ``punctuation``.
    """
    run = f"{_ASCII_PUNCTUATION}*"
    return PieceShape(f"^(?P<lead>{run})(?P<word>[A-Za-z0-9_]+)(?P<trail>{run})$", punctuation)


WHITESPACE_PIECE = PieceShape(r"^(?P<lead>)(?P<word>[!-~]+)(?P<trail>)$", False)  # \S+


@lru_cache(maxsize=64)
def compiled(pattern: str, flags: int = 0) -> re.Pattern:
    """Compile ``pattern`` once per process (keeps compiled objects out of fitted state)."""
    return re.compile(pattern, flags)


class PunctuationTable(dict):
    """A :meth:`str.translate` table deleting Unicode punctuation (category ``P*``).

    Characters are classified the first time they are met, so the cost grows
    with the distinct characters of the corpus, not with all of Unicode.
    Characters in ``keep`` are never deleted.
    """

    def __init__(self, keep: str = ""):
        super().__init__()
        self.keep = frozenset(keep)

    def __missing__(self, code: int):
        char = chr(code)
        deleted = unicodedata.category(char).startswith("P") and char not in self.keep
        self[code] = None if deleted else code
        return self[code]


@lru_cache(maxsize=16)
def punctuation_table(keep: str = "") -> PunctuationTable:
    return PunctuationTable(keep)


@lru_cache(maxsize=16)
def deletion_table(chars: str) -> dict:
    """A ``str.translate`` table that deletes ``chars``."""
    return dict.fromkeys(map(ord, chars))
