"""Scenario results open lazily: no hourly values, text included, travel in the Dask graph."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from casa1000.studies.spine.results_io import write_netcdf
from casa1000.studies.sweep.lazy_results import opened_lazily


def _result(path: Path, width: int) -> xr.Dataset:
    hours = pd.date_range("2027-01-01", periods=4000, freq="h")
    rng = np.random.default_rng(width)
    names = np.array([f"BRANCH_{'X' * width}_{k}" for k in range(8)])
    ds = xr.Dataset(
        {
            "loading_percent": (("time", "case"), rng.random((4000, 60))),
            "limiting_branch": (("time", "case"), names[rng.integers(0, 8, (4000, 60))]),
            "case_kind": ("case", np.array(["N-1"] * 60)),
        },
        coords={"time": hours, "case": [f"C{k}" for k in range(60)]},
    )
    write_netcdf(ds, path)
    return ds


def test_hourly_text_is_read_where_it_is_computed(tmp_path: Path) -> None:
    paths = [tmp_path / "a.nc", tmp_path / "b.nc"]
    originals = [_result(paths[0], 3), _result(paths[1], 9)]
    with opened_lazily(paths) as datasets:
        graph_bytes = sum(
            len(pickle.dumps(dict(ds[name].data.__dask_graph__())))
            for ds in datasets
            for name in ("loading_percent", "limiting_branch")
        )
        hourly_bytes = sum(o.limiting_branch.nbytes for o in originals)
        assert graph_bytes < hourly_bytes / 50, (graph_bytes, hourly_bytes)
        for ds, original in zip(datasets, originals, strict=True):
            # one width for every scenario: the widest any of them needs
            assert ds.limiting_branch.dtype == np.dtype("<U18")
            assert (ds.limiting_branch.values == original.limiting_branch.values).all()
            np.testing.assert_array_equal(
                ds.loading_percent.values, original.loading_percent.values
            )
            # times back on the local clock the files store with their offset
            assert (ds.time.values == original.time.values).all()
            assert (ds.case_kind.values == "N-1").all()
