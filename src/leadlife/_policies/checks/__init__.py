"""What the agenda looks for in each record: one small check per idea, pluggable."""
