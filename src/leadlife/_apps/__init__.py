"""Where leadlife meets the frameworks apps are written with: SQLAlchemy (and Django next)."""
