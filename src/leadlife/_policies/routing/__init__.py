"""Routing leads to owners: owners and workloads, the policies, and reassignment."""

# The public home of this package's names, imported whoever imports the package first:
# their __module__ is leadlife.routing whatever the order of imports (see _core/public.py).
import leadlife.routing  # noqa: F401
