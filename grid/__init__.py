"""Parametric model of the CASA-1000 network and its pandapower builder.

Parameters are typed frozen dataclasses (:mod:`.params`) read from the cited
seeds (:mod:`.reference`), changed by dotted key or scenario file
(:mod:`.overrides`) and validated (:mod:`.validate`); :func:`build_net` turns
them into a pandapower network, :mod:`.schedule` and :mod:`.dispatch` into
hourly injections, :mod:`.hvdc` the LCC link into converter P/Q, and
:func:`solve_base_case` solves the reference hour with pandapower's ``runpp``.
The network roles (:class:`Roles`, a terminal's offtaker, an external's area)
say which element plays which part; :mod:`.equivalents` and :mod:`.short_circuit`
derive and check the external equivalents, :mod:`.corridor` and
:mod:`.transfer_path` measure the Afghan corridor and the Kyrgyz transfer path,
and :mod:`.losses` lets the suppliers' plants cover their losses.
"""

from casa1000.grid.builder import BuiltNet, build_net
from casa1000.grid.corridor import corridor_limit
from casa1000.grid.losses import cover_losses
from casa1000.grid.overrides import apply_overrides, load_params
from casa1000.grid.params import GridParams, Roles, Variant
from casa1000.grid.reference import load_reference
from casa1000.grid.rename import rename_ids
from casa1000.grid.schedule import Schedule, delivered_by_offtaker, make_schedule
from casa1000.grid.short_circuit import converter_strength
from casa1000.grid.solve import solve_base_case
from casa1000.grid.transfer_path import transfer_path_shares
from casa1000.grid.validate import check_params, validate_params

__all__ = [
    "BuiltNet",
    "GridParams",
    "Roles",
    "Schedule",
    "Variant",
    "apply_overrides",
    "build_net",
    "check_params",
    "converter_strength",
    "corridor_limit",
    "cover_losses",
    "delivered_by_offtaker",
    "load_params",
    "load_reference",
    "make_schedule",
    "rename_ids",
    "solve_base_case",
    "transfer_path_shares",
    "validate_params",
]
