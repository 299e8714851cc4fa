"""Hourly generation, demand and export profiles of a study year."""
