"""textflow.save / load / read_info: round trips, integrity checks, atomic writes."""

import json
import signal
import subprocess
import sys
import time

import joblib
import numpy as np
import pytest

from textflow import ModelFileError, VersionMismatchWarning, load, read_info, save
from textflow._persistence import MAGIC
from textflow.models import (
    make_nbsvm_pipeline,
    make_preset_pipeline,
    make_tfidf_nb_pipeline,
    make_tfidf_svm_pipeline,
)


@pytest.fixture(scope="module")
def fitted(imdb_slice):
    X, y = imdb_slice
    return make_tfidf_nb_pipeline().fit(X, y), X


def _rewrite_header(path, change):
    data = path.read_bytes()
    start = len(MAGIC)
    length = int.from_bytes(data[start : start + 8], "big")
    header = json.loads(data[start + 8 : start + 8 + length])
    change(header)
    raw = json.dumps(header).encode()
    path.write_bytes(MAGIC + len(raw).to_bytes(8, "big") + raw + data[start + 8 + length :])


def test_metadata_records_versions_classes_and_checksum(fitted, tmp_path):
    model, _ = fitted
    info = save(model, tmp_path / "m.joblib", metadata={"note": "slice"})
    read = read_info(tmp_path / "m.joblib")
    assert read["sha256"] == info["sha256"] and len(info["sha256"]) == 64
    assert read["classes"] == [0, 1] and read["has_predict_proba"]
    assert read["steps"][-1] == ["clf", "MultinomialNB"]
    assert {"python", "textflow", "scikit-learn", "nltk", "joblib"} <= read["versions"].keys()
    assert read["metadata"] == {"note": "slice"}
    assert read["created"].endswith("+00:00")
    assert read["file_bytes"] == (tmp_path / "m.joblib").stat().st_size


def _tiny_word2vec():
    pytest.importorskip("gensim")
    return make_preset_pipeline("word2vec-logreg", vec__vector_size=8, vec__epochs=2)


def _tiny_gru():
    from textflow._keras._backend import import_keras

    try:
        import_keras()
    except ImportError:
        pytest.skip("Keras is not installed")
    pytest.importorskip("gensim")  # the preset starts from Word2Vec vectors
    return make_preset_pipeline(
        "gru", seq__num_words=500, pad__maxlen=20, clf__units=4, clf__embedding_dim=4,
        clf__epochs=1, clf__early_stopping=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "factory",
    [
        make_tfidf_nb_pipeline,
        make_tfidf_svm_pipeline,
        make_nbsvm_pipeline,
        _tiny_word2vec,
        _tiny_gru,
    ],
)
def test_round_trip_in_a_fresh_process_gives_identical_predictions(factory, imdb_slice, tmp_path):
    X, y = imdb_slice
    model = factory().fit(X, y)
    path = tmp_path / "model.joblib"
    info = save(model, path)
    np.save(tmp_path / "expected.npy", model.predict(X))
    (tmp_path / "texts.json").write_text(json.dumps(list(X)))
    code = (
        "import json, sys, numpy as np, textflow\n"
        f"model = textflow.load(sys.argv[1], expected_sha256={info['sha256']!r})\n"
        "texts = json.load(open(sys.argv[2]))\n"
        "assert (model.predict(texts) == np.load(sys.argv[3])).all()\n"
        "print('same')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, path, tmp_path / "texts.json", tmp_path / "expected.npy"],
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "same", out.stderr


def test_compression_shrinks_the_file_and_loads_the_same(fitted, tmp_path):
    model, X = fitted
    plain = save(model, tmp_path / "plain.joblib")
    small = save(model, tmp_path / "small.joblib", compress=3)
    assert small["payload_bytes"] < 0.7 * plain["payload_bytes"]
    assert read_info(tmp_path / "small.joblib")["compress"] == 3
    loaded = load(tmp_path / "small.joblib")
    assert (loaded.predict_proba(X) == model.predict_proba(X)).all()


@pytest.mark.parametrize("cut", [3, len(MAGIC) + 4, len(MAGIC) + 8 + 10, -1, -500])
def test_a_truncated_file_is_refused_with_its_name(fitted, tmp_path, cut):
    path = tmp_path / "cut.joblib"
    save(fitted[0], path)
    path.write_bytes(path.read_bytes()[:cut])
    with pytest.raises(ModelFileError, match=r"cut\.joblib.*(truncated|magic)"):
        load(path)


def test_an_altered_payload_fails_the_checksum_before_unpickling(fitted, tmp_path):
    path = tmp_path / "m.joblib"
    save(fitted[0], path)
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="checksum mismatch"):
        load(path)


def test_a_tampered_header_or_foreign_file_is_refused(fitted, tmp_path):
    path = tmp_path / "m.joblib"
    save(fitted[0], path)
    _rewrite_header(path, lambda header: header.update(payload_bytes=header["payload_bytes"] - 1))
    with pytest.raises(ModelFileError, match="unexpected bytes after the payload"):
        load(path)
    path.write_bytes(MAGIC + (5).to_bytes(8, "big") + b"{oops")
    with pytest.raises(ModelFileError, match="corrupted header"):
        load(path)
    joblib.dump(fitted[0], tmp_path / "plain.pkl")
    with pytest.raises(ModelFileError, match="plain pickle/joblib file"):
        load(tmp_path / "plain.pkl")
    (tmp_path / "text.txt").write_text("hello")
    with pytest.raises(ModelFileError, match=r"text\.txt: not a textflow model file"):
        read_info(tmp_path / "text.txt")
    with pytest.raises(FileNotFoundError, match=r"absent\.joblib"):
        load(tmp_path / "absent.joblib")


def test_a_pinned_hash_must_match(fitted, tmp_path):
    path = tmp_path / "m.joblib"
    info = save(fitted[0], path)
    assert load(path, expected_sha256=info["sha256"].upper()) is not None
    with pytest.raises(ModelFileError, match="is not the expected"):
        load(path, expected_sha256="0" * 64)


def test_version_mismatches_warn_and_name_the_library(fitted, tmp_path):
    path = tmp_path / "m.joblib"
    save(fitted[0], path)
    _rewrite_header(path, lambda header: header["versions"].update({"scikit-learn": "0.1"}))
    with pytest.warns(VersionMismatchWarning, match=r"scikit-learn 0\.1 \(now "):
        load(path)


class _Explodes:
    def __reduce__(self):
        return (_raise_on_load, ())


def _raise_on_load():
    raise RuntimeError("unpickled")


def test_read_info_never_unpickles(tmp_path):
    path = tmp_path / "m.joblib"
    save(_Explodes(), path)
    assert read_info(path)["estimator"].endswith("_Explodes")
    with pytest.raises(RuntimeError, match="unpickled"):
        load(path)


SAVER = """
import sys, numpy as np, textflow
payload = np.full(int(sys.argv[2]), float(sys.argv[3]))
print("ready", flush=True)
while True:
    textflow.save(payload, sys.argv[1])
"""


def test_a_save_killed_mid_write_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "model.joblib"
    save(np.zeros(10), path)
    for attempt in range(4):
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, path, str(6_000_000), str(attempt + 1)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 10
        while not list(tmp_path.glob(".model.joblib.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(0.02 * attempt)
        process.send_signal(signal.SIGKILL)
        process.wait()
        loaded = load(path, check_versions=False)
        assert loaded.shape in {(10,), (6_000_000,)}
        assert len(np.unique(loaded)) == 1


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


def test_an_unfitted_model_is_refused_unless_asked_for(tmp_path):
    from textflow import UnfittedModelError

    with pytest.raises(UnfittedModelError, match=r"never fitted.*MultinomialNB"):
        save(make_tfidf_nb_pipeline(), tmp_path / "template.joblib")
    assert not (tmp_path / "template.joblib").exists()
    save(make_tfidf_nb_pipeline(), tmp_path / "template.joblib", allow_unfitted=True)
    assert (tmp_path / "template.joblib").is_file()


def test_metadata_may_not_shadow_the_header(tmp_path):
    model = make_tfidf_nb_pipeline(min_df=1).fit(["good film", "bad film"], ["pos", "neg"])
    with pytest.raises(ValueError, match=r"header's own keys \['sha256'\]"):
        save(model, tmp_path / "m.joblib", metadata={"sha256": "0" * 64})
    info = save(model, tmp_path / "m.joblib", metadata={"trained_on": "x"})
    assert read_info(tmp_path / "m.joblib")["sha256"] == info["sha256"]
