"""Loaders for the data sets shipped inside installed packages (no downloads), and readers
for the files users have (tagged sentences, sentence pairs, series)."""

from ._conll import load_conll2003
from ._de_en import load_de_en
from ._files import DataFileError, read_pairs, read_series, read_tagged
from ._movie_reviews import load_imdb, load_rotten_tomatoes
from ._ptb import load_ptb
from ._series import load_forecasting_collection, load_m1_yearly, load_series
from ._speech import load_asterisk_prompts, load_japanese_vowels, load_spoken_digits
from ._turkish import load_turkish_ud
from ._wikitext import load_wikitext2

__all__ = [
    "DataFileError",
    "load_asterisk_prompts",
    "load_conll2003",
    "load_de_en",
    "load_forecasting_collection",
    "load_imdb",
    "load_japanese_vowels",
    "load_m1_yearly",
    "load_ptb",
    "load_rotten_tomatoes",
    "load_series",
    "load_spoken_digits",
    "load_turkish_ud",
    "load_wikitext2",
    "read_pairs",
    "read_series",
    "read_tagged",
]
