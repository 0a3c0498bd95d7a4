"""Every command, given a table of bad arguments: exit 2, one line on stderr, no traceback.

Each case must also fail *before* the long work starts: the commands that train or
score print nothing on standard output when their options are wrong.
"""

import gzip
import json
import os
from pathlib import Path

import pytest

from textflow import save
from textflow.cli import main
from textflow.models import make_tfidf_nb_pipeline

TEXTS = ["a good film", "a bad film", "good acting", "bad acting", "great", "awful"] * 4
LABELS = ["pos", "neg", "pos", "neg", "pos", "neg"] * 4


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-arguments")
    model = folder / "model.joblib"
    save(make_tfidf_nb_pipeline(min_df=1).fit(TEXTS, LABELS), model)
    paths = {"model": model, "folder": folder / "a-folder", "dir_model": folder / "a-folder"}
    paths["folder"].mkdir()
    (folder / "a-file.txt").write_text("not a folder\n")
    paths["under_file"] = folder / "a-file.txt" / "out.csv"
    paths["not_model"] = folder / "a-file.txt"
    labelled = folder / "labelled.csv"
    labelled.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(TEXTS, LABELS)))
    paths["labelled"] = labelled
    zero_one = folder / "zero-one.csv"
    zero_one.write_text("text,label\n" + "".join(f"{t},{int(y == 'pos')}\n"
                                                 for t, y in zip(TEXTS, LABELS)))  # fmt: skip
    paths["zero_one"] = zero_one
    tiny = folder / "two-rows.csv"
    tiny.write_text("text,label\nthe,pos\na,neg\n")
    paths["tiny"] = tiny
    mixed = folder / "mixed.jsonl"
    mixed.write_text('{"text": "good", "label": 1}\n{"text": "bad", "label": "neg"}\n'
                     '{"text": "fine", "label": 1}\n')  # fmt: skip
    paths["mixed"] = mixed
    plain = folder / "docs.txt"
    plain.write_text("a good film\nso bad\n")
    paths["plain"] = plain
    fake_gz = folder / "docs.csv.gz"
    fake_gz.write_bytes(b"text\nthis is not gzip data\n")
    paths["fake_gz"] = fake_gz
    truncated = folder / "cut.csv.gz"
    whole = gzip.compress(
        ("text\n" + "".join(f"film {i} was good\n" for i in range(5000))).encode()
    )
    truncated.write_bytes(whole[: len(whole) // 2])
    paths["truncated_gz"] = truncated
    parquet = folder / "broken.parquet"
    parquet.write_bytes(b"PAR1 this is not really parquet PAR1")
    paths["broken_parquet"] = parquet
    evil = folder / "evil.json"
    marker = folder / "pwned.txt"
    evil.write_text(json.dumps({"steps": [{"estimator": "builtins.open",
                                           "params": {"file": str(marker), "mode": "w"}}]}))  # fmt: skip
    paths["evil"], paths["marker"] = evil, marker
    shell = folder / "shell.toml"
    shell.write_text(
        f'[[steps]]\nestimator = "os.system"\nparams = {{command = "touch {marker}"}}\n'
    )
    paths["shell"] = shell
    broken_config = folder / "broken.json"
    broken_config.write_text("{ not json")
    paths["broken_config"] = broken_config
    listing = folder / "trusted.sha256"
    listing.write_text("0" * 64 + "  other.joblib\n")
    paths["listing"] = listing
    # a fitted model of every other kind (the golden files), and one never fitted
    golden = Path(__file__).parent / "golden"
    for kind in ("language_model", "tagger", "translator", "forecaster"):
        paths[kind] = golden / f"{kind}.joblib"
    paths["unfitted"] = folder / "unfitted.joblib"
    save(make_tfidf_nb_pipeline(), paths["unfitted"], allow_unfitted=True)
    for name, text in {"empty_csv": "", "header_only": "promotion\n",
                       "blank_line": "x\n1\n\n2\n", "words": "x\n1\nmany\n",
                       "two_x": "x,x\n1,2\n", "future_x": "x\n1\n2\n3\n"}.items():  # fmt: skip
        paths[name] = folder / f"{name}.csv"
        paths[name].write_text(text)
    duplicate = folder / "duplicate-text.csv"
    duplicate.write_text("text,label,text\ngood,pos,bad\n")
    paths["duplicate_text"] = duplicate
    bad_yaml = folder / "broken.yaml"
    bad_yaml.write_text("steps: [unclosed\n  - {estimator: Tokenizer\n")
    paths["broken_yaml"] = bad_yaml
    bad_toml = folder / "broken.toml"
    bad_toml.write_text("[[steps]\nestimator = \n")
    paths["broken_toml"] = bad_toml
    paths["audio"] = folder / "recordings"
    paths["audio"].mkdir()
    paths["wav"] = paths["audio"] / "one.wav"  # a RIFF header and no samples: never read
    paths["wav"].write_bytes(b"RIFF$\x00\x00\x00WAVEfmt ")
    (paths["audio"] / "prompts.csv").write_text("path,transcript\nnowhere.wav,hello\n")
    paths["missing_audio"] = paths["audio"] / "prompts.csv"
    return paths


TRAIN_IO = ("--data", "{labelled}", "-o", "{folder}/m.joblib")


def case(command, *args):
    return (command, args)


CASES = {
    # score
    "score: model is a folder": case("score", "{dir_model}", "{plain}"),
    "score: no such model": case("score", "{folder}/missing.joblib", "{plain}"),
    "score: not a model file": case("score", "{not_model}", "{plain}"),
    "score: chunk size 0": case("score", "{model}", "{labelled}", "--chunk-size", "0"),
    "score: chunk size not a number": case("score", "{model}", "{plain}", "--chunk-size", "ten"),
    "score: unknown encoding": case("score", "{model}", "{plain}", "--encoding", "nonexistent-enc"),
    "score: output is a folder": case("score", "{model}", "{plain}", "-o", "{folder}"),
    "score: output folder missing": case("score", "{model}", "{plain}", "-o", "{folder}/no/out.csv"),
    "score: output under a file": case("score", "{model}", "{plain}", "-o", "{under_file}"),
    "score: errors file is a folder": case("score", "{model}", "{plain}", "--errors", "{folder}"),
    "score: id column on plain text": case("score", "{model}", "{plain}", "--id-column", "id"),
    "score: no such input": case("score", "{model}", "{folder}/missing.csv"),
    "score: no such text column": case("score", "{model}", "{labelled}", "--text-column", "body"),
    "score: wrong checksum": case("score", "{model}", "{plain}", "--sha256", "0" * 64),
    "score: checksum not hex": case("score", "{model}", "{plain}", "--sha256", "abc"),
    "score: model not in trusted list": case("score", "{model}", "{plain}", "--sha256", "@{listing}"),
    "score: n-jobs 0": case("score", "{model}", "{plain}", "--n-jobs", "0"),
    "score: unknown format": case("score", "{model}", "{plain}", "--format", "xml"),
    "score: .gz that is not gzip": case("score", "{model}", "{fake_gz}"),
    "score: truncated .csv.gz": case("score", "{model}", "{truncated_gz}"),
    "score: corrupt parquet": case("score", "{model}", "{broken_parquet}"),
    "score: suffix tells no format": case("score", "{model}", "{model}"),
    # info
    "info: model is a folder": case("info", "{dir_model}"),
    "info: no such model": case("info", "{folder}/missing.joblib"),
    "info: not a model file": case("info", "{not_model}"),
    # train
    "train: config calls builtins.open": case("train", "--config", "{evil}", *TRAIN_IO),
    "train: config calls os.system": case("train", "--config", "{shell}", *TRAIN_IO),
    "train: config is not JSON": case("train", "--config", "{broken_config}", *TRAIN_IO),
    "train: no such config": case("train", "--config", "{folder}/none.json", *TRAIN_IO),
    "train: parameter of the wrong type": case("train", "--preset", "tfidf-nb", "--set", "clf__alpha=high", *TRAIN_IO),
    "train: unknown parameter": case("train", "--preset", "tfidf-nb", "--set", "clf__nope=1", *TRAIN_IO),
    "train: --set without =": case("train", "--preset", "tfidf-nb", "--set", "clf__alpha", *TRAIN_IO),
    "train: test size 0.999": case("train", "--preset", "tfidf-nb", "--test-size", "0.999", *TRAIN_IO),
    "train: test size 1.5": case("train", "--preset", "tfidf-nb", "--test-size", "1.5", *TRAIN_IO),
    "train: output is a folder": case("train", "--preset", "tfidf-nb", "--data", "{labelled}", "-o", "{folder}"),
    "train: output under a file": case("train", "--preset", "tfidf-nb", "--data", "{labelled}", "-o", "{under_file}"),
    "train: output folder missing": case("train", "--preset", "tfidf-nb", "--data", "{labelled}", "-o", "{folder}/none/m.joblib"),
    "train: two rows, no terms": case("train", "--preset", "tfidf-nb", "--data", "{tiny}", "-o", "{folder}/m.joblib"),
    "train: mixed label types": case("train", "--preset", "tfidf-nb", "--data", "{mixed}", "-o", "{folder}/m.joblib"),
    "train: compress level 12": case("train", "--preset", "tfidf-nb", "--data", "{labelled}", "--compress", "12", "-o", "{folder}/m.joblib"),
    "train: no data": case("train", "--preset", "tfidf-nb", "-o", "{folder}/m.joblib"),
    "train: unknown encoding": case("train", "--preset", "tfidf-nb", "--data", "{labelled}", "--encoding", "klingon", "-o", "{folder}/m.joblib"),
    "train: unknown preset": case("train", "--preset", "magic", *TRAIN_IO),
    "train: no such label column": case("train", "--preset", "tfidf-nb", "--data", "{labelled}", "--label-column", "y", "-o", "{folder}/m.joblib"),
    # evaluate
    "evaluate: labels 0/1 against pos/neg": case("evaluate", "{model}", "--data", "{zero_one}"),
    "evaluate: model is a folder": case("evaluate", "{dir_model}", "--data", "{labelled}"),
    "evaluate: plot into a folder": case("evaluate", "{model}", "--data", "{labelled}", "--plot", "{folder}"),
    "evaluate: wrong checksum": case("evaluate", "{model}", "--data", "{labelled}", "--sha256", "f" * 64),
    # demo and install-wordnet
    "demo: n-docs not a number": case("demo", "--n-docs", "many"),
    "demo: n-docs 0": case("demo", "--n-docs", "0"),
    "install-wordnet: no such source": case("install-wordnet", "--source", "{folder}/none", "--target", "{folder}/nltk"),
    # generate and complete (the model here is a classifier, not a language model)
    "generate: not a language model": case("generate", "{model}", "--prompt", "the"),
    "generate: model is a folder": case("generate", "{dir_model}"),
    "generate: temperature 0": case("generate", "{model}", "--temperature", "0"),
    "generate: temperature not a number": case("generate", "{model}", "--temperature", "hot"),
    "generate: top-k 0": case("generate", "{model}", "--top-k", "0"),
    "generate: top-p 1.5": case("generate", "{model}", "--top-p", "1.5"),
    "generate: max-words -1": case("generate", "{model}", "--max-words", "-1"),
    "complete: not a language model": case("complete", "{model}", "the"),
    "complete: no prefix": case("complete", "{model}"),
    "complete: beam width 0": case("complete", "{model}", "the", "--beam-width", "0"),
    "complete: candidates 0": case("complete", "{model}", "the", "--candidates", "0"),
    "train: language model on labelled dataset": case("train", "--preset", "lm", "--dataset", "imdb", "-o", "{folder}/m.joblib"),
    "train: classifier on ptb": case("train", "--preset", "tfidf-nb", "--dataset", "ptb", "-o", "{folder}/m.joblib"),
    # tag (the model here is a classifier, not a tagger)
    "tag: not a tagger": case("tag", "{model}", "{plain}"),
    "tag: model is a folder": case("tag", "{dir_model}", "{plain}"),
    "tag: output is a folder": case("tag", "{model}", "{plain}", "-o", "{folder}"),
    "tag: unknown output format": case("tag", "{model}", "{plain}", "--output-format", "xml"),
    "tag: id column on plain text": case("tag", "{model}", "{plain}", "--id-column", "id"),
    "tag: chunk size 0": case("tag", "{model}", "{plain}", "--chunk-size", "0"),
    "tag: .gz that is not gzip": case("tag", "{model}", "{fake_gz}"),
    # forecast (the model here is a classifier, not a forecaster)
    "forecast: not a forecaster": case("forecast", "{model}", "--horizon", "3"),
    "forecast: no horizon": case("forecast", "{model}"),
    "forecast: horizon 0": case("forecast", "{model}", "--horizon", "0"),
    "forecast: output is a folder": case("forecast", "{model}", "--horizon", "3", "-o", "{folder}"),
    "forecast: model is a folder": case("forecast", "{dir_model}", "--horizon", "3"),
    "forecast: coverage 1.5": case("forecast", "{model}", "--horizon", "3", "--coverage", "1.5"),
    "forecast: coverage not a number": case("forecast", "{model}", "--horizon", "3", "--coverage", "most"),
    "forecast: exogenous file missing": case("forecast", "{model}", "--horizon", "3", "--exogenous", "{folder}/none.csv"),
    # translate (the model here is a classifier, not a translator)
    "translate: not a translator": case("translate", "{model}", "{plain}"),
    "translate: model is a folder": case("translate", "{dir_model}", "{plain}"),
    "translate: output is a folder": case("translate", "{model}", "{plain}", "-o", "{folder}"),
    "translate: beam width 0": case("translate", "{model}", "{plain}", "--beam-width", "0"),
    "translate: max output length -1": case("translate", "{model}", "{plain}", "--max-output-length", "-1"),
    "translate: id column on plain text": case("translate", "{model}", "{plain}", "--id-column", "id"),
    "translate: chunk size 0": case("translate", "{model}", "{plain}", "--chunk-size", "0"),
    "translate: unknown encoding": case("translate", "{model}", "{plain}", "--encoding", "nonexistent-enc"),
    "translate: errors file in a missing folder": case("translate", "{model}", "{plain}", "--errors", "{folder}/none/e.csv"),
    # transcribe (the model here is a classifier, not a transcriber)
    "transcribe: not a transcriber": case("transcribe", "{model}", "{wav}"),
    "transcribe: a tagger": case("transcribe", "{tagger}", "{audio}"),
    "transcribe: a model never fitted": case("transcribe", "{unfitted}", "{wav}"),
    "transcribe: no recordings in the folder": case("transcribe", "{model}", "{folder}"),
    "transcribe: no such audio file": case("transcribe", "{model}", "{folder}/none.wav"),
    "transcribe: output is a folder": case("transcribe", "{model}", "{wav}", "-o", "{folder}"),
    "transcribe: beam width 0": case("transcribe", "{model}", "{wav}", "--beam-width", "0"),
    "transcribe: chunk size 0": case("transcribe", "{model}", "{wav}", "--chunk-size", "0"),
    "transcribe: errors file in a missing folder": case("transcribe", "{model}", "{wav}", "--errors", "{folder}/none/e.csv"),
    "train: transcriber, recordings missing": case("train", "--preset", "transcriber", "--data", "{missing_audio}", "-o", "{folder}/m.joblib"),
    "train: transcriber, no data": case("train", "--preset", "transcriber", "-o", "{folder}/m.joblib"),
    "evaluate: a transcriber's data missing": case("evaluate", "{model}", "--data", "{missing_audio}", "--audio-column", "nope"),
    # a model of the wrong kind, or never fitted, for every command
    "score: a language model": case("score", "{language_model}", "{plain}"),
    "score: a tagger": case("score", "{tagger}", "{plain}"),
    "score: a forecaster": case("score", "{forecaster}", "{plain}"),
    "score: a model never fitted": case("score", "{unfitted}", "{plain}"),
    "evaluate: a model never fitted": case("evaluate", "{unfitted}", "--data", "{labelled}"),
    "generate: a forecaster": case("generate", "{forecaster}"),
    "generate: a model never fitted": case("generate", "{unfitted}"),
    "complete: a translator": case("complete", "{translator}", "the"),
    "tag: a translator": case("tag", "{translator}", "{plain}"),
    "tag: a model never fitted": case("tag", "{unfitted}", "{plain}"),
    "forecast: a language model": case("forecast", "{language_model}", "--horizon", "3"),
    "translate: a tagger": case("translate", "{tagger}", "{plain}"),
    "translate: a model never fitted": case("translate", "{unfitted}", "{plain}"),
    # bad files
    "score: two text columns": case("score", "{model}", "{duplicate_text}"),
    "train: config is not YAML": case("train", "--config", "{broken_yaml}", *TRAIN_IO),
    "train: config is not TOML": case("train", "--config", "{broken_toml}", *TRAIN_IO),
    "forecast: exogenous file empty": case("forecast", "{forecaster}", "--horizon", "3", "--exogenous", "{empty_csv}"),
    "forecast: exogenous header only": case("forecast", "{forecaster}", "--horizon", "3", "--exogenous", "{header_only}"),
    "forecast: exogenous blank line": case("forecast", "{forecaster}", "--horizon", "3", "--exogenous", "{blank_line}"),
    "forecast: exogenous text": case("forecast", "{forecaster}", "--horizon", "3", "--exogenous", "{words}"),
    "forecast: exogenous column twice": case("forecast", "{forecaster}", "--horizon", "3", "--exogenous", "{two_x}"),
    "forecast: exogenous for a forecaster without": case("forecast", "{forecaster}", "--horizon", "3", "--exogenous", "{future_x}"),
    # no command at all
    "unknown command": case("fly"),
}  # fmt: skip


# Data that only training can find unusable (every term pruned): reported after it starts.
FOUND_BY_TRAINING = {"train: two rows, no terms"}


def run(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", list(CASES))
def test_bad_arguments_exit_2_with_one_line(name, files, capsys):
    command, args = CASES[name]
    argv = [command, *(arg.format(**files) for arg in args)]
    code, out, err = run(argv, capsys)
    assert code == 2, (name, code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("textflow"), lines[0]
    assert "error:" in lines[0]
    assert "Traceback" not in err
    if command in ("train", "score") and name not in FOUND_BY_TRAINING:
        assert not out.strip(), f"{name}: work started before the check: {out!r}"
    assert not files["marker"].exists(), "a config ran code"


def test_every_command_has_bad_cases():
    from textflow.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    covered = {command for command, _ in CASES.values()}
    assert set(commands) <= covered, set(commands) - covered


def test_unwritable_folder_is_refused_before_training(files, capsys, tmp_path):
    target = "/proc/textflow-model.joblib"
    if os.access("/proc", os.W_OK) and not os.path.ismount("/proc"):
        pytest.skip("no read-only folder to write into here")
    code, out, err = run(["train", "--preset", "tfidf-nb", "--data", str(files["labelled"]),
                          "-o", target], capsys)  # fmt: skip
    assert code == 2 and "not writable" in err and not out
