"""Write the golden model files that ``tests/test_golden_models.py`` loads.

Each file is a small fitted model of one kind, saved with :func:`textflow.save`, next to
the outputs it gave when it was saved (``expected.json``). The test loads the committed
files with the code of today and checks the same outputs, so a model saved by an earlier
release keeps loading after modules move. Run this only to add a kind of model, never to
"fix" a failing golden test:

    python -m tests.golden.make_golden_models
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

TEXTS = ["a wonderful warm film", "dull and boring plot", "great acting, great fun",
         "awful film, boring and bad", "warm fun", "bad acting"] * 8  # fmt: skip
LABELS = ["pos", "neg", "pos", "neg", "pos", "neg"] * 8
PROBE_TEXTS = ["a great warm film", "boring bad plot", "", "unknown words only"]
SENTENCES = [["Alice", "met", "Bob"], ["Bob", "saw", "Carol", "today"]] * 10
TAGS = [["B-PER", "O", "B-PER"], ["B-PER", "O", "B-PER", "O"]] * 10
PROBE_SENTENCES = [["Dave", "met", "Alice"], [], ["Carol", "saw", "Bob", "today", "again"]]
CORPUS = ["one two three four five six"] * 20
SOURCES = ["ein Hund", "eine Katze", "ein Haus", "eine Maus"] * 10
TARGETS = ["a dog", "a cat", "a house", "a mouse"] * 10


def classifier_models():
    from sklearn.pipeline import Pipeline

    from tests.conftest import build_dense
    from textflow import SequencePadder, TextsToSequences, Tokenizer
    from textflow.models import KerasClassifier, RNNClassifier, make_tfidf_svm_pipeline

    tfidf = make_tfidf_svm_pipeline().fit(TEXTS, LABELS)
    rnn = Pipeline([
        ("tok", Tokenizer()), ("seq", TextsToSequences()), ("pad", SequencePadder(maxlen=6)),
        ("clf", RNNClassifier(cell="gru", units=4, embedding_dim=4, epochs=2, random_state=0)),
    ]).fit(TEXTS, LABELS)  # fmt: skip
    X, y = numeric_data()
    dense = KerasClassifier(build_dense, model__hidden=4, epochs=2,
                            random_state=0).fit(X, y)  # fmt: skip
    return {"tfidf_svm": tfidf, "rnn_classifier": rnn, "keras_classifier": dense}


def numeric_data():
    X = np.random.RandomState(0).rand(40, 3).astype("float32")
    return X, np.where(X[:, 0] > 0.5, "high", "low")


def outputs(kind, model):
    """What each kind of model is checked on: plain JSON lists."""
    if kind == "tfidf_svm":
        return {"predict": model.predict(PROBE_TEXTS).tolist(),
                "decision_function": model.decision_function(PROBE_TEXTS).tolist()}  # fmt: skip
    if kind == "keras_classifier":
        X = numeric_data()[0][:5]
        return {
            "predict": model.predict(X).tolist(),
            "predict_proba": model.predict_proba(X).tolist(),
        }
    if kind == "rnn_classifier":
        return {"predict": model.predict(PROBE_TEXTS).tolist(),
                "predict_proba": model.predict_proba(PROBE_TEXTS).tolist()}  # fmt: skip
    if kind == "language_model":
        return {"perplexity": model.perplexity(["one two three four"]),
                "predict_next": [[w, p] for w, p in model.predict_next("one two", k=3)],
                "complete": model.complete("three", beam_width=2)}  # fmt: skip
    if kind in ("tagger", "feature_crf"):
        out = {"predict": [list(map(str, tags)) for tags in model.predict(PROBE_SENTENCES)]}
        if kind == "tagger":
            out["predict_proba"] = [p.tolist() for p in model.predict_proba(PROBE_SENTENCES)]
        return out
    if kind == "translator":
        return {"predict": model.predict(["eine Katze", "ein Hund", "ein Maus Haus"]),
                "beam": model.set_params(beam_width=3).predict(["eine Maus"])}  # fmt: skip
    if kind == "forecaster":
        return {"predict": np.asarray(model.predict(6)).tolist(),
                "predict_interval": np.asarray(model.predict_interval(3)).tolist()}  # fmt: skip
    raise ValueError(kind)


def build_models():
    from textflow.models import (
        RNNLanguageModel,
        RNNTagger,
        Seq2SeqTranslator,
        make_crf_tagger,
    )
    from textflow.series import RNNForecaster

    models = classifier_models()
    models["language_model"] = RNNLanguageModel(
        units=8, num_layers=1, bptt=6, batch_size=4, epochs=3, random_state=0
    ).fit(CORPUS)
    models["tagger"] = RNNTagger(units=4, char_filters=4, char_dim=4, embedding_dim=4,
                                 epochs=2, random_state=0).fit(SENTENCES, TAGS)  # fmt: skip
    models["feature_crf"] = make_crf_tagger(max_iterations=10).fit(SENTENCES, TAGS)
    models["translator"] = Seq2SeqTranslator(
        units=8, embedding_dim=4, epochs=2, subwords=20, early_stopping=False,
        random_state=0).fit(SOURCES, TARGETS)  # fmt: skip
    series = 10 + np.sin(np.arange(80) * 2 * np.pi / 12) + np.arange(80) * 0.05
    models["forecaster"] = RNNForecaster(period=12, horizon=6, units=4, epochs=3,
                                         random_state=0).fit(series)  # fmt: skip
    return models


def main():
    import textflow

    expected = {}
    for kind, model in build_models().items():
        textflow.save(model, HERE / f"{kind}.joblib", compress=3,
                      metadata={"golden": kind})  # fmt: skip
        expected[kind] = outputs(kind, model)
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print("wrote", ", ".join(sorted(expected)))


if __name__ == "__main__":
    main()
