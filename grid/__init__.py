"""Parametric model of the CASA-1000 network and its pandapower builder."""
