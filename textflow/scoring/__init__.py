"""Batch scoring of files with fitted pipelines, locally or on a Dask cluster; tagging,
and transcription of folders of recordings."""

from ._dask import score_on_dask
from ._readers import FORMATS, InputFormatError
from ._score import ScoreSummary, ScoringError, predict_texts, score
from ._tag import tag
from ._transcribe import transcribe

__all__ = [
    "FORMATS",
    "InputFormatError",
    "ScoreSummary",
    "ScoringError",
    "predict_texts",
    "score",
    "score_on_dask",
    "tag",
    "transcribe",
]
