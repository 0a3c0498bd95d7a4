"""Stop-word lists shipped with textflow and the StopwordRemover step."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .._base import TextStep

# Words that flip or deny what follows. Generic stop-word lists drop them
# (sklearn's English list drops "not", "no", "never", "nothing", "nor",
# "without"), which costs sentiment models accuracy.
NEGATIONS = frozenset(
    """no not nor never nothing none nobody nowhere neither cannot without
    ain aren couldn didn doesn don hadn hasn haven isn mightn mustn needn shan shouldn
    wasn weren won wouldn
    ain't aren't couldn't didn't doesn't don't hadn't hasn't haven't isn't mightn't
    mustn't needn't shan't shouldn't wasn't weren't won't wouldn't can't
    aint arent couldnt didnt doesnt dont hadnt hasnt havent isnt mightnt mustnt neednt
    shant shouldnt wasnt werent wont wouldnt cant n't""".split()
)

SHIPPED_LISTS = ("english", "sklearn")


@lru_cache(maxsize=8)
def load_stopwords(name: str = "english") -> frozenset:
    """Return a shipped stop-word list.

    Parameters
    ----------
    name : {"english", "sklearn"}
        ``"english"``: NLTK's 179-word English list (shipped as package data).
        ``"sklearn"``: scikit-learn's 318-word ``ENGLISH_STOP_WORDS``.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> from textflow.text import load_stopwords
    >>> len(load_stopwords("english")), "not" in load_stopwords("english")
    (179, True)
    """
    if name == "sklearn":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)
    if name not in SHIPPED_LISTS:
        raise ValueError(
            f"Unknown stop-word list {name!r}; shipped lists are {list(SHIPPED_LISTS)}. "
            f"Pass your own words as a list or set instead."
        )
    text = (resources.files("textflow.text") / "data" / "stopwords" / f"{name}.txt").read_text(
        encoding="utf-8"
    )
    words = (line.strip() for line in text.splitlines())
    return frozenset(word for word in words if word and not word.startswith("#"))


class StopwordRemover(TextStep):
    """Remove stop words from token lists.

    Parameters
    ----------
    stopwords : {"english", "sklearn"} or iterable of str, default="english"
        A shipped list (``"english"``: NLTK's 179 words; ``"sklearn"``:
        scikit-learn's 318 words) or your own words.
    extra : iterable of str or None, default=None
        Words removed in addition to ``stopwords``.
    keep : iterable of str or None, default=None
        Words never removed, whatever the lists say.
    keep_negations : bool, default=True
        Never remove negations (``not``, ``no``, ``never``, ``nothing``,
        ``nor``, ``without``, ``don't``, ``didn``, …): removing them turns
        "not good" into "good". Set ``False`` for the raw list.
    case_sensitive : bool, default=False
        By default ``"The"`` matches the stop word ``"the"``.

    Examples
    --------
    >>> from textflow import StopwordRemover
    >>> StopwordRemover().fit_transform([["This", "is", "not", "a", "good", "film"]])
    TokenCorpus([['not', 'good', 'film']])
    >>> StopwordRemover(keep_negations=False).fit_transform([["not", "good"]])
    TokenCorpus([['good']])
    """

    accepts = ("tokens",)

    _parameter_constraints = {
        "stopwords": [str, "array-like", set, frozenset],
        "extra": ["array-like", set, frozenset, None],
        "keep": ["array-like", set, frozenset, None],
        "keep_negations": ["boolean"],
        "case_sensitive": ["boolean"],
    }

    def __init__(
        self, *, stopwords="english", extra=None, keep=None, keep_negations=True,
        case_sensitive=False,
    ):  # fmt: skip
        self.stopwords = stopwords
        self.extra = extra
        self.keep = keep
        self.keep_negations = keep_negations
        self.case_sensitive = case_sensitive

    def fit(self, X, y=None):
        super().fit(X, y)
        self.stopword_set()  # an unknown list name fails here, not at transform time
        return self

    def _validate_params(self):
        super()._validate_params()
        for name in ("stopwords", "extra", "keep"):
            words = getattr(self, name)
            if words is None or isinstance(words, str):
                continue
            for position, word in enumerate(words):
                if not isinstance(word, str):
                    raise ValueError(f"StopwordRemover({name}=...) holds {word!r} "
                                     f"({type(word).__name__}) at position {position}; "
                                     "stop words must be str")  # fmt: skip

    def stopword_set(self) -> frozenset:
        """The effective set of words this step removes (after ``extra``/``keep``)."""
        if isinstance(self.stopwords, str):
            words = set(load_stopwords(self.stopwords))
        else:
            words = set(self.stopwords)
        words |= set(self.extra or ())
        words -= set(self.keep or ())
        if self.keep_negations:
            words -= NEGATIONS
        if not self.case_sensitive:
            words = {word.lower() for word in words}
            words -= {word.lower() for word in self.keep or ()}
        return frozenset(words)

    def _transform_tokens(self, docs):
        stop = self.stopword_set()
        vocabulary = docs.vocabulary
        keys = vocabulary if self.case_sensitive else (t.lower() for t in vocabulary)
        return docs.map_tokens(
            ["" if key in stop else token for key, token in zip(keys, vocabulary)]
        )
