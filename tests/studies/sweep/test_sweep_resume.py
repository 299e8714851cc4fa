"""Resume, in-process schedulers, NetCDF stores and the sweep command (in-process, fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casa1000.cli import app
from casa1000.studies.registry import study_spec
from casa1000.studies.sweep import dask_execution
from casa1000.studies.sweep.combine import Member, StoreFormat, combine_study, open_combined
from casa1000.studies.sweep.job import SweepOptions, read_plan, run_sweep
from casa1000.studies.sweep.plan import plan_sweep
from casa1000.studies.sweep.scenario_task import ScenarioStatus

IN_PROCESS = SweepOptions(scheduler="synchronous")


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_a_resumed_sweep_skips_finished_scenarios(tmp_path: Path) -> None:
    first = plan_sweep(axes={"hydrology": "dry,wet"}, studies=["seasonal"], months=[7])
    report = run_sweep(first, tmp_path, IN_PROCESS)
    assert [o.status for o in report.outcomes] == [ScenarioStatus.DONE] * 2
    folders = {o.name: tmp_path / "scenarios" / o.key for o in report.outcomes}
    before = {name: _mtimes(f) for name, f in folders.items()}

    # one more value: only the new scenario runs, the two finished ones are read back
    wider = plan_sweep(axes={"hydrology": "dry,normal,wet"}, studies=["seasonal"], months=[7])
    resumed = run_sweep(wider, tmp_path, SweepOptions(scheduler="synchronous", resume=True))
    status = {o.name: o.status for o in resumed.outcomes}
    assert status == {
        "hydrology=dry": ScenarioStatus.RESUMED,
        "hydrology=normal": ScenarioStatus.DONE,
        "hydrology=wet": ScenarioStatus.RESUMED,
    }
    assert {name: _mtimes(f) for name, f in folders.items()} == before
    combined = open_combined(resumed.stores["seasonal"])
    assert list(combined.hydrology.values) == ["dry", "normal", "wet"]

    # a damaged result is not trusted: that scenario alone runs again
    damaged = folders["hydrology=wet"] / "seasonal.nc"
    damaged.write_bytes(damaged.read_bytes()[:1000])
    again = run_sweep(wider, tmp_path, SweepOptions(scheduler="synchronous", resume=True))
    status = {o.name: o.status for o in again.outcomes}
    assert status["hydrology=wet"] is ScenarioStatus.DONE
    assert status["hydrology=dry"] is status["hydrology=normal"] is ScenarioStatus.RESUMED
    assert read_plan(tmp_path).points == wider.points

    # the same scenarios combined as chunked NetCDF hold the same numbers as the Zarr store
    spec = study_spec("seasonal")
    members = [Member(outcome=o, folder=tmp_path / "scenarios" / o.key) for o in again.outcomes]
    nc = combine_study(spec, members, wider.axes, tmp_path / "again.nc", StoreFormat.NETCDF)
    a = open_combined(again.stores["seasonal"]).load()
    b = open_combined(nc).load()
    for name in ("vm_pu", "delivered_mw", "converged", "nonconvergence_reason"):
        assert (a[name].values == b[name].values).all(), name
    assert (a.time.values == b.time.values).all()
    assert (a.scenario.values == b.scenario.values).all()


def test_sweep_command_reports_a_failed_scenario_and_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            "--variant",
            "as_built,design_2014",
            "--set",
            "hvdc.terminal.KABUL.rating_mw=250",
            "--studies",
            "seasonal",
            "--months",
            "7",
            "--scheduler",
            "synchronous",
            "--out",
            str(tmp_path),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1, result.output
    text = result.stdout
    data = json.loads(text)
    assert "1 done, 0 resumed, 1 failed" in data["headline"][0]
    failed = data["headline"][1]
    assert failed.startswith("FAILED") and "variant=as_built" in failed and "KABUL" in failed
    rows = {r["scenario"]: r for r in data["tables"]["scenarios"]}
    assert rows["variant=design_2014"]["status"] == "done"
    assert rows["variant=as_built"]["hvdc.terminal.KABUL.rating_mw"] == 250.0
    assert (tmp_path / "sweep.manifest.json").is_file()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--hydrology", "moist"], "one of dry, normal, wet"),
        (["--set", "hvdc.rating_mw"], "key=v1,v2"),
        (["--scheduler", "carrier-pigeon"], "tcp://host:8786"),
        (["--scheduler", "threads"], "synchronous, local"),
        (["--workers", "0"], "1 to 1024"),
        (["--store", "parquet"], "zarr or netcdf"),
        (["--studies", "astrology"], "one of seasonal"),
        (["--scheduler", "tcp://127.0.0.1:9"], "a reachable Dask scheduler"),
    ],
)
def test_bad_sweep_options_are_one_line(
    args: list[str], fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dask_execution, "CONNECT_TIMEOUT", "1s")
    result = CliRunner().invoke(app, ["sweep", *args, "--months", "7", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip().startswith("error")]
    assert len(lines) == 1 and fragment in lines[0]


def test_resume_without_a_plan_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sweep", "--resume", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "the plan of an earlier sweep" in result.output
