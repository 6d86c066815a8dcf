"""The lifecycle: a thin facade over one module per capability."""
