"""Sentences read from a file of token columns, one token a line, a blank line between
sentences (CoNLL-2003, CoNLL-U): the tokens and, per tag column, the tags."""

from __future__ import annotations


class SentenceColumns:
    """Collects tokens and their tag columns sentence by sentence.

    ``add(token, {column: tag})`` for each token line, ``end_sentence()`` at each
    separator, then ``result()``: ``(sentences, {column: tags})`` as tuples.
    """

    def __init__(self, columns):
        self.columns = tuple(columns)
        self.sentences, self.tags = [], {name: [] for name in self.columns}
        self._tokens, self._rows = [], {name: [] for name in self.columns}

    def add(self, token, tags):
        self._tokens.append(token)
        for name in self.columns:
            self._rows[name].append(tags[name])

    def end_sentence(self):
        if self._tokens:
            self.sentences.append(tuple(self._tokens))
            for name in self.columns:
                self.tags[name].append(tuple(self._rows[name]))
        self._tokens, self._rows = [], {name: [] for name in self.columns}

    def result(self):
        self.end_sentence()
        return tuple(self.sentences), {name: tuple(rows) for name, rows in self.tags.items()}
