import subprocess
import sys
from pathlib import Path

import pytest

from textflow.text._wordnet import DEBIAN_WORDNET_DIR, lexnames_text


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "textflow", *args], capture_output=True, text=True
    )


def test_import_is_light():
    code = (
        "import sys, time\n"
        "import numpy, sklearn\n"
        "start = time.perf_counter(); import textflow; textflow.Tokenizer; "
        "textflow.Stemmer\n"
        "heavy = [m for m in ('keras', 'gensim', 'jax', 'tensorflow', 'torch')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr
    bare = subprocess.run(
        [sys.executable, "-c", "import sys, textflow; print('nltk' in sys.modules)"],
        capture_output=True,
        text=True,
    )
    assert bare.stdout.strip() == "False"


def test_cli_help_and_version():
    assert "install-wordnet" in run("--help").stdout
    assert run("--version").stdout.startswith("textflow ")
    assert run("nonsense").returncode == 2


def test_lexnames_file_matches_wordnet_numbering():
    lines = lexnames_text().splitlines()
    assert len(lines) == 45
    assert lines[0] == "00\tadj.all\t3" and lines[3] == "03\tnoun.Tops\t1"
    assert lines[29] == "29\tverb.body\t2" and lines[44] == "44\tadj.ppl\t3"


def test_install_wordnet_missing_source_is_a_clean_error(tmp_path):
    result = run("install-wordnet", "--source", str(tmp_path / "none"), "--target", str(tmp_path))
    assert result.returncode == 2
    assert "apt-get install wordnet-base wordnet-sense-index" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(
    not Path(DEBIAN_WORDNET_DIR, "index.sense").is_file(),
    reason="Debian's wordnet-base/wordnet-sense-index not installed",
)
def test_install_wordnet_builds_a_corpus_nltk_reads(tmp_path):
    result = run("install-wordnet", "--target", str(tmp_path))
    assert result.returncode == 0, result.stderr
    corpus = tmp_path / "corpora" / "wordnet"
    assert (corpus / "lexnames").is_file() and not (corpus / "data.noun").is_symlink()
    code = (
        f"import nltk; nltk.data.path[:] = [{str(tmp_path)!r}]\n"
        "from nltk.corpus import wordnet as wn\n"
        "print(wn.morphy('geese', 'n'), wn.synsets('dog')[0].lexname(),"
        " wn.lemma_from_key('dog%1:05:00::').name())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["goose", "noun.animal", "dog"], out.stderr
