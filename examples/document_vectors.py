"""Document vectors for a linear classifier: Word2Vec and FastText trained on the reviews,
and pretrained GloVe 6B 50-d vectors (shipped as a package, nothing downloaded).

Run: python examples/document_vectors.py [--n-docs N] [--epochs E]
"""

import argparse
import time

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from textflow import FastTextVectorizer, TextCleaner, Tokenizer, Word2VecVectorizer
from textflow.datasets import load_imdb


def glove_vectors():
    try:
        from textflow.embeddings import load_glove_6b_50d

        return load_glove_6b_50d(max_words=100_000)
    except ImportError as error:
        print(f"GloVe skipped: {error}")
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-docs", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args(argv)
    X, y = load_imdb(return_X_y=True)
    X, _, y, _ = train_test_split(X, y, train_size=args.n_docs, stratify=y, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    vectorizers = {
        "Word2Vec (skip-gram, TF-IDF weighted)": Word2VecVectorizer(
            epochs=args.epochs, random_state=0
        ),
        "FastText (subwords cover unseen words)": FastTextVectorizer(
            epochs=args.epochs, random_state=0
        ),
    }
    glove = glove_vectors()
    if glove is not None:
        vectorizers["GloVe 6B 50-d, pretrained (mean)"] = Word2VecVectorizer(
            vectors=glove, aggregation="mean"
        )
    for name, vectorizer in vectorizers.items():
        pipeline = Pipeline(
            [
                ("clean", TextCleaner()),
                ("tok", Tokenizer(lowercase=True)),
                ("vec", vectorizer),
                ("clf", LogisticRegression(max_iter=1000)),
            ]
        )
        start = time.perf_counter()
        pipeline.fit(X_train, y_train)
        accuracy = pipeline.score(X_test, y_test)
        print(f"{name:40s} accuracy {accuracy:.4f}  ({time.perf_counter() - start:.0f} s)")
        wv = pipeline.named_steps["vec"].wv_
        if "terrible" in wv:
            neighbours = [word for word, _ in wv.most_similar("terrible", topn=3)]
            print(f"{'':40s} nearest to 'terrible': {', '.join(neighbours)}")


if __name__ == "__main__":
    main()
