"""Event stores: histories kept append-only in SQLite or PostgreSQL."""

# The public home of this package's names, imported whoever imports the package first:
# their __module__ is leadlife.store whatever the order of imports (see _core/public.py).
import leadlife.store  # noqa: F401
