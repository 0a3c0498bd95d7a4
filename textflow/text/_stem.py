"""Stemmer and Lemmatizer: token steps memoised per distinct token and per process."""

from __future__ import annotations

from functools import lru_cache, partial
from numbers import Integral

from sklearn.utils._param_validation import Interval, StrOptions

from .._base import TextStep, map_vocabulary
from ._porter import porter_stem

# Per-process caches: {config: {token: result}}. Natural text is Zipfian, so
# after the first documents nearly every token is a cache hit.
_CACHES: dict[tuple, dict[str, str]] = {}
MAX_CACHE_ENTRIES = 2_000_000


def token_cache(key: tuple) -> dict[str, str]:
    cache = _CACHES.setdefault(key, {})
    if len(cache) > MAX_CACHE_ENTRIES:
        cache.clear()
    return cache


@lru_cache(maxsize=16)
def _nltk_stemmer(algorithm: str, language: str):
    if algorithm == "porter":
        from nltk.stem import PorterStemmer

        return PorterStemmer()
    if algorithm == "lancaster":
        from nltk.stem import LancasterStemmer

        return LancasterStemmer()
    from nltk.stem import SnowballStemmer

    if language not in SnowballStemmer.languages:
        raise ValueError(
            f"Snowball has no stemmer for language {language!r}; "
            f"choose one of {sorted(SnowballStemmer.languages)}."
        )
    return SnowballStemmer(language)


PYSTEMMER_HINT = "backend='pystemmer' needs PyStemmer: pip install 'textflow[fast]'"


@lru_cache(maxsize=16)
def _pystemmer(name: str):
    try:
        import Stemmer as pystemmer
    except ImportError:
        raise ImportError(PYSTEMMER_HINT) from None
    if name not in pystemmer.algorithms():
        raise ValueError(
            f"PyStemmer has no stemmer {name!r}; choose one of {sorted(pystemmer.algorithms())}."
        )
    stemmer = pystemmer.Stemmer(name)
    stemmer.maxCacheSize = 0  # textflow memoises per distinct token itself
    return stemmer


def stem_with_pystemmer(name: str, token: str) -> str:
    """Stem ``token`` with PyStemmer's algorithm ``name`` (picklable through ``partial``)."""
    return _pystemmer(name).stemWord(token)


class Stemmer(TextStep):
    """Reduce tokens to their stems with the Porter, Snowball or Lancaster stemmer.

    Each distinct token is stemmed once per process and remembered, so the cost
    grows with the vocabulary, not with the corpus.

    Parameters
    ----------
    algorithm : {"porter", "snowball", "lancaster"}, default="porter"
        ``"porter"``: the classic English stemmer (NLTK's extended version).
        ``"snowball"``: Porter2, available for many languages. ``"lancaster"``:
        aggressive.
    language : str, default="english"
        Language for ``algorithm="snowball"``.
    backend : {"nltk", "pystemmer"}, default="nltk"
        ``"nltk"``: NLTK's stemmers; for ``"porter"`` textflow's own
        implementation of NLTK's ``PorterStemmer()`` (same stems, tested
        against NLTK, about 5x faster). ``"pystemmer"``: the Snowball
        project's C stemmers (``pip install 'textflow[fast]'``), about 30x
        faster than NLTK's on a cold vocabulary. Its ``"porter"`` is the original 1980 algorithm
        (identical to NLTK's ``PorterStemmer(mode="ORIGINAL_ALGORITHM")``, which
        differs from NLTK's default on ~2 % of words), its ``"snowball"`` the
        current Snowball release (a few more exceptions than NLTK's copy, e.g.
        "added" -> "add"); it has no Lancaster stemmer.
    n_jobs : int, default=None
        Number of processes for large corpora (joblib semantics).
    verbose : int, default=0
        With 1, show a progress bar on standard error while transforming.

    Examples
    --------
    >>> from textflow import Stemmer
    >>> Stemmer().fit_transform([["running", "flies", "happily"]])
    TokenCorpus([['run', 'fli', 'happili']])
    >>> Stemmer(algorithm="snowball", language="german").fit_transform([["katzen"]])
    TokenCorpus([['katz']])
    >>> Stemmer(backend="pystemmer").fit_transform([["running", "flies", "happily"]])
    TokenCorpus([['run', 'fli', 'happili']])
    """

    accepts = ("tokens",)

    _parameter_constraints = {
        "algorithm": [StrOptions({"porter", "snowball", "lancaster"})],
        "language": [str],
        "backend": [StrOptions({"nltk", "pystemmer"})],
        "n_jobs": [Interval(Integral, None, None, closed="neither"), None],
        "verbose": ["verbose"],
    }

    def __init__(self, *, algorithm="porter", language="english", backend="nltk", n_jobs=None,
                 verbose=0):  # fmt: skip
        self.algorithm = algorithm
        self.language = language
        self.backend = backend
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X, y=None):
        super().fit(X, y)
        self._stem_function()  # an unknown language or a missing backend fails here
        return self

    def _stem_function(self):
        if self.backend == "nltk" and self.algorithm == "porter":
            return porter_stem  # NLTK's PorterStemmer().stem, about 5x faster
        if self.backend == "nltk":
            return _nltk_stemmer(self.algorithm, self.language).stem
        if self.algorithm == "lancaster":
            raise ValueError("PyStemmer has no Lancaster stemmer; use backend='nltk'.")
        name = "porter" if self.algorithm == "porter" else self.language
        _pystemmer(name)
        return partial(stem_with_pystemmer, name)

    def _transform_tokens(self, docs):
        cache = token_cache(("stem", self.backend, self.algorithm, self.language))
        return map_vocabulary(
            docs, self._stem_function(), cache=cache, n_jobs=self.n_jobs,
            progress=self._progress_label(),
        )  # fmt: skip


# ---------------------------------------------------------------------------
# Lemmatisation

POS_TAGS = {"n": "NOUN", "v": "VERB", "a": "ADJ", "r": "ADV"}
AUTO_ORDER = ("v", "n", "a", "r")


def lemma_lemminflect(token: str, pos: str) -> str:
    from lemminflect import getLemma

    tags = AUTO_ORDER if pos == "auto" else (pos,)
    for tag in tags:
        lemmas = getLemma(token, upos=POS_TAGS[tag], lemmatize_oov=False)
        if lemmas and lemmas[0] != token:
            return lemmas[0]
    return token


@lru_cache(maxsize=1)
def _wordnet():
    from ._wordnet import load_wordnet

    return load_wordnet()


def lemma_wordnet(token: str, pos: str) -> str:
    wordnet = _wordnet()  # loaded once per process, also in joblib workers
    tags = AUTO_ORDER if pos == "auto" else (pos,)
    for tag in tags:
        lemma = wordnet.morphy(token, tag)
        if lemma and lemma != token:
            return lemma
    return token


class Lemmatizer(TextStep):
    """Reduce tokens to their dictionary form (lemma), part-of-speech aware.

    Parameters
    ----------
    backend : {"lemminflect", "wordnet"}, default="lemminflect"
        ``"lemminflect"``: English lemmas from the data shipped in the
        ``lemminflect`` wheel; works offline out of the box. ``"wordnet"``:
        NLTK's WordNet ``morphy``; needs the WordNet corpus installed (see
        :func:`textflow.text.install_wordnet`), and says how when it is not.
    pos : {"auto", "n", "v", "a", "r"}, default="auto"
        Part of speech to lemmatise as. ``"auto"`` tries verb, noun, adjective,
        adverb in that order and takes the first reading that changes the
        token: ``"does"`` becomes ``"do"`` (NLTK's noun default gives
        ``"doe"``). Tokens no reading changes are kept as they are.
    n_jobs : int, default=None
        Number of processes for large corpora (joblib semantics).
    verbose : int, default=0
        With 1, show a progress bar on standard error while transforming.

    Examples
    --------
    >>> from textflow import Lemmatizer
    >>> Lemmatizer().fit_transform([["does", "geese", "running", "was"]])
    TokenCorpus([['do', 'goose', 'run', 'be']])
    >>> Lemmatizer(pos="n").fit_transform([["meetings", "running"]])
    TokenCorpus([['meeting', 'running']])
    """

    accepts = ("tokens",)

    _parameter_constraints = {
        "backend": [StrOptions({"lemminflect", "wordnet"})],
        "pos": [StrOptions({"auto", "n", "v", "a", "r"})],
        "n_jobs": [Interval(Integral, None, None, closed="neither"), None],
        "verbose": ["verbose"],
    }

    def __init__(self, *, backend="lemminflect", pos="auto", n_jobs=None, verbose=0):
        self.backend = backend
        self.pos = pos
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X, y=None):
        super().fit(X, y)
        self._lemma_function()  # a missing backend or corpus fails at fit time
        return self

    def _lemma_function(self):
        from functools import partial

        if self.backend == "wordnet":
            _wordnet()  # a missing corpus fails here, with install instructions
            return partial(lemma_wordnet, pos=self.pos)
        try:
            import lemminflect  # noqa: F401
        except ImportError:  # pragma: no cover - lemminflect is a core dependency
            raise ImportError(
                "The 'lemminflect' backend needs the lemminflect package: pip install lemminflect"
            ) from None
        return partial(lemma_lemminflect, pos=self.pos)

    def _transform_tokens(self, docs):
        cache = token_cache(("lemma", self.backend, self.pos))
        return map_vocabulary(
            docs, self._lemma_function(), cache=cache, n_jobs=self.n_jobs,
            progress=self._progress_label(),
        )  # fmt: skip
