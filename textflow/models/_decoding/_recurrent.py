"""Recurrent cells and the language model's stack in numpy: one token at a time, any
batch of states (a step is a few small matrix products)."""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logsumexp

GATES = {"rnn": 1, "lstm": 4, "gru": 3}


class RecurrentCell:
    """One Keras ``SimpleRNN``/``LSTM``/``GRU`` layer (``reset_after=True``) in numpy."""

    def __init__(self, kind, kernel, recurrent_kernel, bias):
        self.kind = kind
        self.kernel = np.asarray(kernel, dtype=np.float32)
        self.recurrent_kernel = np.asarray(recurrent_kernel, dtype=np.float32)
        bias = np.asarray(bias, dtype=np.float32)
        if kind == "gru":  # reset_after: an input bias and a recurrent bias
            self.bias, self.recurrent_bias = bias[0], bias[1]
        else:
            self.bias, self.recurrent_bias = bias, None
        self.units = self.recurrent_kernel.shape[0]

    @classmethod
    def from_layer(cls, kind, layer):
        return cls(kind, *layer.get_weights())

    def initial_state(self, batch):
        zeros = np.zeros((batch, self.units), dtype=np.float32)
        return (zeros, zeros.copy()) if self.kind == "lstm" else (zeros,)

    def run(self, inputs, state):
        """``inputs`` (batch, time, features) -> outputs (batch, time, units), final state."""
        projected = inputs @ self.kernel + self.bias
        outputs = np.empty((*inputs.shape[:2], self.units), dtype=np.float32)
        step = getattr(self, f"_{self.kind}_step")
        for t in range(inputs.shape[1]):
            state = step(projected[:, t], state)
            outputs[:, t] = state[0]
        return outputs, state

    def _rnn_step(self, x, state):
        return (np.tanh(x + state[0] @ self.recurrent_kernel),)

    def _lstm_step(self, x, state):
        h, c = state
        u = self.units
        z = x + h @ self.recurrent_kernel
        i, f, o = expit(z[:, :u]), expit(z[:, u : 2 * u]), expit(z[:, 3 * u :])
        c = f * c + i * np.tanh(z[:, 2 * u : 3 * u])
        return o * np.tanh(c), c

    def _gru_step(self, x, state):
        (h,) = state
        u = self.units
        inner = h @ self.recurrent_kernel + self.recurrent_bias
        z = expit(x[:, :u] + inner[:, :u])
        r = expit(x[:, u : 2 * u] + inner[:, u : 2 * u])
        candidate = np.tanh(x[:, 2 * u :] + r * inner[:, 2 * u :])
        return (z * h + (1.0 - z) * candidate,)


class RecurrentLanguageStack:
    """Embedding -> recurrent cells -> (projection) -> output logits, in numpy.

    ``state`` is a list with one tuple of arrays per cell, each with the batch
    as its first axis, so beams and parallel streams are rows.
    """

    def __init__(self, embeddings, cells, output_kernel, output_bias, projection=None):
        self.embeddings = np.asarray(embeddings, dtype=np.float32)
        self.cells = cells
        self.output_kernel = np.asarray(output_kernel, dtype=np.float32)
        self.output_bias = np.asarray(output_bias, dtype=np.float32)
        self.projection = projection  # (kernel, bias) or None

    @classmethod
    def from_keras(cls, model, cell, num_layers, tied):
        """Read the weights of a model built by ``build_language_model``."""
        embedding = model.get_layer("embedding")
        cells = [RecurrentCell.from_layer(cell, model.get_layer(f"recurrent_{i}"))
                 for i in range(num_layers)]  # fmt: skip
        projection = None
        if any(layer.name == "projection" for layer in model.layers):
            projection = tuple(np.asarray(w, np.float32)
                               for w in model.get_layer("projection").get_weights())  # fmt: skip
        if tied:
            table, bias = embedding.get_weights()
            return cls(table, cells, table.T, bias, projection)
        (table,) = embedding.get_weights()
        kernel, bias = model.get_layer("output").get_weights()
        return cls(table, cells, kernel, bias, projection)

    @property
    def vocab_size(self):
        return self.output_kernel.shape[1]

    def initial_state(self, batch):
        return [cell.initial_state(batch) for cell in self.cells]

    def hidden(self, ids, state):
        """``ids`` (batch, time) -> top-layer outputs (batch, time, dim), new state."""
        x = self.embeddings[ids]
        new_state = []
        for cell, cell_state in zip(self.cells, state):
            x, cell_state = cell.run(x, cell_state)
            new_state.append(cell_state)
        if self.projection is not None:
            x = x @ self.projection[0] + self.projection[1]
        return x, new_state

    def logits(self, hidden):
        return hidden @ self.output_kernel + self.output_bias

    def step(self, ids, state):
        """One token per row: ``ids`` (batch,) -> log-probabilities (batch, vocab), state."""
        hidden, state = self.hidden(np.asarray(ids).reshape(-1, 1), state)
        return log_softmax(self.logits(hidden[:, 0])), state

    def negative_log_likelihood(self, stream, n_streams=64, window=128):
        """Total ``-log p`` of ``stream[1:]``, each token given all that precede it.

        The stream is cut into ``n_streams`` contiguous parts read in parallel,
        each from a zero state (the classic evaluation layout).
        """
        stream = np.asarray(stream, dtype=np.int64)
        n = len(stream) - 1
        if n < 1:
            return 0.0, 0
        batch = max(1, min(n_streams, n // window or 1))
        length = -(-n // batch)
        inputs = np.zeros(batch * length, dtype=np.int64)
        targets = np.zeros(batch * length, dtype=np.int64)
        weights = np.zeros(batch * length, dtype=np.float64)
        inputs[:n], targets[:n], weights[:n] = stream[:-1], stream[1:], 1.0
        inputs, targets, weights = (a.reshape(batch, length) for a in (inputs, targets, weights))
        state, total = self.initial_state(batch), 0.0
        for start in range(0, length, window):
            part = slice(start, start + window)
            hidden, state = self.hidden(inputs[:, part], state)
            logits = self.logits(hidden).reshape(-1, self.vocab_size)
            chosen = logits[np.arange(len(logits)), targets[:, part].reshape(-1)]
            nll = logsumexp(logits, axis=-1) - chosen
            total += float(nll.astype(np.float64) @ weights[:, part].reshape(-1))
        return total, n


def log_softmax(logits):
    logits = np.asarray(logits, dtype=np.float64)
    return logits - logsumexp(logits, axis=-1, keepdims=True)
