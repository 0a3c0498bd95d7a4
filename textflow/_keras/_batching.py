"""Batches of few shapes: each distinct input shape costs a compilation, so training and
prediction pad to a small fixed set of lengths and row counts, whatever the input."""

from __future__ import annotations

import numpy as np


def bucket_length(length: int, buckets, step: int) -> int:
    """The smallest bucket that holds ``length``; beyond the largest, a multiple of ``step``."""
    for size in buckets:
        if length <= size:
            return size
    return -(-length // step) * step


def row_bucket(n_rows: int, batch_rows: int) -> int:
    """Rows a batch of ``n_rows`` is padded to: the next power of two, at most
    ``batch_rows`` (so at most ``log2(batch_rows) + 1`` distinct row counts)."""
    return min(batch_rows, 1 << max(0, int(n_rows) - 1).bit_length())


def length_batches(lengths, batch_size, rng=None):
    """Row indexes grouped by length into batches (empty rows left out: they need no
    network); the batch order is shuffled with ``rng`` when one is given."""
    lengths = np.asarray(lengths)
    order = np.argsort(lengths, kind="stable")
    order = order[lengths[order] > 0]
    batches = [order[start : start + batch_size] for start in range(0, len(order), batch_size)]
    if rng is not None:
        rng.shuffle(batches)
    return batches


def predict_in_row_buckets(model, x, batch_rows):
    """``model``'s outputs for every row of ``x`` (an array), in batches of at most
    ``batch_rows`` rows, the last padded to a :func:`row_bucket` count: a bounded set of
    shapes however many rows come, where Keras' ``predict`` compiles again for every new
    size of its last batch."""
    x = np.asarray(x)
    outputs = []
    for start in range(0, len(x), batch_rows):
        part = x[start : start + batch_rows]
        rows = row_bucket(len(part), batch_rows)
        if rows > len(part):
            padding = np.zeros((rows - len(part), *part.shape[1:]), dtype=part.dtype)
            part = np.concatenate([part, padding])
        outputs.append(np.asarray(model.predict_on_batch(part))[: min(batch_rows, len(x) - start)])
    if not outputs:
        return np.zeros((0, *model.output_shape[1:]), dtype=np.float32)
    return np.concatenate(outputs)
