"""Sphinx configuration for textflow's documentation."""

import textflow

project = "textflow"
author = "the textflow developers"
copyright = "2026, the textflow developers"
release = textflow.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "numpydoc",
]
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
templates_path = ["_templates"]
exclude_patterns = ["_build", "generated/*.examples"]
html_theme = "pydata_sphinx_theme"
html_title = "textflow"
intersphinx_mapping = {}  # no network while building: links stay local
nitpicky = False
