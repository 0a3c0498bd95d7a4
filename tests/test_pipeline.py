"""Whole preprocessing pipelines: n_jobs equivalence, joblib round trip in a fresh process."""

import subprocess
import sys
import textwrap

import joblib
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from textflow import (
    HTMLStripper,
    Lemmatizer,
    Lowercaser,
    PunctuationStripper,
    Stemmer,
    StopwordRemover,
    TextCleaner,
    Tokenizer,
)


def preprocessing(n_jobs=None):
    return Pipeline([
        ("clean", TextCleaner(n_jobs=n_jobs)),
        ("tok", Tokenizer(n_jobs=n_jobs)),
        ("low", Lowercaser()),
        ("punct", PunctuationStripper()),
        ("stop", StopwordRemover()),
        ("stem", Stemmer(n_jobs=n_jobs)),
    ])  # fmt: skip


def test_pipeline_on_real_reviews(imdb_slice):
    X, _ = imdb_slice
    out = preprocessing().fit_transform(X)
    assert len(out) == len(X)
    flat = [token for doc in out for token in doc]
    assert "br" not in flat  # HTML line breaks are gone
    assert "the" not in flat and "not" in flat  # stop words gone, negations kept
    assert all(token == token.lower() for token in flat)


def test_n_jobs_gives_the_serial_output(imdb_slice, monkeypatch):
    from textflow import _base

    monkeypatch.setattr(_base, "MIN_DOCS_PER_JOB", 10)  # force real chunking on 200 docs
    X, _ = imdb_slice
    serial = preprocessing().fit_transform(X)
    parallel = preprocessing(n_jobs=2).fit_transform(X)
    assert parallel == serial
    assert Lemmatizer(n_jobs=2).fit_transform(serial) == Lemmatizer().fit_transform(serial)


def test_clone_and_set_params():
    pipe = preprocessing()
    pipe.set_params(stem__algorithm="snowball", tok__lowercase=True)
    copy = clone(pipe)
    assert copy.get_params()["stem__algorithm"] == "snowball"
    assert copy.get_params()["tok__lowercase"] is True


def test_invalid_parameter_fails_at_fit():
    with pytest.raises(ValueError, match="'method' parameter of Tokenizer must be"):
        Tokenizer(method="nope").fit(["a"])


def test_joblib_round_trip_in_a_fresh_process(tmp_path, imdb_slice):
    X, _ = imdb_slice
    docs = X[:40]
    pipe = preprocessing().fit(docs)
    model = tmp_path / "pre.joblib"
    data = tmp_path / "docs.joblib"
    joblib.dump(pipe, model)
    joblib.dump(docs, data)
    script = textwrap.dedent(f"""
        import joblib, sys
        pipe = joblib.load({str(model)!r})
        assert "keras" not in sys.modules and "gensim" not in sys.modules
        joblib.dump(pipe.transform(joblib.load({str(data)!r})), {str(tmp_path / "out")!r})
    """)
    subprocess.run([sys.executable, "-c", script], check=True)
    assert joblib.load(tmp_path / "out") == pipe.transform(docs)


def test_html_stripper_before_tokenizer_removes_br(imdb_slice):
    X, _ = imdb_slice
    with_br = [doc for doc in X if "<br />" in doc]
    tokens = Tokenizer().fit_transform(HTMLStripper().fit_transform(with_br))
    assert with_br and not any("br" in doc for doc in tokens)
