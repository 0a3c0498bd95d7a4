"""Keras layers of textflow's own, defined when Keras is first needed."""

from __future__ import annotations

from functools import cache

from ._keras_backend import import_keras


@cache
def custom_layers() -> dict:
    """``{registered name: class}`` of textflow's layers (registered with Keras' saving)."""
    keras = import_keras()
    ops = keras.ops

    @keras.saving.register_keras_serializable(package="textflow")
    class MaskedGlobalMaxPooling1D(keras.layers.Layer):
        """The maximum over the time steps the mask keeps (padding never wins)."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs, mask=None):
            if mask is not None:
                keep = ops.expand_dims(ops.cast(mask, "bool"), -1)
                lowest = ops.full_like(inputs, -3.0e38 if inputs.dtype == "float32" else -6.0e4)
                inputs = ops.where(keep, inputs, lowest)
            return ops.max(inputs, axis=1)

        def compute_mask(self, inputs, mask=None):
            return None

        def compute_output_shape(self, input_shape):
            return (input_shape[0], input_shape[2])

    @keras.saving.register_keras_serializable(package="textflow")
    class TiedEmbedding(keras.layers.Layer):
        """A token embedding that doubles as the output layer (tied weights).

        ``layer(ids)`` looks the ids up; ``layer(vectors, reverse=True)`` gives
        logits over the vocabulary: ``vectors @ table.T + bias``.
        """

        def __init__(self, input_dim, output_dim, **kwargs):
            super().__init__(**kwargs)
            self.input_dim, self.output_dim = int(input_dim), int(output_dim)

        def build(self, input_shape=None):
            self.embeddings = self.add_weight(
                shape=(self.input_dim, self.output_dim), initializer="uniform", name="embeddings"
            )
            self.bias = self.add_weight(shape=(self.input_dim,), initializer="zeros", name="bias")

        def call(self, inputs, reverse=False):
            if reverse:
                return ops.matmul(inputs, ops.transpose(self.embeddings)) + self.bias
            return ops.take(self.embeddings, ops.cast(inputs, "int32"), axis=0)

        def get_config(self):
            return {**super().get_config(), "input_dim": self.input_dim,
                    "output_dim": self.output_dim}  # fmt: skip

    return {
        "textflow>MaskedGlobalMaxPooling1D": MaskedGlobalMaxPooling1D,
        "textflow>TiedEmbedding": TiedEmbedding,
    }
