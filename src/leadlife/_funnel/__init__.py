"""The funnel: stages, events, guards, and their rules."""
