"""leadlife's migrations: the event store's tables."""
