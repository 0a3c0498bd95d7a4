"""Sequence tagging on CoNLL-2003 English: entity F1 (NER) and token accuracy (POS).

Quality: train on train, early stopping on valid, score on test. Entity-level F1 with
seqeval in conlleval mode (the shared task's scoring); target >= 88.0 (stretch 90).
Anchors: Lample et al. 2016 BiLSTM-CRF 90.94; BiLSTM + character features, no CRF ~89;
a feature-based CRF, measured here in the same run (sklearn-crfsuite). POS: >= 95 %.
Speed: training time (target <= 20 minutes on 2 cores) and tagging throughput in
tokens/s against the CRF's, same run.
"""

import argparse
import time

from textflow.datasets import load_conll2003
from textflow.metrics import entity_classification_report, entity_f1, token_accuracy
from textflow.models import RNNTagger, make_crf_tagger

try:
    from ._common import RESULTS, save, time_budget
except ImportError:
    from _common import RESULTS, save, time_budget


def evaluate(name, model, X_test, y_test, tags, fit_seconds):
    model.predict(X_test[:2000])  # warm: compiled for every bucket shape
    start = time.perf_counter()
    predicted = [list(p) for p in model.predict(X_test)]
    seconds = time.perf_counter() - start
    tokens = sum(map(len, X_test))
    result = {"fit_minutes": fit_seconds / 60, "tokens_per_second": tokens / seconds}
    if tags == "ner":
        result["entity_f1"] = entity_f1(y_test, predicted)
        result["report"] = entity_classification_report(y_test, predicted, output_dict=True)
        result["report"] = {k: {m: float(v) for m, v in d.items()}
                            for k, d in result["report"].items()}  # fmt: skip
        print(entity_classification_report(y_test, predicted))
    result["token_accuracy"] = token_accuracy(y_test, predicted)
    print(f"{name}: " + ", ".join(f"{k} {v:.4f}" for k, v in result.items()
                                  if isinstance(v, float)))  # fmt: skip
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tags", default="ner", choices=["ner", "pos", "chunk"])
    parser.add_argument("--cell", default="lstm")
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--embeddings", default="glove-6b-50d")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--singleton-unk", type=float, default=0.0)
    parser.add_argument("--patience", type=int, default=5)
    parser.add_argument("--softmax", action="store_true",
                        help="a softmax per token instead of the CRF output layer")  # fmt: skip
    parser.add_argument("--minutes", type=float, default=18.0, help="training time budget")
    parser.add_argument("--no-crf", action="store_true", help="skip the feature-CRF anchor")
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    X, y = load_conll2003("train", tags=args.tags, return_X_y=True)
    X_val, y_val = load_conll2003("valid", tags=args.tags, return_X_y=True)
    X_test, y_test = load_conll2003("test", tags=args.tags, return_X_y=True)
    results = {}
    if not args.no_crf:
        start = time.perf_counter()
        crf = make_crf_tagger().fit(X, y)
        results["crf"] = evaluate("CRF", crf, X_test, y_test, args.tags,
                                  time.perf_counter() - start)  # fmt: skip
    config = {"cell": args.cell, "units": args.units, "embeddings": args.embeddings,
              "epochs": args.epochs, "singleton_unk": args.singleton_unk,
              "patience": args.patience, "crf": not args.softmax,
              "random_state": 0}  # fmt: skip
    tagger = RNNTagger(**config, verbose=2, fit__callbacks=[time_budget(args.minutes)])
    start = time.perf_counter()
    tagger.fit(X, y, validation_data=(X_val, y_val))
    results["rnn_tagger"] = evaluate("RNNTagger", tagger, X_test, y_test, args.tags,
                                     time.perf_counter() - start)  # fmt: skip
    results["rnn_tagger"].update(config=config, epochs_run=tagger.n_iter_,
                                 val_loss=tagger.history_.get("val_loss"),
                                 val_score=tagger.history_.get("val_score"))  # fmt: skip
    if "crf" in results:
        results["speed_ratio_vs_crf"] = (results["rnn_tagger"]["tokens_per_second"]
                                         / results["crf"]["tokens_per_second"])  # fmt: skip
    save(f"tagger_{args.tags}{args.tag}", results)
    import textflow

    tagger.set_params(fit__callbacks=[])  # the time budget is no part of the model
    textflow.save(tagger, RESULTS / f"conll_{args.tags}{args.tag}.joblib")


if __name__ == "__main__":
    main()
