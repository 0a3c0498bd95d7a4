"""German -> English translation with an encoder-decoder RNN and attention.

Trains Seq2SeqTranslator on the example sentences of the Ding German-English
dictionary (Debian's trans-de-en), holds out 1,000 pairs, and compares its BLEU and
chrF with two baselines: copying the source, and word-by-word translation with the
dictionary's single-word entries. Prints held-out translations (greedy and beam
search) and draws the attention of a few of them.

The dictionary data is GPL-2.0-or-later. Install it with: sudo apt-get install trans-de-en

Run: python examples/translation_de_en.py [--n-pairs N] [--epochs E] [--units U]
"""

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from textflow import Tokenizer
from textflow.datasets import load_de_en
from textflow.metrics import corpus_bleu, corpus_chrf
from textflow.models import Seq2SeqTranslator
from textflow.models._translator import detokenize


def word_by_word(sources, dictionary):
    """Each source word replaced by its dictionary translation (kept when unknown)."""
    tokens = Tokenizer(punctuation=True).fit_transform(sources).tolist()
    lookup = lambda w: dictionary.get(w) or dictionary.get(w.lower()) or w  # noqa: E731
    return [detokenize(lookup(w) for w in sentence) for sentence in tokens]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-pairs", type=int, default=None, help="a slice of the pairs")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--output-dir", default=None, help="where the plots go")
    args = parser.parse_args(argv)

    german, english = load_de_en(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(german))
    if args.n_pairs:
        order = order[: args.n_pairs]
    n_test = min(1000, len(order) // 10)
    test, train = order[:n_test], order[n_test:]
    X, y = [german[i] for i in train], [english[i] for i in train]
    X_test, y_test = [german[i] for i in test], [english[i] for i in test]

    def report(name, hypotheses):
        print(f"{name:<22} BLEU {corpus_bleu(y_test, hypotheses):5.2f}   "
              f"chrF {corpus_chrf(y_test, hypotheses):5.2f}")  # fmt: skip

    report("copy the source", X_test)
    report("word by word", word_by_word(X_test, load_de_en("words")))

    start = time.perf_counter()
    translator = Seq2SeqTranslator(units=args.units, epochs=args.epochs, random_state=0)
    translator.fit(X, y)
    print(f"trained {translator.n_iter_} epochs in {time.perf_counter() - start:.0f} s")
    greedy = translator.predict(X_test)
    report("Seq2SeqTranslator", greedy)
    beam = translator.set_params(beam_width=5).predict(X_test)
    report("... beam search (5)", beam)
    for source, reference, hypothesis in list(zip(X_test, y_test, beam))[:8]:
        print(f"\n  {source}\n  -> {hypothesis}\n  (reference: {reference})")

    try:
        import matplotlib

        matplotlib.use("Agg")
        from textflow.plot import plot_attention
    except ImportError:
        return
    folder = Path(args.output_dir or tempfile.mkdtemp())
    short = sorted(X_test, key=len)[:3]
    for k, (source, target, weights) in enumerate(translator.attention_weights(short)):
        if weights is None or not len(target):
            continue
        ax = plot_attention(source, target, weights)
        ax.figure.savefig(folder / f"attention_{k}.png", dpi=100, bbox_inches="tight")
    print(f"\nplots written to {folder}")


if __name__ == "__main__":
    main()
