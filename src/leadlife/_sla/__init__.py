"""Service levels on hand-offs and follow-ups, in business hours."""
