"""Recycling rules: stalled and lost records come back, they are not dropped."""
