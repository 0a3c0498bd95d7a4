"""RNNLanguageModel on a collection of corpora: perplexity against the n-gram anchors,
training time, latency, overhead.

Corpora (``--corpus``): ``ptb`` (Penn Treebank, Mikolov's 10k version), ``wikitext2``
(33k vocabulary), ``rt`` (the 8,530 Rotten Tomatoes sentences, lower-cased and tokenized,
words seen once read as <unk>; 80/10/10 split), ``synthetic`` (one deterministic sentence
repeated: the issue's 7-token case). Every corpus reports, measured in the same run, a
unigram model, interpolated modified Kneser-Ney 3- and 5-grams (``NGramLanguageModel``)
and the RNN (its defaults, or ``--preset`` for the Penn Treebank recipe), on the valid
and test splits. Targets: the defaults beat the smoothed n-grams on every corpus and learn
the synthetic one to perplexity <= 1.5; PTB (recipe) <= 85 within 90 minutes on 2 cores
(anchors: KN-5 141, Zaremba et al.'s small 2x200 LSTM 114, Inan et al. 2016 85.1).
Latency: median predict_next per call (target <= 20 ms) and generate 100 words (<= 1 s).
Overhead (--overhead): one epoch of RNNLanguageModel.fit against model.fit of the same
Keras model on the same windows, same run (target <= 1.05x).
"""

import argparse
import statistics
import time

import numpy as np

from textflow.datasets import load_ptb, load_rotten_tomatoes, load_wikitext2
from textflow.models import NGramLanguageModel, RNNLanguageModel

try:
    from ._common import RESULTS, parse_params, save, time_budget, timed
except ImportError:
    from _common import RESULTS, parse_params, save, time_budget, timed


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
    from textflow._keras._backend import import_keras
    from textflow.models._language_model import build_language_model

    keras = import_keras()
    train = ptb.train[:8000]
    lm = RNNLanguageModel(**{**config, "epochs": 1, "early_stopping": False, "lr_decay": 1.0})
    vocabulary = lm._learn_vocabulary(lm._tokens(train))
    stream = lm._stream(lm._tokens(train), {t: i for i, t in enumerate(vocabulary)})
    bptt, batch = lm._layout(len(stream) - 1)
    x, y, w = lm._windows(stream, bptt, batch)

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
            batch_size=batch,
            bptt=bptt,
        )
        model.compile(
            optimizer=keras.optimizers.Adam(lm.learning_rate, clipnorm=lm.clipnorm),
            loss=keras.losses.SparseCategoricalCrossentropy(
                from_logits=True, reduction="mean_with_sample_weight"
            ),
        )
        model.fit(x, y, sample_weight=w, batch_size=batch, shuffle=False, epochs=1,
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


def load_corpus(name):
    """``(train, valid, test, settings)``: token lists, and vocabulary settings shared by
    every model of the corpus."""
    if name == "ptb":
        data = load_ptb()
        return data.train, data.valid, data.test, {}
    if name == "wikitext2":
        data = load_wikitext2()
        return data.train, data.valid, data.test, {}
    if name == "rt":
        from textflow import Tokenizer

        texts, _ = load_rotten_tomatoes(return_X_y=True, random_state=0)
        tokens = Tokenizer(lowercase=True, punctuation=True).fit_transform(texts).tolist()
        a, b = int(0.8 * len(tokens)), int(0.9 * len(tokens))
        return tokens[:a], tokens[a:b], tokens[b:], {"min_count": 2}
    if name == "synthetic":
        sentence = " ".join(["alpha beta gamma delta epsilon"] * 6).split()
        return [sentence] * 40, [sentence] * 4, [sentence] * 4, {}
    raise ValueError(f"unknown corpus {name!r}")


def anchors(train, valid, test, settings):
    rows = {}
    for order in (1, 3, 5):
        start = time.perf_counter()
        lm = NGramLanguageModel(order=order, **settings).fit(train)
        rows[f"kn{order}" if order > 1 else "unigram"] = {
            "valid": lm.perplexity(valid), "test": lm.perplexity(test),
            "seconds": time.perf_counter() - start}  # fmt: skip
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default="ptb", choices=["ptb", "wikitext2", "rt", "synthetic"])
    parser.add_argument(
        "--preset",
        action="store_true",
        help="the Penn Treebank recipe (make_preset_pipeline('lm')) instead "
        "of RNNLanguageModel's defaults; --param still applies",
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an RNNLanguageModel setting, e.g. --param dropout=0.3",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--minutes",
        type=float,
        default=None,
        help="end training after the first epoch past this budget",
    )
    parser.add_argument("--overhead", action="store_true", help="only the overhead rounds")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    train, valid, test, settings = load_corpus(args.corpus)
    params = {**settings, "random_state": args.seed, **parse_params(args.param)}
    if args.preset:
        from textflow.models import make_preset_pipeline

        lm = make_preset_pipeline("lm")[-1].set_params(**params)
    else:
        lm = RNNLanguageModel(**params)
    if args.overhead:
        result = overhead(load_ptb(), lm.get_params(), args.repeat)
        print(result)
        save("language_model_overhead" + args.tag, {"config": lm.get_params(), **result})
        return
    rows = anchors(train, valid, test, settings)
    for name, row in rows.items():
        print(f"{args.corpus} {name:8s} valid {row['valid']:9.2f}  test {row['test']:9.2f}",
              flush=True)  # fmt: skip
    callbacks = [time_budget(args.minutes)] if args.minutes else []
    lm.set_params(verbose=2, fit__callbacks=callbacks)
    start = time.perf_counter()
    lm.fit(train, validation_data=valid)
    train_s = time.perf_counter() - start
    lm.set_params(fit__callbacks=[])  # the time budget is no part of the model
    config = {k: v for k, v in lm.get_params().items() if not k.startswith("fit__")}
    rows["rnn"] = {"valid": lm.perplexity(valid), "test": lm.perplexity(test),
                   "seconds": train_s, "epochs_run": lm.n_iter_, "bptt": lm.bptt_,
                   "batch_size": lm.batch_size_, "learning_rate_used": lm.learning_rate_,
                   "val_perplexity_per_epoch": lm.history_.get("val_perplexity")}  # fmt: skip
    print(
        f"{args.corpus} rnn      valid {rows['rnn']['valid']:9.2f}  test "
        f"{rows['rnn']['test']:9.2f}  ({train_s / 60:.1f} min, {lm.n_iter_} epochs)"
    )
    best_ngram = min(rows[k]["test"] for k in ("kn3", "kn5"))
    result = {"corpus": args.corpus, "config": {k: repr(v) for k, v in config.items()},
              "models": rows, "beats_ngram": rows["rnn"]["test"] < best_ngram}  # fmt: skip
    if not args.no_latency and args.corpus == "ptb":
        result.update(latency(lm, [s[:20] for s in test[:200]]))
    save(f"language_model_{args.corpus}{args.tag}", result)
    import textflow

    textflow.save(lm, RESULTS / f"lm_{args.corpus}{args.tag}.joblib")


if __name__ == "__main__":
    main()
