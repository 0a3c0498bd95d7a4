"""Batch scoring: formats, one output row per input row, error reporting, chunking, jobs."""

import csv
import gzip
import io
import json
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from textflow import ScoringError, save, score
from textflow.models import (
    make_tfidf_nb_pipeline,
    make_tfidf_svm_pipeline,
)
from textflow.scoring import InputFormatError, predict_texts
from textflow.scoring._readers import read_chunks


@pytest.fixture(scope="module")
def model(imdb_slice):
    X, y = imdb_slice
    return make_tfidf_nb_pipeline().fit(X, y)


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_labels_and_probabilities_equal_the_pipeline_in_memory(model, imdb_slice, tmp_path):
    texts = list(imdb_slice[0][:60])
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"text": t, "id": f"d{i}"}) + "\n" for i, t in enumerate(texts))
    )
    summary = score(model, source, tmp_path / "out.csv", id_column="id", chunk_size=7)
    rows = _read_csv(tmp_path / "out.csv")
    assert summary.rows == summary.scored == 60 and summary.errors == 0
    assert [row["id"] for row in rows] == [f"d{i}" for i in range(60)]
    assert [int(row["label"]) for row in rows] == model.predict(texts).tolist()
    probabilities = np.array([[float(row["proba_0"]), float(row["proba_1"])] for row in rows])
    np.testing.assert_allclose(probabilities, model.predict_proba(texts), rtol=1e-12)


def test_predict_texts_transforms_once_and_matches_predict(model, imdb_slice):
    labels, probabilities = predict_texts(model, imdb_slice[0][:20])
    assert (labels == model.predict(imdb_slice[0][:20])).all()
    assert probabilities.shape == (20, 2)
    svm = make_tfidf_svm_pipeline().fit(*imdb_slice)
    assert predict_texts(svm, ["fine"])[1] is None


CSV_BYTES = (
    "\ufeffid,text,extra\n"
    '1,"plain review",x\n'
    "\n"
    '2,"a review with\nan embedded newline and ""quotes""",y\n'
    "3,,z\n"
    '4,"caf\u00e9 au lait",w\n'.encode()
    + b'5,"latin-1 caf\xe9",v\n'
    + b'6,"bad"quote,u\n'
    + b"7,too,many,fields\n"
    + b"8,last one,t\n"
)


def test_csv_edge_cases_give_one_row_per_record_with_line_numbers(model, tmp_path):
    source = tmp_path / "reviews.csv"
    source.write_bytes(CSV_BYTES)
    errors = tmp_path / "errors.csv"
    summary = score(
        model, source, tmp_path / "out.csv", id_column="id",
        on_error="skip-and-report", errors_output=errors,
    )  # fmt: skip
    rows = _read_csv(tmp_path / "out.csv")
    assert [row["id"] for row in rows] == ["1", "2", "3", "4", "5", "", "7", "8"]
    scored = {row["id"] for row in rows if row["label"]}
    assert scored == {"1", "2", "4", "8"}
    assert (summary.rows, summary.scored, summary.errors) == (8, 4, 4)
    listed = _read_csv(errors)
    assert [(e["line"], e["row"]) for e in listed] == [
        ("6", "3"),
        ("8", "5"),
        ("9", "6"),
        ("10", "7"),
    ]
    assert "missing text" in listed[0]["error"]
    assert "undecodable bytes" in listed[1]["error"]
    assert "malformed CSV line" in listed[2]["error"]
    assert "4 fields where the header has 3" in listed[3]["error"]
    assert rows[2]["error"].startswith("line 6: missing text")
    texts = [t for c in read_chunks(source, text_column="text") for t in c.texts]
    assert texts[1] == 'a review with\nan embedded newline and "quotes"'
    assert texts[3] == "caf\u00e9 au lait"


def test_another_encoding_decodes_what_utf8_cannot(model, tmp_path):
    source = tmp_path / "latin.csv"
    source.write_bytes("text\ncaf\u00e9 cr\u00e8me\n".encode("latin-1"))
    chunk = next(read_chunks(source, encoding="latin-1"))
    assert chunk.texts == ["caf\u00e9 cr\u00e8me"] and chunk.errors == [None]


def test_fail_mode_names_the_line_and_leaves_no_partial_output(model, tmp_path):
    source = tmp_path / "reviews.csv"
    source.write_bytes(CSV_BYTES)
    output = tmp_path / "out.csv"
    with pytest.raises(ScoringError, match=r"line 6 \(row 3\): missing text"):
        score(model, source, output, chunk_size=2)
    assert not output.exists() and list(tmp_path.iterdir()) == [source]


def test_text_jsonl_tsv_gzip_and_parquet_inputs_agree(model, imdb_slice, tmp_path):
    texts = [t.replace("\n", " ") for t in imdb_slice[0][:25]]
    (tmp_path / "in.txt").write_text("\n".join(texts) + "\n")
    with gzip.open(tmp_path / "in.jsonl.gz", "wt") as file:
        file.writelines(json.dumps({"text": t}) + "\n" for t in texts)
    with open(tmp_path / "in.tsv", "w", newline="") as file:
        csv.writer(file, delimiter="\t").writerows([["text"], *[[t] for t in texts]])
    expected = model.predict(texts).tolist()
    for name in ("in.txt", "in.jsonl.gz", "in.tsv"):
        score(model, tmp_path / name, tmp_path / "labels.txt", output_format="text")
        labels = (tmp_path / "labels.txt").read_text().splitlines()
        assert list(map(int, labels)) == expected, name
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    pq.write_table(pa.table({"text": [*texts[:-1], None]}), tmp_path / "in.parquet")
    score(model, tmp_path / "in.parquet", tmp_path / "out.parquet", on_error="skip-and-report")
    table = pq.read_table(tmp_path / "out.parquet").to_pydict()
    assert table["row"] == list(range(1, 26))
    assert table["label"] == [*expected[:-1], None]
    assert table["error"][-1] == "missing text (no 'text' value)"


def test_jsonl_errors_and_empty_text_lines(model, tmp_path):
    lines = ['{"text": "fine film"}', "{oops", "[1, 2]", '{"text": 3}', '{"other": 1}', ""]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    summary = score(model, tmp_path / "in.jsonl", tmp_path / "o.jsonl", on_error="skip-and-report")
    out = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert [row["row"] for row in out] == [1, 2, 3, 4, 5, 6]
    assert out[0]["error"] is None and out[0]["label"] in (0, 1)
    messages = [row["error"] for row in out[1:]]
    assert messages == [
        "line 2: malformed JSON: Expecting property name enclosed in double quotes",
        "line 3: expected a JSON object, got list",
        "line 4: text must be a string, got int",
        "line 5: missing text (no 'text' value)",
        "line 6: empty line (no JSON object)",
    ]
    assert summary.errors == 5
    (tmp_path / "blank.txt").write_text("good\n\nbad\n")
    assert score(model, tmp_path / "blank.txt", tmp_path / "b.csv").scored == 3


class _BatchRecorder(ClassifierMixin, BaseEstimator):
    """Predicts the text length's parity and records the size of every batch."""

    def fit(self, X, y=None):
        self.classes_ = np.array([0, 1])
        return self

    def predict(self, X):
        self.batches_ = [*getattr(self, "batches_", []), len(X)]
        return np.array([len(text) % 2 for text in X])


def test_chunks_bound_each_batch_and_jobs_keep_the_order(tmp_path):
    texts = [f"document {'x' * (i % 7)} {i}" for i in range(1000)]
    (tmp_path / "in.txt").write_text("\n".join(texts) + "\n")
    recorder = _BatchRecorder().fit(None)
    score(recorder, tmp_path / "in.txt", tmp_path / "one.csv", chunk_size=64)
    assert max(recorder.batches_) == 64 and sum(recorder.batches_) == 1000
    score(recorder, tmp_path / "in.txt", tmp_path / "two.csv", chunk_size=64, n_jobs=2)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    rows = _read_csv(tmp_path / "two.csv")
    assert [int(row["label"]) for row in rows] == [len(t) % 2 for t in texts]


def test_scoring_reads_from_a_file_object_and_writes_to_stdout(model, capsys):
    score(model, io.BytesIO(b"great\nawful\n"), "-", input_format="text", output_format="jsonl")
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["row"] for row in out] == [1, 2]


def test_bad_columns_formats_and_options_are_clear(model, tmp_path):
    (tmp_path / "in.csv").write_text("body\nhello\n")
    with pytest.raises(InputFormatError, match=r"no column 'text'.*'body'"):
        score(model, tmp_path / "in.csv", tmp_path / "o.csv")
    (tmp_path / "in.data").write_text("hello\n")
    with pytest.raises(InputFormatError, match="cannot tell the format"):
        score(model, tmp_path / "in.data", tmp_path / "o.csv")
    with pytest.raises(FileNotFoundError, match="no such input file"):
        score(model, tmp_path / "absent.csv", tmp_path / "o.csv")
    with pytest.raises(ValueError, match="on_error must be one of"):
        score(model, tmp_path / "in.csv", tmp_path / "o.csv", on_error="ignore")


def test_a_saved_model_path_is_loaded_and_checked(model, tmp_path):
    save(model, tmp_path / "m.joblib")
    (tmp_path / "in.txt").write_text("good\n")
    assert score(tmp_path / "m.joblib", tmp_path / "in.txt", tmp_path / "o.csv").scored == 1


def test_importing_scoring_leaves_the_csv_field_limit_alone():
    code = ("import csv; before = csv.field_size_limit(); import textflow.scoring, "
            "textflow.cli; print(before == csv.field_size_limit())")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr


def test_reading_a_huge_csv_field_restores_the_limit(tmp_path):
    model = make_tfidf_nb_pipeline(min_df=1).fit(["good film", "bad film"], ["pos", "neg"])
    path = tmp_path / "big.csv"
    path.write_text("text\n" + "good " * 100_000 + "\n")
    before = csv.field_size_limit()
    assert score(model, path, tmp_path / "out.csv").scored == 1
    assert csv.field_size_limit() == before


def test_a_lone_surrogate_id_becomes_an_error_row(small_model, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "\\ud800", "text": "good"}\n{"id": "ok", "text": "bad"}\n')
    out = tmp_path / "out.jsonl"
    summary = score(small_model, source, out, id_column="id", on_error="skip-and-report")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert summary.rows == 2 and summary.errors == 1
    assert "not valid Unicode" in rows[0]["error"] and rows[1]["label"] == "neg"


def test_text_output_sends_skipped_reasons_to_stderr(small_model, tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "good"}\n{"oops"}\n{"text": "bad"}\n')
    out = tmp_path / "labels.txt"
    score(small_model, source, out, output_format="text", on_error="skip-and-report")
    assert out.read_text().splitlines() == ["pos", "", "neg"]
    assert "malformed JSON" in capsys.readouterr().err


def test_a_header_naming_the_text_column_twice_is_refused(small_model, tmp_path):
    from textflow.scoring import InputFormatError

    source = tmp_path / "twice.csv"
    source.write_text("text,label,text\ngood,pos,bad\n")
    with pytest.raises(InputFormatError, match=r"'text' 2 times \(columns 1, 3\)"):
        score(small_model, source, tmp_path / "out.csv")
