"""Small result folders for the dashboard tests, built once per session.

Two days across a month boundary (30 June and 1 July 2027, 48 h) of every
study, so the map has a frame per month and the transfer study stays short; a
second folder holds the same hours with dry hydrology under a scenario name that
is an HTML injection, which must show as text everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import xarray as xr

from casa1000.profiles.config import Hydrology, ProfileConfig
from casa1000.studies.registry import STUDIES, run_study
from casa1000.studies.spine.runner import write_result
from casa1000.studies.spine.scenario import Scenario, StudyInputs

INJECTION = "<script>alert(1)</script>"
HOURS = slice("2027-06-30", "2027-07-01")


@dataclass(frozen=True)
class Folders:
    reference: Path
    injected: Path
    results: dict[str, xr.Dataset]
    injection: str = INJECTION


def _inputs(scenario: Scenario) -> StudyInputs:
    inputs = scenario.load()
    return StudyInputs(
        scenario=scenario, params=inputs.params, profiles=inputs.profiles.sel(time=HOURS)
    )


@pytest.fixture(scope="session")
def result_folders(tmp_path_factory: pytest.TempPathFactory) -> Folders:
    root = tmp_path_factory.mktemp("dashboard-results")
    reference = _inputs(
        Scenario(name="reference, two days", profile_config=ProfileConfig(year=2027))
    )
    results: dict[str, xr.Dataset] = {}
    inputs = reference
    for name in ("seasonal", "contingency", "transfer"):
        result = run_study(name, inputs)
        write_result(STUDIES[name], result, root / "reference")
        results[name] = result.dataset
    injected = _inputs(
        Scenario(name=INJECTION, profile_config=ProfileConfig(year=2027, hydrology=Hydrology.DRY))
    )
    write_result(STUDIES["seasonal"], run_study("seasonal", injected), root / "injected")
    return Folders(reference=root / "reference", injected=root / "injected", results=results)
