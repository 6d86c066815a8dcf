"""Predictive lead scores: trained on a book's closed journeys, calibrated, backtested."""
