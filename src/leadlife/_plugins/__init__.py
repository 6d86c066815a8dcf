"""Plugins: criteria and frameworks from installed packages, by entry point."""
