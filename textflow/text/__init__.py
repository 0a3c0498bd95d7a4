"""Text and token preprocessing steps: cleaning, tokenizing, normalising, stemming, and
subword pieces (byte-pair encoding)."""

from ._bpe import BytePairEncoding
from ._cleaning import (
    AccentStripper,
    ContractionExpander,
    EmailRemover,
    EmojiRemover,
    HashtagRemover,
    HTMLStripper,
    MentionRemover,
    TextCleaner,
    URLRemover,
    WhitespaceNormalizer,
)
from ._normalize import Lowercaser, NumberRemover, PunctuationStripper
from ._stem import Lemmatizer, Stemmer
from ._stopwords import NEGATIONS, StopwordRemover, load_stopwords
from ._tokenize import Tokenizer
from ._wordnet import install_wordnet

__all__ = [
    "NEGATIONS",
    "AccentStripper",
    "BytePairEncoding",
    "ContractionExpander",
    "EmailRemover",
    "EmojiRemover",
    "HTMLStripper",
    "HashtagRemover",
    "Lemmatizer",
    "Lowercaser",
    "MentionRemover",
    "NumberRemover",
    "PunctuationStripper",
    "Stemmer",
    "StopwordRemover",
    "TextCleaner",
    "Tokenizer",
    "URLRemover",
    "WhitespaceNormalizer",
    "install_wordnet",
    "load_stopwords",
]
