"""NGramLanguageModel: the smoothed n-gram baseline every neural language model must beat.

Interpolated modified Kneser-Ney (Chen & Goodman, 1999), counted and evaluated with numpy:
an n-gram is an integer id, made from the id of its first ``n - 1`` tokens and its last
token (``np.unique`` of ``prefix * V + token``), so counting a million-token stream, and
looking a test stream's n-grams up in it (``searchsorted``), are a few array passes per
order, whatever the order.
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._cache import DerivedCacheMixin
from ._token_stream import TokenStreamMixin


class _Order:
    """The n-grams of one order seen in training, and their Kneser-Ney statistics."""

    def __init__(self, keys, counts, prefixes, n_prefixes):
        self.keys = keys  # sorted prefix * V + token, one per distinct n-gram
        self.counts = counts  # raw counts (highest order) or continuation counts
        self.prefixes = prefixes  # the id of each n-gram's context
        self.discounts = _discounts(counts)
        kind = np.minimum(counts, 3)  # 0 (never continued), 1, 2 or 3+
        self.totals = np.bincount(prefixes, weights=counts, minlength=n_prefixes)
        self.mass = np.zeros(n_prefixes)  # the discounted mass each context gives away
        for c in (1, 2, 3):
            self.mass += self.discounts[c] * np.bincount(prefixes, weights=kind == c,
                                                         minlength=n_prefixes)  # fmt: skip

    def lookup(self, prefixes, tokens, vocab_size):
        """Ids of the n-grams ``(prefix, token)`` among the training ones (-1: unseen)."""
        keys = prefixes.astype(np.int64) * vocab_size + tokens
        where = np.searchsorted(self.keys, keys)
        where = np.minimum(where, len(self.keys) - 1)
        found = (prefixes >= 0) & (self.keys[where] == keys)
        return np.where(found, where, -1)


def _discounts(counts):
    """Modified Kneser-Ney discounts ``D[c]`` for counts 1, 2 and 3+ (``D[0] = 0``)."""
    n = [np.count_nonzero(counts == c) for c in (1, 2, 3, 4)]
    if n[0] == 0 or n[1] == 0:
        return np.array([0.0, 0.5, 1.0, 1.5])
    y = n[0] / (n[0] + 2 * n[1])
    d = [1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / max(n[2], 1)]
    return np.array([0.0, *(min(max(v, 0.0), c) for c, v in zip((1, 2, 3), d))])


def _gram_ids(stream, order, vocab_size):
    """Per order k (1..order), the id of the k-gram ending at each position (-1 where the
    stream is shorter), and the sorted keys those ids index."""
    ids, keys = [stream.astype(np.int64)], [np.arange(vocab_size, dtype=np.int64)]
    for _ in range(1, order):
        previous = _shifted(ids[-1])
        valid = previous >= 0
        unique, inverse = np.unique(previous[valid] * vocab_size + stream[valid],
                                    return_inverse=True)  # fmt: skip
        current = np.full(len(stream), -1, dtype=np.int64)
        current[valid] = inverse
        ids.append(current)
        keys.append(unique)
    return ids, keys


def _shifted(ids):
    """``ids`` one position later: ``out[t] = ids[t - 1]``, -1 at the start."""
    out = np.full(len(ids), -1, dtype=np.int64)
    out[1:] = ids[:-1]
    return out


class NGramLanguageModel(TokenStreamMixin, DerivedCacheMixin, BaseEstimator):
    """An interpolated modified Kneser-Ney n-gram language model: the classical baseline.

    It reads a corpus exactly as :class:`RNNLanguageModel` does (one stream, each
    document followed by ``<eos>``, the same vocabulary rules), so their perplexities
    on the same text are comparable token for token. Every probability mixes all
    orders: the count of the n-gram less a discount that depends on the count (1, 2,
    3 or more; Chen & Goodman's estimates), plus the mass the context gave away times
    the next lower order, down to a uniform distribution over the vocabulary; lower
    orders count in how many contexts a token follows (Kneser-Ney's continuation
    counts), not how often.

    Parameters
    ----------
    order : int, default=3
        Tokens per n-gram (3: trigrams).
    level : {"word", "char"}, default="word"
    max_vocab : int or None, default=None
    min_count : int, default=1
        See :class:`RNNLanguageModel`.

    Attributes
    ----------
    vocabulary_ : list of str
    vocab_size_ : int
    n_train_tokens_ : int
    n_grams_ : list of int
        Distinct n-grams seen in training, per order.

    Examples
    --------
    >>> from textflow.models import NGramLanguageModel
    >>> lm = NGramLanguageModel(order=3).fit(["the cat sat", "the cat ran", "a dog sat"] * 5)
    >>> lm.predict_next("the", k=1)[0][0]
    'cat'
    >>> round(lm.perplexity(["the cat sat"]), 2) < round(lm.perplexity(["sat cat the"]), 2)
    True
    """

    _parameter_constraints = {
        "order": [Interval(Integral, 1, None, closed="left")],
        "level": [StrOptions({"word", "char"})],
        "max_vocab": [Interval(Integral, 1, None, closed="left"), None],
        "min_count": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, order=3, level="word", max_vocab=None, min_count=1):
        self.order = order
        self.level = level
        self.max_vocab = max_vocab
        self.min_count = min_count

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.target_tags.required = False
        return tags

    def fit(self, X, y=None):
        """Count the n-grams of the corpus ``X`` (texts, token lists or a TokenCorpus).

        Returns
        -------
        self : object
        """
        self._validate_params()
        corpus = self._tokens(X)
        vocabulary = self._learn_vocabulary(corpus)
        stream = self._stream(corpus, {token: i for i, token in enumerate(vocabulary)})
        vocab_size = len(vocabulary)
        ids, keys = _gram_ids(stream, self.order, vocab_size)
        orders = []
        for k in range(1, self.order + 1):
            at = ids[k - 1]
            if k == self.order:  # raw counts
                counts = np.bincount(at[at >= 0], minlength=len(keys[k - 1]))
            else:  # continuation counts: in how many distinct (k+1)-grams each k-gram ends
                longer = ids[k] >= 0
                suffix_of = np.zeros(len(keys[k]), dtype=np.int64)
                suffix_of[ids[k][longer]] = at[longer]
                counts = np.bincount(suffix_of, minlength=len(keys[k - 1]))
            prefixes = keys[k - 1] // vocab_size if k > 1 else np.zeros(vocab_size, np.int64)
            n_prefixes = len(keys[k - 2]) if k > 1 else 1
            orders.append(_Order(keys[k - 1], counts.astype(np.float64), prefixes, n_prefixes))
        self.vocabulary_ = vocabulary
        self.vocab_size_ = vocab_size
        self.n_train_tokens_ = len(stream) - 1
        self.n_grams_ = [len(order.keys) for order in orders]
        self.orders_ = orders
        self._clear_cache()
        return self

    def _histories(self, stream):
        """Per order k, the id of the training k-gram ending at each position of
        ``stream`` (-1 where it was never seen)."""
        stream = np.asarray(stream, dtype=np.int64)
        histories = [stream]
        for order in self.orders_[1:]:
            previous = _shifted(histories[-1])
            histories.append(order.lookup(previous, stream, self.vocab_size_))
        return histories

    def _mix(self, contexts, tokens):
        """``P(token | context)`` with ``contexts[k - 1]`` the (k-1)-gram id before each
        token (ignored for k = 1), interpolated from the uniform distribution up."""
        probability = np.full(len(tokens), 1.0 / self.vocab_size_)
        for k, order in enumerate(self.orders_, start=1):
            context = np.zeros(len(tokens), np.int64) if k == 1 else contexts[k - 1]
            gram = order.lookup(context, tokens, self.vocab_size_)
            count = np.where(gram >= 0, order.counts[np.maximum(gram, 0)], 0.0)
            safe = np.maximum(context, 0)
            total = np.where(context >= 0, order.totals[safe], 0.0)
            discount = order.discounts[np.minimum(count, 3).astype(np.int64)]
            with np.errstate(divide="ignore", invalid="ignore"):
                mixed = (np.maximum(count - discount, 0.0) + order.mass[safe] * probability
                         ) / total  # fmt: skip
            probability = np.where(total > 0, mixed, probability)
        return probability

    def _probabilities(self, stream):
        """``P(stream[t] | all tokens before it)`` for t = 1 .. len(stream) - 1."""
        histories = self._histories(stream)
        contexts = [None, *(history[:-1] for history in histories[:-1])]
        return self._mix(contexts, np.asarray(stream[1:], dtype=np.int64))

    def _mean_nll(self, X):
        check_is_fitted(self, "orders_")
        stream = self._stream(self._tokens(X), self._index())
        return float(-np.mean(np.log(self._probabilities(stream))))

    def perplexity(self, X):
        """``exp`` of the mean negative log-likelihood per token (``<eos>`` counted), as
        :meth:`RNNLanguageModel.perplexity` computes it."""
        return math.exp(self._mean_nll(X))

    def score(self, X, y=None):
        """Mean log-likelihood per token: higher is better."""
        return -self._mean_nll(X)

    def predict_next(self, context, k=5):
        """The ``k`` most likely next tokens after ``context``, with their probabilities.

        Parameters
        ----------
        context : str or list of str
            The words so far (``""``: the first word of a sentence).
        k : int, default=5

        Returns
        -------
        list of (str, float)
        """
        check_is_fitted(self, "orders_")
        if not isinstance(k, Integral) or isinstance(k, bool) or k < 1:
            raise ValueError(f"k must be an integer >= 1; got {k!r}")
        histories = self._histories(self._context_ids(context))
        tokens = np.arange(self.vocab_size_, dtype=np.int64)
        contexts = [None, *(np.full(len(tokens), h[-1]) for h in histories[:-1])]
        probs = self._mix(contexts, tokens)
        top = np.argsort(-probs, kind="stable")[:k]
        return [(self.vocabulary_[i], float(probs[i])) for i in top]
