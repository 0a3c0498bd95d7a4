"""Where ``TokenFeatures`` used to live: model files saved by earlier versions name it."""

from ._feature_crf import TokenFeatures

__all__ = ["TokenFeatures"]
