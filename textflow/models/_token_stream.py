"""A corpus as one stream of token ids, as language models read it: the vocabulary
(``<unk>``, ``<eos>``, then the most frequent first) and each document followed by
``<eos>``. Shared by the recurrent and the n-gram language models."""

from __future__ import annotations

import numpy as np

from .._corpus import TokenCorpus
from .._validation import InvalidDocumentError, as_corpus

UNK, EOS = 0, 1


class TokenStreamMixin:
    """Needs the parameters ``level`` ("word" or "char"), ``min_count`` and ``max_vocab``,
    and, once fitted, ``vocabulary_``."""

    unk_token = "<unk>"
    eos_token = "<eos>"

    def _tokens(self, X, *, allow_empty=False) -> TokenCorpus:
        """The corpus as a TokenCorpus (text is split; token lists are checked)."""
        docs = as_corpus(X, allow_empty=allow_empty)
        if isinstance(docs, TokenCorpus):
            return docs
        for index, doc in enumerate(docs):
            if not isinstance(doc, (str, list, tuple, np.ndarray)):
                raise InvalidDocumentError(
                    f"Document {index} is {type(doc).__name__}; expected text (str) or a "
                    "list of str tokens.",
                    index=index,
                )
        split = list if self.level == "char" else str.split
        lists = [split(doc) if isinstance(doc, str) else list(doc) for doc in docs]
        return TokenCorpus.from_lists(lists)

    def _learn_vocabulary(self, corpus):
        counts = corpus.counts()
        specials = {self.unk_token, self.eos_token}
        order = np.argsort(-counts, kind="stable")  # most frequent first, ties by first use
        vocabulary = corpus.vocabulary
        words = [vocabulary[i] for i in order
                 if counts[i] >= self.min_count and vocabulary[i] not in specials]  # fmt: skip
        if self.max_vocab is not None:
            words = words[: self.max_vocab]
        return [self.unk_token, self.eos_token, *words]

    def _stream(self, corpus, index):
        """One id stream: ``<eos>``, then each document followed by ``<eos>``."""
        remap = np.fromiter((index.get(token, UNK) for token in corpus.vocabulary),
                            dtype=np.int32, count=len(corpus.vocabulary))  # fmt: skip
        lengths = corpus.document_lengths()
        stream = np.full(len(corpus.ids) + len(lengths) + 1, EOS, dtype=np.int32)
        is_token = np.ones(len(stream), dtype=bool)
        is_token[0] = False
        is_token[np.cumsum(lengths + 1)] = False
        stream[is_token] = remap[corpus.ids] if len(corpus.ids) else []
        return stream

    def _index(self):
        """``{token: id}`` of ``vocabulary_``, built once per fitted model."""
        return self._cached("index", lambda: {t: i for i, t in enumerate(self.vocabulary_)})

    def _context_ids(self, context):
        """A context (text or token list) as ids, starting from a sentence boundary."""
        if isinstance(context, str):
            tokens = list(context) if self.level == "char" else context.split()
        elif isinstance(context, (list, tuple)):
            tokens = list(context)
            for position, token in enumerate(tokens):
                if not isinstance(token, str):
                    raise InvalidDocumentError(
                        f"Token {position} of the context is {type(token).__name__}; "
                        "tokens must be str."
                    )
        else:
            raise InvalidDocumentError(
                f"A context must be text (str) or a list of str tokens; got "
                f"{type(context).__name__}."
            )
        index = self._index()
        return [EOS, *(index.get(token, UNK) for token in tokens)]
