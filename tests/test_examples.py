"""Every example runs, in a fast mode, as a user would run it."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FAST = {
    "preprocessing_tour.py": ["--n-docs", "300"],
    "sentiment_lstm.py": ["--n-docs", "300", "--epochs", "1", "--maxlen", "30"],
}


def test_every_example_has_a_fast_mode():
    assert {path.name for path in EXAMPLES.glob("*.py")} == set(FAST)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FAST))
def test_example_runs(name):
    if name == "sentiment_lstm.py":
        try:
            from textflow.models._keras_backend import import_keras

            import_keras()
        except ImportError as error:
            pytest.skip(f"Keras is not usable here: {error}")
    result = subprocess.run([sys.executable, str(EXAMPLES / name), *FAST[name]],
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip()
