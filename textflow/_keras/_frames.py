"""Sequences of numeric frames (audio features, sensor readings) as recurrent input: each a
``(n_frames_i, n_features)`` array of its own length, padded and masked, never truncated.

A corpus of frame sequences is a list (or object array) of 2-D arrays, or one padded 3-D
array ``(n, time, features)`` whose trailing all-zero frames are padding.
"""

from __future__ import annotations

import numpy as np

from ._batching import bucket_length, length_batches, row_bucket

#: Lengths frame batches are padded to at prediction (beyond: multiples of 512).
FRAME_BUCKETS = (16, 32, 64, 128, 256, 512)


def is_frames(X) -> bool:
    """Whether ``X`` is frame sequences rather than rows of token ids."""
    if isinstance(X, np.ndarray) and X.dtype.kind != "O":
        return X.ndim == 3
    if isinstance(X, (list, tuple, np.ndarray)) and len(X):
        first = X[0]
        return isinstance(first, np.ndarray) and first.ndim == 2 and first.dtype.kind in "fiu"
    return False


def check_frames(X, n_features=None, name="X"):
    """A list of float32 ``(n_frames_i, n_features)`` arrays, named by position when one
    is not: another width, another rank, no frames, NaN or infinite values."""
    if isinstance(X, np.ndarray) and X.dtype.kind != "O" and X.ndim == 3:
        X = [_unpad(sequence) for sequence in X]
    frames = []
    for index, sequence in enumerate(X):
        array = np.asarray(sequence)
        if array.ndim != 2 or array.dtype.kind not in "fiub":
            raise ValueError(f"{name}[{index}] is not a 2-D numeric array of frames (got "
                             f"shape {array.shape}, dtype {array.dtype})")  # fmt: skip
        width = n_features if n_features is not None else (frames[0].shape[1] if frames
                                                           else array.shape[1])  # fmt: skip
        if array.shape[1] != width:
            raise ValueError(f"{name}[{index}] has frames of {array.shape[1]} features; "
                             f"expected {width}")  # fmt: skip
        if not len(array):
            raise ValueError(f"{name}[{index}] has no frames")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name}[{index}] holds NaN or infinite values")
        frames.append(array.astype(np.float32, copy=False))
    if not frames:
        raise ValueError(f"{name} holds no sequence of frames")
    return frames


def _unpad(sequence):
    """A padded 3-D array's row without its trailing all-zero frames (at least one kept)."""
    kept = np.flatnonzero(np.any(sequence != 0, axis=1))
    return sequence[: (kept[-1] + 1) if len(kept) else 1]


def pad_frames(frames, rows, length, n_features):
    """``{"frames": (n, length, features), "mask": (n, length)}`` for ``rows`` of ``frames``,
    padded with zeros to ``length`` and to ``n`` (a row bucket) rows."""
    n = len(rows)
    x = np.zeros((n, length, n_features), dtype=np.float32)
    mask = np.zeros((n, length), dtype=bool)
    for k, i in enumerate(rows):
        size = min(len(frames[i]), length)
        x[k, :size], mask[k, :size] = frames[i][:size], True
    return {"frames": x, "mask": mask}


def predict_frames(model, frames, n_features, batch_rows):
    """``model``'s outputs for every sequence, in input order: batches of similar length,
    padded to a :data:`FRAME_BUCKETS` length and a :func:`row_bucket` row count, so a
    bounded set of shapes is compiled whatever the lengths."""
    outputs = [None] * len(frames)
    for rows in length_batches([len(f) for f in frames], batch_rows):
        length = bucket_length(max(len(frames[i]) for i in rows), FRAME_BUCKETS, 512)
        padded_rows = [*rows, *([rows[0]] * (row_bucket(len(rows), batch_rows) - len(rows)))]
        result = np.asarray(model.predict_on_batch(pad_frames(frames, padded_rows, length,
                                                              n_features)))  # fmt: skip
        for k, i in enumerate(rows):
            outputs[i] = result[k]
    return np.stack(outputs) if outputs and outputs[0].ndim <= 1 else outputs
