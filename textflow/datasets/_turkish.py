"""The Turkish UD treebanks of the ``turkish-treebanks`` wheel (web and Wikipedia; UPOS)."""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata

from sklearn.utils import Bunch

from ._columns import SentenceColumns

INSTALL_HINT = (
    "load_turkish_ud reads the CoNLL-U files of the PyPI package 'turkish-treebanks'. "
    "Install it with: pip install --no-deps 'turkish-treebanks==1.0.0' (`python3 tasks.py "
    "test` does)."
)
TREEBANKS = ("web", "wiki")
SPLITS = ("train", "valid", "test")
COLUMNS = {"upos": 3, "xpos": 4}

TURKISH_DESCR = """\
Turkish UD treebanks: web and Wikipedia (Sulubacak et al., 2016)
----------------------------------------------------------------
Turkish sentences from forums and blogs (web, 2,541 sentences) and from Wikipedia
(wiki, 2,310), in CoNLL-U, each token (an inflectional group: "Açık la nma yan")
with its universal part of speech (UPOS: NOUN, VERB, ADJ, PRON, PUNCT...) and the
treebank's own tag (XPOS). An agglutinative language, short noisy texts: another
language and genre than CoNLL-2003's English news.

The files come as one list of sentences each; textflow splits every treebank in
file order, 80 % / 10 % / 10 % into train / valid / test, the same way every time.

Source: the 'turkish-treebanks' 1.0.0 wheel (its data/web.conllu and data/wiki.conllu,
read from the installed files; the wheel installs them as a top-level 'data' folder).
"""


def _path(treebank):
    try:
        files = metadata.files("turkish-treebanks") or []
    except metadata.PackageNotFoundError:
        raise ImportError(INSTALL_HINT) from None
    for file in files:
        if str(file).replace("\\", "/").endswith(f"data/{treebank}.conllu"):
            return file.locate()
    raise ImportError(f"the installed 'turkish-treebanks' has no {treebank}.conllu. "
                      f"{INSTALL_HINT}")  # fmt: skip


@lru_cache(maxsize=2)
def _read(treebank):
    """``(sentences, {column: tags})`` of one treebank, in file order."""
    collected = SentenceColumns(COLUMNS)
    with open(_path(treebank), encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                collected.end_sentence()
                continue
            if line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 10:
                raise ValueError(f"{treebank}.conllu line {number}: expected 10 columns, got "
                                 f"{len(fields)}")  # fmt: skip
            if "-" in fields[0] or "." in fields[0]:  # multi-word ranges, empty nodes
                continue
            collected.add(fields[1], {name: fields[c] for name, c in COLUMNS.items()})
    return collected.result()


def load_turkish_ud(treebank="web", split="train", *, tags="upos", return_X_y=False):
    """Load a Turkish UD treebank's sentences with their part-of-speech tags.

    Parameters
    ----------
    treebank : {"web", "wiki"}, default="web"
        Forum and blog posts (2,541 sentences) or Wikipedia (2,310).
    split : {"train", "valid", "test"}, default="train"
        80 % / 10 % / 10 % of the sentences, in file order.
    tags : {"upos", "xpos"}, default="upos"
        Universal parts of speech, or the treebank's own tags.
    return_X_y : bool, default=False
        Return ``(sentences, tags)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (token lists), ``target`` (tag lists), ``target_names``, ``DESCR``.

    Examples
    --------
    >>> from textflow.datasets import load_turkish_ud
    >>> X, y = load_turkish_ud("web", "train", return_X_y=True)
    >>> len(X), X[0], y[0]
    (2032, ['Burda', 'da', 'öylemi', 'yoksa', 'kiloyla', 'mı', '?'], \
['PRON', 'PRT', 'VERB', 'CONJ', 'VERB', 'PRT', 'PUNCT'])
    >>> [len(load_turkish_ud("wiki", split).data) for split in ("train", "valid", "test")]
    [1848, 231, 231]
    """
    if treebank not in TREEBANKS:
        raise ValueError(f"treebank must be one of {', '.join(TREEBANKS)}; got {treebank!r}")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}; got {split!r}")
    if tags not in COLUMNS:
        raise ValueError(f"tags must be one of {', '.join(COLUMNS)}; got {tags!r}")
    sentences, columns = _read(treebank)
    n = len(sentences)
    cuts = {"train": (0, int(0.8 * n)), "valid": (int(0.8 * n), int(0.9 * n)),
            "test": (int(0.9 * n), n)}  # fmt: skip
    start, stop = cuts[split]
    data = [list(s) for s in sentences[start:stop]]
    target = [list(t) for t in columns[tags][start:stop]]
    if return_X_y:
        return data, target
    names = sorted({tag for row in target for tag in row})
    return Bunch(data=data, target=target, target_names=names, DESCR=TURKISH_DESCR)
