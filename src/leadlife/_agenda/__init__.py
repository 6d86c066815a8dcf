"""The agenda: what is due, for many records at once."""
