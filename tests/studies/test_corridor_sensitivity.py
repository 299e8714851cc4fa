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
    table = corridor_sensitivity(as_built, profiles_2027.isel(time=july), gmd_m=(7.0, 11.0))
    assert offtaker_lines(as_built) == ("SANGTUDA_PULEKHUMRI", "PULEKHUMRI_KABUL")
    low, high, lib = table.loc["GMD 7 m"], table.loc["GMD 11 m"], table.loc["pandapower type"]
    assert lib.x_ohm_per_km < low.x_ohm_per_km < high.x_ohm_per_km
    assert low.export_hours == high.export_hours == 72
    assert lib.hours_below <= low.hours_below <= high.hours_below
    assert lib.n1_nose_mw > low.n1_nose_mw > high.n1_nose_mw
    assert lib.n1_voltage_limit_mw >= low.n1_voltage_limit_mw >= high.n1_voltage_limit_mw
    # the library type reproduces the nose the model had before (234.7 MW)
    assert abs(lib.n1_nose_mw - 234.7) < 1.5
