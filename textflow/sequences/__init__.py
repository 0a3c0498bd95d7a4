"""From tokens to integer id sequences and padded arrays: the bridge to Keras."""

from ._padder import SequencePadder
from ._texts_to_sequences import TextsToSequences

__all__ = ["SequencePadder", "TextsToSequences"]
