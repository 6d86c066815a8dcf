"""Prototyping a funnel before it runs: tier arithmetic, what-ifs, expectations."""

# The public home of this package's names, imported whoever imports the package first:
# their __module__ is leadlife.prototype whatever the order of imports (see _core/public.py).
import leadlife.prototype  # noqa: F401
