"""The ``textflow`` command line."""

from __future__ import annotations

import argparse
import sys
import time


class UserError(Exception):
    """An error caused by the command's input: reported on stderr without a traceback."""


def cmd_install_wordnet(args) -> int:
    from .text._wordnet import install_wordnet

    try:
        path = install_wordnet(args.target, source=args.source, overwrite=args.overwrite)
    except FileNotFoundError as error:
        raise UserError(str(error)) from None
    print(f"WordNet installed for NLTK in {path}")
    return 0


def cmd_demo(args) -> int:
    from sklearn.metrics import accuracy_score, classification_report
    from sklearn.model_selection import train_test_split

    from .datasets import load_imdb
    from .models import make_tfidf_svm_pipeline

    reviews = load_imdb()
    texts, labels = reviews.data, reviews.target
    if args.n_docs:
        texts, _, labels, _ = train_test_split(
            texts, labels, train_size=args.n_docs, stratify=labels, random_state=0
        )
    X_train, X_test, y_train, y_test = train_test_split(
        texts, labels, test_size=0.2, stratify=labels, random_state=0
    )
    pipeline = make_tfidf_svm_pipeline()
    print(f"IMDB reviews: {len(X_train)} to train, {len(X_test)} to test")
    print("Pipeline:", " -> ".join(name for name, _ in pipeline.steps))
    start = time.perf_counter()
    pipeline.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    predicted = pipeline.predict(X_test)
    predict_s = time.perf_counter() - start
    print(f"fit {fit_s:.1f} s, predict {predict_s:.1f} s ({len(X_test) / predict_s:,.0f} docs/s)")
    print(f"accuracy {accuracy_score(y_test, predicted):.4f}")
    print(classification_report(y_test, predicted, target_names=list(reviews.target_names)))
    if args.output:
        import joblib

        joblib.dump(pipeline, args.output)
        print(f"saved the fitted pipeline to {args.output}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="textflow", description="Classic NLP pipelines as scikit-learn estimators."
    )
    parser.add_argument("--version", action="version", version=f"textflow {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo", help="fit a TF-IDF + linear SVM pipeline on the shipped IMDB reviews"
    )
    demo.add_argument(
        "--n-docs",
        type=int,
        default=None,
        help="use a stratified sample of this many reviews (default: all)",
    )
    demo.add_argument("-o", "--output", help="save the fitted pipeline here (joblib)")
    demo.set_defaults(func=cmd_demo)

    wordnet = commands.add_parser(
        "install-wordnet",
        help="build NLTK's WordNet corpus from Debian's wordnet-base files (offline)",
    )
    wordnet.add_argument(
        "--source",
        default="/usr/share/wordnet",
        help="folder with WordNet 3.0 dict files (default: %(default)s)",
    )
    wordnet.add_argument(
        "--target", default=None, help="nltk_data folder (default: <sys.prefix>/nltk_data)"
    )
    wordnet.add_argument("--overwrite", action="store_true", help="replace an existing copy")
    wordnet.set_defaults(func=cmd_install_wordnet)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as error:
        print(f"textflow {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
