"""Sequence tagging on a collection of corpora: RNNTagger against its baselines, same run.

Corpora (``--corpus``): ``conll-ner`` and ``conll-pos`` (CoNLL-2003 English, 14k training
sentences; entity F1 with seqeval's default, conlleval-compatible mode, IOB2), and the
Turkish UD treebanks ``turkish-web`` (forum and blog posts, 2k sentences) and
``turkish-wiki`` (Wikipedia, 1.8k), universal parts of speech, token accuracy. Each corpus:
train on train, early stopping on valid, score on test, for the most frequent tag of each
word, the feature CRF (sklearn-crfsuite) and RNNTagger (its defaults, or ``--preset ner``
/ ``pos``: the shipped GloVe vectors), over ``--seeds`` seeds (mean and sd reported).

Targets: the defaults beat the feature CRF on every corpus; CoNLL NER (preset) >= 90.3
entity F1 as the mean of 3 seeds; tagging throughput at least the CRF's, same run.
"""

import argparse
import statistics
import time

from textflow.datasets import load_conll2003, load_turkish_ud
from textflow.metrics import entity_f1, is_entity_scheme, token_accuracy
from textflow.models import RNNTagger, make_crf_tagger, make_preset_pipeline
from textflow.models._tagger import most_frequent_tags

try:
    from ._common import parse_params, save, time_budget
except ImportError:
    from _common import parse_params, save, time_budget


def load(corpus, split):
    if corpus.startswith("conll"):
        return load_conll2003(split, tags=corpus.split("-")[1], return_X_y=True)
    return load_turkish_ud(corpus.split("-")[1], split, return_X_y=True)


def scores(truth, predicted):
    predicted = [list(tags) for tags in predicted]
    out = {"token_accuracy": token_accuracy(truth, predicted)}
    if is_entity_scheme(sorted({t for row in truth for t in row})):
        out["entity_f1"] = entity_f1(truth, predicted)
    return out


def timed_predict(model, X):
    model.predict(X[:500])  # warm: compiled for the bucket shapes
    start = time.perf_counter()
    predicted = model.predict(X)
    return predicted, sum(map(len, X)) / (time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus",
        default="conll-ner",
        choices=["conll-ner", "conll-pos", "turkish-web", "turkish-wiki"],
    )
    parser.add_argument("--preset", choices=["ner", "pos"], help="a preset, not the defaults")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an RNNTagger setting, e.g. --param units=200",
    )
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=None, help="training budget a seed")
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    X, y = load(args.corpus, "train")
    X_val, y_val = load(args.corpus, "valid")
    X_test, y_test = load(args.corpus, "test")
    results = {"corpus": args.corpus, "sentences": [len(X), len(X_val), len(X_test)]}
    results["most_frequent_tag"] = scores(y_test, most_frequent_tags(X, y)(X_test))
    start = time.perf_counter()
    crf = make_crf_tagger().fit(X, y)
    predicted, speed = timed_predict(crf, X_test)
    results["crf"] = {**scores(y_test, predicted), "fit_minutes":
                      (time.perf_counter() - start) / 60, "tokens_per_second": speed}  # fmt: skip
    settings = parse_params(args.param)
    runs = []
    for seed in range(args.seeds):
        if args.preset:
            tagger = make_preset_pipeline(args.preset)[-1].set_params(random_state=seed)
        else:
            tagger = RNNTagger(random_state=seed)
        tagger.set_params(**settings, verbose=2)
        if args.minutes:
            tagger.set_params(fit__callbacks=[time_budget(args.minutes)])
        start = time.perf_counter()
        tagger.fit(X, y, validation_data=(X_val, y_val))
        fit_minutes = (time.perf_counter() - start) / 60
        predicted, speed = timed_predict(tagger, X_test)
        runs.append({**scores(y_test, predicted), "fit_minutes": fit_minutes,
                     "tokens_per_second": speed, "epochs_run": tagger.n_iter_,
                     "val_score": tagger.history_.get("val_score")})  # fmt: skip
        print(f"seed {seed}: {runs[-1]}", flush=True)
    results["rnn_tagger"] = {"runs": runs, "settings": {"preset": args.preset, **settings}}
    for metric in ("entity_f1", "token_accuracy", "tokens_per_second", "fit_minutes"):
        values = [run[metric] for run in runs if metric in run]
        if values:
            results["rnn_tagger"][f"{metric}_mean"] = statistics.mean(values)
            results["rnn_tagger"][f"{metric}_sd"] = (statistics.stdev(values)
                                                     if len(values) > 1 else 0.0)  # fmt: skip
    metric = "entity_f1" if "entity_f1" in results["crf"] else "token_accuracy"
    results["beats_crf"] = results["rnn_tagger"][f"{metric}_mean"] > results["crf"][metric]
    results["speed_ratio_vs_crf"] = (results["rnn_tagger"]["tokens_per_second_mean"]
                                     / results["crf"]["tokens_per_second"])  # fmt: skip
    for name in ("most_frequent_tag", "crf"):
        print(f"{args.corpus} {name:18s} {results[name]}")
    print(
        f"{args.corpus} rnn_tagger         {metric} {results['rnn_tagger'][f'{metric}_mean']:.4f}"
        f" ± {results['rnn_tagger'][f'{metric}_sd']:.4f} over {args.seeds} seed(s)"
    )
    save(f"tagger_{args.corpus}{args.tag}", results)


if __name__ == "__main__":
    main()
