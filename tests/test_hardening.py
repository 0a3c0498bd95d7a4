"""Regression tests for silent data loss or corruption, unclear errors and side effects."""

import csv
import json
import random
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from textflow import (
    InvalidDocumentError,
    KerasClassifier,
    NBSVMClassifier,
    RNNClassifier,
    SequencePadder,
    TextsToSequences,
    TokenCorpus,
    Tokenizer,
    load,
    save,
    score,
)
from textflow.models import (
    make_pipeline_from_config,
    make_tfidf_nb_pipeline,
    make_tfidf_svm_pipeline,
)
from textflow.models._presets import ConfigError

from .conftest import TEST_PARAMS

# --- corpora that are not ordered sequences --------------------------------------


@pytest.mark.parametrize(
    "corpus", [{"a": "good film", "b": "bad"}, {"good film", "bad"}, frozenset({"x"}),
               {"a": 1}.keys()], ids=["dict", "set", "frozenset", "keys"],
)  # fmt: skip
def test_unordered_or_mapping_corpora_are_refused(corpus):
    with pytest.raises(InvalidDocumentError, match="ordered corpus"):
        Tokenizer().fit_transform(corpus)


def test_dict_values_and_generators_keep_their_order():
    docs = {"a": "one", "b": "two words"}
    assert Tokenizer().fit_transform(docs.values()) == [["one"], ["two", "words"]]
    assert Tokenizer().fit_transform(d for d in ["x y", "z"]) == [["x", "y"], ["z"]]


def test_documented_corpus_errors_are_invalid_document_errors():
    pd = pytest.importorskip("pandas")
    with pytest.raises(InvalidDocumentError, match="one-column DataFrame"):
        Tokenizer().fit(pd.DataFrame({"a": ["x"], "b": ["y"]}))
    with pytest.raises(InvalidDocumentError, match="empty corpus"):
        Tokenizer().fit([])
    with pytest.raises(InvalidDocumentError, match="empty corpus"):
        SequencePadder().fit([])


# --- ids that do not fit ------------------------------------------------------------


@pytest.mark.parametrize("big", [2**40, 2**31, 2**32 + 5])
def test_padder_refuses_ids_its_dtype_cannot_hold(big):
    with pytest.raises(InvalidDocumentError, match=rf"Document 0 has the id {big}.*int32"):
        SequencePadder().fit_transform([[big, 2], [3]])


def test_padder_keeps_large_ids_with_a_wide_dtype():
    out = SequencePadder(dtype="int64").fit_transform([[2**40, 2], [3]])
    assert out.tolist() == [[2**40, 2], [3, 0]]


def test_rnn_classifier_refuses_ids_beyond_int32():
    X = np.array([[2**33, 1], [1, 2]], dtype=np.int64)
    with pytest.raises(ValueError, match="beyond the int32 range"):
        RNNClassifier(**TEST_PARAMS["RNNClassifier"]).fit(X, ["a", "b"])


# --- labels -----------------------------------------------------------------------


MIXED = [1, "neg", 1, "neg"]


@pytest.mark.parametrize("make", [make_tfidf_nb_pipeline, make_tfidf_svm_pipeline],
                         ids=["nb", "svm"])  # fmt: skip
def test_pipelines_refuse_mixed_label_types(make):
    with pytest.raises(ValueError, match=r"mixes label types.*position 1"):
        make(min_df=1).fit(["good", "bad", "fine", "awful"], MIXED)


def test_estimators_refuse_mixed_label_types():
    X = np.abs(np.random.RandomState(0).rand(4, 3))
    with pytest.raises(ValueError, match="mixes label types"):
        NBSVMClassifier().fit(X, MIXED)
    with pytest.raises(ValueError, match="mixes label types"):
        RNNClassifier(**TEST_PARAMS["RNNClassifier"]).fit(np.ones((4, 2), int), MIXED)
    with pytest.raises(ValueError, match=r"missing label.*position 2"):
        NBSVMClassifier().fit(X, ["a", "b", None, "a"])


def test_naive_bayes_pipeline_refuses_one_class_like_the_others():
    texts = ["good film", "great film"]
    for make in (make_tfidf_nb_pipeline, make_tfidf_svm_pipeline):
        with pytest.raises(ValueError, match="class"):
            make(min_df=1).fit(texts, ["pos", "pos"])
    with pytest.raises(ValueError) as message:
        make_tfidf_nb_pipeline(min_df=1).fit(texts, ["p", "p"])
    assert "np.str_" not in str(message.value)


# --- Keras classifiers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "X, missing",
    [(["a good film", "bad"], "TextsToSequences"), ([["a", "b"], ["c"]], "TextsToSequences"),
     ([[1, 2, 3], [4]], "SequencePadder")],
    ids=["raw text", "token lists", "ragged ids"],
)  # fmt: skip
def test_rnn_classifier_names_the_missing_steps(X, missing):
    with pytest.raises(ValueError, match=missing):
        RNNClassifier(**TEST_PARAMS["RNNClassifier"]).fit(X, ["a", "b"])


def test_rnn_classifier_validates_the_embeddings_name_before_training():
    clf = RNNClassifier(**TEST_PARAMS["RNNClassifier"], embeddings="glove")
    with pytest.raises(ValueError, match="embeddings"):
        clf.fit(np.ones((4, 3), int), ["a", "b", "a", "b"])
    assert not hasattr(clf, "classes_") and not hasattr(clf, "vocab_size_")


def test_a_failed_fit_leaves_no_fitted_attributes():
    def broken(meta):
        raise RuntimeError("the model cannot be built")

    clf = KerasClassifier(broken, epochs=1)
    with pytest.raises(RuntimeError):
        clf.fit(np.ones((4, 2), np.float32), ["a", "b", "a", "b"])
    assert [key for key in vars(clf) if key.endswith("_")] == []
    with pytest.raises(NotFittedError):
        clf.predict(np.ones((1, 2), np.float32))


def test_seeded_fit_leaves_global_random_generators_alone():
    legacy_numpy = np.random  # the global generator users may still seed
    random.seed(123)
    legacy_numpy.seed(123)
    expected = (random.random(), legacy_numpy.rand())
    random.seed(123)
    legacy_numpy.seed(123)
    X = np.random.RandomState(1).randint(1, 9, size=(8, 3))
    RNNClassifier(**TEST_PARAMS["RNNClassifier"]).fit(X, ["a", "b"] * 4)
    assert (random.random(), legacy_numpy.rand()) == expected


# --- fitted-ness and purity of transform --------------------------------------------


def _unfitted_steps():
    steps = [TextsToSequences(), SequencePadder()]
    pytest.importorskip("gensim")
    from textflow import FastTextVectorizer, Word2VecVectorizer

    steps += [Word2VecVectorizer(**TEST_PARAMS["Word2VecVectorizer"]),
              FastTextVectorizer(**TEST_PARAMS["FastTextVectorizer"])]  # fmt: skip
    return steps


def test_transform_before_fit_raises_not_fitted():
    for step in _unfitted_steps():
        data = [[1, 2], [3]] if isinstance(step, SequencePadder) else [["a", "b"], ["c"]]
        with pytest.raises(NotFittedError):
            step.transform(data)


def test_transform_does_not_change_the_estimator():
    for step in _unfitted_steps():
        data = [[1, 2], [3]] if isinstance(step, SequencePadder) else [["a", "b"], ["c", "a"]]
        fitted = clone(step).fit(data)
        before = {key: repr(value) for key, value in vars(fitted).items()}
        fitted.transform(data)
        fitted.transform([["z"]] if not isinstance(step, SequencePadder) else [[9]])
        assert {key: repr(value) for key, value in vars(fitted).items()} == before


# --- TokenCorpus ---------------------------------------------------------------------


def test_token_corpus_concatenates_like_a_list():
    corpus = TokenCorpus.from_lists([["a", "b"], []])
    assert (corpus + corpus).tolist() == [["a", "b"], [], ["a", "b"], []]
    assert ([["x"]] + corpus).tolist() == [["x"], ["a", "b"], []]  # noqa: RUF005
    assert isinstance(corpus + [["z"]], TokenCorpus)  # noqa: RUF005
    with pytest.raises(InvalidDocumentError):
        corpus + [["a", 1]]  # noqa: RUF005
    with pytest.raises(TypeError):
        corpus + "abc"


# --- data sets ---------------------------------------------------------------------


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


# --- process-wide side effects -----------------------------------------------------


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


# --- saving --------------------------------------------------------------------------


def test_save_into_a_missing_folder_names_the_folder(tmp_path):
    model = make_tfidf_nb_pipeline(min_df=1).fit(["good film", "bad film"], ["pos", "neg"])
    target = tmp_path / "nowhere" / "model.joblib"
    with pytest.raises(FileNotFoundError, match=r"the folder .*nowhere does not exist") as info:
        save(model, target)
    assert ".tmp" not in str(info.value)
    with pytest.raises(IsADirectoryError, match="is a folder"):
        save(model, tmp_path)


def test_load_accepts_the_payload_or_the_whole_file_checksum(tmp_path):
    import hashlib

    model = make_tfidf_nb_pipeline(min_df=1).fit(["good film", "bad film"], ["pos", "neg"])
    path = tmp_path / "m.joblib"
    info = save(model, path)
    whole_file = hashlib.sha256(path.read_bytes()).hexdigest()
    for digest in (info["sha256"], whole_file, whole_file.upper()):
        assert load(path, expected_sha256=digest).predict(["good"]).tolist() == ["pos"]
    from textflow import ModelFileError

    with pytest.raises(ModelFileError, match="not the one you trust"):
        load(path, expected_sha256="0" * 64)


# --- configs are data, not code ---------------------------------------------------------


@pytest.mark.parametrize("target, params", [
    ("os.system", {"command": "echo hacked"}),
    ("builtins.open", {"file": "x.txt", "mode": "w"}),
    ("subprocess.run", {"args": ["touch", "x"]}),
    ("eval", {}),
    ("textflow.load", {"path": "x"}),
    ("sklearn.base.clone", {"estimator": None}),
    ("textflow.models._presets.read_config", {"path": "x"}),
])  # fmt: skip
def test_config_refuses_anything_but_estimators_without_calling_it(target, params, monkeypatch):
    calls = []
    import builtins
    import os
    import subprocess as sp

    monkeypatch.setattr(os, "system", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(sp, "run", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(builtins, "open", lambda *a, **k: calls.append(a))
    config = {"steps": [{"name": "tok", "estimator": "Tokenizer"},
                        {"name": "bad", "estimator": target, "params": params}]}  # fmt: skip
    with pytest.raises(ConfigError, match=r"refusing|unknown estimator"):
        make_pipeline_from_config(config)
    assert calls == []


def test_config_allows_a_module_the_user_names(tmp_path, monkeypatch):
    (tmp_path / "mysteps.py").write_text(
        "from sklearn.base import BaseEstimator, TransformerMixin\n"
        "class Upper(TransformerMixin, BaseEstimator):\n"
        "    def fit(self, X, y=None):\n        return self\n"
        "    def transform(self, X):\n        return [x.upper() for x in X]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    config = {"steps": [{"name": "up", "estimator": "mysteps.Upper"}]}
    with pytest.raises(ConfigError, match="--allow-module"):
        make_pipeline_from_config(config)
    pipe = make_pipeline_from_config(config, allow_modules=["mysteps"])
    assert pipe.fit_transform(["a b"]) == ["A B"]


# --- scoring edge cases -----------------------------------------------------------------


@pytest.fixture(scope="module")
def small_model():
    return make_tfidf_nb_pipeline(min_df=1).fit(["good film", "bad film"], ["pos", "neg"])


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


def _textflow(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "textflow", *map(str, args)],
                          capture_output=True, text=True, input=stdin)  # fmt: skip


def test_csv_on_stdin_without_a_format_is_not_scored_header_and_all(small_model, tmp_path):
    path = tmp_path / "m.joblib"
    save(small_model, path)
    result = _textflow("score", path, "-", stdin="id,text\n1,good film\n")
    assert result.returncode == 2 and "--format csv" in result.stderr
    assert result.stdout == ""
    result = _textflow("score", path, "-", "--format", "csv", stdin="id,text\n1,good film\n")
    assert result.returncode == 0 and result.stdout.splitlines()[1].startswith("1,pos")
    plain = _textflow("score", path, "-", stdin="good film\nbad film\n")
    assert plain.returncode == 0 and plain.stdout.splitlines() == ["pos", "neg"]


def test_evaluate_counts_labels_the_model_never_saw(small_model, tmp_path):
    path = tmp_path / "m.joblib"
    save(small_model, path)
    data = tmp_path / "d.csv"
    data.write_text("text,label\ngood film,pos\nbad film,neg\nso so,meh\n")
    result = _textflow("evaluate", path, "--data", data, "--json")
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
    result = _textflow("score", path, "-", "--sha256", f"@{listing}", stdin="good film\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["pos"]
    listing.write_text(f"{'0' * 64}  m.joblib\n")
    refused = _textflow("score", path, "-", "--sha256", f"@{listing}", stdin="good film\n")
    assert refused.returncode == 2 and "not the one you trust" in refused.stderr
