"""Policies: qualification, cadence, recycling rules, service levels, the agenda, the registry."""
