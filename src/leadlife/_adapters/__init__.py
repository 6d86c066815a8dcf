"""Adapters to the outside: serialization and the demo."""
