"""Studies on the grid model driven by profiles: seasonal transfer, contingency, capability."""
