"""Sphinx configuration: MyST Markdown pages, furo, autodoc from the docstrings."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "leadlife"
author = "The leadlife developers"
copyright = "2026, The leadlife developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinxcontrib.mermaid",
    "funnel_diagram",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "conftest.py"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

html_theme = "furo"
html_title = "leadlife"
html_static_path = ["_static"]
