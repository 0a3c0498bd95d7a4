"""Task metrics as thin wrappers over the well-kept implementations, in one place.

Used by the estimators' ``score`` methods, the command line and the benchmarks.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "character_error_rate",
    "corpus_bleu",
    "corpus_chrf",
    "entity_classification_report",
    "entity_f1",
    "is_entity_scheme",
    "mase",
    "perplexity_from_nll",
    "smape",
    "token_accuracy",
    "word_error_rate",
]

_SCHEME_PREFIXES = ("B-", "I-", "E-", "S-", "L-", "U-")


def perplexity_from_nll(total_nll, n_tokens):
    """``exp(total_nll / n_tokens)``: the perplexity of ``n_tokens`` predictions."""
    if n_tokens <= 0:
        raise ValueError("perplexity needs at least one predicted token")
    return math.exp(total_nll / n_tokens)


def is_entity_scheme(tags) -> bool:
    """True when a tag set is an entity scheme (IOB1/IOB2/IOBES/BILOU): ``O`` plus prefixes."""
    tags = set(tags)
    named = tags - {"O"}
    return bool(named) and all(tag.startswith(_SCHEME_PREFIXES) for tag in named)


def _flat_pairs(y_true, y_pred):
    y_true, y_pred = list(y_true), list(y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} sentences but y_pred has {len(y_pred)}")
    for index, (truth, guess) in enumerate(zip(y_true, y_pred)):
        if len(truth) != len(guess):
            raise ValueError(
                f"sentence {index} has {len(truth)} true tags but {len(guess)} predicted"
            )
    return y_true, y_pred


def token_accuracy(y_true, y_pred) -> float:
    """The share of tokens whose predicted tag is the true one (sentences flattened)."""
    y_true, y_pred = _flat_pairs(y_true, y_pred)
    truth = [tag for sentence in y_true for tag in sentence]
    guess = [tag for sentence in y_pred for tag in sentence]
    return float(np.mean(np.asarray(truth, dtype=object) == np.asarray(guess, dtype=object)))


def _seqeval_options(scheme):
    if scheme in (None, "IOB1"):
        return {}  # seqeval's default (conlleval) evaluation
    from seqeval import scheme as schemes

    return {"mode": "strict", "scheme": getattr(schemes, scheme)}


def entity_f1(y_true, y_pred, *, scheme=None) -> float:
    """Micro-averaged entity-level F1 (``seqeval``), as the CoNLL shared tasks report it.

    Parameters
    ----------
    y_true, y_pred : list of list of str
        Tags per sentence.
    scheme : {None, "IOB2", "IOBES", "BILOU"}, default=None
        ``None`` scores as the official ``conlleval`` script does (an entity is a
        maximal run of one type, whatever its first prefix); a scheme name scores
        strictly, counting only well-formed entities of that scheme.

    Examples
    --------
    >>> from textflow.metrics import entity_f1
    >>> entity_f1([["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "O"]])
    0.6666666666666666
    """
    from seqeval.metrics import f1_score

    y_true, y_pred = _flat_pairs(y_true, y_pred)
    return float(f1_score(y_true, y_pred, **_seqeval_options(scheme)))


def entity_classification_report(y_true, y_pred, *, scheme=None, output_dict=False):
    """Precision, recall and F1 per entity type (``seqeval``'s report)."""
    from seqeval.metrics import classification_report

    y_true, y_pred = _flat_pairs(y_true, y_pred)
    return classification_report(y_true, y_pred, digits=4, output_dict=output_dict,
                                 zero_division=0, **_seqeval_options(scheme))  # fmt: skip


def mase(y_true, y_pred, y_train, *, period=1):
    """Mean absolute scaled error: forecast errors over the in-sample seasonal-naive error.

    The scale is the mean absolute difference ``|y_t - y_{t-period}|`` over the training
    series (Hyndman & Koehler, 2006); below 1 beats the seasonal naive forecast's
    in-sample accuracy.

    Examples
    --------
    >>> from textflow.metrics import mase
    >>> mase([5, 6], [5, 7], y_train=[1, 2, 3, 4])
    0.5
    """
    y_true, y_pred, y_train = (np.asarray(a, dtype=np.float64).ravel()
                               for a in (y_true, y_pred, y_train))  # fmt: skip
    if len(y_train) <= period:
        raise ValueError(f"MASE needs more than period={period} training values")
    scale = np.mean(np.abs(y_train[period:] - y_train[:-period]))
    if scale == 0:
        raise ValueError("MASE is undefined: the training series repeats with its period")
    return float(np.mean(np.abs(y_true - y_pred)) / scale)


def smape(y_true, y_pred):
    """Symmetric mean absolute percentage error, in percent (0 to 200).

    ``100 * mean(2 |y - f| / (|y| + |f|))``, a term counting 0 where both are 0.

    Examples
    --------
    >>> from textflow.metrics import smape
    >>> round(smape([100, 200], [110, 180]), 2)
    10.03
    """
    y_true, y_pred = (np.asarray(a, dtype=np.float64).ravel() for a in (y_true, y_pred))
    denominator = np.abs(y_true) + np.abs(y_pred)
    terms = np.divide(2 * np.abs(y_true - y_pred), denominator,
                      out=np.zeros_like(denominator), where=denominator > 0)  # fmt: skip
    return float(100 * terms.mean())


def _sacrebleu():
    try:
        import sacrebleu
    except ImportError:
        raise ImportError(
            "BLEU and chrF need sacrebleu: pip install 'textflow[translation]'"
        ) from None
    return sacrebleu


def _check_translations(references, hypotheses):
    references, hypotheses = list(references), list(hypotheses)
    if len(references) != len(hypotheses):
        raise ValueError(f"{len(references)} references but {len(hypotheses)} hypotheses; "
                         "give one reference per hypothesis")  # fmt: skip
    for name, texts in (("reference", references), ("hypothesis", hypotheses)):
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"{name} {index} is {type(text).__name__}; expected a string")
    return references, hypotheses


def corpus_bleu(references, hypotheses) -> float:
    """Corpus BLEU (0-100) with sacrebleu's defaults (13a tokenization, case-sensitive).

    One reference string per hypothesis string. sacrebleu computes it offline; it
    only downloads when asked for its named test sets, which textflow never does.
    """
    references, hypotheses = _check_translations(references, hypotheses)
    return float(_sacrebleu().corpus_bleu(hypotheses, [references]).score)


def corpus_chrf(references, hypotheses) -> float:
    """Corpus chrF (0-100, character n-gram F-score) with sacrebleu's defaults."""
    references, hypotheses = _check_translations(references, hypotheses)
    return float(_sacrebleu().corpus_chrf(hypotheses, [references]).score)


def _jiwer():
    try:
        import jiwer
    except ImportError:
        raise ImportError(
            "word and character error rates need jiwer: pip install 'textflow[speech]'"
        ) from None
    return jiwer


def _error_rate(references, hypotheses, units, align):
    """Edits (substitutions, deletions, insertions) over reference ``units``, summed over
    the corpus; a hypothesis for an empty reference counts all its units as insertions."""
    references, hypotheses = _check_translations(references, hypotheses)
    total = sum(len(units(r)) for r in references)
    if total == 0:
        raise ValueError("the references hold nothing to compare against: all are empty")
    errors = sum(len(units(h)) for r, h in zip(references, hypotheses) if not units(r))
    pairs = [(r, h) for r, h in zip(references, hypotheses) if units(r)]
    output = align([r for r, _ in pairs], [h for _, h in pairs])
    errors += output.substitutions + output.deletions + output.insertions
    return errors / total


def word_error_rate(references, hypotheses) -> float:
    """Word error rate: the word edits turning each hypothesis into its reference, over
    the references' words, for the whole corpus (jiwer's alignment; words are split on
    white space, compared as they are: normalise both sides first).

    Examples
    --------
    >>> from textflow.metrics import word_error_rate
    >>> word_error_rate(["press one now", "goodbye"], ["press two now", "goodbye"])
    0.25
    """
    return _error_rate(references, hypotheses, str.split, _jiwer().process_words)


def character_error_rate(references, hypotheses) -> float:
    """Character error rate: as :func:`word_error_rate`, on characters (spaces included).

    Examples
    --------
    >>> from textflow.metrics import character_error_rate
    >>> character_error_rate(["seven"], ["sevn"])
    0.2
    """
    return _error_rate(references, hypotheses, list, _jiwer().process_characters)
