"""Shared fixtures: the reference parameters of both variants, built once per session."""

from __future__ import annotations

import pytest

from casa1000.grid.params import GridParams, Variant
from casa1000.grid.reference import load_reference


@pytest.fixture(scope="session")
def as_built() -> GridParams:
    return load_reference(Variant.AS_BUILT)


@pytest.fixture(scope="session")
def design_2014() -> GridParams:
    return load_reference(Variant.DESIGN_2014)


@pytest.fixture(scope="session", params=list(Variant))
def params(request: pytest.FixtureRequest) -> GridParams:
    return load_reference(request.param)
