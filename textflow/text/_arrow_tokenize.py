"""Tokenize with Apache Arrow's compiled kernels, with the pure-Python path's exact output.

Arrow splits every document at runs of ASCII whitespace (in native code), which no
token of the built-in patterns holds, then dictionary-encodes the pieces: a corpus of
millions of pieces holds a few hundred thousand distinct ones. Python's own regular
expression then runs once per *distinct* piece, so the tokens are by construction
those of the pure-Python tokenizer, and numpy expands them back to every occurrence.

Why the results agree: a piece boundary is whitespace, no token of the patterns
contains any, and no token's match looks across it; so the tokens of a document are
the tokens of its pieces, in order. Only ASCII whitespace splits pieces; other
Unicode spaces stay inside a piece, where Python's pattern decides, as it would on the
whole document."""

from __future__ import annotations

import importlib.util

import numpy as np

from .._corpus import TokenCorpus

BATCH_DOCUMENTS = 20_000


def arrow_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def tokenize_corpus(docs, split, n_threads=1) -> TokenCorpus:
    """``docs`` (list of str) -> a TokenCorpus equal to ``encode(map(split, docs))``.

    ``split`` is the per-document tokenizer of the pure-Python path, applied here to
    each distinct piece between runs of ASCII whitespace, which no token holds.
    Documents go through Arrow in batches, so memory stays bounded; with
    ``n_threads > 1`` Arrow splits batches in parallel threads (its kernels release
    the GIL).
    """
    batches = [docs[start : start + BATCH_DOCUMENTS]
               for start in range(0, len(docs), BATCH_DOCUMENTS)]  # fmt: skip
    index: dict[str, int] = {}
    ids, lengths = [], [np.zeros(1, dtype=np.int64)]
    if n_threads > 1 and len(batches) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(n_threads) as pool:
            pieces = pool.map(_split, batches)
            for piece_lists in pieces:
                _encode(piece_lists, split, index, ids, lengths)
    else:
        for batch in batches:
            _encode(_split(batch), split, index, ids, lengths)
    flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
    return TokenCorpus(list(index), flat, np.cumsum(np.concatenate(lengths)))


def _split(batch):
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.ascii_split_whitespace(pa.array(batch, type=pa.large_string()))


def _encode(piece_lists, split, index, ids, lengths):
    """Append the token ids and per-document token counts of one Arrow batch."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(piece_lists.flatten())
    distinct = encoded.dictionary.to_pylist()
    piece_tokens = list(map(split, distinct))
    piece_lengths = np.fromiter(map(len, piece_tokens), dtype=np.int64, count=len(distinct))
    tokens = pc.dictionary_encode(pa.array([t for ts in piece_tokens for t in ts],
                                           type=pa.large_string()))  # fmt: skip
    # distinct tokens in order of first appearance, as the pure-Python path numbers them
    lookup = index.setdefault
    new_tokens = tokens.dictionary.to_pylist()
    global_ids = np.fromiter((lookup(token, len(index)) for token in new_tokens),
                             dtype=np.int32, count=len(new_tokens))  # fmt: skip
    piece_ids = global_ids[tokens.indices.to_numpy(zero_copy_only=False)]
    piece_starts = np.concatenate([[0], np.cumsum(piece_lengths)[:-1]])
    occurrences = encoded.indices.to_numpy(zero_copy_only=False)
    counts = piece_lengths[occurrences]
    total = int(counts.sum())
    # the ids of every occurrence: each piece's run of ids, gathered in order
    run_starts = np.repeat(piece_starts[occurrences] - np.cumsum(counts) + counts, counts)
    ids.append(piece_ids[run_starts + np.arange(total)] if total else piece_ids[:0])
    document_offsets = piece_lists.offsets.to_numpy()
    tokens_before = np.concatenate([[0], np.cumsum(counts)])
    lengths.append(np.diff(tokens_before[document_offsets]))
