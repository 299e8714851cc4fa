"""Shaping invariants with independent oracles read straight from the seed CSVs."""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from casa1000.profiles import build_profiles

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _seed_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("casa1000.seeds").joinpath(name).read_text()
    return list(csv.DictReader(text.splitlines()))


def _monthly_target_mwh(zone: str) -> np.ndarray:
    annual = {
        row["zone"]: float(row["annual_twh"]) for row in _seed_rows("profile_annual_energy.csv")
    }
    share = next(
        row for row in _seed_rows("profile_monthly_demand_share.csv") if row["zone"] == zone
    )
    shares = np.array([float(share[m]) for m in MONTHS])
    return annual[zone] * 1e6 * shares / shares.sum()


def _monthly_mwh(series: pd.Series) -> np.ndarray:
    return series.groupby(series.index.month).sum().to_numpy()


@pytest.mark.parametrize(("zone", "flat_mw"), [("KG", 0.0), ("TJ", 670.0), ("PK", 0.0)])
def test_shaping_preserves_monthly_energy(
    normal_2027: xr.Dataset, zone: str, flat_mw: float
) -> None:
    demand = normal_2027["demand_mw"].sel(zone=zone).to_series() - flat_mw
    np.testing.assert_allclose(_monthly_mwh(demand), _monthly_target_mwh(zone), rtol=1e-6)


def test_demand_growth_scales_kyrgyz_and_tajik_but_not_pakistan(normal_2027: xr.Dataset) -> None:
    grown = build_profiles(year=2027, demand_growth=1.1)
    base, more = normal_2027["demand_mw"], grown["demand_mw"]
    np.testing.assert_allclose(
        more.sel(zone="KG").sum(), 1.1 * base.sel(zone="KG").sum(), rtol=1e-9
    )
    talco = 670.0 * 8760
    np.testing.assert_allclose(
        more.sel(zone="TJ").sum() - talco, 1.1 * (base.sel(zone="TJ").sum() - talco), rtol=1e-9
    )
    np.testing.assert_array_equal(more.sel(zone="PK"), base.sel(zone="PK"))


def test_kyrgyz_hours_run_one_hour_ahead(normal_2027: xr.Dataset) -> None:
    row = next(
        r for r in _seed_rows("profile_daily_shape.csv")
        if (r["zone"], r["season"], r["day_type"]) == ("KG", "summer", "weekday")
    )  # fmt: skip
    kg_clock_peak = int(np.argmax([float(row[f"h{h:02d}"]) for h in range(24)]))
    kg = normal_2027["demand_mw"].sel(zone="KG").to_series()
    july_weekdays = kg[(kg.index.month == 7) & (kg.index.dayofweek < 5)]
    dataset_peak = int(july_weekdays.groupby(july_weekdays.index.hour).mean().idxmax())
    assert dataset_peak == (kg_clock_peak - 1) % 24


def test_cold_spell_days_carry_the_seeded_ratio(normal_2027: xr.Dataset) -> None:
    spell = next(r for r in _seed_rows("profile_cold_spell.csv") if r["zone"] == "KG")
    kg = normal_2027["demand_mw"].sel(zone="KG").to_series()
    december = kg[kg.index.month == 12]
    kg_clock = december.index + pd.Timedelta(hours=1)  # Kyrgyz days start at 23:00 UTC+5
    first = int(spell["first_day"])
    for day in range(first, first + int(spell["days"])):
        mean = december[(kg_clock.day == day) & (kg_clock.month == 12)].mean()
        assert mean / december.mean() == pytest.approx(float(spell["peak_day_ratio"]), rel=1e-9)


def test_run_of_river_energy_matches_a_hand_calculation(normal_2027: xr.Dataset) -> None:
    # KG_SMALL_HYDRO (no reservoir, cascade OTHER on the Naryn inflow shape):
    # energy_m = annual x ((1 - r) q_m + r d_m), capped at 171 MW
    annual_twh = next(
        float(r["annual_twh"])
        for r in _seed_rows("profile_plant_energy.csv")
        if r["plant"] == "KG_SMALL_HYDRO"
    )
    r = next(
        float(c["regulation_share"])
        for c in _seed_rows("profile_cascade.csv")
        if c["cascade"] == "OTHER"
    )
    flows = [
        float(f["inflow_m3_per_s"])
        for f in _seed_rows("profile_inflow.csv")
        if f["cascade"] == "NARYN"
    ]
    hours = np.array([744, 672, 744, 720, 744, 720, 744, 744, 720, 744, 720, 744], dtype=float)
    volume = np.array(flows) * hours
    kg_monthly = _monthly_target_mwh("KG")
    share = (1 - r) * volume / volume.sum() + r * kg_monthly / kg_monthly.sum()
    expected = np.minimum(annual_twh * 1e6 * share / hours, 171.0) * hours
    got = _monthly_mwh(normal_2027["available_mw"].sel(plant="KG_SMALL_HYDRO").to_series())
    np.testing.assert_allclose(got, expected, rtol=1e-9)


def test_toktogul_releases_more_in_winter_than_its_inflow(normal_2027: xr.Dataset) -> None:
    flows = np.array(
        [
            float(f["inflow_m3_per_s"])
            for f in _seed_rows("profile_inflow.csv")
            if f["cascade"] == "NARYN"
        ]
    )
    winter = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1], dtype=bool)
    hours = np.array([744, 672, 744, 720, 744, 720, 744, 744, 720, 744, 720, 744], dtype=float)
    inflow_winter_share = (flows * hours)[winter].sum() / (flows * hours).sum()
    toktogul = _monthly_mwh(normal_2027["available_mw"].sel(plant="TOKTOGUL").to_series())
    assert toktogul[winter].sum() / toktogul.sum() > inflow_winter_share + 0.05


def test_hydro_scale_scales_inflows_and_unclipped_river_energy(normal_2027: xr.Dataset) -> None:
    scaled = build_profiles(year=2027, hydro_scale=0.5)
    for plant in ("KG_SMALL_HYDRO", "KAIRAKKUM"):  # never at capacity, no seasonal reservoir
        np.testing.assert_allclose(
            scaled["available_mw"].sel(plant=plant).sum(),
            0.5 * normal_2027["available_mw"].sel(plant=plant).sum(),
            rtol=1e-9,
        )
    for reservoir in ("TOKTOGUL", "ROGUN"):  # river-fed: the inflow itself halves
        np.testing.assert_allclose(
            scaled["reservoir_inflow_bcm"].sel(reservoir=reservoir),
            0.5 * normal_2027["reservoir_inflow_bcm"].sel(reservoir=reservoir),
            rtol=1e-12,
        )
    # half the water: the reservoirs cannot keep up the normal plan
    assert float(scaled["reservoir_release_bcm"].sum()) < float(
        normal_2027["reservoir_release_bcm"].sum()
    )
    np.testing.assert_array_equal(
        scaled["available_mw"].sel(plant="KG_THERMAL"),
        normal_2027["available_mw"].sel(plant="KG_THERMAL"),
    )


def test_thermal_plants_are_less_available_in_summer(normal_2027: xr.Dataset) -> None:
    for plant in ("KG_THERMAL", "DUSHANBE_CHP2"):
        series = normal_2027["available_mw"].sel(plant=plant).to_series()
        assert series[series.index.month == 7].mean() < series[series.index.month == 1].mean()


def test_converter_limit_caps_the_total(normal_2027: xr.Dataset) -> None:
    capped = build_profiles(year=2027, converter_limit_mw=1000.0)
    assert float(capped["export_available_total_mw"].max()) <= 1000.0
    assert capped.attrs["converter_limit_mw"] == 1000.0
    assert float(capped["export_available_total_mw"].sum()) < float(
        normal_2027["export_available_total_mw"].sum()
    )
