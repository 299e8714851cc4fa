"""How the Afghan conclusions move with the corridor's unpublished conductor geometry.

The Tajik-Afghan 220 kV corridor's conductor is not published; its reactance
sets every Afghan result.  :func:`corridor_sensitivity` varies the phase
geometry of the corridor lines (one 490 mm2 conductor per phase, geometric mean
distance between phases from compact to wide towers, see
:mod:`casa1000.grid.conductors`), and optionally pandapower's bundled-conductor
library type that the model used before, and reports for each case:

* the export hours in which an offtaker bus falls below ``vmin_pu`` (or the
  load flow diverges) with both circuits in, from a batch AC solve of every hour
  of the profiles at the full available export (no curtailment);
* the nose and the voltage limit of the Afghan offtake on the reference hour
  with one circuit out, and the voltage limit with both in
  (:func:`casa1000.grid.corridor.corridor_limit`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from casa1000.grid.builder import build_net
from casa1000.grid.conductors import AL490_ST64, Conductor, line_constants
from casa1000.grid.corridor import corridor_limit
from casa1000.grid.params import GridParams, LineType
from casa1000.studies.engine.batch_ac import BatchAC, injections_from_schedule
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles

LIBRARY_TYPE = "OHL220_AL490"
"""pandapower's ``490-AL1/64-ST1A 220.0`` (bundled-conductor reactance), the old choice."""


def offtaker_lines(params: GridParams) -> tuple[str, ...]:
    """Lines with an end in the zone of an offtaker served over AC (the Afghan corridor).

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> offtaker_lines(load_reference("as_built"))
    ('SANGTUDA_PULEKHUMRI', 'PULEKHUMRI_KABUL')
    """
    zone = {b.id: b.zone for b in params.buses}
    ac = set(params.ac_offtakers)
    return tuple(ln.id for ln in params.lines if zone[ln.from_bus] in ac or zone[ln.to_bus] in ac)


def with_corridor_type(params: GridParams, line_type: LineType) -> GridParams:
    """Return ``params`` with every corridor line (:func:`offtaker_lines`) of ``line_type``."""
    corridor = set(offtaker_lines(params))
    types = (*(t for t in params.line_types if t.id != line_type.id), line_type)
    lines = tuple(
        dataclasses.replace(ln, line_type=line_type.id) if ln.id in corridor else ln
        for ln in params.lines
    )
    return dataclasses.replace(params, line_types=types, lines=lines)


def geometry_type(
    gmd_m: float, conductor: Conductor = AL490_ST64, vn_kv: float = 220.0
) -> LineType:
    """Return the line type of one ``conductor`` per phase at phase distance ``gmd_m`` [m]."""
    x, c = line_constants(conductor, gmd_m=gmd_m)
    return LineType(
        id=f"CORRIDOR_GMD{gmd_m:g}",
        vn_kv=vn_kv,
        r_ohm_per_km=conductor.r_ohm_per_km,
        x_ohm_per_km=x,
        c_nf_per_km=c,
        max_i_ka=conductor.max_i_ka,
    )


def hours_below(params: GridParams, profiles: xr.Dataset, vmin_pu: float) -> dict[str, float]:
    """Export hours with an offtaker bus below ``vmin_pu`` or no solution, both circuits in.

    Parameters
    ----------
    params
        The network.
    profiles
        Hourly profiles; every hour is solved at its full available export.
    vmin_pu
        Voltage limit [pu].

    Returns
    -------
    dict
        ``export_hours``, ``hours_below`` (including diverged hours),
        ``hours_diverged`` and ``vmin_pu_seen`` (lowest offtaker-bus voltage).
    """
    inputs = inputs_from_profiles(params, profiles)
    schedule = inputs.schedule(params)
    built = build_net(params, schedule, 0)
    result = BatchAC(built).solve(injections_from_schedule(built, schedule))
    zones = set(params.ac_offtakers)
    cols = [built.index.bus[b.id] for b in params.buses if b.zone in zones]
    exporting = schedule.af_corridor_mw > 0
    vm = result.vm_pu[:, cols].min(axis=1)
    below = exporting & (~result.converged | (np.nan_to_num(vm, nan=0.0) < vmin_pu))
    return {
        "export_hours": float(exporting.sum()),
        "hours_below": float(below.sum()),
        "hours_diverged": float((exporting & ~result.converged).sum()),
        "vmin_pu_seen": (
            float(np.nanmin(vm[exporting]))
            if (exporting & result.converged).any()
            else float("nan")
        ),
    }


def corridor_sensitivity(
    params: GridParams,
    profiles: xr.Dataset,
    *,
    gmd_m: Sequence[float] = (7.0, 8.5, 11.0),
    include_library_type: bool = True,
    vmin_pu: float = 0.90,
    step_mw: float = 10.0,
    tol_mw: float = 0.5,
) -> pd.DataFrame:
    """Afghan conclusions across the corridor's conductor geometry.

    Parameters
    ----------
    params
        The as-built network.
    profiles
        Hourly profiles (a year, or the hours to count).
    gmd_m
        Phase geometric mean distances to try [m]; 7-11 m spans compact to wide
        220 kV towers (x 0.398-0.427 ohm/km).
    include_library_type
        Also try pandapower's bundled-conductor type (the model's old choice).
    vmin_pu
        Voltage limit of the Afghan buses [pu].
    step_mw, tol_mw
        Continuation step and bisection width of the limits [MW]
        (:func:`~casa1000.grid.corridor.corridor_limit`).

    Returns
    -------
    pandas.DataFrame
        One row per case: ``x_ohm_per_km``, ``b_us_per_km``, the hour counts of
        :func:`hours_below`, ``n1_nose_mw`` and ``n1_voltage_limit_mw`` (one
        circuit out), ``n0_voltage_limit_mw`` (both in), on the reference hour.
    """
    cases: list[tuple[str, LineType]] = [(f"GMD {g:g} m", geometry_type(g)) for g in gmd_m]
    if include_library_type:
        lib = next((t for t in params.line_types if t.id == LIBRARY_TYPE), None)
        if lib is not None:
            cases.append(("pandapower type", lib))
    rows = []
    for name, line_type in cases:
        case = with_corridor_type(params, line_type)
        n1 = corridor_limit(case, vmin_pu=vmin_pu, step_mw=step_mw, tol_mw=tol_mw)
        n0 = corridor_limit(case, circuits_out=(), vmin_pu=vmin_pu, step_mw=step_mw, tol_mw=tol_mw)
        rows.append(
            {
                "case": name,
                "x_ohm_per_km": line_type.x_ohm_per_km,
                "b_us_per_km": 2 * np.pi * 50.0 * line_type.c_nf_per_km * 1e-3,
                **hours_below(case, profiles, vmin_pu),
                "n1_nose_mw": n1.nose_mw,
                "n1_voltage_limit_mw": n1.voltage_limit_mw,
                "n0_voltage_limit_mw": n0.voltage_limit_mw,
            }
        )
    return pd.DataFrame(rows).set_index("case")


__all__ = [
    "corridor_sensitivity",
    "geometry_type",
    "hours_below",
    "offtaker_lines",
    "with_corridor_type",
]
