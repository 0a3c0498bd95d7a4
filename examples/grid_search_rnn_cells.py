"""GridSearchCV over recurrent cell types (simple RNN, LSTM, GRU), with a comparison plot
of accuracy against fit time.

Run: python examples/grid_search_rnn_cells.py [--n-docs N] [--epochs E] [--plot FILE.png]
"""

import argparse

from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline

from textflow import RNNClassifier, SequencePadder, TextCleaner, TextsToSequences, Tokenizer
from textflow.datasets import load_imdb
from textflow.plot import plot_grid_search


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-docs", type=int, default=3000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--maxlen", type=int, default=150)
    parser.add_argument("--cv", type=int, default=3, help="cross-validation folds")
    parser.add_argument("--plot", default="rnn_cells.png")
    args = parser.parse_args(argv)
    X, y = load_imdb(return_X_y=True)
    X, _, y, _ = train_test_split(X, y, train_size=args.n_docs, stratify=y, random_state=0)
    pipeline = Pipeline(
        [
            ("clean", TextCleaner()),
            ("tok", Tokenizer(lowercase=True)),
            ("seq", TextsToSequences(num_words=10_000)),
            ("pad", SequencePadder(maxlen=args.maxlen)),
            ("clf", RNNClassifier(units=32, epochs=args.epochs, random_state=0)),
        ]
    )
    search = GridSearchCV(pipeline, {"clf__cell": ["rnn", "lstm", "gru"]}, cv=args.cv)
    search.fit(X, y)
    for cell, score, seconds in zip(
        search.cv_results_["param_clf__cell"],
        search.cv_results_["mean_test_score"],
        search.cv_results_["mean_fit_time"],
    ):
        print(f"{cell:5s} accuracy {score:.3f}  fit {seconds:5.1f} s")
    print(f"best: {search.best_params_}")
    axes = plot_grid_search(search, param="clf__cell")
    axes.figure.savefig(args.plot, dpi=120, bbox_inches="tight")
    print(f"comparison plot written to {args.plot}")


if __name__ == "__main__":
    main()
