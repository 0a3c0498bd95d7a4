"""A Keras model to and from Keras' own ``.keras`` bytes (how Keras estimators pickle).

The bytes load under every Keras backend; textflow's layers are registered with Keras'
serialization under the ``textflow>`` package, so they load without custom objects.
"""

from __future__ import annotations

import os
import tempfile

from ._backend import import_keras


def model_to_bytes(model) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as handle:
            return handle.read()


def model_from_bytes(data: bytes):
    keras = import_keras()
    from ._layers import custom_objects

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as handle:
            handle.write(data)
        return keras.saving.load_model(path, custom_objects=custom_objects())
