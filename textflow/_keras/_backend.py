"""Import Keras with a backend that is installed, without overriding the user's choice."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

BACKENDS = ("jax", "tensorflow", "torch")
KERAS_HINT = "Keras models need Keras 3 and a backend: pip install 'textflow[keras]'"


def _installed(backend: str) -> bool:
    return importlib.util.find_spec(backend) is not None


def _configured_backend() -> str | None:
    """The backend the user chose: ``KERAS_BACKEND``, else keras.json's if it is installed.

    Keras writes a keras.json naming tensorflow the first time it is imported,
    even where tensorflow is absent; such a file is not a usable choice.
    """
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    try:
        backend = json.loads((home / "keras.json").read_text()).get("backend")
    except (OSError, ValueError, AttributeError):
        return None
    return backend if backend and _installed(backend) else None


def import_keras():
    """Import and return ``keras``.

    When neither ``KERAS_BACKEND`` nor the user's ``keras.json`` names an
    installed backend, pick the first installed of jax, tensorflow, torch
    (Keras' own default, tensorflow, fails to import where only jax is
    installed). ``KERAS_BACKEND`` is never overridden.
    """
    import sys

    if "keras" not in sys.modules and _configured_backend() is None:
        for backend in BACKENDS:
            if _installed(backend):
                os.environ["KERAS_BACKEND"] = backend
                break
    try:
        import keras
    except ImportError as error:
        raise ImportError(f"{KERAS_HINT} ({error})") from None
    return keras
