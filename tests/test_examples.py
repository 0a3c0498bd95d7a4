"""Every example runs, in a fast mode, as a user would run it."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FAST = {
    "preprocessing_tour.py": ["--n-docs", "300"],
    "sentiment_lstm.py": ["--n-docs", "300", "--epochs", "1", "--maxlen", "30"],
    "tfidf_baselines.py": ["--n-docs", "400"],
    "document_vectors.py": ["--n-docs", "300", "--epochs", "1"],
    "grid_search_rnn_cells.py": ["--n-docs", "60", "--epochs", "1", "--maxlen", "10", "--cv", "2"],
    "save_and_score.py": ["--n-docs", "400"],
    "dask_scoring.py": ["--n-docs", "200", "--shards", "2"],
    "language_model_ptb.py": ["--n-sentences", "500", "--epochs", "1", "--units", "16"],
    "named_entities_conll.py": [
        "--n-sentences",
        "300",
        "--epochs",
        "1",
        "--units",
        "16",
        "--embeddings",
        "none",
    ],
    "forecasting_series.py": ["--series", "airline", "--epochs", "3"],
    "translation_de_en.py": ["--n-pairs", "600", "--epochs", "1", "--units", "16"],
}
NEEDS = {
    "sentiment_lstm.py": "keras",
    "grid_search_rnn_cells.py": "keras",
    "document_vectors.py": "gensim",
    "dask_scoring.py": "distributed",
    "language_model_ptb.py": "keras",
    "named_entities_conll.py": "keras",
    "forecasting_series.py": "keras",
    "translation_de_en.py": "keras",
}


def test_every_example_has_a_fast_mode():
    assert {path.name for path in EXAMPLES.glob("*.py")} == set(FAST)


@pytest.mark.full_suite
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FAST))
def test_example_runs(name, tmp_path):
    if NEEDS.get(name) == "keras":
        try:
            from textflow._keras._backend import import_keras

            import_keras()
        except ImportError as error:
            pytest.skip(f"Keras is not usable here: {error}")
    elif name in NEEDS:
        pytest.importorskip(NEEDS[name])
    if name == "translation_de_en.py":
        from textflow.datasets import load_de_en

        try:
            load_de_en("words")
        except FileNotFoundError as error:
            pytest.skip(str(error))
    result = subprocess.run([sys.executable, str(EXAMPLES / name), *FAST[name]],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip()
