"""Finding the same person twice in a book: normalised keys, blocking, fuzzy names."""

# The public home of this package's names, imported whoever imports the package first:
# their __module__ is leadlife.duplicates whatever the order of imports (see _core/public.py).
import leadlife.duplicates  # noqa: F401
