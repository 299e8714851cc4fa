"""A small sweep on a LocalCluster of two workers equals its scenarios run one by one.

Oracle: each scenario run in this process through ``run_study`` with the same
inputs and settings.  The combined store, read back from Zarr, must hold the
same values bit for bit (the studies are deterministic), on the labels each
scenario really has (the 2014 design adds the Kabul terminal and area).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from casa1000.errors import InputError
from casa1000.studies.registry import run_study
from casa1000.studies.sweep import dask_execution
from casa1000.studies.sweep.combine import open_combined
from casa1000.studies.sweep.job import SweepOptions, SweepReport, run_sweep
from casa1000.studies.sweep.plan import plan_sweep
from casa1000.studies.sweep.scenario_task import ScenarioStatus

SWEEP = """
studies = ["seasonal", "indicators"]
months = [7]

[[scenario]]
name = "as built, dry"
variant = "as_built"
hydrology = "dry"
outage = "none"

[[scenario]]
name = "2014 <script>alert(1)</script> wet"
variant = "design_2014"
hydrology = "wet"
outage = "none"

[[scenario]]
name = "no Kabul terminal to take out"
variant = "as_built"
hydrology = "normal"
outage = "hvdc.terminal.KABUL"
"""


@pytest.fixture(scope="module")
def cluster_sweep(tmp_path_factory: pytest.TempPathFactory) -> SweepReport:
    folder = tmp_path_factory.mktemp("sweep")
    config = folder / "sweep.toml"
    config.write_text(SWEEP)
    plan = plan_sweep(sweep_file=config)
    return run_sweep(plan, folder / "out", SweepOptions(scheduler="local", workers=2))


def _assert_same(one: xr.Dataset, alone: xr.Dataset) -> None:
    """Every variable and coordinate of ``alone`` equals ``one`` (a scenario of the store)."""
    one = one.sel({d: alone[d].values for d in alone.dims if d in alone.coords})
    for name, var in alone.data_vars.items():
        got = one[name].transpose(*var.dims)
        # text is stored at the width the widest scenario needs: compare its kind
        same = got.dtype.kind == var.dtype.kind if var.dtype.kind == "U" else got.dtype == var.dtype
        assert same, name
        if var.dtype.kind in "fc":
            np.testing.assert_array_equal(got.values, var.values, err_msg=str(name))
        else:
            assert (got.values == var.values).all(), name
    for name, coord in alone.coords.items():
        assert (one[name].values == coord.values).all(), name


def test_combined_results_equal_the_scenarios_run_one_by_one(cluster_sweep: SweepReport) -> None:
    report = cluster_sweep
    plan = report.plan
    assert plan.studies == ("seasonal", "indicators")
    seasonal = open_combined(report.stores["seasonal"])
    indicators = open_combined(report.stores["indicators"])
    done = [o for o in report.outcomes if o.ok]
    assert len(done) == 2
    assert [str(s) for s in seasonal.scenario.values] == [o.name for o in done]
    assert all(":" in o.worker for o in done)  # ran on worker processes
    configs = plan.configs()
    for point in plan.points:
        if point.name not in seasonal.scenario.values:
            continue
        inputs = point.scenario(plan.base).load()
        alone = run_study("seasonal", inputs, configs["seasonal"]).dataset
        with_seasonal = dataclasses.replace(inputs, results={"seasonal": alone})
        alone_ind = run_study("indicators", with_seasonal, configs["indicators"]).dataset
        one = seasonal.sel(scenario=point.name)
        _assert_same(one, alone)
        _assert_same(indicators.sel(scenario=point.name), alone_ind)
        varying = json.loads(str(one["scenario_attrs"].values))
        for key in ("parameter_hash", "profile_hash", "overrides"):
            if key in varying:
                assert varying[key] == alone.attrs[key], key
        assert str(one["variant"].values) == alone.attrs["variant"]
        assert str(one["hydrology"].values) == alone.attrs["profile_hydrology"]


def test_padding_is_marked_where_scenarios_lack_an_element(cluster_sweep: SweepReport) -> None:
    combined = open_combined(cluster_sweep.stores["seasonal"])
    present = combined["present_terminal"].load()
    assert bool(present.sel(terminal="KABUL", scenario="2014 <script>alert(1)</script> wet"))
    assert not bool(present.sel(terminal="KABUL", scenario="as built, dry"))
    kabul = combined["converter_p_mw"].sel(terminal="KABUL", scenario="as built, dry")
    assert bool(np.isnan(kabul).all())
    # one chunk per scenario: a reader of one scenario reads only its chunks
    assert combined["vm_pu"].chunks[0] == (1, 1)


def test_the_failing_scenario_is_reported_with_its_parameters(cluster_sweep: SweepReport) -> None:
    report = cluster_sweep
    (failed,) = report.failed
    assert failed.name == "no Kabul terminal to take out"
    assert dict(failed.values)["outage"] == "hvdc.terminal.KABUL"
    assert "KABUL" in failed.error and "InputError" in failed.error
    row = report.comparison.set_index("scenario").loc[failed.name]
    assert row["status"] == ScenarioStatus.FAILED and row["outage"] == "hvdc.terminal.KABUL"
    manifest = json.loads(report.manifest.read_text())
    recorded = {s["name"]: s for s in manifest["scenarios"]}[failed.name]
    assert recorded["status"] == "failed" and recorded["values"]["variant"] == "as_built"
    marker = report.folder / recorded["folder"] / "scenario.json"
    assert "KABUL" in json.loads(marker.read_text())["error"]


def test_comparison_pages_escape_scenario_names(cluster_sweep: SweepReport) -> None:
    names = {p.name for p in cluster_sweep.pages}
    assert names == {"sweep_comparison.html", "sweep_dashboard.html"}
    for page in cluster_sweep.pages:
        text = page.read_text()
        assert "<script>alert(1)</script>" not in text, page.name
    table = (cluster_sweep.folder / "sweep_comparison.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert "no Kabul terminal to take out" in table  # failed scenarios are listed too


def test_tables_of_every_scenario(cluster_sweep: SweepReport) -> None:
    import pandas as pd

    summary = pd.read_csv(cluster_sweep.tables["seasonal_summary"])
    assert list(summary.columns[:4]) == ["scenario", "variant", "hydrology", "outage"]
    assert sorted(set(summary.scenario)) == sorted(o.name for o in cluster_sweep.outcomes if o.ok)
    totals = cluster_sweep.comparison.set_index("scenario")
    assert "seasonal.delivered_pk_gwh" in totals.columns
    assert np.isnan(totals.loc["no Kabul terminal to take out", "seasonal.delivered_pk_gwh"])


def test_a_combined_store_opens_lazily(cluster_sweep: SweepReport) -> None:
    combined = open_combined(cluster_sweep.stores["seasonal"])
    assert isinstance(combined, xr.Dataset)
    assert combined["vm_pu"].chunks is not None  # dask-backed, nothing read yet


def test_an_existing_cluster_by_its_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster

    plan = plan_sweep(axes={"hydrology": "dry"}, studies=["seasonal"], months=[7])
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
    ) as cluster:
        report = run_sweep(plan, tmp_path, SweepOptions(scheduler=cluster.scheduler_address))
        assert report.session.startswith(f"Dask cluster at {cluster.scheduler_address}")
        assert [o.status for o in report.outcomes] == [ScenarioStatus.DONE]
        # a folder the workers cannot see is refused before any task is sent
        monkeypatch.setattr(dask_execution, "worker_probe", lambda folder: ("0.1.0", False))
        with pytest.raises(InputError, match="shared file system"):
            run_sweep(plan, tmp_path / "b", SweepOptions(scheduler=cluster.scheduler_address))
        assert not (tmp_path / "b" / "scenarios").exists()
