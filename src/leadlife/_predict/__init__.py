"""Predictive lead scores: trained on a book's closed journeys, calibrated, backtested."""

# The public home of this package's names, imported whoever imports the package first:
# their __module__ is leadlife.predict whatever the order of imports (see _core/public.py).
import leadlife.predict  # noqa: F401
