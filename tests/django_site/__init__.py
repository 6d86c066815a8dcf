"""A small Django project the Django integration is tested in, as an app would use it."""
