"""Histories: the events that make a record, and their replay."""
