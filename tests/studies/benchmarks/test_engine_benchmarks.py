"""The contingency and transfer benchmarks run on the current engine and agree with runpp."""

from __future__ import annotations

import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.benchmarks.contingency_benchmark import RunppLoop, benchmark_contingency
from casa1000.studies.benchmarks.transfer_benchmark import benchmark_transfer
from casa1000.studies.contingency import ContingencyConfig, prepare
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles


def test_contingency_benchmark_compares_like_with_like(
    as_built: GridParams, profiles_2027: xr.Dataset
) -> None:
    # two summer days: switched compensation in several settings, corridor outages restored
    days = profiles_2027.isel(time=slice(4416, 4464))
    result = benchmark_contingency(as_built, days, sample_hours=1)
    assert result.lightsim_rows > 0 and result.lightsim_s > 0
    assert result.compared_cases > 0 and result.convergence_mismatches == 0
    assert result.max_dvm_pu < 1e-6


def test_a_runpp_loop_leaves_the_built_network_as_it_was(
    as_built: GridParams, profiles_2027: xr.Dataset
) -> None:
    """A second loop on the same network starts from the network, not from the first's last case."""
    hours = profiles_2027.isel(time=slice(4416, 4418))
    scr = prepare(as_built, inputs_from_profiles(as_built, hours), ContingencyConfig())
    before = scr.built.net.line.in_service.copy()
    line = next(c for c in scr.contingencies if c.id.startswith("LINE:"))
    first = RunppLoop(scr.built)
    first.solve(line, scr.post(slice(0, 2)).state(line), 0, warm=False)
    assert not first.net.line.in_service.equals(before)  # the loop's net has the outage
    assert scr.built.net.line.in_service.equals(before)
    assert RunppLoop(scr.built).line_on.tolist() == before.tolist()


def test_transfer_benchmark_runs(as_built: GridParams, profiles_2027: xr.Dataset) -> None:
    result = benchmark_transfer(as_built, profiles_2027.isel(time=slice(4416, 4428)))
    assert result.fast_s > 0
