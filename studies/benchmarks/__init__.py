"""Benchmarks of the fast paths against plain pandapower, measured in the same run.

No product module imports from here.
"""

__all__: list[str] = []
