"""Privacy: personal data sealed into a vault, people erased from it, histories still exact."""
