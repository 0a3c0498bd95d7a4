"""RNNLanguageModel on the Penn Treebank: perplexity, training time, latency, overhead.

Quality: train on PTB train, early stopping on valid, report valid and test perplexity
(target <= 120 trained within 90 minutes on 2 cores; anchors: Kneser-Ney 5-gram 141,
Mikolov's RNN-LM 124, Zaremba et al.'s small 2x200 LSTM 114).
Latency: median predict_next per call (target <= 20 ms) and generate 100 words (<= 1 s).
Overhead (--overhead): one epoch of RNNLanguageModel.fit against model.fit of the same
Keras model on the same windows, same run (target <= 1.05x).
"""

import argparse
import statistics
import time

import numpy as np

from textflow.datasets import load_ptb
from textflow.models import RNNLanguageModel

try:
    from ._common import RESULTS, save, time_budget, timed
except ImportError:
    from _common import RESULTS, save, time_budget, timed


def latency(lm, contexts, repeat=200):
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        lm.predict_next(contexts[i % len(contexts)], k=5)
        times.append(time.perf_counter() - start)
    generate_s, _, sample = timed(lambda: lm.generate("the company", 100, random_state=0), 5)
    return {"predict_next_median_ms": 1000 * statistics.median(times),
            "predict_next_p95_ms": 1000 * float(np.percentile(times, 95)),
            "generate_100_words_s": generate_s, "sample": sample}  # fmt: skip


def overhead(ptb, config, repeat):
    from textflow.models._keras_backend import import_keras
    from textflow.models._language_model import build_language_model

    keras = import_keras()
    train = ptb.train[:8000]
    lm = RNNLanguageModel(**{**config, "epochs": 1, "early_stopping": False, "lr_decay": 1.0})
    vocabulary = lm._learn_vocabulary(lm._tokens(train))
    stream = lm._stream(lm._tokens(train), {t: i for i, t in enumerate(vocabulary)})
    x, y, w = lm._windows(stream)

    def raw_fit():
        keras.utils.set_random_seed(0)
        model = build_language_model(
            vocab_size=len(vocabulary),
            cell=lm.cell,
            units=lm.units,
            num_layers=lm.num_layers,
            embedding_dim=lm.embedding_dim or lm.units,
            dropout=lm.dropout,
            tie_weights=lm.tie_weights,
            batch_size=lm.batch_size,
            bptt=lm.bptt,
        )
        model.compile(
            optimizer=keras.optimizers.Adam(lm.learning_rate, clipnorm=lm.clipnorm),
            loss=keras.losses.SparseCategoricalCrossentropy(
                from_logits=True, reduction="mean_with_sample_weight"
            ),
        )
        model.fit(x, y, sample_weight=w, batch_size=lm.batch_size, shuffle=False, epochs=1,
                  verbose=0)  # fmt: skip

    def ours_fit():
        lm.set_params(random_state=0).fit(train)

    raw_fit(), ours_fit()  # warm up the compilation caches
    ratios, raw_times, our_times = [], [], []
    for _ in range(repeat):  # paired rounds
        raw_s, _, _ = timed(raw_fit, 1)
        ours_s, _, _ = timed(ours_fit, 1)
        raw_times.append(raw_s)
        our_times.append(ours_s)
        ratios.append(ours_s / raw_s)
    return {"fit_raw_s": raw_times, "fit_ours_s": our_times,
            "fit_ratio_median": statistics.median(ratios), "tokens": len(stream)}  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cell", default="lstm", choices=["rnn", "lstm", "gru"])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--tie", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--bptt", type=int, default=35)
    parser.add_argument("--optimizer", default="sgd")
    parser.add_argument("--learning-rate", type=float, default=20.0)
    parser.add_argument("--minutes", type=float, default=85.0, help="training time budget")
    parser.add_argument("--overhead", action="store_true", help="only the overhead rounds")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    ptb = load_ptb()
    config = {"cell": args.cell, "units": args.units, "num_layers": args.layers,
              "dropout": args.dropout, "tie_weights": args.tie, "batch_size": args.batch_size,
              "bptt": args.bptt, "optimizer": args.optimizer,
              "learning_rate": args.learning_rate, "epochs": args.epochs,
              "random_state": 0}  # fmt: skip
    if args.overhead:
        result = overhead(ptb, config, args.repeat)
        print(result)
        save("language_model_overhead" + args.tag, {"config": config, **result})
        return
    lm = RNNLanguageModel(**config, verbose=2, fit__callbacks=[time_budget(args.minutes)])
    start = time.perf_counter()
    lm.fit(ptb.train, validation_data=ptb.valid)
    train_s = time.perf_counter() - start
    result = {
        "config": config, "train_minutes": train_s / 60, "epochs_run": lm.n_iter_,
        "val_perplexity_per_epoch": lm.history_.get("val_perplexity"),
        "valid_perplexity": lm.perplexity(ptb.valid), "test_perplexity": lm.perplexity(ptb.test),
        **latency(lm, [s[:20] for s in ptb.test[:200]]),
    }  # fmt: skip
    for key, value in result.items():
        print(f"{key}: {value}")
    save(f"language_model_{args.cell}{args.tag}", result)
    import textflow

    lm.set_params(fit__callbacks=[])  # the time budget is no part of the model
    textflow.save(lm, RESULTS / f"ptb_{args.cell}{args.tag}.joblib")


if __name__ == "__main__":
    main()
