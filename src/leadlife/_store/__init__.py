"""Event stores: histories kept append-only in SQLite or PostgreSQL."""
