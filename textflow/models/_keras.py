"""Where ``KerasClassifier`` used to live: model files saved by earlier versions name it."""

from ._keras_classifier import KerasClassifier

__all__ = ["KerasClassifier"]
