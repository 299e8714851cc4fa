"""Fixtures of the study tests: the reference year and its seasonal study, built once."""

from __future__ import annotations

import pytest
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.profiles.build import build_profiles
from casa1000.studies.seasonal import run_seasonal


@pytest.fixture(scope="session")
def profiles_2027() -> xr.Dataset:
    return build_profiles(year=2027)


@pytest.fixture(scope="session")
def seasonal_2027(as_built: GridParams, profiles_2027: xr.Dataset) -> xr.Dataset:
    return run_seasonal(as_built, profiles_2027)
