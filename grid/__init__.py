"""Parametric model of the CASA-1000 network and its pandapower builder.

Parameters are typed frozen dataclasses (:mod:`.params`) read from the cited
seeds (:mod:`.reference`), changed by dotted key or scenario file
(:mod:`.overrides`) and validated (:mod:`.validate`); :func:`build_net` turns
them into a pandapower network, :mod:`.schedule` and :mod:`.dispatch` into
hourly injections, :mod:`.hvdc` the LCC link into converter P/Q, and
:func:`solve_base_case` solves the reference hour with pandapower's ``runpp``.
"""

from casa1000.grid.builder import BuiltNet, build_net
from casa1000.grid.overrides import apply_overrides, load_params
from casa1000.grid.params import GridParams, Variant
from casa1000.grid.reference import load_reference
from casa1000.grid.schedule import Schedule, make_schedule
from casa1000.grid.solve import solve_base_case
from casa1000.grid.validate import check_params, validate_params

__all__ = [
    "BuiltNet",
    "GridParams",
    "Schedule",
    "Variant",
    "apply_overrides",
    "build_net",
    "check_params",
    "load_params",
    "load_reference",
    "make_schedule",
    "solve_base_case",
    "validate_params",
]
