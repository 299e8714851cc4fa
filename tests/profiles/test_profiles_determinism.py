"""Reproducibility, calendar and configuration checks."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import casa1000
from casa1000.errors import InputError
from casa1000.profiles import (
    ExportRule,
    Hydrology,
    ProfileConfig,
    availability,
    build,
    build_profiles,
    timeline,
)


def test_same_seed_gives_identical_arrays(normal_2027: xr.Dataset) -> None:
    again = build_profiles(year=2027, seed=0)
    for name in normal_2027.data_vars:
        np.testing.assert_array_equal(again[name].values, normal_2027[name].values, err_msg=name)
    assert again.attrs["seed_hash"] == normal_2027.attrs["seed_hash"]


def test_another_seed_changes_demand_but_not_energy(normal_2027: xr.Dataset) -> None:
    other = build_profiles(year=2027, seed=1)
    assert not np.array_equal(other["demand_mw"].values, normal_2027["demand_mw"].values)
    np.testing.assert_allclose(
        other["demand_mw"].sel(zone="KG").sum(),
        normal_2027["demand_mw"].sel(zone="KG").sum(),
        rtol=1e-9,
    )


def test_leap_year_has_8784_hours() -> None:
    ds = build_profiles(year=2028)
    assert ds.sizes["time"] == 8784
    assert pd.Timestamp("2028-02-29T12:00") in pd.DatetimeIndex(ds["time"].values)


def test_time_axis_is_naive_hourly_utc_plus_5(normal_2027: xr.Dataset) -> None:
    time = pd.DatetimeIndex(normal_2027["time"].values)
    assert time.tz is None and normal_2027["time"].dtype == np.dtype("datetime64[ns]")
    assert time[0] == pd.Timestamp("2027-01-01T00:00") and time[-1] == pd.Timestamp(
        "2027-12-31T23:00"
    )
    assert (np.diff(time.asi8) == 3_600_000_000_000).all()
    assert normal_2027["time"].attrs["timezone"] == "UTC+05:00"
    assert timeline.hours_in_year(2100) == 8760 and timeline.hours_in_year(2000) == 8784


def test_contract_names_units_and_provenance(normal_2027: xr.Dataset) -> None:
    ds = normal_2027
    assert ds["zone"].values.tolist() == ["KG", "TJ", "AF", "PK"]
    assert ds["offtaker"].values.tolist() == ["PK", "AF"]
    assert ds["supplier"].values.tolist() == ["KG", "TJ"]
    assert ds["plant"].values.tolist()[:2] == ["TOKTOGUL", "KAMBARATA2"] and ds.sizes["plant"] == 16
    assert {"plant_zone", "technology", "cascade"} <= set(ds.coords)
    dims = {
        "demand_mw": ("time", "zone"),
        "available_mw": ("time", "plant"),
        "contract_mw": ("time", "offtaker"),
        "export_available_mw": ("time", "supplier"),
        "export_available_total_mw": ("time",),
    }
    for name, expected in dims.items():
        assert ds[name].dims == expected
        assert ds[name].attrs["units"] == "MW" and ds[name].attrs["long_name"]
    attrs = ds.attrs
    assert attrs["casa1000_version"] == casa1000.__version__
    assert (attrs["year"], attrs["hydrology"], attrs["seed"]) == (2027, "normal", 0)
    assert (attrs["hydro_scale"], attrs["demand_growth"]) == (1.0, 1.0)
    assert len(attrs["seed_hash"]) == 64 and attrs["timezone"] == "UTC+05:00"
    assert pd.Timestamp(attrs["created"]).tzinfo is not None


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"year": 1800}, "year"),
        ({"year": True}, "year"),
        ({"year": 2027, "hydrology": "damp"}, "hydrology"),
        ({"year": 2027, "hydro_scale": -1.0}, "hydro_scale"),
        ({"year": 2027, "demand_growth": float("nan")}, "demand_growth"),
        ({"year": 2027, "seed": -3}, "seed"),
        ({"year": 2027, "converter_limit_mw": -5.0}, "converter_limit_mw"),
    ],
)
def test_bad_settings_raise_input_error(kwargs: dict[str, object], key: str) -> None:
    with pytest.raises(InputError) as caught:
        build_profiles(**kwargs)  # type: ignore[arg-type]
    assert caught.value.key == key
    assert "profile config" in str(caught.value)


def test_config_is_frozen_and_typed() -> None:
    config = ProfileConfig(year=2027, hydrology=Hydrology.parse("wet"))
    assert config.hydrology is Hydrology.WET
    with pytest.raises(AttributeError):
        config.year = 2028  # type: ignore[misc]


def test_config_takes_names_for_its_choices() -> None:
    # a name is the member it names, so equality and `is` checks downstream hold
    config = ProfileConfig(year=2027, hydrology="dry", export_rule="spill-only")  # type: ignore[arg-type]
    assert config.hydrology is Hydrology.DRY
    assert config.export_rule is ExportRule.SPILL_ONLY
    with pytest.raises(InputError):
        ProfileConfig(year=2027, export_rule="wet-only")  # type: ignore[arg-type]


@settings(deadline=None, max_examples=6, derandomize=True)
@given(
    hydro_scale=st.floats(0.3, 2.0),
    demand_growth=st.floats(0.7, 1.6),
    hydrology=st.sampled_from(["dry", "normal", "wet"]),
)
def test_physical_invariants_hold_for_any_scenario(
    hydro_scale: float, demand_growth: float, hydrology: str
) -> None:
    ds = build_profiles(
        year=2026, hydrology=hydrology, hydro_scale=hydro_scale, demand_growth=demand_growth
    )
    for name, var in ds.data_vars.items():
        assert (var.values >= 0.0).all(), name
    contract = ds["contract_mw"].sum("offtaker")
    assert (ds["export_available_mw"].sum("supplier") <= contract + 1e-9).all()
    assert (ds["export_available_total_mw"] <= 1300.0).all()
    assert (ds["demand_mw"].sel(zone="AF") <= ds["contract_mw"].sel(offtaker="AF") + 1e-9).all()


@pytest.mark.parametrize("module", [timeline, availability, build])
def test_docstring_examples_run(module: object) -> None:
    failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)  # type: ignore[arg-type]
    assert failures == 0
