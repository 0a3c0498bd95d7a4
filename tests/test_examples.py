"""Every example has a fast mode and a place in the gallery, where the docs build runs it
(tests/test_docs.py builds the docs: an example that fails fails the build)."""

import json
import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GALLERY = Path(__file__).resolve().parents[1] / "docs" / "gallery.rst"


def fast_modes():
    modes = json.loads((EXAMPLES / "fast_modes.json").read_text())
    return {name: mode for name, mode in modes.items() if name.endswith(".py")}


def test_every_example_has_a_fast_mode():
    assert {path.name for path in EXAMPLES.glob("*.py")} == set(fast_modes())
    for mode in fast_modes().values():
        assert isinstance(mode["args"], list) and all(isinstance(a, str) for a in mode["args"])


def test_every_example_is_shown_with_its_output_in_the_gallery():
    text = GALLERY.read_text()
    shown = re.findall(r"\.\. literalinclude:: \.\./examples/(\w+\.py)", text)
    outputs = re.findall(r"\.\. example-output:: (\w+\.py)", text)
    assert sorted(shown) == sorted(outputs) == sorted(fast_modes())


def test_examples_that_draw_write_into_the_folder_given():
    for name, mode in fast_modes().items():
        source = (EXAMPLES / name).read_text()
        if "savefig" in source:
            assert any("{out}" in arg for arg in mode["args"]), f"{name} draws outside {{out}}"
