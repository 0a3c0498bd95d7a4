"""The train / evaluate / score / info / demo commands, run as real subprocesses."""

import csv
import json
import subprocess
import sys

import pytest

from textflow import (
    save,
)

from .conftest import run_textflow


def textflow(*args, stdin=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "textflow", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def labelled_csv(imdb_slice, tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "reviews.csv"
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["review_id", "text", "label"])
        for i, (text, label) in enumerate(zip(*imdb_slice)):
            writer.writerow([f"r{i}", text, "pos" if label else "neg"])
    return path


@pytest.fixture(scope="module")
def trained(labelled_csv, tmp_path_factory):
    model = tmp_path_factory.mktemp("model") / "nb.joblib"
    result = textflow(
        "train", "--preset", "tfidf-nb", "--data", labelled_csv, "--test-size", "0.25",
        "--set", "clf__alpha=0.5", "-o", model,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "held-out accuracy" in result.stdout and "sha256" in result.stdout
    return model


def test_info_shows_metadata_without_loading(trained):
    result = textflow("info", trained, "--json")
    info = json.loads(result.stdout)
    assert info["classes"] == ["neg", "pos"]
    assert info["metadata"]["pipeline"] == "preset tfidf-nb"
    assert info["metadata"]["documents"] == 150
    assert "sha256" in textflow("info", trained).stdout


def test_evaluate_prints_metrics_and_a_confusion_matrix(trained, labelled_csv):
    result = textflow("evaluate", trained, "--data", labelled_csv, "--json")
    report = json.loads(result.stdout)
    assert report["documents"] == 200 and 0.7 < report["accuracy"] <= 1.0
    assert sum(map(sum, report["confusion_matrix"])) == 200
    text = textflow("evaluate", trained, "--data", labelled_csv).stdout
    assert "precision" in text and "true \\ predicted" in text


def test_score_streams_a_csv_and_stdin(trained, labelled_csv, tmp_path):
    output = tmp_path / "scored.jsonl"
    result = textflow(
        "score", trained, labelled_csv, "-o", output, "--id-column", "review_id",
        "--chunk-size", "50", "--quiet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rows = [json.loads(line) for line in output.read_text().splitlines()]
    assert [row["review_id"] for row in rows] == [f"r{i}" for i in range(200)]
    assert {row["label"] for row in rows} <= {"neg", "pos"}
    assert abs(rows[0]["proba_neg"] + rows[0]["proba_pos"] - 1) < 1e-9
    piped = textflow("score", trained, "-", stdin="a wonderful film\nawful\n")
    assert piped.returncode == 0 and len(piped.stdout.splitlines()) == 2
    assert set(piped.stdout.split()) <= {"neg", "pos"}
    assert "2 rows: 2 scored, 0 errors" in piped.stderr


def test_exit_codes_and_messages_without_tracebacks(trained, tmp_path):
    (tmp_path / "bad.csv").write_text('text\ngood\n"unterminated\n')
    failed = textflow("score", trained, tmp_path / "bad.csv", "-o", tmp_path / "out.csv")
    assert failed.returncode == 1 and "line 3 (row 2): malformed CSV line" in failed.stderr
    assert not (tmp_path / "out.csv").exists()
    skipped = textflow(
        "score", trained, tmp_path / "bad.csv", "-o", tmp_path / "out.csv",
        "--on-error", "skip-and-report",
    )  # fmt: skip
    assert skipped.returncode == 0 and "2 rows: 1 scored, 1 errors" in skipped.stderr
    broken = tmp_path / "broken.joblib"
    broken.write_bytes(trained.read_bytes()[:-10])
    result = textflow("score", broken, tmp_path / "bad.csv")
    assert result.returncode == 2 and "truncated" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_and_input_errors_exit_2_with_one_line(trained, tmp_path, capsys):
    from textflow.cli import main

    (tmp_path / "bad.csv").write_text("text\ngood\n")
    for args in (
        ("info", tmp_path / "absent.joblib"),
        ("score", trained, tmp_path / "absent.csv"),
        ("score", trained, tmp_path / "bad.csv", "--text-column", "body"),
        ("score", trained, tmp_path / "bad.csv", "--sha256", "0" * 64),
        ("train", "--preset", "nbsvm", "--data", tmp_path / "bad.csv", "-o", tmp_path / "m"),
        ("train", "--preset", "nbsvm", "-o", tmp_path / "m"),
        ("evaluate", trained, "--data", tmp_path / "bad.csv", "--label-column", "stars"),
    ):
        assert main([str(arg) for arg in args]) == 2, args
        err = capsys.readouterr().err
        assert err.startswith(f"textflow {args[0]}: error: ") and err.count("\n") == 1, err
    assert textflow("score", "--help").returncode == 0


CONFIG_TOML = """
[[steps]]
name = "tok"
estimator = "Tokenizer"

[[steps]]
name = "vec"
estimator = "textflow.models.make_token_vectorizer"
params = { ngram_range = [1, 2], min_df = 2 }

[[steps]]
name = "clf"
estimator = "sklearn.linear_model.LogisticRegression"
params = { C = 10.0, max_iter = 500 }
"""


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
def test_train_from_a_config_file(labelled_csv, tmp_path, suffix):
    import tomllib

    config = tomllib.loads(CONFIG_TOML)
    path = tmp_path / f"pipeline{suffix}"
    if suffix == ".toml":
        path.write_text(CONFIG_TOML)
    elif suffix == ".json":
        path.write_text(json.dumps(config))
    else:
        yaml = pytest.importorskip("yaml")
        path.write_text(yaml.safe_dump(config))
    result = textflow("train", "--config", path, "--data", labelled_csv, "-o", tmp_path / "m")
    assert result.returncode == 0, result.stderr
    info = json.loads(textflow("info", tmp_path / "m", "--json").stdout)
    assert [kind for _, kind in info["steps"]] == [
        "Tokenizer",
        "TfidfVectorizer",
        "LogisticRegression",
    ]


def test_a_bad_config_is_a_clean_error(labelled_csv, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"steps": [{"estimator": "sklearn.svm.NoSuchModel"}]}))
    result = textflow("train", "--config", path, "--data", labelled_csv, "-o", tmp_path / "m")
    assert (
        result.returncode == 2 and "unknown estimator 'sklearn.svm.NoSuchModel'" in result.stderr
    )


@pytest.mark.slow
def test_demo_fits_saves_and_scores(tmp_path):
    result = textflow("demo", "--n-docs", "400", "--output-dir", tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "accuracy" in result.stdout
    assert (tmp_path / "imdb-tfidf-svm.joblib").is_file()
    rows = list(csv.DictReader(open(tmp_path / "reviews-scored.csv", encoding="utf-8")))
    assert len(rows) == 80 and rows[0]["id"] == "review-0"


def test_csv_on_stdin_without_a_format_is_not_scored_header_and_all(small_model, tmp_path):
    path = tmp_path / "m.joblib"
    save(small_model, path)
    result = run_textflow("score", path, "-", stdin="id,text\n1,good film\n")
    assert result.returncode == 2 and "--format csv" in result.stderr
    assert result.stdout == ""
    result = run_textflow("score", path, "-", "--format", "csv", stdin="id,text\n1,good film\n")
    assert result.returncode == 0 and result.stdout.splitlines()[1].startswith("1,pos")
    plain = run_textflow("score", path, "-", stdin="good film\nbad film\n")
    assert plain.returncode == 0 and plain.stdout.splitlines() == ["pos", "neg"]


def test_evaluate_counts_labels_the_model_never_saw(small_model, tmp_path):
    path = tmp_path / "m.joblib"
    save(small_model, path)
    data = tmp_path / "d.csv"
    data.write_text("text,label\ngood film,pos\nbad film,neg\nso so,meh\n")
    result = run_textflow("evaluate", path, "--data", data, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["classes"] == ["neg", "pos", "meh"]
    assert sum(map(sum, report["confusion_matrix"])) == 3
    assert report["accuracy"] == pytest.approx(2 / 3)
    assert "never saw (meh)" in result.stderr


def test_trusted_checksum_listing(small_model, tmp_path):
    import hashlib

    path = tmp_path / "m.joblib"
    save(small_model, path)
    listing = tmp_path / "trusted.sha256"
    listing.write_text(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  m.joblib\n")
    result = run_textflow("score", path, "-", "--sha256", f"@{listing}", stdin="good film\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["pos"]
    listing.write_text(f"{'0' * 64}  m.joblib\n")
    refused = run_textflow("score", path, "-", "--sha256", f"@{listing}", stdin="good film\n")
    assert refused.returncode == 2 and "not the one you trust" in refused.stderr
