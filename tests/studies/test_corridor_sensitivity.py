"""The corridor sensitivity: a higher reactance only makes Afghanistan worse."""

from __future__ import annotations

import numpy as np
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.security.corridor_sensitivity import corridor_sensitivity, offtaker_lines


def test_higher_reactance_lowers_every_afghan_limit(
    as_built: GridParams, profiles_2027: xr.Dataset
) -> None:
    july = np.flatnonzero((profiles_2027.time.dt.month == 7).values)[:72]
    table = corridor_sensitivity(
        as_built, profiles_2027.isel(time=july), gmd_m=(11.0,), step_mw=30.0, tol_mw=1.0
    )
    assert offtaker_lines(as_built) == ("SANGTUDA_PULEKHUMRI", "PULEKHUMRI_KABUL")
    wide, lib = table.loc["GMD 11 m"], table.loc["pandapower type"]
    assert lib.x_ohm_per_km < wide.x_ohm_per_km
    assert wide.export_hours == lib.export_hours == 72
    assert lib.hours_below < wide.hours_below
    assert lib.n1_nose_mw > wide.n1_nose_mw
    assert lib.n1_voltage_limit_mw > wide.n1_voltage_limit_mw
    # with both circuits in, the switched compensation holds 0.90 pu up to the contract
    assert lib.n0_voltage_limit_mw >= wide.n0_voltage_limit_mw
    # the library type reproduces the nose the model had before (234.7 MW)
    assert abs(lib.n1_nose_mw - 234.7) < 1.5
