"""TF-IDF baselines on IMDB: Naive Bayes, linear SVM and NBSVM behind textflow's preprocessing.

Run: python examples/tfidf_baselines.py [--n-docs N]
"""

import argparse
import time

from sklearn.model_selection import train_test_split

from textflow.datasets import load_imdb
from textflow.models import make_nbsvm_pipeline, make_tfidf_nb_pipeline, make_tfidf_svm_pipeline


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-docs", type=int, default=25_000)
    args = parser.parse_args(argv)
    X, y = load_imdb(return_X_y=True)
    if args.n_docs < len(X):
        X, _, y, _ = train_test_split(X, y, train_size=args.n_docs, stratify=y, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    print(f"{len(X_train):,} reviews to train, {len(X_test):,} to test")
    for name, pipeline in [
        ("TF-IDF + multinomial NB", make_tfidf_nb_pipeline()),
        ("TF-IDF + linear SVM", make_tfidf_svm_pipeline()),
        ("NBSVM (NB-weighted bigrams + SVM)", make_nbsvm_pipeline()),
    ]:
        start = time.perf_counter()
        pipeline.fit(X_train, y_train)
        accuracy = pipeline.score(X_test, y_test)
        print(f"{name:36s} accuracy {accuracy:.4f}  ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
