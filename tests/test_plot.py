"""textflow.plot: each function returns its Axes, never shows, and renders to PNG (Agg)."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from textflow.models import make_tfidf_nb_pipeline  # noqa: E402
from textflow.plot import (  # noqa: E402
    plot_confusion_matrix,
    plot_embeddings,
    plot_grid_search,
    plot_history,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _never_show(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a plot function called show()")

    monkeypatch.setattr(plt, "show", refuse)
    yield
    plt.close("all")


def _render(ax, path):
    ax.figure.savefig(path)
    assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000


def test_history_draws_training_and_validation_curves(tmp_path):
    class Fitted:
        history_ = {"loss": [0.7, 0.5], "accuracy": [0.5, 0.8], "val_loss": [0.7, 0.6]}

    ax = plot_history(Fitted())
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["loss", "val_loss", "accuracy"]
    assert ax.get_lines()[1].get_linestyle() == "--"
    _render(ax, tmp_path / "history.png")
    with pytest.raises(ValueError, match="no metric 'auc'"):
        plot_history(Fitted(), metrics=["auc"])


def test_confusion_matrix_counts_and_fractions(tmp_path):
    y_true, y_pred = ["a", "a", "b", "b", "b"], ["a", "b", "b", "b", "a"]
    ax = plot_confusion_matrix(y_true, y_pred)
    assert [t.get_text() for t in ax.texts] == ["1", "1", "1", "2"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    _render(ax, tmp_path / "cm.png")
    fractions = plot_confusion_matrix(y_true, y_pred, normalize=True, labels=["b", "a"])
    assert [t.get_text() for t in fractions.texts] == ["0.67", "0.33", "0.50", "0.50"]


def test_grid_search_comparison_marks_every_candidate(imdb_slice, tmp_path):
    search = GridSearchCV(make_tfidf_nb_pipeline(), {"clf__alpha": [0.01, 0.1, 1.0]}, cv=2)
    search.fit(*imdb_slice)
    _, ax = plt.subplots()
    assert plot_grid_search(search, ax=ax) is ax
    assert sorted(t.get_text() for t in ax.texts) == ["alpha=0.01", "alpha=0.1", "alpha=1.0"]
    assert len(ax.containers) == 3
    _render(ax, tmp_path / "grid.png")


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_embeddings_projection_labels_each_word(method, tmp_path):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(12)]
    vectors = {word: rng.normal(size=8) for word in words}
    ax = plot_embeddings(vectors, words, method=method)
    assert [t.get_text() for t in ax.texts] == words
    _render(ax, tmp_path / f"{method}.png")
    with pytest.raises(KeyError, match="'nope'"):
        plot_embeddings(vectors, ["w1", "nope"])


def test_embeddings_from_a_fitted_word2vec_vectorizer(imdb_slice):
    pytest.importorskip("gensim")
    from textflow import Tokenizer, Word2VecVectorizer

    tokens = Tokenizer().fit_transform(imdb_slice[0])
    vectorizer = Word2VecVectorizer(vector_size=8, epochs=1, min_count=5, random_state=0)
    vectorizer.fit(tokens)
    ax = plot_embeddings(vectorizer, ["good", "bad", "film", "movie"])
    assert len(ax.texts) == 4


def test_evaluate_writes_a_confusion_matrix_png(imdb_slice, tmp_path):
    import csv

    from textflow import save
    from textflow.cli import main

    save(make_tfidf_nb_pipeline().fit(*imdb_slice), tmp_path / "m.joblib")
    with open(tmp_path / "data.csv", "w", newline="") as file:
        csv.writer(file).writerows([["text", "label"], *zip(*imdb_slice)])
    code = main(["evaluate", str(tmp_path / "m.joblib"), "--data", str(tmp_path / "data.csv"),
                 "--plot", str(tmp_path / "cm.png")])  # fmt: skip
    assert code == 0
    assert (tmp_path / "cm.png").read_bytes()[:8] == PNG_MAGIC


def test_attention_heat_map_labels_both_sentences(tmp_path):
    from textflow.plot import plot_attention

    weights = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    ax = plot_attention(["ein", "Hund", "."], ["a", "dog"], weights)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ein", "Hund", "."]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "dog"]
    np.testing.assert_allclose(ax.get_images()[0].get_array(), weights)
    _render(ax, tmp_path / "attention.png")
    with pytest.raises(ValueError, match="expected \\(target tokens, source tokens\\)"):
        plot_attention(["ein"], ["a", "dog"], weights)
