"""``textflow demo`` and ``textflow install-wordnet``."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from ._errors import UserError
from ._options import positive_int


def cmd_install_wordnet(args) -> int:
    from ..text._wordnet import install_wordnet

    try:
        path = install_wordnet(args.target, source=args.source, overwrite=args.overwrite)
    except FileNotFoundError as error:
        raise UserError(str(error)) from None
    print(f"WordNet installed for NLTK in {path}")
    return 0


def cmd_demo(args) -> int:
    """Fit TF-IDF + linear SVM on IMDB, report, save the model, score held-out reviews."""
    from sklearn.metrics import accuracy_score, classification_report
    from sklearn.model_selection import train_test_split

    from .._persistence import load, save
    from ..datasets import load_imdb
    from ..models import make_tfidf_svm_pipeline
    from ..scoring import score

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
    print(f"IMDB reviews: {len(X_train):,} to train, {len(X_test):,} to test")
    print("pipeline:", " -> ".join(name for name, _ in pipeline.steps))
    start = time.perf_counter()
    pipeline.fit(X_train, y_train)
    print(f"fitted in {time.perf_counter() - start:.1f} s")
    predicted = pipeline.predict(X_test)
    accuracy = accuracy_score(y_test, predicted)
    print(f"accuracy {accuracy:.4f}")
    print(classification_report(y_test, predicted, target_names=list(reviews.target_names)))

    folder = Path(args.output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    model_path = folder / "imdb-tfidf-svm.joblib"
    info = save(pipeline, model_path, metadata={"trained_on": "IMDB", "accuracy": accuracy})
    print(f"saved the model to {model_path} (sha256 {info['sha256'][:16]}...)")

    unlabelled = folder / "reviews.csv"
    with open(unlabelled, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "text"])
        writer.writerows((f"review-{i}", text) for i, text in enumerate(X_test))
    scored = folder / "reviews-scored.csv"
    summary = score(load(model_path), unlabelled, scored, id_column="id", progress=False)
    print(f"scored {unlabelled}: {summary}")
    return 0


def add_demo_parsers(commands):
    demo = commands.add_parser(
        "demo",
        help="fit TF-IDF + linear SVM on the shipped IMDB reviews, save it, score a file",
    )
    demo.add_argument(
        "--n-docs",
        type=positive_int,
        default=None,
        help="a stratified sample of this many reviews",
    )
    demo.add_argument(
        "--output-dir", default="textflow-demo", help="where the model and files go (%(default)s)"
    )
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
