"""Decoding shared by the language model and the translator: greedy, sampling, beam search.

Every function works on log-probabilities from a ``step(ids, state) ->
(log_probs, state)`` function, where ``ids`` and each array in ``state`` have one
row per hypothesis. Nothing here depends on Keras.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np


def check_sampling(temperature, top_k, top_p):
    """Raise a clear error for sampling options outside their range."""
    if not isinstance(temperature, Real) or not temperature > 0:
        raise ValueError(f"temperature must be a number > 0; got {temperature!r}")
    if top_k is not None and (not isinstance(top_k, Integral) or top_k < 1):
        raise ValueError(f"top_k must be an integer >= 1 or None; got {top_k!r}")
    if top_p is not None and (not isinstance(top_p, Real) or not 0 < top_p <= 1):
        raise ValueError(f"top_p must be in (0, 1] or None; got {top_p!r}")


def sample_token(log_probs, rng, *, temperature=1.0, top_k=None, top_p=None, exclude=()):
    """Draw one id from ``log_probs`` (1-D) after temperature, top-k and nucleus filtering.

    ``top_k=1`` always returns the most likely id (the first one on ties), as
    greedy decoding does. ``exclude`` lists ids never drawn.
    """
    scores = np.asarray(log_probs, dtype=np.float64) / temperature
    if len(exclude):
        scores = scores.copy()
        scores[list(exclude)] = -np.inf
    order = np.argsort(-scores, kind="stable")
    if top_k is not None:
        order = order[:top_k]
    kept = scores[order]
    probs = np.exp(kept - kept[0])
    probs /= probs.sum()
    if top_p is not None and top_p < 1:
        # the smallest set whose probability reaches p (with room for rounding)
        cutoff = int(np.searchsorted(np.cumsum(probs), top_p - 1e-9)) + 1
        order, probs = order[:cutoff], probs[:cutoff] / probs[:cutoff].sum()
    if len(order) == 1:
        return int(order[0])
    return int(order[rng.choice(len(order), p=probs)])


def select_rows(state, rows):
    """Index every array of a (nested list/tuple) state by ``rows`` along its first axis."""
    if isinstance(state, (list, tuple)):
        return type(state)(select_rows(part, rows) for part in state)
    return state[rows]


def beam_search(step, state, log_probs, *, beam_width, max_steps, end_id, length_penalty=1.0):
    """The most probable continuation under a beam of ``beam_width`` hypotheses.

    Parameters
    ----------
    step : callable
        ``step(ids, state) -> (log_probs, state)`` for one token per row.
    state : nested list/tuple of arrays
        The state after the context, with one row.
    log_probs : ndarray of shape (vocab,)
        The next-token log-probabilities after the context.
    beam_width : int
        Hypotheses kept at each step; 1 is greedy decoding.
    max_steps : int
        Longest continuation, in tokens.
    end_id : int
        The id that ends a hypothesis (it is included in the result).
    length_penalty : float, default=1.0
        Hypotheses are ranked by ``log p / length ** length_penalty`` (0: raw
        probability, which favours short outputs).

    Returns
    -------
    ids : list of int
    """
    vocab = len(log_probs)
    tokens, scores = [[]], np.zeros(1)
    current = np.asarray(log_probs, dtype=np.float64)[None, :]
    finished = []
    for _ in range(max_steps):
        candidates = (scores[:, None] + current).ravel()
        k = min(beam_width, candidates.size)
        best = np.argpartition(-candidates, k - 1)[:k] if k < candidates.size else np.arange(k)
        best = best[np.lexsort((best, -candidates[best]))]  # by score, then by index
        alive, alive_scores, rows = [], [], []
        for flat in best:
            row, token = divmod(int(flat), vocab)
            sequence = [*tokens[row], token]
            if token == end_id:
                finished.append((sequence, float(candidates[flat])))
            else:
                alive.append(sequence)
                alive_scores.append(float(candidates[flat]))
                rows.append(row)
        tokens, scores = alive, np.asarray(alive_scores)
        if not alive:
            break
        if finished and max(score for _, score in finished) >= scores.max():
            break  # log-probabilities only fall: no live hypothesis can catch up
        state = select_rows(state, np.asarray(rows))
        current, state = step(np.asarray([sequence[-1] for sequence in tokens]), state)
        current = np.asarray(current, dtype=np.float64)
    hypotheses = finished + [(sequence, float(score)) for sequence, score in zip(tokens, scores)]
    hypotheses = [(seq, score) for seq, score in hypotheses if seq]
    if not hypotheses:
        return []
    return max(hypotheses, key=lambda item: item[1] / len(item[0]) ** length_penalty)[0]


def greedy_decode(step, state, log_probs, *, max_steps, end_id):
    """The most likely token at each step, until ``end_id`` or ``max_steps`` tokens."""
    ids = []
    current = np.asarray(log_probs)
    for position in range(max_steps):
        token = int(np.argmax(current))
        ids.append(token)
        if token == end_id or position == max_steps - 1:
            break
        current, state = step(np.asarray([token]), state)
        current = current[0]
    return ids
