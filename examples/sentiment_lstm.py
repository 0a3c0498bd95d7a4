"""The classic Keras sentiment tutorial, done right, as a scikit-learn Pipeline.

The tutorial version fits a Keras Tokenizer, pad_sequences and an Embedding + LSTM on four
sentences, then calls model.predict(sample_seq, max_len=5) — an argument predict does not
have. Here the same idea runs on real IMDB reviews: every step is a scikit-learn estimator,
the vocabulary is learned on the training split only, and the fitted pipeline is saved and
reloaded like any other.

Run: python examples/sentiment_lstm.py [--n-docs N] [--epochs E]
"""

import argparse
import tempfile
import time
from pathlib import Path

import joblib
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from textflow import (
    RNNClassifier,
    SequencePadder,
    TextCleaner,
    TextsToSequences,
    Tokenizer,
)
from textflow.datasets import load_imdb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-docs", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--maxlen", type=int, default=200)
    args = parser.parse_args(argv)

    X, y = load_imdb(return_X_y=True)
    X, _, y, _ = train_test_split(X, y, train_size=args.n_docs, stratify=y, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    pipeline = Pipeline(
        [
            ("clean", TextCleaner()),
            ("tok", Tokenizer(lowercase=True)),
            ("seq", TextsToSequences(num_words=20000)),
            ("pad", SequencePadder(maxlen=args.maxlen)),
            ("clf", RNNClassifier(cell="lstm", units=64, epochs=args.epochs, random_state=0)),
        ]
    )
    start = time.perf_counter()
    pipeline.fit(X_train, y_train)
    print(f"trained on {len(X_train)} reviews in {time.perf_counter() - start:.0f} s")
    proba = pipeline.predict_proba(X_test)[:, 1]
    print(
        f"accuracy {accuracy_score(y_test, proba > 0.5):.3f}, "
        f"ROC AUC {roc_auc_score(y_test, proba):.3f}"
    )

    path = Path(tempfile.mkdtemp()) / "sentiment_lstm.joblib"
    joblib.dump(pipeline, path)
    reloaded = joblib.load(path)
    samples = ["An absolute delight, I loved every minute.", "Dull, predictable and far too long."]
    for text, p in zip(samples, reloaded.predict_proba(samples)[:, 1]):
        print(f"{p:.2f} positive  <- {text}")
    return pipeline


if __name__ == "__main__":
    main()
