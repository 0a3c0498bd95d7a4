"""Connectionist temporal classification (Graves et al., 2006) decoding, in numpy.

A CTC network gives, for every output frame, log-probabilities over the labels and one
*blank*; a transcript is read by merging repeated labels and dropping blanks
(``a a - b b`` and ``a - - b`` both read ``ab``; ``a - a`` reads ``aa``).
"""

from __future__ import annotations

import math

import numpy as np

NEG_INF = -math.inf


def _logaddexp(a, b):
    if a == NEG_INF:
        return b
    if b == NEG_INF:
        return a
    return max(a, b) + math.log1p(math.exp(-abs(a - b)))


def _add(beams, prefix, blank_score, label_score):
    """Add alignments' probabilities to ``prefix``'s two scores in ``beams``."""
    old_blank, old_label = beams.get(prefix, (NEG_INF, NEG_INF))
    beams[prefix] = (_logaddexp(old_blank, blank_score), _logaddexp(old_label, label_score))


def ctc_greedy(log_probs, blank=0):
    """The most likely label at every frame, repeats merged and blanks dropped.

    Parameters
    ----------
    log_probs : ndarray of shape (n_frames, n_labels)
    blank : int, default=0

    Returns
    -------
    list of int
    """
    best = np.asarray(log_probs).argmax(axis=1)
    if not len(best):
        return []
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    return [int(label) for label in best[keep & (best != blank)]]


def ctc_beam_search(log_probs, beam_width=8, blank=0, prune=-10.0):
    """The most likely transcript over all alignments: CTC prefix beam search.

    Each prefix keeps two scores, of the alignments that end in a blank and of those that
    end in its last label, so the alignments of one transcript are summed, not compared
    (which is what greedy decoding does, frame by frame).

    Parameters
    ----------
    log_probs : ndarray of shape (n_frames, n_labels)
        Natural-log probabilities, rows summing to one.
    beam_width : int, default=8
        Prefixes kept after each frame (1: close to, but not always, greedy decoding).
    blank : int, default=0
    prune : float, default=-10.0
        Labels less likely than this log-probability at a frame are not tried there (the
        blank and the best label always are).

    Returns
    -------
    list of int
    """
    log_probs = np.asarray(log_probs, dtype=np.float64)
    beams = {(): (0.0, NEG_INF)}  # prefix -> (log P ending in blank, log P ending in label)
    for frame in log_probs:
        candidates = np.union1d(np.flatnonzero(frame >= min(prune, frame.max())), [blank])
        scores = [float(frame[label]) for label in candidates]
        following = {}
        for prefix, (ends_blank, ends_label) in beams.items():
            total = _logaddexp(ends_blank, ends_label)
            last = prefix[-1] if prefix else None
            for label, p in zip(candidates.tolist(), scores):
                if label == blank:
                    _add(following, prefix, total + p, NEG_INF)
                elif label == last:
                    _add(following, prefix, NEG_INF, ends_label + p)  # held: same prefix
                    _add(following, (*prefix, label), NEG_INF, ends_blank + p)  # blank between
                else:
                    _add(following, (*prefix, label), NEG_INF, total + p)
        ranked = sorted(following.items(), key=lambda item: -_logaddexp(*item[1]))
        beams = dict(ranked[:beam_width])
    best = max(beams.items(), key=lambda item: _logaddexp(*item[1]))
    return list(best[0])
