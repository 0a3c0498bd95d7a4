"""Scoring and grid search on a real Dask cluster (LocalCluster: 2 worker processes, loopback)."""

import csv
import json
import os
import signal
import sys
import threading
import time

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

distributed = pytest.importorskip("distributed")

import joblib  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from textflow import Tokenizer, save, score  # noqa: E402
from textflow.models import make_tfidf_nb_pipeline, make_tfidf_svm_pipeline  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(scope="module")
def client():
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=40,
    )  # fmt: skip
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def model(imdb_slice):
    return make_tfidf_nb_pipeline().fit(*imdb_slice)


@pytest.fixture(scope="module")
def corpus(imdb_slice, tmp_path_factory):
    """Four input files of three formats, with a bad row in two of them."""
    folder = tmp_path_factory.mktemp("corpus")
    texts = [text.replace("\n", " ") for text in imdb_slice[0]]
    for i in range(2):
        with open(folder / f"reviews-{i}.csv", "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["id", "text"])
            writer.writerows(
                (f"{i}-{j}", text) for j, text in enumerate(texts[i * 50 : i * 50 + 50])
            )
            writer.writerow([f"{i}-bad", ""])
    return folder


def _local_reference(model, paths, tmp_path, **options):
    rows = []
    for path in paths:
        local = tmp_path / f"local-{path.name}"
        score(model, path, local, **options)
        with open(local, newline="", encoding="utf-8") as file:
            rows += [[path.name, *row] for row in list(csv.reader(file))[1:]]
    return rows


def test_scoring_many_files_equals_the_local_scorer_row_by_row(client, model, corpus, tmp_path):
    paths = sorted(corpus.glob("*.csv"))
    options = {"id_column": "id", "on_error": "skip-and-report"}
    summary = score(
        model, str(corpus / "*.csv"), tmp_path / "scored.csv", scheduler=client,
        errors_output=tmp_path / "errors.csv", **options,
    )  # fmt: skip
    assert (summary.rows, summary.errors) == (102, 2)
    with open(tmp_path / "scored.csv", newline="", encoding="utf-8") as file:
        joined = list(csv.reader(file))
    assert joined[0][:3] == ["file", "id", "label"]
    assert joined[1:] == _local_reference(model, paths, tmp_path, **options)
    errors = list(csv.DictReader(open(tmp_path / "errors.csv", encoding="utf-8")))
    assert [(e["file"], e["line"]) for e in errors] == [
        ("reviews-0.csv", "52"),
        ("reviews-1.csv", "52"),
    ]


def test_one_part_per_file_and_a_saved_model_path(client, model, corpus, tmp_path):
    save(model, tmp_path / "m.joblib")
    paths = sorted(corpus.glob("*.csv"))
    summary = score(
        tmp_path / "m.joblib", paths, tmp_path / "parts", scheduler=client,
        output_format="jsonl", on_error="skip-and-report",
    )  # fmt: skip
    parts = sorted((tmp_path / "parts").iterdir())
    assert [p.name for p in parts] == ["part-00000-reviews-0.jsonl", "part-00001-reviews-1.jsonl"]
    for part, path in zip(parts, paths):
        score(model, path, tmp_path / "local.jsonl", on_error="skip-and-report")
        assert part.read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert summary.rows == 102


class _SlowModel(ClassifierMixin, BaseEstimator):
    """Labels a text by its length's parity, slowly, so that a worker can be killed mid-run."""

    def fit(self, X=None, y=None):
        self.classes_ = np.array([0, 1])
        return self

    def predict(self, X):
        time.sleep(0.4)
        return np.array([len(text) % 2 for text in X])


def test_killing_a_worker_mid_run_still_scores_every_row_once(client, tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    texts = [f"document number {i} {'x' * (i % 5)}" for i in range(400)]
    for i in range(8):
        (inputs / f"part{i}.txt").write_text("\n".join(texts[i * 50 : i * 50 + 50]) + "\n")
    pids = client.run(os.getpid)
    result = {}

    def run():
        result["summary"] = score(
            _SlowModel().fit(), str(inputs / "*.txt"), tmp_path / "out.jsonl",
            scheduler=client, chunk_size=10,
        )  # fmt: skip

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 60
    while not list((tmp_path / ".out.jsonl.parts").glob("*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    thread.join(timeout=120)
    assert result["summary"].rows == 400
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [(row["file"], row["row"]) for row in rows] == [
        (f"part{i}.txt", j) for i in range(8) for j in range(1, 51)
    ]
    assert [row["label"] for row in rows] == [len(text) % 2 for text in texts]
    client.wait_for_workers(2, timeout=60)
    assert not set(client.run(os.getpid).values()) >= set(pids.values())


def test_grid_search_on_the_dask_backend_equals_serial(client, imdb_slice):
    X, y = imdb_slice
    grid = {"clf__C": [0.1, 1.0, 10.0]}
    serial = GridSearchCV(make_tfidf_svm_pipeline(n_jobs=2), grid, cv=3).fit(X, y)
    with joblib.parallel_config(backend="dask"):
        on_dask = GridSearchCV(make_tfidf_svm_pipeline(n_jobs=2), grid, cv=3, n_jobs=-1).fit(X, y)
    np.testing.assert_array_equal(
        serial.cv_results_["mean_test_score"], on_dask.cv_results_["mean_test_score"]
    )
    assert serial.best_params_ == on_dask.best_params_


def _tokenize_with_two_jobs(texts):
    return Tokenizer(n_jobs=2).fit_transform(texts).tolist()


def test_preprocessing_steps_parallelise_on_the_dask_backend(client, imdb_slice):
    texts = list(imdb_slice[0]) * 25
    serial = Tokenizer().fit_transform(texts).tolist()
    with joblib.parallel_config(backend="dask"):
        distributed_tokens = Tokenizer(n_jobs=-1).fit_transform(texts)
        nested = joblib.Parallel(n_jobs=2)(
            joblib.delayed(_tokenize_with_two_jobs)(texts[i::2]) for i in range(2)
        )
    assert distributed_tokens == serial
    assert nested == [serial[0::2], serial[1::2]]


def test_scheduler_errors_are_clear(model, tmp_path):
    with pytest.raises(FileNotFoundError, match="no file matches"):
        score(model, str(tmp_path / "*.csv"), tmp_path / "out", scheduler="local:1")
    with pytest.raises(ValueError, match="writes files"):
        score(model, str(tmp_path / "*.csv"), "-", scheduler="local:1")


def test_the_command_line_scores_on_a_local_cluster(model, corpus, tmp_path):
    import subprocess

    save(model, tmp_path / "m.joblib")
    result = subprocess.run(
        [sys.executable, "-m", "textflow", "score", str(tmp_path / "m.joblib"),
         str(corpus / "*.csv"), "-o", str(tmp_path / "cli.csv"), "--id-column", "id",
         "--on-error", "skip-and-report", "--scheduler", "local:1"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "102 rows: 100 scored, 2 errors" in result.stderr
    paths = sorted(corpus.glob("*.csv"))
    expected = _local_reference(model, paths, tmp_path, id_column="id", on_error="skip-and-report")
    with open(tmp_path / "cli.csv", newline="", encoding="utf-8") as file:
        assert list(csv.reader(file))[1:] == expected
