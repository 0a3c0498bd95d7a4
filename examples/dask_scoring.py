"""Score a sharded corpus on a Dask cluster (a LocalCluster here; pass an address for a real one)
and check that it matches the single-process scorer row for row.

Run: python examples/dask_scoring.py [--n-docs N] [--shards S] [--scheduler ADDRESS]
"""

import argparse
import csv
import tempfile
from pathlib import Path

from sklearn.model_selection import train_test_split

import textflow
from textflow.datasets import load_imdb
from textflow.models import make_tfidf_svm_pipeline


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-docs", type=int, default=10_000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--scheduler", default="local:2", help="tcp://HOST:8786 or local:N")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp())
    X, y = load_imdb(return_X_y=True)
    X, _, y, _ = train_test_split(X, y, train_size=args.n_docs, stratify=y, random_state=0)
    X_train, X_new, y_train, _ = train_test_split(X, y, test_size=0.5, random_state=0)
    model = make_tfidf_svm_pipeline().fit(X_train, y_train)

    shards = folder / "shards"
    shards.mkdir()
    for shard in range(args.shards):
        with open(shards / f"reviews-{shard}.csv", "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["id", "text"])
            writer.writerows((i, X_new[i]) for i in range(shard, len(X_new), args.shards))

    summary = textflow.score(
        model, str(shards / "*.csv"), folder / "scored.csv", id_column="id",
        scheduler=args.scheduler,
    )  # fmt: skip
    print(f"on Dask ({args.scheduler}): {summary}")

    local_rows = []
    for path in sorted(shards.glob("*.csv")):
        textflow.score(model, path, folder / "local.csv", id_column="id", progress=False)
        with open(folder / "local.csv", newline="") as file:
            local_rows += [[path.name, *row] for row in list(csv.reader(file))[1:]]
    with open(folder / "scored.csv", newline="") as file:
        dask_rows = list(csv.reader(file))[1:]
    print(f"identical to the local scorer row by row: {dask_rows == local_rows}")


if __name__ == "__main__":
    main()
