"""Word2Vec / FastText document vectors on the IMDB 25k reviews.

(a) textflow transform of fitted Word2Vec mean vectors vs (b) the naive per-document
np.mean([kv[w] for w in doc if w in kv]): target (a) >= 20 x faster.
(c) Word2VecVectorizer.fit vs raw gensim.models.Word2Vec on the same token lists: <= 1.05 x.
Quality: neighbours of "terrible", analogy accuracy (questions-words.txt) and WordSim353
correlation from gensim's test data; document vectors + LogisticRegression on a stratified
80/20 split (random_state 0) for several settings.
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from textflow import TextCleaner, Tokenizer
from textflow.datasets import load_imdb
from textflow.embeddings import FastTextVectorizer, Word2VecVectorizer

try:
    from ._common import save, timed
except ImportError:
    from _common import save, timed

SETTINGS = {
    "naive: CBOW mean, 100d, 5 epochs": (
        Word2VecVectorizer,
        {"sg": 0, "epochs": 5, "aggregation": "mean"},
    ),
    "textflow defaults: skip-gram tfidf, 100d, 10 epochs": (Word2VecVectorizer, {}),
}
FASTTEXT = {"FastText defaults: skip-gram tfidf, 100d, 10 epochs": (FastTextVectorizer, {})}
FIT_COMPARISON = {"vector_size": 100, "sg": 1, "epochs": 5, "min_count": 5}


def naive_mean(kv, docs):
    rows = []
    for doc in docs:
        found = [kv[w] for w in doc if w in kv]
        rows.append(np.mean(found, axis=0) if found else np.zeros(kv.vector_size))
    return np.asarray(rows, dtype=np.float32)


def word_quality(kv):
    from gensim.test.utils import datapath

    analogies = kv.evaluate_word_analogies(datapath("questions-words.txt"))[0]
    _pearson, spearman, oov = kv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    return {"analogy_accuracy": float(analogies), "wordsim353_spearman": float(spearman[0]),
            "wordsim353_oov_percent": float(oov)}  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--fasttext", action="store_true", help="add FastText to the table")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    from gensim.models import Word2Vec

    texts, labels = load_imdb(return_X_y=True, shuffle=False)
    tokenize = make_pipeline(TextCleaner(), Tokenizer(lowercase=True))
    corpus = tokenize.fit_transform(texts)
    docs = corpus.tolist()
    results = {}

    raw, _, _ = timed(lambda: Word2Vec(docs, workers=args.workers, seed=0, **FIT_COMPARISON), 1)
    ours, _, vec = timed(
        lambda: Word2VecVectorizer(workers=args.workers, random_state=0, **FIT_COMPARISON).fit(
            docs
        ),
        1,
    )
    vec.set_params(aggregation="mean")  # compare like with like: the naive loop is a mean
    fast, _, out = timed(lambda: vec.transform(corpus), 3)
    slow, _, expected = timed(lambda: naive_mean(vec.wv_, docs), 1)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    results.update({
        "fit_raw_gensim_s": raw, "fit_textflow_s": ours, "fit_ratio": ours / raw,
        "transform_textflow_s": fast, "transform_naive_s": slow, "transform_speedup": slow / fast,
        "neighbours_of_terrible": [w for w, _ in vec.wv_.most_similar("terrible", topn=10)],
        **word_quality(vec.wv_),
    })  # fmt: skip
    print(
        f"(c) fit: raw gensim {raw:.1f} s, textflow {ours:.1f} s = {ours / raw:.3f} x "
        f"(target <= 1.05)"
    )
    print(
        f"(a) transform {fast:.2f} s vs (b) naive {slow:.2f} s: {slow / fast:.0f} x faster "
        f"(target >= 20)"
    )
    print("neighbours of 'terrible':", results["neighbours_of_terrible"])
    print(
        f"analogy accuracy {results['analogy_accuracy']:.3f}, WordSim353 Spearman "
        f"{results['wordsim353_spearman']:.3f}"
    )

    if not args.skip_accuracy:
        X_train, X_test, y_train, y_test = train_test_split(
            docs, labels, test_size=0.2, stratify=labels, random_state=0
        )
        results["accuracy"] = {}
        settings = {**SETTINGS, **(FASTTEXT if args.fasttext else {})}
        for name, (cls, params) in settings.items():
            start = time.perf_counter()
            vectorizer = cls(workers=args.workers, random_state=0, **params).fit(X_train)
            fit_s = time.perf_counter() - start
            clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
            clf.fit(vectorizer.transform(X_train), y_train)
            accuracy = float(clf.score(vectorizer.transform(X_test), y_test))
            results["accuracy"][name] = {"accuracy": accuracy, "fit_s": fit_s}
            print(f"{name:42s} accuracy {accuracy:.4f}  (vectors fit {fit_s:.0f} s)", flush=True)
    save("embeddings", results)
    return results


if __name__ == "__main__":
    main()
