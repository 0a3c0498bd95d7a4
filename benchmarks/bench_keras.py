"""RNNClassifier on IMDB: accuracy per cell type, and the wrapper's overhead.

Overhead (same run, same arrays, same architecture and seed): RNNClassifier.fit vs a raw
Keras model.fit, and predict_proba vs model.predict. Targets <= 1.05 x each.
Quality: stratified 80/20 split (random_state 0), 2 CPU cores; target >= 0.89 for the best
of LSTM / GRU within 15 minutes of training.
"""

import argparse
import time

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from textflow import RNNClassifier, SequencePadder, TextCleaner, TextsToSequences, Tokenizer
from textflow.datasets import load_imdb
from textflow.models._rnn import build_rnn

try:
    from ._common import save, timed
except ImportError:
    from _common import save, timed

ARCH = {"cell": "lstm", "units": 64, "num_layers": 1, "bidirectional": False,
        "embedding_dim": 64, "dropout": 0.0, "recurrent_dropout": 0.0, "pooling": "last",
        "dense_units": 0}  # fmt: skip


def overhead(X, y, repeat):
    from textflow._keras._backend import import_keras

    keras = import_keras()
    vocab = int(X.max()) + 1

    def raw_fit():
        keras.utils.set_random_seed(0)
        meta = {"maxlen": X.shape[1], "vocab_size": vocab, "n_classes_": 2}
        model = build_rnn(meta, embedding_matrix=None, trainable_embeddings=True, **ARCH)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
                      metrics=["accuracy"])  # fmt: skip
        model.fit(X, y.astype("float32"), epochs=1, batch_size=64, verbose=0)
        return model

    def ours_fit():
        return RNNClassifier(**ARCH, epochs=1, batch_size=64, random_state=0).fit(X, y)

    raw_fit(), ours_fit()  # warm up: compilation caches
    raw_s, _, model = timed(raw_fit, repeat)
    ours_s, _, clf = timed(ours_fit, repeat)
    raw_pred, _, _ = timed(lambda: model.predict(X, batch_size=256, verbose=0), repeat)
    ours_pred, _, _ = timed(lambda: clf.predict_proba(X), repeat)
    return {"fit_raw_s": raw_s, "fit_ours_s": ours_s, "fit_ratio": ours_s / raw_s,
            "predict_raw_s": raw_pred, "predict_ours_s": ours_pred,
            "predict_ratio": ours_pred / raw_pred}  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--maxlen", type=int, default=200)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--cells", nargs="+", default=["gru", "lstm"])
    parser.add_argument("--bidirectional", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--embeddings", choices=["word2vec", "fasttext"], default=None)
    parser.add_argument("--pooling", choices=["last", "mean", "max"], default="mean")
    parser.add_argument("--truncating", choices=["pre", "post"], default="post")
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--num-words", type=int, default=20000)
    parser.add_argument("--units", type=int, default=64)
    args = parser.parse_args(argv)

    texts, labels = load_imdb(return_X_y=True, shuffle=False)
    X_train, X_test, y_train, y_test = train_test_split(
        texts, labels, test_size=0.2, stratify=labels, random_state=0
    )
    prep = make_pipeline(
        TextCleaner(),
        Tokenizer(lowercase=True),
        TextsToSequences(num_words=args.num_words),
        SequencePadder(maxlen=args.maxlen, truncating=args.truncating),
    )
    ids_train, ids_test = prep.fit_transform(X_train), prep.transform(X_test)
    results = {}
    if not args.skip_overhead:
        results["overhead"] = o = overhead(ids_train[:5000, :100], y_train[:5000], repeat=3)
        print(
            f"fit: raw Keras {o['fit_raw_s']:.1f} s, RNNClassifier {o['fit_ours_s']:.1f} s "
            f"= {o['fit_ratio']:.3f} x (target <= 1.05)"
        )
        print(
            f"predict: raw {o['predict_raw_s']:.2f} s, predict_proba "
            f"{o['predict_ours_s']:.2f} s = {o['predict_ratio']:.3f} x (<= 1.05)"
        )
    if not args.skip_quality:
        results["quality"] = {}
        for cell in args.cells:
            clf = RNNClassifier(cell=cell, units=args.units, embedding_dim=100, epochs=args.epochs,
                                dropout=args.dropout,
                                bidirectional=args.bidirectional, batch_size=64,
                                pooling=args.pooling, embeddings=args.embeddings,
                                random_state=0, verbose=0)  # fmt: skip
            start = time.perf_counter()
            clf.fit(ids_train, y_train)
            fit_s = time.perf_counter() - start
            accuracy = float(accuracy_score(y_test, clf.predict(ids_test)))
            per_epoch = [round(v, 4) for v in clf.history_["accuracy"]]
            results["quality"][cell] = {"accuracy": accuracy, "fit_s": fit_s,
                                        "train_accuracy_per_epoch": per_epoch}  # fmt: skip
            print(f"{cell:5s} bidirectional={args.bidirectional} maxlen={args.maxlen} "
                  f"embeddings={args.embeddings} pooling={args.pooling} "
                  f"truncating={args.truncating} dropout={args.dropout} "
                  f"epochs={args.epochs}: accuracy {accuracy:.4f}, training {fit_s:.0f} s",
                  flush=True)  # fmt: skip
    save("keras" if not args.skip_overhead else "keras_quality", results)
    return results


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
