"""Book-level analytics: histories as event tables, and reports over them."""

# The public home of this package's names, imported whoever imports the package first:
# their __module__ is leadlife.analytics whatever the order of imports (see _core/public.py).
import leadlife.analytics  # noqa: F401
