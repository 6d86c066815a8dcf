"""An app's leads: a model the funnel moves."""
