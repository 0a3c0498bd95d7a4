"""The one Keras wing: everything textflow's Keras estimators share.

``models/`` (classifier, language model, tagger, translator) and ``series/`` (regressor,
forecaster) both stand on it, side by side. Nothing here imports Keras on import; the
modules that define Keras classes (``_layers``, ``_callbacks``, ``_datasets``) do, and
are imported inside the methods that need them.

- ``_backend``: :func:`import_keras`, choosing an installed backend without overriding
  the user's choice;
- ``_base``: :class:`KerasBase` and :class:`SequenceModelBase` (shared parameters and
  constraints, routing, seeding, compiling, callbacks, end-of-fit bookkeeping, caches,
  pickling), ``CELLS``;
- ``_saving``: a model to and from ``.keras`` bytes;
- ``_batching``: length and row buckets, so a bounded set of shapes is compiled;
- ``_layers``, ``_callbacks``, ``_datasets``: textflow's Keras layers and losses,
  callbacks and training datasets.
"""

from ._backend import KERAS_HINT, import_keras
from ._base import CELLS, KerasBase, SequenceModelBase, recurrent_layer, routed

__all__ = [
    "CELLS",
    "KERAS_HINT",
    "KerasBase",
    "SequenceModelBase",
    "import_keras",
    "recurrent_layer",
    "routed",
]
