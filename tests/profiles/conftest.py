"""Shared profile years, built once per session (a build takes a fraction of a second)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xarray as xr

from casa1000.profiles import build_profiles, write_profiles_csv
from casa1000.profiles.seed_tables import ProfileSeeds, load_profile_seeds


@pytest.fixture(scope="session")
def seeds() -> ProfileSeeds:
    return load_profile_seeds()


@pytest.fixture(scope="session")
def normal_2027() -> xr.Dataset:
    return build_profiles(year=2027)


@pytest.fixture(scope="session")
def export_twh_by_hydrology() -> dict[str, float]:
    return {
        hydrology: float(
            build_profiles(year=2027, hydrology=hydrology)["export_available_total_mw"].sum()
        )
        / 1e6
        for hydrology in ("dry", "normal", "wet")
    }


@pytest.fixture(scope="session")
def csv_2027(normal_2027: xr.Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_profiles_csv(normal_2027, tmp_path_factory.mktemp("csv") / "profiles_2027.csv")
