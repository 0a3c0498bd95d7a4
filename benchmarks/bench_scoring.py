"""Batch scoring: throughput of ``textflow score`` against ``pipeline.predict`` in memory,
model file sizes and load times, and peak memory when scoring a 1,000,000-document file.

Anchor (same run): ``pipeline.predict(texts)`` on texts already in memory.
Targets: ``textflow score`` >= 0.9x the anchor with one job, >= 1.7x with ``--n-jobs 2``;
peak RSS scoring 1M documents within a stated bound and independent of the input size.
"""

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sklearn.model_selection import train_test_split

from textflow import load, save
from textflow.datasets import load_imdb, load_rotten_tomatoes
from textflow.models import make_preset_pipeline

try:
    from ._common import save as save_results
except ImportError:
    from _common import save as save_results


def write_csv(path, texts):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "text"])
        writer.writerows((i, text) for i, text in enumerate(texts))


def run_cli(*args):
    """Run ``textflow`` in a subprocess; return its wall-clock seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "textflow", *map(str, args)], check=True)
    return time.perf_counter() - start


def throughput(folder, n_docs):
    reviews = load_imdb(shuffle=False)
    X_train, X_test, y_train, _ = train_test_split(
        reviews.data, reviews.target, test_size=0.5, random_state=0, stratify=reviews.target
    )
    texts = (X_test * (n_docs // len(X_test) + 1))[:n_docs]
    pipeline = make_preset_pipeline("tfidf-svm").fit(X_train, y_train)
    model = folder / "svm.joblib"
    save(pipeline, model)
    source = folder / "reviews.csv"
    write_csv(source, texts)
    pipeline.predict(texts[:2000])
    start = time.perf_counter()
    pipeline.predict(texts)
    anchor_s = time.perf_counter() - start
    results = {"documents": n_docs, "in_memory_docs_per_s": n_docs / anchor_s}
    print(f"anchor: pipeline.predict in memory {n_docs / anchor_s:,.0f} docs/s")
    for jobs in (1, 2):
        seconds = run_cli(
            "score", model, source, "-o", folder / "scored.csv", "--id-column", "id",
            "--n-jobs", jobs, "--quiet",
        )  # fmt: skip
        ratio = anchor_s / seconds
        results[f"cli_n_jobs_{jobs}"] = {"docs_per_s": n_docs / seconds, "ratio": ratio}
        print(f"textflow score --n-jobs {jobs}: {n_docs / seconds:,.0f} docs/s = {ratio:.2f}x")
    return results


def model_files(folder):
    """Size and load time of each preset's saved file, plain and compressed."""
    reviews = load_imdb(shuffle=False)
    X, _, y, _ = train_test_split(
        reviews.data, reviews.target, train_size=5000, random_state=0, stratify=reviews.target
    )
    sizes = {}
    quick = {"word2vec-logreg": {"vec__epochs": 3}, "gru": {"clf__epochs": 1}}
    for name in ("tfidf-svm", "tfidf-nb", "nbsvm", "word2vec-logreg", "gru"):
        try:
            pipeline = make_preset_pipeline(name, **quick.get(name, {})).fit(X, y)
        except ImportError as error:
            print(f"{name}: skipped ({error})")
            continue
        for compress in (None, 3):
            path = folder / f"{name}-{compress}.joblib"
            start = time.perf_counter()
            info = save(pipeline, path, compress=compress)
            save_s = time.perf_counter() - start
            start = time.perf_counter()
            load(path)
            load_s = time.perf_counter() - start
            key = f"{name} compress={compress}"
            sizes[key] = {"mb": info["payload_bytes"] / 1e6, "save_s": save_s, "load_s": load_s}
            print(
                f"{key:32s} {sizes[key]['mb']:7.1f} MB  save {save_s:5.2f} s  load {load_s:5.2f} s"
            )
    return sizes


def memory_bound(folder, sizes):
    """Peak RSS of ``textflow score`` on RT sentences repeated to each size."""
    rt = load_rotten_tomatoes(shuffle=False)
    pipeline = make_preset_pipeline("tfidf-svm").fit(rt.data, rt.target)
    model = folder / "rt.joblib"
    save(pipeline, model)
    results = {}
    for n_docs in sizes:
        source = folder / f"rt-{n_docs}.txt"
        with open(source, "w", encoding="utf-8") as file:
            for i in range(n_docs):
                file.write(rt.data[i % len(rt.data)].replace("\n", " ") + "\n")
        code = (
            "import textflow\n"
            f"s = textflow.score({str(model)!r}, {str(source)!r}, {str(folder / 'out.csv')!r},"
            " progress=False)\n"
            "peak = [line for line in open('/proc/self/status') if line.startswith('VmHWM')]\n"
            "print(s.rows, peak[0].split()[1])\n"
        )
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        seconds = time.perf_counter() - start
        rows, peak_kb = map(int, out.stdout.split())
        assert rows == n_docs
        results[n_docs] = {"peak_rss_mb": peak_kb / 1024, "seconds": seconds,
                           "input_mb": source.stat().st_size / 1e6}  # fmt: skip
        print(f"{n_docs:>9,} docs ({results[n_docs]['input_mb']:.0f} MB): peak RSS "
              f"{peak_kb / 1024:.0f} MB, {seconds:.0f} s")  # fmt: skip
        source.unlink()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000, help="documents for throughput")
    parser.add_argument("--memory-sizes", default="100000,1000000")
    parser.add_argument("--skip-files", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {"throughput": throughput(folder, args.docs)}
        if not args.skip_files:
            results["model_files"] = model_files(folder)
        sizes = [int(size) for size in args.memory_sizes.split(",") if size]
        results["memory"] = memory_bound(folder, sizes)
    save_results("scoring", results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
