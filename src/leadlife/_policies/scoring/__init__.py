"""Lead scoring by rules: fit from facts, engagement from activities, explained point by point."""

# The public home of this package's names, imported whoever imports the package first:
# their __module__ is leadlife.scoring whatever the order of imports (see _core/public.py).
import leadlife.scoring  # noqa: F401
