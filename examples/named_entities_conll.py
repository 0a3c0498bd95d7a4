"""Named entities on CoNLL-2003: a BiLSTM-CNN tagger against the feature-based CRF.

Trains RNNTagger (GloVe 50-d word vectors, a character CNN, casing, a bidirectional
LSTM) and the classic CRF on CoNLL-2003 English, prints the entity-level F1 of each and
the report per entity type, draws the per-type F1 and the confusion of entity types,
and tags raw sentences through a Pipeline with a tokenizer.

The CoNLL-2003 text is Reuters newswire, for research use only.

Run: python examples/named_entities_conll.py [--n-sentences N] [--epochs E] [--embeddings E]
"""

import argparse
import tempfile
import time
from pathlib import Path

from sklearn.pipeline import Pipeline

from textflow import RNNTagger, Tokenizer
from textflow.datasets import load_conll2003
from textflow.metrics import entity_classification_report, entity_f1
from textflow.models import make_crf_tagger


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-sentences", type=int, default=None, help="a slice of train")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--embeddings", default="glove-6b-50d", help="or word2vec, or none")
    parser.add_argument("--output-dir", default=None, help="where the plots go")
    args = parser.parse_args(argv)

    X, y = load_conll2003("train", return_X_y=True)
    X_val, y_val = load_conll2003("valid", return_X_y=True)
    X_test, y_test = load_conll2003("test", return_X_y=True)
    if args.n_sentences:
        X, y = X[: args.n_sentences], y[: args.n_sentences]
        X_val, y_val = X_val[: args.n_sentences // 4], y_val[: args.n_sentences // 4]
        X_test, y_test = X_test[: args.n_sentences], y_test[: args.n_sentences]

    start = time.perf_counter()
    crf = make_crf_tagger().fit(X, y)
    crf_tags = [list(tags) for tags in crf.predict(X_test)]
    print(f"CRF: entity F1 {entity_f1(y_test, crf_tags):.4f} "
          f"({time.perf_counter() - start:.0f} s)")  # fmt: skip

    start = time.perf_counter()
    embeddings = None if args.embeddings == "none" else args.embeddings
    tagger = RNNTagger(units=args.units, embeddings=embeddings, epochs=args.epochs,
                       random_state=0)  # fmt: skip
    tagger.fit(X, y, validation_data=(X_val, y_val))
    predicted = tagger.predict(X_test)
    print(f"RNNTagger: entity F1 {entity_f1(y_test, predicted):.4f} after {tagger.n_iter_} "
          f"epochs ({time.perf_counter() - start:.0f} s)")  # fmt: skip
    print(entity_classification_report(y_test, predicted))

    ner = Pipeline([("tok", Tokenizer(method="treebank")), ("tag", tagger)])
    for sentence in ["Angela Merkel met Emmanuel Macron in Paris on Tuesday.",
                     "Shares of Apple rose 3 percent on the Nasdaq."]:  # fmt: skip
        tokens = ner[:-1].transform([sentence])[0]
        tags = ner.predict([sentence])[0]
        print(" ".join(f"{t}/{g}" if g != "O" else t for t, g in zip(tokens, tags)))

    try:
        import matplotlib

        matplotlib.use("Agg")
        from textflow.plot import plot_entity_confusion, plot_entity_f1
    except ImportError:
        return
    folder = Path(args.output_dir or tempfile.mkdtemp())
    ax = plot_entity_f1({"CRF": (y_test, crf_tags), "RNNTagger": (y_test, predicted)})
    ax.figure.savefig(folder / "conll_f1_per_type.png", dpi=100, bbox_inches="tight")
    ax = plot_entity_confusion(y_test, predicted)
    ax.figure.savefig(folder / "conll_entity_confusion.png", dpi=100, bbox_inches="tight")
    print(f"plots written to {folder}")


if __name__ == "__main__":
    main()
