"""Records, the events that change them (by family), the fold, and histories.

The truth is the journal: a record is what its events fold into.
"""
