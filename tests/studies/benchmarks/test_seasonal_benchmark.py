"""The seasonal benchmark compares like with like: its runpp loop solves what the study solved."""

from __future__ import annotations

import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.benchmarks.seasonal_benchmark import benchmark_seasonal


def test_plain_loop_agrees_with_the_study(as_built: GridParams, profiles_2027: xr.Dataset) -> None:
    # a summer week: export, curtailment candidates and the suppliers' loss cover all at work
    week = profiles_2027.isel(time=slice(4300, 4468))
    result = benchmark_seasonal(as_built, week, sample_hours=6, timeseries_hours=6)
    assert result.convergence_disagreements == 0
    assert result.max_dvm_pu < 1e-8
    assert result.max_dp_mw < 1e-6
    assert result.fast_total_s > 0 and result.plain_per_hour_s > 0
