"""Shared study plumbing: hour selection, provenance, schedule inputs, result files."""

__all__: list[str] = []
