"""Finding the same person twice in a book: normalised keys, blocking, fuzzy names."""
