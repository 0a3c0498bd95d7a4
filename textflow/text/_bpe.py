"""Byte-pair encoding (Sennrich et al., 2016): words split into frequent subword pieces.

Rare words are the weak spot of a word-level vocabulary: a German compound seen
once cannot be learned, but its parts were seen many times. Byte-pair encoding
starts from characters and merges, again and again, the pair of adjacent symbols
that occurs most often in the training words; the merges learned, in order,
segment any word (seen or not) into pieces from a small vocabulary.

Every piece but a word's last carries :data:`CONTINUATION` at its end, so the
pieces of a sentence join back into its words with :meth:`BytePairEncoding.join`.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from itertools import pairwise

#: Appended to every piece that is not the last of its word (a private-use character,
#: so it never collides with real text in practice).
CONTINUATION = "\ue000"
_END = "\ue001"  # marks a word's last character while learning, so endings merge apart


class BytePairEncoding:
    """Merges learned from word counts; segments tokens into pieces and joins them back.

    Parameters
    ----------
    merges : int
        Most merge operations to learn (learning also stops when no pair occurs
        twice).

    Examples
    --------
    >>> from textflow.text import BytePairEncoding
    >>> bpe = BytePairEncoding(10).fit([["lower", "lowest", "newer", "newest", "low"]])
    >>> pieces = bpe.segment(["lowest", "slower"])
    >>> bpe.readable(pieces)
    ['lowe@@', 'st', 's@@', 'lowe@@', 'r']
    >>> bpe.join(pieces)
    ['lowest', 'slower']
    """

    def __init__(self, merges):
        self.merges = merges

    def fit(self, token_lists):
        """Learn merges from the words of ``token_lists`` (an iterable of token lists)."""
        counts = Counter(token for tokens in token_lists for token in tokens)
        words = [_symbols(word) for word in counts]
        frequency = list(counts.values())
        pair_counts = Counter()
        where = defaultdict(set)  # pair -> indices of words holding it
        for index, symbols in enumerate(words):
            for pair in pairwise(symbols):
                pair_counts[pair] += frequency[index]
                where[pair].add(index)
        heap = [(-count, pair) for pair, count in pair_counts.items()]
        heapq.heapify(heap)
        self.ranks_ = {}
        while heap and len(self.ranks_) < self.merges:
            negative, pair = heapq.heappop(heap)
            if pair_counts.get(pair, 0) != -negative:
                continue  # stale: the pair's count changed since it was pushed
            if -negative < 2:
                break
            self.ranks_[pair] = len(self.ranks_)
            changed = set()
            for index in where.pop(pair):
                old = words[index]
                new = _merge(old, pair)
                count = frequency[index]
                for old_pair in pairwise(old):
                    pair_counts[old_pair] -= count
                    changed.add(old_pair)
                for new_pair in pairwise(new):
                    pair_counts[new_pair] += count
                    where[new_pair].add(index)
                    changed.add(new_pair)
                words[index] = new
            pair_counts.pop(pair, None)
            for changed_pair in changed - {pair}:
                if pair_counts[changed_pair] > 0:
                    heapq.heappush(heap, (-pair_counts[changed_pair], changed_pair))
        self._cache = {}
        return self

    def segment_word(self, word):
        """The pieces of one word; all but the last end with :data:`CONTINUATION`."""
        pieces = self._cache.get(word)
        if pieces is None:
            symbols = _symbols(word)
            while len(symbols) > 1:
                ranked = [
                    (self.ranks_[pair], pair) for pair in pairwise(symbols) if pair in self.ranks_
                ]
                if not ranked:
                    break
                symbols = _merge(symbols, min(ranked)[1])
            pieces = _pieces(symbols)
            self._cache[word] = pieces
        return pieces

    def segment(self, tokens):
        """The pieces of a token list."""
        return [piece for token in tokens for piece in self.segment_word(token)]

    def sample_word(self, word, dropout, random):
        """Pieces of one word with BPE-dropout (Provilkov et al., 2020): at each step
        every applicable merge is skipped with probability ``dropout``, the best of the
        rest is applied at its first place, and segmentation stops when none is left.
        ``random`` is a ``random.Random``. At ``dropout=0`` this is
        :meth:`segment_word`."""
        symbols = list(_symbols(word))
        ranks = self.ranks_
        while len(symbols) > 1:
            best = None
            for position, pair in enumerate(pairwise(symbols)):
                rank = ranks.get(pair)
                if rank is not None and (best is None or rank < best[0]):
                    if random.random() >= dropout:
                        best = (rank, position)
            if best is None:
                break
            position = best[1]
            symbols[position : position + 2] = [symbols[position] + symbols[position + 1]]
        return _pieces(symbols)

    def sample(self, tokens, dropout, random):
        """The pieces of a token list with BPE-dropout (see :meth:`sample_word`)."""
        return [piece for token in tokens for piece in self.sample_word(token, dropout, random)]

    @staticmethod
    def join(pieces):
        """Pieces back into words: a piece ending with :data:`CONTINUATION` joins the next."""
        words, current = [], ""
        for piece in pieces:
            if piece.endswith(CONTINUATION):
                current += piece[: -len(CONTINUATION)]
            else:
                words.append(current + piece)
                current = ""
        if current:  # a continued piece the decoder never finished
            words.append(current)
        return words

    @staticmethod
    def readable(pieces, marker="@@"):
        """Pieces for people: the continuation mark shown as ``marker`` (``"Ent@@"``)."""
        return readable_pieces(pieces, marker)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_cache", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._cache = {}


def readable_pieces(pieces, marker="@@"):
    """Pieces for people: :data:`CONTINUATION` shown as ``marker`` (``"Ent@@", "wurf"``)."""
    return [
        piece.removesuffix(CONTINUATION) + marker if piece.endswith(CONTINUATION) else piece
        for piece in pieces
    ]


def _symbols(word):
    if not word:
        return (word,)
    return (*word[:-1], word[-1] + _END)


def _pieces(symbols):
    """Merged symbols as pieces: all but the last marked as continued."""
    pieces = [symbol + CONTINUATION for symbol in symbols[:-1]]
    pieces.append(symbols[-1].removesuffix(_END))
    return pieces


def _merge(symbols, pair):
    first, second = pair
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == first and symbols[i + 1] == second:
            out.append(first + second)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)
