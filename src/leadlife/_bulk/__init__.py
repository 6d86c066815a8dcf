"""Books of millions: funnels checked and replayed column by column."""

# The public home of this package's names, imported whoever imports the package first:
# their __module__ is leadlife.bulk whatever the order of imports (see _core/public.py).
import leadlife.bulk  # noqa: F401
