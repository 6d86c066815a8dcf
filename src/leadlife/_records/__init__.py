"""The typed records: who the lead is, where it came from, what it is worth."""
