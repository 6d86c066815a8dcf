"""Sphinx configuration: MyST Markdown pages, furo, autodoc from the docstrings."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# A value published by a public module (leadlife.privacy's PurposeConsent, leadlife.accounts'
# AccountIndex) may be named in the signature of a class documented before that module is
# imported: import them first, so the signature names their public home.
import leadlife.accounts
import leadlife.privacy  # noqa: F401

project = "leadlife"
author = "The leadlife developers"
copyright = "2026, The leadlife developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinxcontrib.mermaid",
    "funnel_diagram",
    "charts_gallery",
    "report_definitions",
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

# Every cross-reference inside leadlife must resolve; the standard library and
# the dependencies have no inventory here (no network in CI), so their types
# in signatures are not checked.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(datetime|collections\.abc|decimal|enum|typing|types|re)(\..*)?"),
    (r"py:.*", r"(date|datetime|time|timedelta|tzinfo|Decimal|Enum|StrEnum|Callable|Mapping)"),
    (r"py:.*", r"(hypothesis|cattrs|attrs|attr|statemachine)(\..*)?"),
    (r"py:.*", r"(os|pathlib|sqlite3|pyarrow|narwhals|polars|pandas|altair|numpy)(\..*)?"),
    (r"py:.*", r"(psycopg|sqlalchemy)(\..*)?"),
    (r"py:class", r"AsyncSession"),  # SQLAlchemy's, imported for annotations only (greenlet)
    (r"py:.*", r"leadlife\._.*\.(T|R|E|S)"),  # type variables
    # Default values in attrs signatures (a framework's description, a
    # mapping) are shown as written, not cross-referenced.
    (r"py:class", r".*[\s'\"(){}<>].*"),
    (r"py:class", r"goals"),  # a word of GPCT's description, split out of its signature
]
