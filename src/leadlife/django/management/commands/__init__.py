"""``manage.py leadlife_agenda``."""
