"""Word2Vec / FastText document vectors on gensim, and pretrained word vectors."""

from ._vectorizers import EmptyDocumentWarning, FastTextVectorizer, Word2VecVectorizer
from ._vectors import load_glove_6b_50d, load_vectors, pretrained_embedding_matrix

__all__ = [
    "EmptyDocumentWarning",
    "FastTextVectorizer",
    "Word2VecVectorizer",
    "load_glove_6b_50d",
    "load_vectors",
    "pretrained_embedding_matrix",
]
