"""Routing leads to owners: owners and workloads, the policies, and reassignment."""
