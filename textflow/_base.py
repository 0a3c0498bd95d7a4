"""Base classes shared by textflow's steps: tags, validation and ``n_jobs`` chunking."""

from __future__ import annotations

import sys
from functools import partial
from itertools import chain, pairwise

from sklearn.base import BaseEstimator, TransformerMixin

from ._corpus import TokenCorpus
from ._validation import as_corpus, check_text_corpus, check_token_corpus, corpus_kind

# Below this many items per worker, process start-up costs more than it saves.
MIN_DOCS_PER_JOB = 2000
MIN_TOKENS_PER_JOB = 20000


def _n_chunks(n_jobs, n_items, min_per_job):
    from joblib import effective_n_jobs

    jobs = effective_n_jobs(n_jobs) if n_jobs not in (None, 1) else 1
    return max(1, min(jobs, n_items // min_per_job))


def run_chunked(func, items: list, n_jobs, min_per_job=MIN_DOCS_PER_JOB, progress=None):
    """Apply ``func`` (sequence -> sequence, one output per input) in contiguous chunks.

    Results are joined in order, so the output equals ``func(items)``. With
    ``progress`` (a label), a progress bar on standard error counts the items done.
    """
    jobs = _n_chunks(n_jobs, len(items), min_per_job)
    if jobs == 1 and progress is None:
        return func(items)
    n_chunks = jobs if progress is None else max(jobs, min(100, len(items) // 500), 1)
    bounds = [round(i * len(items) / n_chunks) for i in range(n_chunks + 1)]
    chunks = [items[start:stop] for start, stop in pairwise(bounds)]
    if jobs == 1:
        results = map(func, chunks)
    else:
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=jobs, return_as="generator")
        results = parallel(delayed(func)(chunk) for chunk in chunks)
    results = list(_counted(results, chunks, progress))
    if isinstance(results[0], TokenCorpus):
        return TokenCorpus.concatenate(results)
    return list(chain.from_iterable(results))


def _counted(results, chunks, label):
    if label is None:
        yield from results
        return
    from tqdm.auto import tqdm

    with tqdm(total=sum(map(len, chunks)), desc=label, unit=" items", file=sys.stderr) as bar:
        for chunk, result in zip(chunks, results):
            bar.update(len(chunk))
            yield result


def _apply_all(func, tokens):
    return list(map(func, tokens))


def map_vocabulary(
    corpus: TokenCorpus, func, *, cache=None, n_jobs=None, progress=None
) -> TokenCorpus:
    """Map every distinct token through ``func``; ``""`` drops the token.

    ``func`` runs once per distinct token (and, with ``cache``, once per process:
    the cache carries results across calls). With ``n_jobs``, the tokens not yet
    cached are split between processes; the occurrences are remapped by numpy.
    """
    vocabulary = corpus.vocabulary
    if cache is None:
        return corpus.map_tokens(_apply_all(func, vocabulary))
    missing = [token for token in vocabulary if token not in cache]
    if missing:
        results = run_chunked(
            partial(_apply_all, func), missing, n_jobs, MIN_TOKENS_PER_JOB, progress
        )
        cache.update(zip(missing, results))
    return corpus.map_tokens(list(map(cache.__getitem__, vocabulary)))


def validate_corpus(X, accepts, *, allow_empty):
    """Check a corpus of one of the ``accepts`` kinds; return ``(docs, kind)``.

    ``docs`` is a list of ``str`` for text and a :class:`TokenCorpus` for tokens.
    """
    docs = as_corpus(X, allow_empty=allow_empty)
    if not len(docs):
        kind = accepts[0]
        return (TokenCorpus([], [], [0]) if kind == "tokens" else []), kind
    kind = corpus_kind(docs)
    if kind not in accepts:
        # raises, naming the first document of the wrong kind
        (check_text_corpus if kind == "tokens" else check_token_corpus)(docs)
    if kind == "text":
        return check_text_corpus(docs, allow_empty=allow_empty), kind
    return check_token_corpus(docs, allow_empty=allow_empty), kind


class TextStep(TransformerMixin, BaseEstimator):
    """Base of the stateless steps: ``fit`` only validates, ``transform`` does the work.

    Subclasses implement ``_transform_text(docs)`` (list of str -> list of str
    or TokenCorpus) and/or ``_transform_tokens(corpus)`` (TokenCorpus ->
    TokenCorpus); ``accepts`` says which corpus kinds are valid. Text work with
    an ``n_jobs`` parameter runs in contiguous chunks of documents.
    """

    accepts = ("text", "tokens")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.requires_fit = False
        tags.transformer_tags.preserves_dtype = []
        return tags

    def __sklearn_is_fitted__(self):
        return True

    def fit(self, X, y=None):
        """Check the parameters and the corpus; the step learns nothing.

        Parameters
        ----------
        X : corpus
            List, array or Series of documents (str or token lists).
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._validate_params()
        self._check_corpus(X, allow_empty=False)
        return self

    def transform(self, X):
        """Transform each document; one output per input document, in order.

        Parameters
        ----------
        X : corpus
            List, array or Series of documents (str or token lists).

        Returns
        -------
        list of str or TokenCorpus
            A list of ``str`` for text output, a :class:`~textflow.TokenCorpus`
            (a sequence of token lists) for token output.
        """
        self._validate_params()
        docs, kind = self._check_corpus(X, allow_empty=True)
        return self._apply(docs, kind)

    def fit_transform(self, X, y=None, **fit_params):
        """Validate once and transform (equivalent to ``fit(X).transform(X)``)."""
        self._validate_params()
        docs, kind = self._check_corpus(X, allow_empty=False)
        return self._apply(docs, kind)

    def _check_corpus(self, X, *, allow_empty):
        return validate_corpus(X, self.accepts, allow_empty=allow_empty)

    def _apply(self, docs, kind):
        if kind == "tokens":
            return self._transform_tokens(docs)
        return run_chunked(
            self._transform_text, docs, getattr(self, "n_jobs", None),
            progress=self._progress_label(),
        )  # fmt: skip

    def _progress_label(self):
        """A progress-bar label when the step has ``verbose`` set, else ``None``."""
        return type(self).__name__ if getattr(self, "verbose", 0) else None


class StringFunctionStep(TextStep):
    """A step defined by one ``str -> str`` function applied to each document.

    On token input the same function is applied once per distinct token and the
    tokens that become empty are dropped.
    """

    def _function(self):
        raise NotImplementedError

    def _transform_text(self, docs):
        return list(map(self._function(), docs))

    def _transform_tokens(self, corpus):
        return map_vocabulary(corpus, self._function())
