"""The numeric engine: many AC load flows at once (hours, and hours x contingencies)."""

__all__: list[str] = []
