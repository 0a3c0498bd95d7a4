"""Linear-chain CRF decoding in numpy: Viterbi paths, marginals and the log partition.

A tag sequence ``y`` of a sentence with emission scores ``E`` (tokens x tags) scores
``start[y0] + sum_t E[t, yt] + sum_t T[y(t-1), yt] + end[y_last]``; the network learns
``E`` and the CRF layer ``T``, ``start`` and ``end`` (``textflow._keras._layers``).
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp


def split_crf_output(output: np.ndarray, n_tags: int):
    """Emissions ``(batch, tokens, tags)`` and the ``transitions, start, end`` packed
    after them along the token axis by the CRF layer."""
    tokens = output.shape[1] - n_tags - 2
    packed = output[0, tokens:]
    return output[:, :tokens], packed[:n_tags], packed[n_tags], packed[n_tags + 1]


def viterbi(emissions, transitions, start, end):
    """The highest-scoring tag path (a list of tag ids) of one sentence."""
    length = len(emissions)
    if length == 0:
        return []
    score = start + emissions[0]
    backpointers = np.empty((length, emissions.shape[1]), dtype=np.int64)
    for t in range(1, length):
        candidates = score[:, None] + transitions
        backpointers[t] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + emissions[t]
    best = int(np.argmax(score + end))
    path = [best]
    for t in range(length - 1, 0, -1):
        best = int(backpointers[t, best])
        path.append(best)
    return path[::-1]


def _forward_backward(emissions, transitions, start, end):
    length = len(emissions)
    alpha = np.empty_like(emissions, dtype=np.float64)
    beta = np.empty_like(emissions, dtype=np.float64)
    alpha[0] = start + emissions[0]
    for t in range(1, length):
        alpha[t] = logsumexp(alpha[t - 1][:, None] + transitions, axis=0) + emissions[t]
    beta[-1] = end
    for t in range(length - 2, -1, -1):
        beta[t] = logsumexp(transitions + (emissions[t + 1] + beta[t + 1])[None, :], axis=1)
    return alpha, beta


def log_partition(emissions, transitions, start, end) -> float:
    """log of the sum over all tag paths of exp(path score)."""
    if len(emissions) == 0:
        return 0.0
    alpha, _ = _forward_backward(emissions, transitions, start, end)
    return float(logsumexp(alpha[-1] + end, axis=0))


def marginals(emissions, transitions, start, end) -> np.ndarray:
    """P(tag at token t) under the CRF: an array (tokens, tags) whose rows sum to 1."""
    emissions = np.asarray(emissions, dtype=np.float64)
    if len(emissions) == 0:
        return np.zeros((0, emissions.shape[1]))
    alpha, beta = _forward_backward(emissions, transitions, start, end)
    log_z = logsumexp(alpha[-1] + end, axis=0)
    return np.exp(alpha + beta - log_z)


def path_score(emissions, transitions, start, end, path) -> float:
    """The score of one tag path (the exponent of its unnormalised probability)."""
    path = np.asarray(path)
    score = start[path[0]] + emissions[np.arange(len(path)), path].sum() + end[path[-1]]
    return float(score + transitions[path[:-1], path[1:]].sum())
