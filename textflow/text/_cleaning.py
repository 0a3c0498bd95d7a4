"""String cleaning steps: HTML, URLs, e-mails, @mentions, #hashtags, emoji, accents,
whitespace and English contractions.

Each step is usable alone; :class:`TextCleaner` chains the same functions behind
switches. The functions are module-level (picklable, no closures in fitted state).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import partial
from numbers import Integral

from sklearn.utils._param_validation import Interval, StrOptions

from .._base import StringFunctionStep
from . import _patterns as P

# ---------------------------------------------------------------------------
# Pure functions (str -> str)


def strip_html(text: str, replacement: str = " ") -> str:
    """Remove HTML tags and decode entities (``&amp;`` -> ``&``)."""
    if "<" in text:
        text = P.HTML_TAG.sub(replacement, text)
    if "&" in text:
        text = html.unescape(text)
    return text


def replace_urls(text: str, replacement: str = "") -> str:
    return P.URL.sub(replacement, text) if ("://" in text or "www." in text.lower()) else text


def replace_emails(text: str, replacement: str = "") -> str:
    return P.EMAIL.sub(replacement, text) if "@" in text else text


def _tag_sub(match: re.Match, keep_word: bool) -> str:
    return match.group(1) if keep_word else ""


def handle_mentions(text: str, keep_word: bool = False) -> str:
    if "@" not in text:
        return text
    return P.MENTION.sub(partial(_tag_sub, keep_word=keep_word), text)


def handle_hashtags(text: str, keep_word: bool = True) -> str:
    if "#" not in text:
        return text
    return P.HASHTAG.sub(partial(_tag_sub, keep_word=keep_word), text)


def _emoji_name(match: re.Match) -> str:
    names = []
    for char in match.group(0):
        name = unicodedata.name(char, "")
        if name and not name.startswith(("VARIATION SELECTOR", "ZERO WIDTH", "COMBINING")):
            names.append(name.lower().replace(" ", "_").replace("-", "_"))
    return " " + " ".join(names) + " " if names else " "


def handle_emoji(text: str, replace_with_name: bool = False) -> str:
    if text.isascii():
        return text
    if replace_with_name:
        return P.EMOJI_SINGLE.sub(_emoji_name, text)
    return P.EMOJI.sub("", text)


def strip_accents(text: str) -> str:
    """Remove combining marks after NFKD decomposition (``café`` -> ``cafe``)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalize_whitespace(text: str) -> str:
    """Collapse runs of whitespace to one space and trim the ends."""
    return " ".join(text.split())


# Contractions whose expansion is unambiguous. "'s" (is / has / possessive) and
# "'d" (would / had) are only expanded where the word settles it.
_CONTRACTIONS = {
    "won't": "will not", "can't": "cannot", "shan't": "shall not", "ain't": "is not",
    "let's": "let us", "y'all": "you all", "ma'am": "madam", "o'clock": "of the clock",
    "it's": "it is", "that's": "that is", "there's": "there is", "here's": "here is",
    "what's": "what is", "where's": "where is", "who's": "who is", "how's": "how is",
    "he's": "he is", "she's": "she is", "i'm": "i am", "i'd": "i would",
    "you'd": "you would", "he'd": "he would", "she'd": "she would",
    "we'd": "we would", "they'd": "they would",
}  # fmt: skip
_SUFFIXES = {"n't": " not", "'re": " are", "'ve": " have", "'ll": " will"}
_CONTRACTION = re.compile(
    r"\b(?:"
    + "|".join(re.escape(c) for c in sorted(_CONTRACTIONS, key=len, reverse=True))
    + r")\b|(?<=\w)(?:n't|'re|'ve|'ll)\b",
    re.IGNORECASE,
)


def _match_case(source: str, target: str) -> str:
    if source.isupper() and len(source) > 1:
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


def _expand(match: re.Match) -> str:
    found = match.group(0)
    key = found.lower().replace("\u2019", "'")
    if key in _CONTRACTIONS:
        return _match_case(found, _CONTRACTIONS[key])
    expansion = _SUFFIXES[key]
    return expansion.upper() if found.isupper() else expansion


def expand_contractions(text: str) -> str:
    """Expand English contractions: ``don't`` -> ``do not``, ``we're`` -> ``we are``."""
    if "'" not in text and "\u2019" not in text:
        return text
    return _CONTRACTION.sub(_expand, text.replace("\u2019", "'"))


# ---------------------------------------------------------------------------
# Steps


class HTMLStripper(StringFunctionStep):
    """Remove HTML tags and decode HTML entities.

    IMDB reviews, for example, contain ``<br />`` line breaks.

    Parameters
    ----------
    replacement : str, default=" "
        What each tag is replaced with. A space keeps ``a<br/>b`` two words.

    Examples
    --------
    >>> from textflow import HTMLStripper
    >>> HTMLStripper().fit_transform(["Great film.<br /><br />Loved it &amp; more"])
    ['Great film.  Loved it & more']
    """

    _parameter_constraints = {"replacement": [str]}

    def __init__(self, *, replacement=" "):
        self.replacement = replacement

    def _function(self):
        return partial(strip_html, replacement=self.replacement)


class URLRemover(StringFunctionStep):
    """Remove or replace URLs (``http://…``, ``https://…``, ``www.…``).

    Parameters
    ----------
    replacement : str, default=""
        Text put in place of each URL, e.g. ``"<url>"``.

    Examples
    --------
    >>> from textflow import URLRemover
    >>> URLRemover(replacement="URL").fit_transform(["see https://example.com/a?b=1 now"])
    ['see URL now']
    """

    _parameter_constraints = {"replacement": [str]}

    def __init__(self, *, replacement=""):
        self.replacement = replacement

    def _function(self):
        return partial(replace_urls, replacement=self.replacement)


class EmailRemover(StringFunctionStep):
    """Remove or replace e-mail addresses.

    Parameters
    ----------
    replacement : str, default=""
        Text put in place of each address.

    Examples
    --------
    >>> from textflow import EmailRemover
    >>> EmailRemover(replacement="EMAIL").fit_transform(["write to jo.doe@mail.example.org"])
    ['write to EMAIL']
    """

    _parameter_constraints = {"replacement": [str]}

    def __init__(self, *, replacement=""):
        self.replacement = replacement

    def _function(self):
        return partial(replace_emails, replacement=self.replacement)


class MentionRemover(StringFunctionStep):
    """Remove ``@mentions``, or keep the name without the ``@``.

    Parameters
    ----------
    keep_word : bool, default=False
        Keep ``name`` from ``@name`` instead of removing it entirely.

    Examples
    --------
    >>> from textflow import MentionRemover
    >>> MentionRemover().fit_transform(["@bob loved it"])
    [' loved it']
    >>> MentionRemover(keep_word=True).fit_transform(["@bob loved it"])
    ['bob loved it']
    """

    _parameter_constraints = {"keep_word": ["boolean"]}

    def __init__(self, *, keep_word=False):
        self.keep_word = keep_word

    def _function(self):
        return partial(handle_mentions, keep_word=self.keep_word)


class HashtagRemover(StringFunctionStep):
    """Remove ``#hashtags``, or (the default) keep their word without the ``#``.

    Parameters
    ----------
    keep_word : bool, default=True
        Keep ``word`` from ``#word``; ``False`` removes the hashtag entirely.

    Examples
    --------
    >>> from textflow import HashtagRemover
    >>> HashtagRemover().fit_transform(["what a #masterpiece"])
    ['what a masterpiece']
    """

    _parameter_constraints = {"keep_word": ["boolean"]}

    def __init__(self, *, keep_word=True):
        self.keep_word = keep_word

    def _function(self):
        return partial(handle_hashtags, keep_word=self.keep_word)


class EmojiRemover(StringFunctionStep):
    """Remove emoji, or replace each with its Unicode name as a word.

    Parameters
    ----------
    replace_with_name : bool, default=False
        Replace ``😀`` with `` grinning_face `` instead of removing it, so that
        the emoji's meaning survives tokenization.

    Examples
    --------
    >>> from textflow import EmojiRemover
    >>> EmojiRemover().fit_transform(["loved it 😀"])
    ['loved it ']
    >>> EmojiRemover(replace_with_name=True).fit_transform(["loved it 😀"])
    ['loved it  grinning_face ']
    """

    _parameter_constraints = {"replace_with_name": ["boolean"]}

    def __init__(self, *, replace_with_name=False):
        self.replace_with_name = replace_with_name

    def _function(self):
        return partial(handle_emoji, replace_with_name=self.replace_with_name)


class AccentStripper(StringFunctionStep):
    """Strip accents: decompose (NFKD) and drop combining marks.

    Examples
    --------
    >>> from textflow import AccentStripper
    >>> AccentStripper().fit_transform(["café naïve Ångström"])
    ['cafe naive Angstrom']
    """

    _parameter_constraints: dict = {}

    def _function(self):
        return strip_accents


class WhitespaceNormalizer(StringFunctionStep):
    """Collapse runs of whitespace (spaces, tabs, newlines) to one space and trim.

    Examples
    --------
    >>> from textflow import WhitespaceNormalizer
    >>> WhitespaceNormalizer().fit_transform(["  a \\t b\\n\\nc "])
    ['a b c']
    """

    _parameter_constraints: dict = {}

    def _function(self):
        return normalize_whitespace


class ContractionExpander(StringFunctionStep):
    """Expand English contractions (``don't`` -> ``do not``), keeping the case.

    Ambiguous forms are left alone where the word does not settle them: the
    possessive or ``has`` reading of ``'s`` (``John's``) and ``'d`` after a noun.

    Examples
    --------
    >>> from textflow import ContractionExpander
    >>> ContractionExpander().fit_transform(["I don't think it's bad, we're fine"])
    ['I do not think it is bad, we are fine']
    """

    _parameter_constraints: dict = {}

    def _function(self):
        return expand_contractions


class TextCleaner(StringFunctionStep):
    """Several cleaning steps in one pass, each behind a switch.

    The order is fixed: HTML, URLs, e-mails, mentions, hashtags, emoji,
    contractions, accents, whitespace. Each part is also available as its own
    step (:class:`HTMLStripper`, :class:`URLRemover`, …).

    Parameters
    ----------
    html : bool, default=True
        Remove HTML tags and decode entities.
    urls : bool, default=True
        Remove URLs.
    emails : bool, default=True
        Remove e-mail addresses.
    mentions : {"keep", "remove", "keep_word"}, default="keep"
        What to do with ``@mentions``.
    hashtags : {"keep", "remove", "keep_word"}, default="keep_word"
        What to do with ``#hashtags``.
    emoji : {"keep", "remove", "name"}, default="keep"
        Keep emoji, remove them, or replace them with their Unicode names.
    contractions : bool, default=False
        Expand English contractions.
    accents : bool, default=False
        Strip accents.
    whitespace : bool, default=True
        Collapse whitespace.
    n_jobs : int, default=None
        Number of processes for large corpora (joblib semantics).
    verbose : int, default=0
        With 1, show a progress bar on standard error while transforming.

    Examples
    --------
    >>> from textflow import TextCleaner
    >>> TextCleaner(contractions=True).fit_transform(
    ...     ["Didn't like it.<br />See www.example.com #fail"])
    ['Did not like it. See fail']
    """

    _parameter_constraints = {
        "html": ["boolean"],
        "urls": ["boolean"],
        "emails": ["boolean"],
        "mentions": [StrOptions({"keep", "remove", "keep_word"})],
        "hashtags": [StrOptions({"keep", "remove", "keep_word"})],
        "emoji": [StrOptions({"keep", "remove", "name"})],
        "contractions": ["boolean"],
        "accents": ["boolean"],
        "whitespace": ["boolean"],
        "n_jobs": [Interval(Integral, None, None, closed="neither"), None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        html=True,
        urls=True,
        emails=True,
        mentions="keep",
        hashtags="keep_word",
        emoji="keep",
        contractions=False,
        accents=False,
        whitespace=True,
        n_jobs=None,
        verbose=0,
    ):
        self.html = html
        self.urls = urls
        self.emails = emails
        self.mentions = mentions
        self.hashtags = hashtags
        self.emoji = emoji
        self.contractions = contractions
        self.accents = accents
        self.whitespace = whitespace
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _functions(self):
        funcs = []
        if self.html:
            funcs.append(strip_html)
        if self.urls:
            funcs.append(replace_urls)
        if self.emails:
            funcs.append(replace_emails)
        if self.mentions != "keep":
            funcs.append(partial(handle_mentions, keep_word=self.mentions == "keep_word"))
        if self.hashtags != "keep":
            funcs.append(partial(handle_hashtags, keep_word=self.hashtags == "keep_word"))
        if self.emoji != "keep":
            funcs.append(partial(handle_emoji, replace_with_name=self.emoji == "name"))
        if self.contractions:
            funcs.append(expand_contractions)
        if self.accents:
            funcs.append(strip_accents)
        if self.whitespace:
            funcs.append(normalize_whitespace)
        return funcs

    def _function(self):
        return partial(_compose, self._functions())


def _compose(funcs, text: str) -> str:
    for func in funcs:
        text = func(text)
    return text
