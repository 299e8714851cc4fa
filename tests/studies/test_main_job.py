"""The main job: every registered study of one scenario, into one folder, with manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casa1000.cli import app
from casa1000.profiles.io import read_profiles_netcdf
from casa1000.studies.main_job import MainJobOptions, MainJobReport, run_main_job
from casa1000.studies.registry import STUDIES, study_spec
from casa1000.studies.spine.results_io import sha256_of
from casa1000.studies.spine.runner import read_result_set
from casa1000.studies.spine.scenario import Scenario


@pytest.fixture(scope="module")
def july(tmp_path_factory: pytest.TempPathFactory) -> MainJobReport:
    folder = tmp_path_factory.mktemp("main")
    stages: list[tuple[str, float]] = []
    report = run_main_job(
        Scenario(),
        folder,
        MainJobOptions(months=(7,)),
        progress=lambda stage, done: stages.append((stage, done)),
    )
    assert stages[-1] == ("done", 1.0)
    assert all(0.0 <= d <= 1.0 for _, d in stages)
    return report


def test_every_registered_study_runs_and_writes_its_files(july: MainJobReport) -> None:
    folder = july.folder
    ran = set(july.results) | set(july.skipped)
    assert ran == set(STUDIES)
    assert list(july.results) == [n for n in STUDIES if n in july.results]
    for name in july.results:
        for file_name in study_spec(name).files:
            assert (folder / file_name).is_file(), file_name
    # the manifests vouch for the files, and the results belong to one scenario
    results = read_result_set([study_spec(n) for n in july.results], folder)
    # the months reach every study that has them
    configs = [json.loads(str(ds.attrs["config"])) for ds in results.values()]
    assert all(c["months"] == [7] for c in configs if "months" in c)
    assert sum("months" in c for c in configs) >= 3


def test_profiles_and_the_job_manifest(july: MainJobReport) -> None:
    profiles = read_profiles_netcdf(july.profiles)
    assert profiles.sizes["time"] == 8760
    manifest = json.loads(july.manifest.read_text())
    assert manifest["profiles"]["sha256"] == sha256_of(july.profiles)
    for name, entry in manifest["studies"].items():
        assert entry["sha256"] == sha256_of(july.folder / entry["manifest"]), name
    assert set(manifest["step_times_s"]) >= {"inputs", *july.results}
    assert manifest["scenario"]["profile_hydrology"] == "normal"
    assert july.files()[-1] == july.manifest
    assert july.dashboards is not None and july.dashboards[0].name == "dashboard.html"
    assert manifest["dashboards"] == ["dashboard.html"]
    assert all(p.exists() for p in july.files())


def test_upstream_results_reach_the_studies_that_need_them(july: MainJobReport) -> None:
    for name, result in july.results.items():
        for upstream in study_spec(name).needs:
            assert upstream in july.results
            assert (
                result.dataset.attrs["profile_hash"]
                == july.results[upstream].dataset.attrs["profile_hash"]
            )


def test_run_command_prints_headlines_and_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--months",
            "7",
            "--studies",
            "seasonal",
            "--hydrology",
            "dry",
            "--out",
            str(tmp_path),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert any(line.startswith("seasonal: 744 hours") for line in data["headline"])
    files = {Path(f).name for f in data["files"]}
    assert {"profiles.nc", "seasonal.nc", "seasonal.manifest.json", "run.manifest.json"} <= files
    assert all(Path(f).exists() for f in data["files"])


def test_run_command_refuses_bad_input_before_work(tmp_path: Path) -> None:
    clash = tmp_path / "file"
    clash.write_text("x")
    result = CliRunner().invoke(app, ["run", "--out", str(clash)])
    assert result.exit_code == 2 and "a folder (this is a file)" in result.output
    result = CliRunner().invoke(app, ["run", "--studies", "astrology", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "one of seasonal" in result.output
