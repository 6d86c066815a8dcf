"""Serialization: JSON-safe data and JSON text, versioned, and back."""
