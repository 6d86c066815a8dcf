"""The core: values, records, events, the fold and histories; no policy, no I/O."""
