"""The security model: limits, the contingency set and what the system does after an outage."""

__all__: list[str] = []
