"""Dask scaling: scoring throughput of a TF-IDF + linear SVM pipeline with 1 and 2 workers.

The input is IMDB's test half repeated to ``--docs`` documents (1,000,000 by default),
written as ``--files`` CSV shards. Anchor (same run): the same scoring on a one-worker
LocalCluster. Target: >= 1.7x the anchor's throughput with two workers.
"""

import argparse
import csv
import tempfile
import time
from pathlib import Path

from distributed import Client, LocalCluster
from sklearn.model_selection import train_test_split

from textflow import score
from textflow.datasets import load_imdb
from textflow.models import make_preset_pipeline

try:
    from ._common import save
except ImportError:
    from _common import save


def write_shards(folder, texts, n_docs, n_files):
    per_file = n_docs // n_files
    for shard in range(n_files):
        with open(folder / f"shard-{shard:03d}.csv", "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["id", "text"])
            for i in range(shard * per_file, (shard + 1) * per_file):
                writer.writerow([i, texts[i % len(texts)]])
    return per_file * n_files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=16)
    args = parser.parse_args(argv)
    reviews = load_imdb(shuffle=False)
    X_train, X_test, y_train, _ = train_test_split(
        reviews.data, reviews.target, test_size=0.5, random_state=0, stratify=reviews.target
    )
    pipeline = make_preset_pipeline("tfidf-svm").fit(X_train, y_train)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = folder / "inputs"
        inputs.mkdir()
        n_docs = write_shards(inputs, X_test, args.docs, args.files)
        for workers in (1, 2):
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None,
            )  # fmt: skip
            with Client(cluster) as client:
                start = time.perf_counter()
                summary = score(pipeline, str(inputs / "*.csv"), folder / f"out-{workers}",
                                id_column="id", scheduler=client)  # fmt: skip
                seconds = time.perf_counter() - start
            cluster.close()
            assert summary.rows == n_docs
            results[f"{workers}_workers"] = {"seconds": seconds, "docs_per_s": n_docs / seconds}
            print(f"{workers} worker(s): {n_docs:,} docs in {seconds:.0f} s "
                  f"= {n_docs / seconds:,.0f} docs/s", flush=True)  # fmt: skip
    speedup = results["2_workers"]["docs_per_s"] / results["1_workers"]["docs_per_s"]
    results["speedup"] = speedup
    print(f"speed-up from 1 to 2 workers: {speedup:.2f}x (target >= 1.7x)")
    save("dask", {"documents": n_docs, "files": args.files, **results})


if __name__ == "__main__":
    main()
