"""Prototyping a funnel before it runs: tier arithmetic, what-ifs, expectations."""
