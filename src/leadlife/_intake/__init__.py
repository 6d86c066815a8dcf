"""Intake: leads captured once per submission, checked against the book (see :doc:`/intake`)."""
