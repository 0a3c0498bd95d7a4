"""Run every benchmark (or those named): python benchmarks/run.py [preprocessing ...]."""

import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

BENCHMARKS = [
    "preprocessing",
    "sequences",
    "baselines",
    "embeddings",
    "keras",
    "scoring",
    "dask",
    "language_model",
    "tagger",
    "forecasting",
    "translation",
    "speech",
]


def main():
    names = sys.argv[1:] or BENCHMARKS
    for name in names:
        print(f"=== {name} ===", flush=True)
        import_module(f"bench_{name}").main([])


if __name__ == "__main__":
    main()
