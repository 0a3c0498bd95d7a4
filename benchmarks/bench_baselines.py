"""Accuracy and speed of the TF-IDF baselines on IMDB (80/20) and Rotten Tomatoes (10-fold).

Anchors measured in the same run: plain sklearn TfidfVectorizer((1, 2)) + LinearSVC and
CountVectorizer((1, 2)) + MultinomialNB on the raw text.
Targets: SVM pipeline >= 0.905, NBSVM >= 0.910, NB >= 0.88 on IMDB; NBSVM >= 0.79 on RT.
"""

import argparse
import time

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from textflow.datasets import load_imdb, load_rotten_tomatoes
from textflow.models import make_nbsvm_pipeline, make_tfidf_nb_pipeline, make_tfidf_svm_pipeline

try:
    from ._common import save
except ImportError:
    from _common import save


def evaluate(name, pipeline, split):
    X_train, X_test, y_train, y_test = split
    start = time.perf_counter()
    pipeline.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    accuracy = float((pipeline.predict(X_test) == y_test).mean())
    predict_s = time.perf_counter() - start
    print(
        f"{name:44s} acc {accuracy:.4f}  fit {fit_s:6.1f} s  predict {predict_s:5.1f} s",
        flush=True,
    )
    return {"accuracy": accuracy, "fit_s": fit_s, "predict_s": predict_s}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-ablation", action="store_true")
    args = parser.parse_args(argv)
    X, y = load_imdb(return_X_y=True, shuffle=False)
    split = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    results = {"imdb": {}, "ablation_svm": {}, "ablation_nbsvm": {}}
    runs = {
        "anchor: sklearn tfidf(1,2) + LinearSVC": make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2)), LinearSVC()
        ),
        "anchor: sklearn count(1,2) + MultinomialNB": make_pipeline(
            CountVectorizer(ngram_range=(1, 2)), MultinomialNB()
        ),
        "textflow make_tfidf_svm_pipeline()": make_tfidf_svm_pipeline(),
        "textflow make_nbsvm_pipeline()": make_nbsvm_pipeline(),
        "textflow make_tfidf_nb_pipeline()": make_tfidf_nb_pipeline(),
    }
    for name, pipeline in runs.items():
        results["imdb"][name] = evaluate(name, pipeline, split)

    if not args.skip_ablation:
        variants = {
            "default (clean, lowercase)": {},
            "+ stop words (NLTK, negations kept)": {"stopwords": "english"},
            "+ stop words (NLTK, negations dropped)": {
                "stopwords": "english",
                "keep_negations": False,
            },
            "+ Porter stemming": {"stem": "porter"},
            "+ lemmatising": {"lemmatize": True},
            "+ stop words + stemming": {"stopwords": "english", "stem": "porter"},
        }
        for label, options in variants.items():
            for key, factory in (
                ("ablation_svm", make_tfidf_svm_pipeline),
                ("ablation_nbsvm", make_nbsvm_pipeline),
            ):
                pipeline = factory(**options)
                results[key][label] = evaluate(
                    f"{factory.__name__[5:-9]}: {label}", pipeline, split
                )

    X_rt, y_rt = load_rotten_tomatoes(return_X_y=True, shuffle=False)
    cv = StratifiedKFold(10, shuffle=True, random_state=0)
    start = time.perf_counter()
    scores = cross_val_score(make_nbsvm_pipeline(), X_rt, y_rt, cv=cv)
    results["rotten_tomatoes_nbsvm_10fold"] = {
        "mean": float(scores.mean()),
        "std": float(scores.std()),
        "seconds": time.perf_counter() - start,
    }
    print(f"Rotten Tomatoes NBSVM 10-fold CV: {scores.mean():.4f} +- {scores.std():.4f}")
    save("baselines", results)
    return results


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
