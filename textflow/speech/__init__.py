"""Speech: recurrent models over frames of audio features.

- :class:`AudioReader`: recordings (files, or waveforms with their rate) to waveforms at
  one sample rate;
- :class:`AudioFeatures`: recordings to frames of MFCC or log-mel features, with deltas
  and per-utterance normalisation (librosa's signal processing);
- :class:`CTCTranscriber`: frames to text, a bidirectional recurrent network trained
  with CTC on characters, read greedily or with a beam search.

Spoken-word recognition (a label per recording) is :class:`textflow.RNNClassifier` on
the same frames. The front-end needs ``pip install 'textflow[speech]'``.
"""

from ._audio import AudioFeatures, AudioReader
from ._transcriber import CTCTranscriber, normalize_transcript, split_by_transcript

__all__ = [
    "AudioFeatures",
    "AudioReader",
    "CTCTranscriber",
    "normalize_transcript",
    "split_by_transcript",
]
