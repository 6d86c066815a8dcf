"""Moving books in and out of the CRMs people use: mappings as data, CSV import and export."""

# The public home of this package's names, imported whoever imports the package first:
# their __module__ is leadlife.crm whatever the order of imports (see _core/public.py).
import leadlife.crm  # noqa: F401
