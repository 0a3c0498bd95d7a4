"""Keras-free inference on trained weights: the numpy wing of the sequence models.

Training runs in Keras; scoring a stream, predicting the next word, tagging with a CRF
and every translation step run here, in numpy, on the trained weights: no per-shape
compilation, sub-millisecond steps on a CPU, and one ``step(ids, state)`` interface for
greedy decoding, sampling and beam search. The arithmetic follows Keras' layers
exactly (the tests compare the two).

- ``_recurrent``: Keras' SimpleRNN / LSTM / GRU cells and the language model's stack;
- ``_seq2seq``: the translator's encoder, attention and decoder;
- ``_search``: greedy decoding, sampling (temperature, top-k, top-p), beam search;
- ``_ctc``: greedy and prefix-beam decoding of a CTC network's frames;
- ``_linear_chain``: Viterbi, marginals (forward-backward) and the log partition of a
  linear-chain CRF.
"""

from ._ctc import ctc_beam_search, ctc_greedy
from ._linear_chain import log_partition, marginals, path_score, split_crf_output, viterbi
from ._recurrent import RecurrentCell, RecurrentLanguageStack, log_softmax
from ._search import beam_search, check_sampling, greedy_decode, sample_token, select_rows
from ._seq2seq import NumpyTranslator

__all__ = [
    "NumpyTranslator",
    "RecurrentCell",
    "RecurrentLanguageStack",
    "beam_search",
    "check_sampling",
    "ctc_beam_search",
    "ctc_greedy",
    "greedy_decode",
    "log_partition",
    "log_softmax",
    "marginals",
    "path_score",
    "sample_token",
    "select_rows",
    "split_crf_output",
    "viterbi",
]
