"""Run every benchmark (or those named): python benchmarks/run.py [preprocessing ...]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_baselines
import bench_embeddings
import bench_keras
import bench_preprocessing
import bench_sequences

BENCHMARKS = {
    "preprocessing": bench_preprocessing.main,
    "sequences": bench_sequences.main,
    "baselines": bench_baselines.main,
    "embeddings": bench_embeddings.main,
    "keras": bench_keras.main,
}


def main():
    names = sys.argv[1:] or list(BENCHMARKS)
    for name in names:
        print(f"=== {name} ===")
        BENCHMARKS[name]([])


if __name__ == "__main__":
    main()
