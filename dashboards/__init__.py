"""Interactive plotly dashboards of study results (the only place plotly is imported)."""

__all__: list[str] = []
