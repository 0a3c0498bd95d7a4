"""Case, punctuation and number steps. Each works on raw text or on tokens."""

from __future__ import annotations

from functools import partial

from .._base import StringFunctionStep, map_vocabulary
from . import _patterns as P


class Lowercaser(StringFunctionStep):
    """Lowercase documents or tokens.

    Parameters
    ----------
    casefold : bool, default=False
        Use :meth:`str.casefold` (aggressive, for caseless matching: ``"Straße"``
        becomes ``"strasse"``) instead of :meth:`str.lower`.

    Examples
    --------
    >>> from textflow import Lowercaser
    >>> Lowercaser().fit_transform(["Hello World"])
    ['hello world']
    >>> Lowercaser(casefold=True).fit_transform([["Straße", "OK"]])
    TokenCorpus([['strasse', 'ok']])
    """

    _parameter_constraints = {"casefold": ["boolean"]}

    def __init__(self, *, casefold=False):
        self.casefold = casefold

    def _function(self):
        return str.casefold if self.casefold else str.lower


def delete_chars(text: str, table: dict) -> str:
    return text.translate(table)


class PunctuationStripper(StringFunctionStep):
    """Remove punctuation characters; on tokens, drop tokens that become empty.

    Parameters
    ----------
    punctuation : str or None, default=None
        The characters to remove. ``None`` means every Unicode punctuation
        character (general category ``P*``: ASCII ``!"#%&'()*,-./:;?@[]_{}``
        plus ``“”‘’…«»¡¿`` and the rest). Symbols such as ``$``, ``+`` and
        emoji are not punctuation; pass them explicitly, e.g.
        ``string.punctuation`` for the ASCII set.
    keep : str, default=""
        Characters to keep even though ``punctuation`` lists them, e.g.
        ``"'-"`` to keep ``don't`` and ``well-made`` whole.

    Examples
    --------
    >>> from textflow import PunctuationStripper
    >>> PunctuationStripper().fit_transform(["Wow!!! It's great… really."])
    ['Wow Its great really']
    >>> PunctuationStripper(keep="'").fit_transform([["wow", "!!!", "it's", "."]])
    TokenCorpus([['wow', "it's"]])
    """

    _parameter_constraints = {"punctuation": [str, None], "keep": [str]}

    def __init__(self, *, punctuation=None, keep=""):
        self.punctuation = punctuation
        self.keep = keep

    def _function(self):
        if self.punctuation is None:
            return partial(delete_chars, table=P.punctuation_table(self.keep))
        chars = "".join(c for c in self.punctuation if c not in self.keep)
        return partial(delete_chars, table=P.deletion_table(chars))


def replace_numbers(text: str, replacement: str) -> str:
    return P.NUMBER.sub(replacement, text)


def _number_token(token: str, replacement: str) -> str:
    return replacement if P.NUMBER.fullmatch(token) else token


class NumberRemover(StringFunctionStep):
    """Remove numbers, or replace each with a placeholder token.

    A number is a run of digits, optionally signed, with ``.`` or ``,``
    separators (``42``, ``-3.5``, ``10,000``). Digits inside words (``3rd``,
    ``mp3``) are left alone.

    Parameters
    ----------
    replacement : str, default=""
        ``""`` removes numbers (on tokens: drops the token); any other string
        replaces them, e.g. ``"<num>"``.

    Examples
    --------
    >>> from textflow import NumberRemover
    >>> NumberRemover(replacement="<num>").fit_transform(["rated 10 out of 10, 3rd time"])
    ['rated <num> out of <num>, 3rd time']
    >>> NumberRemover().fit_transform([["top", "10", "of", "1999"]])
    TokenCorpus([['top', 'of']])
    """

    _parameter_constraints = {"replacement": [str]}

    def __init__(self, *, replacement=""):
        self.replacement = replacement

    def _function(self):
        return partial(replace_numbers, replacement=self.replacement)

    def _transform_tokens(self, docs):
        return map_vocabulary(docs, partial(_number_token, replacement=self.replacement))
