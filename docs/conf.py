"""Sphinx configuration for textflow's documentation."""

import sys
from pathlib import Path

import textflow

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

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
    "example_output",
]
autosummary_generate = True
autodoc_default_options = {
    "members": True,
    "inherited-members": False,
    # sklearn's generated metadata-routing setters and inherited helpers: documented there
    "exclude-members": (
        "set_fit_request,set_transform_request,set_predict_request,set_score_request,"
        "set_predict_proba_request,get_metadata_routing,set_output,set_params,get_params,"
        "score,fit_transform"
    ),
}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
templates_path = ["_templates"]
exclude_patterns = ["_build", "generated/*.examples"]
html_theme = "pydata_sphinx_theme"
html_title = "textflow"
intersphinx_mapping = {}  # no network while building: links stay local
nitpicky = False
