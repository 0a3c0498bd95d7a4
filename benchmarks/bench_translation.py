"""German -> English translation on the Ding dictionary's sentence pairs.

Quality: hold out 1,000 pairs (seed 0), train on the rest (early stopping on 5 % of
them), report corpus BLEU and chrF (sacrebleu) for textflow's default model, the same
model without attention, and two baselines in the same run: copying the source, and
word-by-word translation with the dictionary's single-word entries (unknown words
copied). Targets: default >= dictionary + 10 BLEU, attention >= no attention + 3 BLEU,
training <= 30 minutes on 2 cores. Speed: decoding sentences/s, greedy and beam.
"""

import argparse
import time

import numpy as np

from textflow.datasets import load_de_en
from textflow.metrics import corpus_bleu, corpus_chrf
from textflow.models import Seq2SeqTranslator
from textflow.models._translator import detokenize
from textflow.text import Tokenizer

try:
    from ._common import RESULTS, parse_params, save, time_budget
except ImportError:
    from _common import RESULTS, parse_params, save, time_budget


def held_out_split(german, english, n_test=1000, seed=0):
    order = np.random.default_rng(seed).permutation(len(german))
    test, train = order[:n_test], order[n_test:]
    pick = lambda texts, rows: [texts[i] for i in rows]  # noqa: E731
    return pick(german, train), pick(english, train), pick(german, test), pick(english, test)


def word_by_word(sources, dictionary):
    tokens = Tokenizer(punctuation=True).fit_transform(sources).tolist()
    lookup = lambda w: dictionary.get(w) or dictionary.get(w.lower()) or w  # noqa: E731
    return [detokenize(lookup(w) for w in sentence) for sentence in tokens]


def quality(references, hypotheses):
    return {
        "bleu": corpus_bleu(references, hypotheses),
        "chrf": corpus_chrf(references, hypotheses),
    }


def measure(name, translator, X_test, y_test, fit_seconds, beam_width):
    result = {"fit_minutes": fit_seconds / 60, "epochs_run": translator.n_iter_}
    for label, width in (("greedy", 1), (f"beam{beam_width}", beam_width)):
        translator.set_params(beam_width=width)
        start = time.perf_counter()
        hypotheses = translator.predict(X_test)
        seconds = time.perf_counter() - start
        result[label] = {
            **quality(y_test, hypotheses),
            "sentences_per_second": len(X_test) / seconds,
        }
    translator.set_params(beam_width=1)
    print(name, result)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cell", default="gru")
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=14.0, help="training budget per model")
    parser.add_argument("--beam-width", type=int, default=5)
    parser.add_argument("--attention", nargs="+", default=["dot", "none"])
    parser.add_argument("--phrases", type=int, default=0,
                        help="also train on this many of the dictionary's word and phrase "
                        "entries (a random sample, seed 0)")  # fmt: skip
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="a Seq2SeqTranslator setting (a tuned configuration, reported "
                        "apart from the defaults), e.g. --param batch_size=32")  # fmt: skip
    parser.add_argument("--n-train", type=int, default=None,
                        help="train on the first N training pairs only (a learning curve; "
                        "the 1,000 test pairs stay the same)")  # fmt: skip
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    german, english = load_de_en(return_X_y=True)
    X, y, X_test, y_test = held_out_split(german, english)
    X, y = X[: args.n_train], y[: args.n_train]  # the split's order is already random
    results = {
        "n_train": len(X),
        "n_test": len(X_test),
        "copy": quality(y_test, X_test),
        "dictionary": quality(y_test, word_by_word(X_test, load_de_en("words"))),
    }
    print("baselines", results["copy"], results["dictionary"])
    validation = None
    if args.phrases:  # early stopping on held-out sentences, not on the phrase mix
        X, y, X_val, y_val = held_out_split(X, y, n_test=len(X) // 20, seed=1)
        validation = (X_val, y_val)
        german_phrases, english_phrases = load_de_en("phrases", return_X_y=True)
        rows = np.random.default_rng(0).permutation(len(german_phrases))[: args.phrases]
        X = X + [german_phrases[i] for i in rows]
        y = y + [english_phrases[i] for i in rows]
        results["n_train"], results["n_phrases"] = len(X), args.phrases
    for attention in args.attention:
        config = {
            "cell": args.cell,
            "units": args.units,
            "epochs": args.epochs,
            "attention": None if attention == "none" else attention,
            "random_state": 0,
        }
        config.update(parse_params(args.param))
        translator = Seq2SeqTranslator(**config, verbose=2,
                                       fit__callbacks=[time_budget(args.minutes)])  # fmt: skip
        start = time.perf_counter()
        translator.fit(X, y, validation_data=validation)
        name = f"attention_{attention}"
        results[name] = measure(name, translator, X_test, y_test,
                                time.perf_counter() - start, args.beam_width)  # fmt: skip
        results[name].update(
            config=config,
            val_loss=translator.history_.get("val_loss"),
            val_bleu=translator.history_.get("val_bleu"),
        )
        translator.set_params(fit__callbacks=[])
        import textflow

        textflow.save(translator, RESULTS / f"de_en_{name}{args.tag}.joblib")
    if "attention_dot" in results and "attention_none" in results:
        results["attention_gain_bleu"] = (
            results["attention_dot"]["greedy"]["bleu"]
            - results["attention_none"]["greedy"]["bleu"]
        )
    if "attention_dot" in results:
        results["gain_over_dictionary_bleu"] = (results["attention_dot"]["greedy"]["bleu"]
                                                - results["dictionary"]["bleu"])  # fmt: skip
    save(f"translation{args.tag}", results)


if __name__ == "__main__":
    main()
