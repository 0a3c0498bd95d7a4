"""``.. example-output:: NAME.py``: run an example in its fast mode while the docs build, and
put what it printed and the figures it drew on the page.

The fast modes are ``examples/fast_modes.json`` (the test suite reads the same file). An
example that fails fails the build: a gallery never shows a stale or broken output. Every
example starts when the build starts, as many at a time as there are cores, and each
directive waits for its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def fast_modes():
    modes = json.loads((EXAMPLES / "fast_modes.json").read_text())
    return {name: mode for name, mode in modes.items() if name.endswith(".py")}


def run_example(name, args):
    with tempfile.TemporaryDirectory() as work:
        return subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=work,
                              capture_output=True, text=True, timeout=900)  # fmt: skip


def figures_folder(srcdir, name):
    return Path(srcdir) / "generated" / "gallery" / Path(name).stem


def example_args(srcdir, name, mode):
    return [arg.replace("{out}", str(figures_folder(srcdir, name))) for arg in mode["args"]]


_RUNS = {}


def start_examples(app):
    """Start every example's fast mode now, a few at a time, in the background."""
    pool = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1))
    for name, mode in fast_modes().items():
        figures = figures_folder(app.srcdir, name)
        shutil.rmtree(figures, ignore_errors=True)
        figures.mkdir(parents=True)
        _RUNS[name] = pool.submit(run_example, name, example_args(app.srcdir, name, mode))
    pool.shutdown(wait=False)


class ExampleOutput(SphinxDirective):
    required_arguments = 1

    def run(self):
        name = self.arguments[0]
        mode = fast_modes().get(name)
        if mode is None or name not in _RUNS:
            raise self.error(f"{name} has no fast mode in examples/fast_modes.json")
        figures = figures_folder(self.env.srcdir, name)
        args = example_args(self.env.srcdir, name, mode)
        result = _RUNS[name].result()
        if result.returncode != 0:
            raise self.error(f"{name} failed in its fast mode: {result.stderr[-2000:]}")
        output = result.stdout.strip()
        if not output:
            raise self.error(f"{name} printed nothing in its fast mode")
        container = nodes.container(classes=["example-output"])
        title = nodes.paragraph(text=f"Output of python examples/{name} {' '.join(args)} "
                                "(the fast mode; figures below):")  # fmt: skip
        title["classes"].append("example-output-title")
        block = nodes.literal_block(output, output)
        container += [title, block]
        for png in sorted(figures.glob("*.png")):
            uri = "/" + str(png.relative_to(self.env.srcdir))
            container += nodes.image(uri=uri, alt=png.stem.replace("_", " "), width="80%")
        return [container]


def setup(app):
    app.connect("builder-inited", start_examples)
    app.add_directive("example-output", ExampleOutput)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
