"""``.. example-output:: NAME.py``: run an example in its fast mode while the docs build, and
put what it printed and the figures it drew on the page.

The fast modes are ``examples/fast_modes.json`` (the test suite reads the same file). An
example that fails fails the build: a gallery never shows a stale or broken output.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def fast_modes():
    modes = json.loads((EXAMPLES / "fast_modes.json").read_text())
    return {name: mode for name, mode in modes.items() if name.endswith(".py")}


class ExampleOutput(SphinxDirective):
    required_arguments = 1

    def run(self):
        name = self.arguments[0]
        mode = fast_modes().get(name)
        if mode is None:
            raise self.error(f"{name} has no fast mode in examples/fast_modes.json")
        figures = Path(self.env.srcdir) / "generated" / "gallery" / Path(name).stem
        shutil.rmtree(figures, ignore_errors=True)
        figures.mkdir(parents=True)
        args = [arg.replace("{out}", str(figures)) for arg in mode["args"]]
        with tempfile.TemporaryDirectory() as work:
            result = subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=work,
                                    capture_output=True, text=True, timeout=900)  # fmt: skip
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
    app.add_directive("example-output", ExampleOutput)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
