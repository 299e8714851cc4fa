"""The base-case warm start of the reactive-limit loop against the loop from scratch.

The loop from scratch is pandapower's (``runpp(enforce_q_lims=True)``, see
``test_q_limits.py``) and the default of every study; the warm start saves solves
but is path independent where pandapower is not (see
:mod:`casa1000.studies.engine.area_sweep`).  These tests pin down both facts.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.contingency import ContingencyConfig, prepare
from casa1000.studies.engine.row_solver import Level, RowSolver, SolvedRows
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles

PATH_DEPENDENT = "PLANT:TOKTOGUL"
"""The outage after which pandapower's loop pins Kambarata-2 while it is within its limits."""


@pytest.fixture(scope="module")
def two_ways(
    as_built: GridParams, profiles_2027: xr.Dataset
) -> tuple[list[str], list[SolvedRows], list[SolvedRows], int, int]:
    # two January days: Kairakkum and the Kyrgyz thermal plant at their limits
    hours = np.arange(0, 48)
    inputs = inputs_from_profiles(as_built, profiles_2027.isel(time=hours))
    scr = prepare(as_built, inputs, ContingencyConfig(pv_margin=False))
    post = scr.post(slice(0, hours.size))
    states = [post.state(c) for c in scr.contingencies]
    every = np.arange(hours.size)
    out, rows = [], []
    for warm in (False, True):
        solver = RowSolver(scr.batch, warm_q_limits=warm)
        out.append(Level(solver, states[0]).solve([(st, every) for st in states[1:]]))
        rows.append(solver.rows_solved)
    names = [c.id for c in scr.contingencies[1:]]
    return names, out[0], out[1], rows[0], rows[1]


def _dv(a: SolvedRows, b: SolvedRows) -> np.ndarray:
    """(rows,) largest voltage difference [pu] where both converged, else 0."""
    both = a.converged & b.converged
    d = np.abs(np.nan_to_num(a.vm_pu) - np.nan_to_num(b.vm_pu)).max(axis=1)
    return np.where(both, d, 0.0)


def test_warm_start_equals_scratch_where_the_loop_is_not_path_dependent(
    two_ways: tuple[list[str], list[SolvedRows], list[SolvedRows], int, int],
) -> None:
    names, scratch, warm, rows_scratch, rows_warm = two_ways
    assert rows_warm < 0.8 * rows_scratch  # it saves solves
    pinned_changes = 0
    for name, a, b in zip(names, scratch, warm, strict=True):
        if name == PATH_DEPENDENT:
            continue
        np.testing.assert_array_equal(a.status, b.status, err_msg=name)
        np.testing.assert_array_equal(np.isnan(a.vm_pu), np.isnan(b.vm_pu), err_msg=name)
        assert _dv(a, b).max() <= 1e-6, name
        pinned_changes += int(name.startswith("UNIT:") or name.startswith("PLANT:"))
    assert pinned_changes >= 3  # unit and plant outages change the reactive limits


def test_warm_start_is_not_pandapowers_loop_after_a_toktogul_trip(
    two_ways: tuple[list[str], list[SolvedRows], list[SolvedRows], int, int],
) -> None:
    # pandapower pins every violator of the unlimited solution at once and keeps
    # it; the warm start never sees that solution: the two end in different states
    names, scratch, warm, _, _ = two_ways
    j = names.index(PATH_DEPENDENT)
    dv = _dv(scratch[j], warm[j])
    assert dv.max() > 1e-4
    assert (dv > 1e-6).sum() < dv.size // 2
