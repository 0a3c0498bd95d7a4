"""A tour of textflow's preprocessing steps on real IMDB reviews.

Run: python examples/preprocessing_tour.py [--n-docs N]
"""

import argparse
import time

from sklearn.pipeline import Pipeline

from textflow import (
    Lemmatizer,
    Lowercaser,
    PunctuationStripper,
    Stemmer,
    StopwordRemover,
    TextCleaner,
    Tokenizer,
)
from textflow.datasets import load_imdb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-docs", type=int, default=2000)
    args = parser.parse_args(argv)
    reviews = load_imdb().data[: args.n_docs]

    pipeline = Pipeline(
        [
            ("clean", TextCleaner(contractions=True)),
            ("tok", Tokenizer()),
            ("low", Lowercaser()),
            ("punct", PunctuationStripper()),
            ("stop", StopwordRemover()),
        ]
    )
    start = time.perf_counter()
    tokens = pipeline.fit_transform(reviews)
    print(
        f"{len(tokens)} reviews -> {len(tokens.vocabulary):,} distinct tokens "
        f"in {time.perf_counter() - start:.2f} s"
    )
    print("raw:    ", reviews[0][:120], "...")
    print("tokens: ", tokens[0][:15])
    print("stems:  ", Stemmer().fit_transform(tokens[:1])[0][:15])
    print("lemmas: ", Lemmatizer().fit_transform(tokens[:1])[0][:15])
    return tokens


if __name__ == "__main__":
    main()
