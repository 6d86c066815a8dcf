"""Django's management commands of leadlife's app."""
