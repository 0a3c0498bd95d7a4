"""The trained translator run in numpy: encode once, then decode one token at a time.

The same ``step(ids, state)`` serves batched greedy decoding and beam search
(``_search``).
"""

from __future__ import annotations

import numpy as np
from scipy.special import softmax

from ._recurrent import RecurrentCell, log_softmax


def _weights(layer):
    return [np.asarray(w, dtype=np.float32) for w in layer.get_weights()]


class _Dense:
    def __init__(self, layer, activation=None):
        weights = _weights(layer)
        self.kernel = weights[0]
        self.bias = weights[1] if len(weights) > 1 else 0.0
        self.activation = activation

    def __call__(self, x):
        out = x @ self.kernel + self.bias
        return np.tanh(out) if self.activation == "tanh" else out


class NumpyTranslator:
    """Encoder, bridge, decoder cells, attention and output layer of a trained model.

    A decoding ``state`` is ``[decoder states per layer, keys, memory]``: the
    decoder cells' states, and the attention keys and values (the encoder's
    outputs) of the source; every
    array with one row per hypothesis, so beams are selected with
    ``_search.select_rows``. ``last_attention`` holds the attention weights of
    the latest step (rows x source tokens).
    """

    def __init__(self, model, *, cell, num_layers, bidirectional, attention):
        self.cell, self.num_layers = cell, num_layers
        self.bidirectional, self.attention = bidirectional, attention
        self.source_embeddings = _weights(model.get_layer("source_embedding"))[0]
        self.target_embeddings = _weights(model.get_layer("target_embedding"))[0]
        self.encoders = []
        for layer in range(num_layers):
            encoder = model.get_layer(f"encoder_{layer}")
            if bidirectional:
                self.encoders.append(
                    (
                        RecurrentCell.from_layer(cell, encoder.forward_layer),
                        RecurrentCell.from_layer(cell, encoder.backward_layer),
                    )
                )
            else:
                self.encoders.append((RecurrentCell.from_layer(cell, encoder),))
        n_states = 2 if cell == "lstm" else 1
        self.bridges = [[_Dense(model.get_layer(f"bridge_{layer}_{part}"), "tanh")
                         for part in range(n_states)] if bidirectional else None
                        for layer in range(num_layers)]  # fmt: skip
        self.decoders = [RecurrentCell.from_layer(cell, model.get_layer(f"decoder_{layer}"))
                         for layer in range(num_layers)]  # fmt: skip
        if attention:
            self.keys = _Dense(model.get_layer("attention_keys"))
            scale = _weights(model.get_layer("attention"))
            self.scale = scale[0] if scale else 1.0
        self.combine = _Dense(model.get_layer("combine"), "tanh")
        norm = model.get_layer("combine_norm")
        self.norm_gamma, self.norm_beta = _weights(norm)
        self.norm_epsilon = norm.epsilon
        names = {layer.name for layer in model.layers}
        if "output" in names:
            self.output = _Dense(model.get_layer("output"))
        else:  # tied: the target embedding table, transposed, and its bias
            table, bias = _weights(model.get_layer("target_embedding"))
            self.output = lambda x: x @ table.T + bias
        self.last_attention = None

    def encode(self, ids):
        """Source ids (batch, tokens), all of the same length: the first decoding state."""
        x = self.source_embeddings[ids]
        states = []
        for layer, cells in enumerate(self.encoders):
            forward, forward_state = cells[0].run(x, cells[0].initial_state(len(ids)))
            if not self.bidirectional:
                x = forward
                states.append(forward_state)
                continue
            backward, backward_state = cells[1].run(x[:, ::-1], cells[1].initial_state(len(ids)))
            x = np.concatenate([forward, backward[:, ::-1]], axis=-1)
            states.append(
                tuple(
                    bridge(np.concatenate([f, b], axis=-1))
                    for bridge, f, b in zip(self.bridges[layer], forward_state, backward_state)
                )
            )
        keys = self.keys(x) if self.attention else np.zeros((len(ids), 0, 0), np.float32)
        return [states, keys, x if self.attention else keys]

    def step(self, ids, state):
        """Previous tokens (batch,) -> log-probabilities of the next (batch, vocab), state."""
        layer_states, keys, memory = state
        x = self.target_embeddings[np.asarray(ids)]
        new_states = []
        for cell, cell_state in zip(self.decoders, layer_states):
            cell_state = getattr(cell, f"_{cell.kind}_step")(x @ cell.kernel + cell.bias,
                                                            cell_state)  # fmt: skip
            new_states.append(cell_state)
            x = cell_state[0]
        if self.attention == "dot":
            weights = softmax(np.einsum("bu,bsu->bs", x, keys), axis=-1)
        elif self.attention == "additive":
            weights = softmax((self.scale * np.tanh(x[:, None, :] + keys)).sum(axis=-1), axis=-1)
        if self.attention:
            self.last_attention = weights
            context = np.einsum("bs,bsu->bu", weights, memory)
            x = np.concatenate([x, context], axis=-1)
        x = self.combine(x)
        x = (x - x.mean(axis=-1, keepdims=True)) / np.sqrt(x.var(axis=-1, keepdims=True)
                                                           + self.norm_epsilon)  # fmt: skip
        logits = self.output(x * self.norm_gamma + self.norm_beta)
        return log_softmax(logits), [new_states, keys, memory]
