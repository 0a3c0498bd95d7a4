"""Every task from the command line, as the README shows it: train -> evaluate -> use, on
files in the documented formats (tiny settings)."""

import csv
import json
import math

import pytest

from textflow.cli import main

try:  # textflow picks an installed backend; a bare `import keras` may not
    from textflow._keras._backend import import_keras

    import_keras()
except ImportError as error:  # pragma: no cover
    pytest.skip(f"Keras is not usable here: {error}", allow_module_level=True)

WORDS = ["Paris", "Bob", "apple", "runs", "42", "7", "Zed", "tree", "1999", "Kim"]


def shape_tag(word):
    return "B-CAP" if word[0].isupper() else "B-NUM" if word[0].isdigit() else "O"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    import random

    folder = tmp_path_factory.mktemp("tasks")
    rng = random.Random(0)
    sentences = [rng.choices(WORDS, k=rng.randint(2, 6)) for _ in range(60)]
    with open(folder / "train.conll", "w") as handle:
        for sentence in sentences:
            handle.write("".join(f"{w} POS {shape_tag(w)}\n" for w in sentence) + "\n")
    with open(folder / "train.jsonl", "w") as handle:
        for sentence in sentences:
            tags = [shape_tag(w) for w in sentence]
            handle.write(json.dumps({"tokens": sentence, "tags": tags}) + "\n")
    pairs = [("der Hund schläft im Haus", "the dog sleeps in the house"),
             ("die Katze spielt im Garten", "the cat plays in the garden"),
             ("das Kind liest ein Buch", "the child reads a book"),
             ("die Maus frisst den Käse", "the mouse eats the cheese")] * 12  # fmt: skip
    with open(folder / "pairs.tsv", "w") as handle:
        handle.write("de\ten\n" + "".join(f"{de}\t{en}\n" for de, en in pairs))
    with open(folder / "sales.csv", "w") as handle:
        handle.write("month,sales,promotion\n")
        for i in range(72):
            value = 10 + 3 * math.sin(i * 2 * math.pi / 12) + 0.1 * i + 2 * (i % 5 == 0)
            handle.write(f"{2000 + i // 12}-{i % 12 + 1:02d}-01,{value:.4f},{int(i % 5 == 0)}\n")
    return folder


TAGGER = ["--set", "tagger__embeddings=null", "--set", "tagger__units=8",
          "--set", "tagger__char_filters=8", "--set", "tagger__epochs=8",
          "--set", "tagger__learning_rate=0.02"]  # fmt: skip


@pytest.mark.slow
def test_a_tagger_from_conll_columns_to_tagged_sentences(folder, capsys):
    model = folder / "ner.joblib"
    out, _ = run(capsys, "train", "--preset", "ner", *TAGGER, "--data", folder / "train.conll",
                 "--tag-column", "2", "--test-size", "0.2", "-o", model)  # fmt: skip
    assert "held-out entity f1" in out and "saved to" in out
    out, _ = run(capsys, "evaluate", model, "--data", folder / "train.jsonl", "--json",
                 "--plot", folder / "f1.png")  # fmt: skip
    report = json.loads(out[: out.rindex("}") + 1])
    assert set(report["per_type"]) >= {"CAP", "NUM"} and 0 <= report["entity_f1"] <= 1
    assert report["token_accuracy"] > 0.5 and (folder / "f1.png").stat().st_size > 1000
    (folder / "new.txt").write_text("Bob runs 42\nKim\n")
    run(capsys, "tag", model, folder / "new.txt", "-o", folder / "tagged.conll")
    tagged = (folder / "tagged.conll").read_text()
    assert tagged.startswith("# row 1\nBob\t") and tagged.count("# row") == 2


@pytest.mark.slow
def test_the_feature_crf_from_json_lines(folder, capsys):
    model = folder / "crf.joblib"
    run(capsys, "train", "--preset", "crf", "--data", folder / "train.jsonl", "-o", model)
    out, _ = run(capsys, "evaluate", model, "--data", folder / "train.conll", "--tag-column",
                 "2")  # fmt: skip
    assert "entity F1 1.0000" in out
    (folder / "more.txt").write_text("Zed 7\n")
    out, _ = run(capsys, "tag", model, folder / "more.txt")
    assert json.loads(out.splitlines()[0])["tags"] == ["B-CAP", "B-NUM"]


@pytest.mark.slow
def test_a_forecaster_from_a_csv_series_with_a_regressor(folder, capsys):
    model = folder / "sales.joblib"
    data = ["--data", folder / "sales.csv", "--time-column", "month", "--value-column",
            "sales", "--exogenous-column", "promotion"]  # fmt: skip
    settings = ["--set", "forecaster__units=8", "--set", "forecaster__epochs=30"]
    out, _ = run(capsys, "train", "--preset", "forecaster", *data, *settings, "--horizon",
                 "6", "--test-size", "0.1", "-o", model)  # fmt: skip
    assert "(period 12)" in out and "held-out mase" in out
    out, _ = run(capsys, "evaluate", model, *data, "--json", "--plot", folder / "fc.png")
    report = json.loads(out[: out.rindex("}") + 1])
    assert report["horizon"] == 6 and report["period"] == 12 and report["mase"] < 5
    future = folder / "future.csv"  # the model was fitted on 65 values: up to 2005-05
    future.write_text("month,promotion\n" + "".join(
        f"2005-{m:02d}-01,{int(m == 8)}\n" for m in range(6, 12)))  # fmt: skip
    run(capsys, "forecast", model, "--horizon", "6", "--coverage", "0.8", "--exogenous",
        future, "-o", folder / "forecast.csv")  # fmt: skip
    rows = list(csv.DictReader((folder / "forecast.csv").open()))
    assert [row["time"][:7] for row in rows] == [f"2005-{m:02d}" for m in range(6, 12)]
    assert all(float(row["lower"]) <= float(row["upper"]) for row in rows)
    wrong = folder / "wrong.csv"
    wrong.write_text("month,promotion\n" + "".join(f"2007-{m:02d}-01,0\n" for m in range(1, 7)))
    assert main(["forecast", str(model), "--horizon", "6", "--exogenous", str(wrong)]) == 2
    assert "is not the step's 2005-06-01" in capsys.readouterr().err


@pytest.mark.slow
def test_a_translator_from_a_tsv_of_pairs(folder, capsys):
    model = folder / "de_en.joblib"
    settings = ["--set", "translator__units=16", "--set", "translator__embedding_dim=8",
                "--set", "translator__epochs=40", "--set", "translator__learning_rate=0.02",
                "--set", "translator__subwords=null", "--set", "translator__early_stopping=false",
                "--set", "translator__dropout=0"]  # fmt: skip
    columns = ["--source-column", "de", "--target-column", "en"]
    out, _ = run(capsys, "train", "--preset", "translator", *settings, "--data",
                 folder / "pairs.tsv", *columns, "-o", model)  # fmt: skip
    assert "saved to" in out
    out, _ = run(capsys, "evaluate", model, "--data", folder / "pairs.tsv", *columns, "--json")
    report = json.loads(out[: out.rindex("}") + 1])
    assert report["pairs"] == 48 and report["bleu"] > 50
    (folder / "german.txt").write_text("die Katze spielt im Garten\ndas Kind liest ein Buch\n")
    out, _ = run(capsys, "translate", model, folder / "german.txt")
    assert out.splitlines() == ["the cat plays in the garden", "the child reads a book"]


@pytest.mark.parametrize("argv, message", [
    (["train", "--preset", "ner", "--dataset", "imdb", "-o", "{folder}/m.joblib"],
     "--dataset imdb is classification data; this model does tagging"),
    (["train", "--preset", "tfidf-nb", "--dataset", "airline", "-o", "{folder}/m.joblib"],
     "--dataset airline is forecasting data"),
    (["train", "--preset", "ner", "--data", "{folder}/pairs.tsv", "-o", "{folder}/m.joblib"],
     "line 2: 11 columns where the lines before have 2"),
    (["train", "--preset", "forecaster", "--data", "{folder}/sales.csv", "-o",
      "{folder}/m.joblib"], "--value-column names the column to forecast"),
    (["train", "--preset", "forecaster", "--data", "{folder}/sales.csv", "--value-column",
      "price", "-o", "{folder}/m.joblib"], "no column 'price'"),
    (["train", "--preset", "translator", "--data", "{folder}/pairs.tsv", "-o",
      "{folder}/m.joblib"], "no column 'source'"),
])  # fmt: skip
def test_bad_task_data_is_one_line_before_training(folder, capsys, argv, message):
    code = main([a.format(folder=folder) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1 and message in err, err
    assert "training" not in out
