"""The Tokenizer step: raw text in, one list of tokens per document out."""

from __future__ import annotations

from functools import lru_cache, partial
from numbers import Integral

from sklearn.utils._param_validation import Interval, StrOptions

from .._base import TextStep, run_chunked
from .._corpus import TokenCorpus
from . import _patterns as P
from ._arrow_tokenize import arrow_available, tokenize_corpus

METHODS = ("regex", "whitespace", "char", "treebank")
BACKENDS = ("auto", "python", "arrow")


def regex_pattern(punctuation: bool, emoji: bool) -> str:
    """The default token pattern: numbers, words (with inner ' and -), optional extras."""
    parts = [P.NUMBER_TOKEN, P.WORD_TOKEN]
    if emoji:
        parts.append(P.EMOJI_TOKEN)
    if punctuation:
        parts.append(P.PUNCT_TOKEN)
    pattern = "|".join(f"(?:{part})" for part in parts)
    if not (punctuation or emoji):
        # every token starts with a word character; the lookahead lets the
        # engine skip spaces and punctuation without trying each alternative
        pattern = rf"(?=\w)(?:{pattern})"
    return pattern


def _lowercased(split):
    return lambda doc: split(doc.lower())


def _without_short_tokens(split, min_length):
    return lambda doc: [token for token in split(doc) if len(token) >= min_length]


@lru_cache(maxsize=4)
def _treebank(language: str):
    import punkt
    from nltk.tokenize import NLTKWordTokenizer

    return punkt.tokenizer_for(language), NLTKWordTokenizer()


def tokenize_treebank(doc: str, language: str) -> list[str]:
    sentences, words = _treebank(language)
    return [token for sentence in sentences.tokenize(doc) for token in words.tokenize(sentence)]


class Tokenizer(TextStep):
    """Split raw documents into lists of tokens.

    Parameters
    ----------
    method : {"regex", "whitespace", "char", "treebank"}, default="regex"
        ``"regex"``: words, numbers and (optionally) emoji and punctuation,
        found by a regular expression that keeps contractions (``don't``),
        hyphenated words (``well-made``) and numbers (``3.5``, ``10,000``) whole.
        ``"whitespace"``: :meth:`str.split`. ``"char"``: one token per
        character. ``"treebank"``: NLTK's Penn Treebank word tokenizer applied
        per sentence, after Punkt sentence splitting (bundled parameters, no
        download), so that full stops are split from words inside documents.
    pattern : str or None, default=None
        A custom regular expression for ``method="regex"``; every match is a
        token (use non-capturing groups).
    lowercase : bool, default=False
        Lowercase each document before tokenizing (cheaper than a separate
        :class:`Lowercaser`).
    punctuation : bool, default=False
        Regex method: also emit runs of punctuation (``"!!!"``) as tokens.
    emoji : bool, default=False
        Regex method: also emit runs of emoji as tokens.
    min_length : int, default=1
        Drop tokens shorter than this.
    language : str, default="english"
        Punkt sentence model for ``method="treebank"``.
    backend : {"auto", "python", "arrow"}, default="auto"
        ``"arrow"``: split documents with Apache Arrow's compiled kernels
        (``pyarrow``), then run the Python pattern once per distinct piece — the
        same tokens as ``"python"``, several times faster on large corpora (see
        :doc:`/performance`). For ``method="regex"`` with the built-in patterns
        and ``method="whitespace"``. ``"auto"``: Arrow when ``pyarrow`` is
        installed and the settings allow it, else pure Python.
    n_jobs : int, default=None
        Number of processes for large corpora (joblib semantics); with the Arrow
        backend, the number of threads: ``n_jobs=2`` splits and encodes the next
        batch of documents in native code while Python tokenizes this one (about
        0.8x the one-thread time on two cores).
    verbose : int, default=0
        With 1, show a progress bar on standard error while transforming (pure
        Python backend).

    Examples
    --------
    >>> from textflow import Tokenizer
    >>> Tokenizer().fit_transform(["Don't miss it: a well-made film, 9.5/10!"])
    TokenCorpus([["Don't", 'miss', 'it', 'a', 'well-made', 'film', '9.5/10']])
    >>> Tokenizer(punctuation=True, lowercase=True).fit_transform(["Wow!!! So good."])
    TokenCorpus([['wow', '!!!', 'so', 'good', '.']])
    >>> Tokenizer(method="treebank").fit_transform(["I loved it. Didn't you?"])
    TokenCorpus([['I', 'loved', 'it', '.', 'Did', "n't", 'you', '?']])
    """

    accepts = ("text",)

    _parameter_constraints = {
        "method": [StrOptions(set(METHODS))],
        "pattern": [str, None],
        "lowercase": ["boolean"],
        "punctuation": ["boolean"],
        "emoji": ["boolean"],
        "min_length": [Interval(Integral, 1, None, closed="left")],
        "language": [str],
        "backend": [StrOptions(set(BACKENDS))],
        "n_jobs": [Interval(Integral, None, None, closed="neither"), None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        method="regex",
        pattern=None,
        lowercase=False,
        punctuation=False,
        emoji=False,
        min_length=1,
        language="english",
        backend="auto",
        n_jobs=None,
        verbose=0,
    ):
        self.method = method
        self.pattern = pattern
        self.lowercase = lowercase
        self.punctuation = punctuation
        self.emoji = emoji
        self.min_length = min_length
        self.language = language
        self.backend = backend
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _transform_text(self, docs):
        return TokenCorpus.encode(map(self._document_tokenizer(), docs), len(docs))

    def _validate_params(self):
        super()._validate_params()
        if self.pattern is not None:
            import re

            try:
                compiled = re.compile(self.pattern)
            except re.error as error:
                raise ValueError(f"Tokenizer(pattern={self.pattern!r}) is not a valid regular "
                                 f"expression: {error}") from None  # fmt: skip
            if compiled.groups:
                raise ValueError(
                    f"Tokenizer(pattern={self.pattern!r}) has {compiled.groups} capturing "
                    "group(s): findall would return their parts instead of whole tokens. "
                    "Make them non-capturing: (?:...)"
                )

    def _pattern(self):
        return self.pattern or regex_pattern(self.punctuation, self.emoji)

    def _arrow_text(self, docs, threads=None):
        from joblib import effective_n_jobs

        threads = effective_n_jobs(threads) if threads not in (None, 1) else 1
        if self.method == "whitespace":
            pattern, shape = r"\S+", P.WHITESPACE_PIECE
        else:
            pattern, shape = self._pattern(), P.word_piece_shape(self.punctuation)
        return tokenize_corpus(list(docs), pattern, shape=shape,
                               lowercase=self.lowercase, min_length=self.min_length,
                               n_threads=threads)  # fmt: skip

    def _arrow_applies(self):
        """The built-in patterns and str.split never put whitespace inside a token."""
        return self.method == "whitespace" or (self.method == "regex" and self.pattern is None)

    def _apply(self, docs, kind):
        use_arrow = self.backend != "python" and self._arrow_applies()
        if self.backend == "arrow":
            if not use_arrow:
                raise ValueError(
                    "backend='arrow' works with method='regex' (built-in patterns) or "
                    f"'whitespace'; got method={self.method!r}"
                    + (" with a custom pattern" if self.pattern is not None else "")
                    + ". Use backend='auto' or 'python'."
                )
            if not arrow_available():
                raise ImportError("backend='arrow' needs pyarrow: pip install pyarrow")
        if kind == "text" and use_arrow and arrow_available():
            try:
                if self.verbose:  # chunks, so that a progress bar can count them
                    return run_chunked(self._arrow_text, docs, self.n_jobs,
                                       progress=self._progress_label())  # fmt: skip
                return self._arrow_text(docs, threads=self.n_jobs)
            except UnicodeEncodeError:  # lone surrogates: Arrow holds UTF-8 only
                pass
        return super()._apply(docs, kind)

    def _document_tokenizer(self):
        """A function ``str -> list[str]`` applying this step's settings to one document."""
        if self.method == "regex":
            split = P.compiled(self._pattern()).findall
        elif self.method == "whitespace":
            split = str.split
        elif self.method == "char":
            split = list
        else:
            split = partial(tokenize_treebank, language=self.language)
        if self.lowercase:
            split = _lowercased(split)
        if self.min_length > 1:
            split = _without_short_tokens(split, self.min_length)
        return split
