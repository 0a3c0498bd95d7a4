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

    return {"textflow>MaskedGlobalMaxPooling1D": MaskedGlobalMaxPooling1D}
