"""Book-level analytics: histories as event tables, and reports over them."""
