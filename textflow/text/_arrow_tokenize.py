"""Tokenize with Apache Arrow's compiled kernels, with the pure-Python path's exact output.

Arrow splits every document at runs of ASCII whitespace (in native code), which no
token of the built-in patterns holds, then dictionary-encodes the pieces: a corpus of
millions of pieces holds a few hundred thousand distinct ones. Most distinct pieces of
English text are ASCII words with, at most, punctuation around them (``(movie),``):
the built-in patterns cut those in a known way (``_patterns.word_piece_shape``), which
one RE2 expression reproduces in Arrow. Python's own regular expression runs over the
other distinct pieces (one call, on the pieces joined by newlines), so the tokens are
by construction those of the pure-Python tokenizer, and numpy expands them back to
every occurrence.

Why the results agree: a piece boundary is whitespace, no token of the patterns
contains any, and no token's match looks across it; so the tokens of a document are
the tokens of its pieces, in order. Only ASCII whitespace splits pieces; other
Unicode spaces stay inside a piece, where Python's pattern decides, as it would on the
whole document."""

from __future__ import annotations

import importlib.util
from functools import partial

import numpy as np

from .._corpus import TokenCorpus
from ._patterns import compiled

BATCH_DOCUMENTS = 2_000


def arrow_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def tokenize_corpus(docs, pattern, *, shape=None, lowercase=False, min_length=1,
                    n_threads=1):  # fmt: skip
    """``docs`` (list of str) -> the TokenCorpus of the pure-Python tokenizer.

    That tokenizer is ``re.findall(pattern, doc)`` (after ``doc.lower()`` with
    ``lowercase``), keeping tokens of at least ``min_length`` characters;
    ``method="whitespace"`` is the pattern ``\\S+``. ``shape`` (a ``PieceShape``) tells
    which pieces of ASCII characters ``pattern`` cuts in a known way: those are cut in
    Arrow and skip Python's regular expression. Documents go through Arrow in
    batches, so memory stays bounded; with ``n_threads > 1`` Arrow splits and encodes
    the next batches in other threads (its kernels release the GIL) while this thread
    tokenizes the current one.
    """
    batches = [docs[start : start + BATCH_DOCUMENTS]
               for start in range(0, len(docs), BATCH_DOCUMENTS)]  # fmt: skip
    marked = compiled(f"(?:{pattern})|\n")
    vocabulary = _Vocabulary()
    ids, lengths = [], [np.zeros(1, dtype=np.int64)]

    splitter = partial(_split, shape=shape)
    for split in _split_batches(batches, splitter, n_threads):
        _encode(*split, shape, marked, lowercase, min_length, vocabulary, ids, lengths)
        del split  # before the next batch is split: one batch's pieces alive at a time
    flat = np.empty(sum(map(len, ids)), dtype=np.int32)
    position = 0
    ids.reverse()
    while ids:  # each batch's ids freed once copied: the peak is the result plus one batch
        part = ids.pop()
        flat[position : position + len(part)] = part
        position += len(part)
    return TokenCorpus(vocabulary.tolist(), flat, np.cumsum(np.concatenate(lengths)))


class _Vocabulary:
    """Token ids in order of first appearance, looked up in Arrow's hash tables."""

    def __init__(self):
        self.parts, self.known, self.size = [], None, 0

    def ids(self, tokens):
        """Ids of ``tokens`` (an Arrow array of distinct strings, in order of first
        appearance in the batch), numbering the new ones after the known ones."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.known is None:
            positions = np.full(len(tokens), -1, dtype=np.int64)
        else:
            found = pc.index_in(tokens, value_set=self.known)
            positions = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        new = positions < 0
        positions[new] = self.size + np.arange(int(new.sum()))
        if new.any():
            self.parts.append(tokens.filter(pa.array(new)))
            self.size += int(new.sum())
            self.known = pa.concat_arrays(
                [chunk.cast(pa.large_string()) for chunk in self.parts])  # fmt: skip
        return positions.astype(np.int32)

    def tolist(self):
        return [] if self.known is None else self.known.to_pylist()


def _split_batches(batches, split, n_threads):
    """``_split`` of each batch, in order; with threads, at most ``n_threads`` ahead, so
    memory stays bounded however slow the consumer."""
    if n_threads <= 1 or len(batches) <= 1:
        yield from map(split, batches)
        return
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(n_threads) as pool:
        pending = deque(pool.submit(split, batch) for batch in batches[:n_threads])
        for batch in batches[n_threads:]:
            yield pending.popleft().result()
            pending.append(pool.submit(split, batch))
        while pending:
            yield pending.popleft().result()


def _split(batch, shape):
    """A batch's distinct pieces (Arrow), the parts of those of the given ``shape`` (or
    None), each piece occurrence's index into the distinct pieces, and the documents'
    offsets into the occurrences (all in Arrow's native code)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # 32-bit offsets (half the memory) unless the batch might pass 2 GiB of UTF-8
    kind = pa.string() if sum(map(len, batch)) < 2**29 else pa.large_string()
    piece_lists = pc.ascii_split_whitespace(pa.array(batch, type=kind))
    encoded = pc.dictionary_encode(piece_lists.flatten())
    distinct = encoded.dictionary
    parts = None if shape is None else pc.extract_regex(distinct, shape.regex)
    return (distinct, parts, encoded.indices.to_numpy(zero_copy_only=False),
            piece_lists.offsets.to_numpy())  # fmt: skip


def _piece_tokens(distinct, parts, shape, marked, lowercase, min_length):
    """The tokens of every distinct piece (an Arrow array, in piece order) and how many
    each piece has: the pieces of the ``shape`` cut into their parts in Arrow, the
    others through Python's pattern."""
    import pyarrow as pa

    if parts is None:
        shaped = np.zeros(len(distinct), dtype=bool)
    else:
        shaped = parts.is_valid().to_numpy(zero_copy_only=False)
    other = ~shaped
    found, found_counts = _pattern_tokens(distinct.filter(pa.array(other)), marked,
                                          lowercase, min_length)  # fmt: skip
    if shaped.any():
        cut, cut_counts = _shaped_tokens(parts.filter(pa.array(shaped)), shape, lowercase,
                                         min_length)  # fmt: skip
    else:
        cut, cut_counts = found[:0], np.zeros(0, dtype=np.int64)
    counts = np.zeros(len(distinct), dtype=np.int64)
    counts[shaped], counts[other] = cut_counts, found_counts
    # both kinds of tokens, interleaved back into piece order
    starts = np.cumsum(counts) - counts
    order = np.empty(int(counts.sum()), dtype=np.int64)
    _place(order, starts[shaped], cut_counts, 0)
    _place(order, starts[other], found_counts, len(cut))
    tokens = pa.concat_arrays([cut.cast(found.type), found])
    return tokens.take(pa.array(order)), counts


def _place(order, starts, counts, first):
    """Write ``first, first + 1, ...`` into ``order`` at each piece's run of positions
    (``counts[i]`` positions from ``starts[i]``)."""
    n = int(counts.sum())
    positions = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    order[positions + np.arange(n)] = first + np.arange(n)


def _pattern_tokens(pieces, marked, lowercase, min_length):
    """The tokens of ``pieces`` under Python's pattern, and how many each has.

    One ``findall`` runs over the pieces joined by newlines; the pattern also matches
    each newline, which marks where one piece's tokens end.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = "\n".join(pieces.to_pylist())
    kind = pa.string() if len(text) < 2**29 else pa.large_string()
    found = pa.array(marked.findall(text.lower() if lowercase else text), type=kind)
    is_marker = pc.equal(found, "\n").to_numpy(zero_copy_only=False)
    keep = ~is_marker
    if min_length > 1:
        keep &= pc.utf8_length(found).to_numpy(zero_copy_only=False) >= min_length
    kept_before = np.concatenate([[0], np.cumsum(keep)])
    piece_ends = np.concatenate([np.flatnonzero(is_marker), [len(is_marker)]])
    counts = np.diff(np.concatenate([[0], kept_before[piece_ends]]))
    if not len(pieces):
        counts = counts[:0]
    return found.filter(pa.array(keep)), counts


def _shaped_tokens(parts, shape, lowercase, min_length):
    """The tokens of pieces cut by ``shape`` (their non-empty parts, in order), and how
    many each piece has."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = ("lead", "word", "trail") if shape.punctuation_tokens else ("word",)
    stacked = pa.concat_arrays([parts.field(name) for name in names])
    n = len(parts)
    # ASCII: bytes are characters
    lengths = pc.binary_length(stacked).to_numpy(zero_copy_only=False)
    keep = (lengths >= max(min_length, 1)).reshape(len(names), n).T
    positions = (np.arange(len(names)) * n + np.arange(n)[:, None])[keep]
    tokens = stacked.take(pa.array(positions))
    if lowercase:
        tokens = pc.ascii_lower(tokens)
    return tokens, keep.sum(axis=1)


def _encode(distinct, parts, occurrences, document_offsets, shape, marked, lowercase,
            min_length, vocabulary, ids, lengths):  # fmt: skip
    """Append the token ids and per-document token counts of one split batch."""
    import pyarrow.compute as pc

    tokens, piece_lengths = _piece_tokens(distinct, parts, shape, marked, lowercase,
                                          min_length)  # fmt: skip
    tokens = pc.dictionary_encode(tokens)
    # distinct tokens in order of first appearance, as the pure-Python path numbers them
    global_ids = vocabulary.ids(tokens.dictionary)
    piece_ids = global_ids[tokens.indices.to_numpy(zero_copy_only=False)]
    # int32 throughout: a batch holds far fewer than 2**31 tokens
    piece_lengths = piece_lengths.astype(np.int32)
    piece_starts = np.cumsum(piece_lengths, dtype=np.int32) - piece_lengths
    counts = piece_lengths[occurrences]
    ends = np.cumsum(counts, dtype=np.int32)
    # the ids of every occurrence: each piece's run of ids, gathered in order
    shift = np.repeat(piece_starts[occurrences] - ends + counts, counts)
    shift += np.arange(len(shift), dtype=np.int32)
    ids.append(piece_ids[shift])
    tokens_before = np.concatenate([[0], ends])
    lengths.append(np.diff(tokens_before[document_offsets]))
