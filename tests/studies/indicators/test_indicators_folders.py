"""Indicators from results folders: the recorded scenario rebuilt, checked, and the command line."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import xarray as xr
from typer.testing import CliRunner

from casa1000.cli import app
from casa1000.errors import InputError
from casa1000.grid.params import GridParams
from casa1000.profiles.config import Hydrology, ProfileConfig
from casa1000.studies import seasonal
from casa1000.studies.indicators.result_folders import load_result_set, set_labels
from casa1000.studies.seasonal import SeasonalConfig
from casa1000.studies.spine.provenance import hash_dataset, params_hash
from casa1000.studies.spine.runner import execute, write_result
from casa1000.studies.spine.scenario import Scenario

SCENARIO = Scenario(
    name="dry-rating",
    sets=("hvdc.rating_mw=1200",),
    profile_config=ProfileConfig(year=2027, hydrology=Hydrology.DRY),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("results")
    result = execute(seasonal.SPEC, SCENARIO.load(), SeasonalConfig(months=(1,)))
    write_result(seasonal.SPEC, result, out)
    return out


def test_from_attrs_rebuilds_the_same_network_and_profiles(folder: Path) -> None:
    attrs = xr.open_dataset(folder / "seasonal.nc").attrs
    again = Scenario.from_attrs(attrs)
    assert again.sets == ("hvdc.rating_mw=1200",) and again.name == "dry-rating"
    assert again.profile_config is not None
    assert again.profile_config.hydrology is Hydrology.DRY
    inputs = again.load()
    assert params_hash(inputs.params) == attrs["parameter_hash"]
    assert hash_dataset(inputs.profiles) == attrs["profile_hash"]


def test_from_attrs_refuses_what_it_cannot_rebuild(as_built: GridParams) -> None:
    given = {"variant": "as_built", "overrides": "{}", "profile_source": "given"}
    with pytest.raises(InputError, match="profile file"):
        Scenario.from_attrs(given)
    with pytest.raises(InputError, match="profile file"):
        Scenario.from_attrs({**given, "profile_source": "file p.csv"})
    # profiles a Python caller passed: the recorded year's reference build (hash checked later)
    guess = Scenario.from_attrs({**given, "profile_year": "2027", "profile_hydrology": "wet"})
    assert guess.profile_config == ProfileConfig(year=2027, hydrology=Hydrology.WET)
    assert Scenario.from_attrs(given, profile_file=Path("p.nc")).profile_file == Path("p.nc")
    with pytest.raises(InputError, match="JSON"):
        Scenario.from_attrs({**given, "overrides": "[1, 2]"})
    with pytest.raises(InputError, match="profile settings"):
        Scenario.from_attrs({**given, "profile_source": '{"year": "soon"}'})


def test_load_result_set_reads_and_checks(folder: Path, tmp_path: Path) -> None:
    inputs = load_result_set(folder)
    assert list(inputs.results) == ["seasonal"] and inputs.params.hvdc.rating_mw == 1200
    with pytest.raises(InputError, match="seasonal"):
        load_result_set(tmp_path)
    stale = execute(seasonal.SPEC, SCENARIO.load(), SeasonalConfig(months=(1,)))
    stale.dataset.attrs["parameter_hash"] = "0123456789abcdef"
    write_result(seasonal.SPEC, dataclasses.replace(stale), tmp_path / "stale")
    with pytest.raises(InputError, match="re-run the studies"):
        load_result_set(tmp_path / "stale")


def test_labels_are_unique() -> None:
    assert set_labels([Path("x/normal"), Path("y/normal")]) == ["normal", "normal-2"]


def test_command_line_single_set_and_comparison(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "one"
    single = runner.invoke(
        app, ["-q", "study", "indicators", str(folder), "--out", str(out), "--years", "5"]
    )
    assert single.exit_code == 0, single.output
    assert "1. Delivered" in single.output and "10. Revenue" in single.output
    assert (out / "indicators.manifest.json").is_file()
    both = runner.invoke(
        app,
        [
            "-q",
            "study",
            "indicators",
            str(folder),
            str(folder),
            "--out",
            str(tmp_path / "cmp"),
            "--years",
            "5",
            "--format",
            "json",
        ],
    )
    assert both.exit_code == 0, both.output
    data = json.loads(both.output)
    assert {"comparison.nc", "comparison.csv"} <= {Path(f).name for f in data["files"]}
    rows = {r["indicator"]: r for r in data["tables"]["comparison"]}
    label = folder.name
    assert rows["unserved_gwh"][f"{label}-2 - {label}"] == 0.0
    assert (tmp_path / "cmp" / folder.name / "indicators.nc").is_file()


def test_command_line_errors_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["study", "indicators", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "error:" in missing.output
    assert not (tmp_path / "nothing").exists()  # nothing created for a wrong folder
    bad = runner.invoke(app, ["study", "indicators", str(tmp_path), "--years", "0"])
    assert bad.exit_code == 2 and "mc_years" in bad.output


def test_results_of_the_reference_scenario_can_be_read_back(tmp_path: Path) -> None:
    result = execute(seasonal.SPEC, Scenario().load(), SeasonalConfig(months=(1,)))
    write_result(seasonal.SPEC, result, tmp_path)
    inputs = load_result_set(tmp_path)  # recorded as "given": the reference build matches
    assert inputs.profiles.attrs["hydrology"] == "normal"
