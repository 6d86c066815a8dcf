"""Qualification: evidence, criteria that judge it, frameworks that decide."""
