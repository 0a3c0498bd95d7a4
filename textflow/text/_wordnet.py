"""Offline WordNet for NLTK: build an ``nltk_data`` folder from Debian's packages."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

DEBIAN_WORDNET_DIR = "/usr/share/wordnet"

# The WordNet 3.0 lexicographer files (lexnames(5WN)); NLTK's reader needs this
# file and Debian does not ship it.
LEXNAMES = """\
adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute
noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group
noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant
noun.possession noun.process noun.quantity noun.relation noun.shape noun.state
noun.substance noun.time verb.body verb.change verb.cognition verb.communication
verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion
verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl""".split()
_SYNTACTIC_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}

REQUIRED_FILES = (
    [f"{kind}.{pos}" for kind in ("data", "index") for pos in ("noun", "verb", "adj", "adv")]
    + [f"{pos}.exc" for pos in ("noun", "verb", "adj", "adv")]
    + ["index.sense"]
)

INSTALL_HELP = f"""\
NLTK's WordNet corpus is not installed, and textflow never downloads data.
To install it offline on Debian/Ubuntu:

    apt-get install wordnet-base wordnet-sense-index
    textflow install-wordnet          # or: python -m textflow install-wordnet

which copies {DEBIAN_WORDNET_DIR} into <sys.prefix>/nltk_data/corpora/wordnet.
Elsewhere, copy a WordNet 3.0 'dict' folder and call
textflow.text.install_wordnet(source=...). Or use Lemmatizer(backend="lemminflect"),
which needs no corpus."""


def lexnames_text() -> str:
    lines = []
    for number, name in enumerate(LEXNAMES):
        category = _SYNTACTIC_CATEGORY[name.split(".")[0]]
        lines.append(f"{number:02d}\t{name}\t{category}")
    return "\n".join(lines) + "\n"


def default_nltk_data_dir() -> Path:
    return Path(sys.prefix) / "nltk_data"


def install_wordnet(target=None, source=DEBIAN_WORDNET_DIR, *, overwrite=False) -> Path:
    """Build ``<target>/corpora/wordnet`` for NLTK from WordNet 3.0 dict files.

    Copies the files (NLTK's reader needs real files, not links) and writes
    the ``lexnames`` file that NLTK needs and Debian lacks. No network.

    Parameters
    ----------
    target : str or Path or None, default=None
        The ``nltk_data`` folder; ``None`` means ``<sys.prefix>/nltk_data``,
        which NLTK searches by default (inside a virtual environment too).
    source : str or Path, default="/usr/share/wordnet"
        Folder with ``data.noun``, ``index.noun``, …, ``index.sense``; Debian's
        ``wordnet-base`` and ``wordnet-sense-index`` packages put them here.
    overwrite : bool, default=False
        Replace an existing installation.

    Returns
    -------
    Path
        The ``corpora/wordnet`` folder written.

    Examples
    --------
    >>> from textflow.text import install_wordnet
    >>> install_wordnet("/tmp/my_nltk_data", source="/nonexistent")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: WordNet files missing from /nonexistent: ...
    """
    source = Path(source)
    missing = [name for name in REQUIRED_FILES if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"WordNet files missing from {source}: {', '.join(missing)}. "
            f"On Debian/Ubuntu: apt-get install wordnet-base wordnet-sense-index"
        )
    corpus = Path(target or default_nltk_data_dir()) / "corpora" / "wordnet"
    if corpus.exists() and not overwrite and (corpus / "lexnames").is_file():
        return corpus
    staging = corpus.with_name("wordnet.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for entry in sorted(source.iterdir()):
        if entry.is_file():
            shutil.copyfile(entry, staging / entry.name)  # follows links: real copies
    (staging / "lexnames").write_text(lexnames_text(), encoding="ascii")
    shutil.rmtree(corpus, ignore_errors=True)
    os.replace(staging, corpus)
    return corpus


def load_wordnet():
    """Return NLTK's WordNet reader, fully loaded (its lazy loader is not thread-safe)."""
    from nltk.corpus import wordnet

    try:
        wordnet.ensure_loaded()
    except LookupError:
        raise LookupError(INSTALL_HELP) from None
    return wordnet
