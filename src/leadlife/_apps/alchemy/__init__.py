"""leadlife in an SQLAlchemy app: the store's tables, a row the funnel moves, moves in a session."""
