"""Fit once, save with a checksum, and batch-score a file later, in another process.

Run: python examples/save_and_score.py [--n-docs N] [--folder DIR]
"""

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

from sklearn.model_selection import train_test_split

import textflow
from textflow.datasets import load_imdb
from textflow.models import make_tfidf_svm_pipeline


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-docs", type=int, default=10_000)
    parser.add_argument("--folder", default=None, help="where files go (default: a temp dir)")
    args = parser.parse_args(argv)
    folder = Path(args.folder or tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    X, y = load_imdb(return_X_y=True)
    X, _, y, _ = train_test_split(X, y, train_size=args.n_docs, stratify=y, random_state=0)
    X_train, X_new, y_train, _ = train_test_split(X, y, test_size=0.5, random_state=0)

    model_path = folder / "imdb-svm.joblib"
    info = textflow.save(make_tfidf_svm_pipeline().fit(X_train, y_train), model_path)
    print(f"saved {model_path} ({info['payload_bytes'] / 1e6:.1f} MB), sha256 {info['sha256']}")

    reviews = folder / "new-reviews.csv"
    with open(reviews, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["review_id", "text"])
        writer.writerows((f"r{i}", text) for i, text in enumerate(X_new))
        writer.writerow(["r-missing", ""])  # a row that cannot be scored, reported not dropped

    # In Python: the model is verified against the pinned hash, then streamed over the file.
    model = textflow.load(model_path, expected_sha256=info["sha256"])
    summary = textflow.score(
        model, reviews, folder / "scored.csv", id_column="review_id",
        on_error="skip-and-report", errors_output=folder / "errors.csv", n_jobs=2,
    )  # fmt: skip
    print(f"textflow.score: {summary}")

    # From the shell: the same job through the command line, in a fresh process.
    command = [sys.executable, "-m", "textflow", "score", str(model_path), str(reviews),
               "-o", str(folder / "scored.jsonl"), "--id-column", "review_id",
               "--on-error", "skip-and-report", "--sha256", info["sha256"], "--quiet"]  # fmt: skip
    subprocess.run(command, check=True)
    first = (folder / "scored.jsonl").read_text().splitlines()[0]
    print(f"textflow score ... -o scored.jsonl: first row {first}")
    print(f"unscorable rows listed in {folder / 'errors.csv'}:")
    print((folder / "errors.csv").read_text().strip())


if __name__ == "__main__":
    main()
