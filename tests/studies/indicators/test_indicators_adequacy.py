"""Adequacy at home: deterministic indicators by hand, the Monte Carlo against its own physics."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.indicators import adequacy
from casa1000.studies.indicators import monte_carlo as mc
from casa1000.studies.indicators.seed_tables import load_indicator_seeds


@pytest.fixture(scope="module")
def short(make_seasonal: Callable[..., xr.Dataset]) -> xr.Dataset:
    return make_seasonal(
        {
            "unserved_mw": [[100.0, 50.0], [0.0, 20.0], [0.0, 0.0], [0.0, 0.0]],
            "import_mw": [[700.0, 800.0], [400.0, 600.0], [0.0, 0.0], [30.0, 0.0]],
        }
    )


def test_unserved_hours_and_import_need_per_month(short: xr.Dataset) -> None:
    assert adequacy.unserved_gwh(short, [1, 7]).sel(month=1).values.tolist() == [0.1, 0.07]
    assert adequacy.loss_of_load_hours(short, [1, 7]).sel(month=1).values.tolist() == [1, 2]
    need = adequacy.import_need_gwh(short, [1, 7])
    assert need.sel(month=1).values.tolist() == pytest.approx([1.2, 1.47])
    assert need.sel(month=7).values.tolist() == pytest.approx([0.03, 0.0])


def test_reserve_margin_at_the_monthly_peak(
    make_profiles: Callable[..., xr.Dataset], as_built: GridParams
) -> None:
    profiles = make_profiles(
        demand={"KG": [1000.0, 2000.0, 1500.0, 1500.0], "TJ": [0.0, 0.0, 0.0, 0.0]},
        available={"TOKTOGUL": [900.0, 1500.0, 1440.0, 1440.0], "KG_THERMAL": 300.0},
    )
    rm = adequacy.reserve_margin_percent(profiles, as_built, ["KG", "TJ"], [1, 7])
    # January peak is the 2,000 MW hour with 1,800 MW available; July 1,740 MW for 1,500 MW
    assert rm.values[0, 0] == pytest.approx(-10.0)
    assert rm.values[1, 0] == pytest.approx(16.0)
    assert np.isnan(rm.values[:, 1]).all()  # a zone without demand has no margin


def test_pooled_import_is_shared_pro_rata_within_tie_limits() -> None:
    deficit = np.array([[300.0], [100.0]])
    assert mc.pooled_unserved_mw(deficit, np.full_like(deficit, 1e9), 200.0).ravel().tolist() == [
        150.0,
        50.0,
    ]
    # a zone whose ties are all out imports nothing; the other takes what it needs
    ties = np.array([[0.0], [1e9]])
    assert mc.pooled_unserved_mw(deficit, ties, 200.0).ravel().tolist() == [300.0, 0.0]
    # a zone with no imports (no capability) sheds its whole deficit
    assert mc.pooled_unserved_mw(deficit, np.full_like(deficit, 1e9), 0.0).ravel().tolist() == [
        300.0,
        100.0,
    ]


def test_water_limited_hydro_loses_output_only_beyond_its_spare_units() -> None:
    units = np.array([4])
    unit = np.array([100.0])
    for down, lost in ((0, 0.0), (1, 0.0), (2, 0.0), (3, 100.0), (4, 200.0)):
        k = np.array([down], dtype=np.int16)
        assert mc.capacity_lost_mw(np.array([200.0]), units, k, unit).tolist() == [lost]


def test_down_counts_match_the_two_state_steady_state() -> None:
    rng = np.random.default_rng(7)
    n, hours = 400, 8760
    mttf, mttr = np.full(n, 980.0), np.full(n, 20.0)
    down = mc.down_counts(rng, mttf, mttr, hours)
    unavailability = down.mean()
    assert unavailability == pytest.approx(0.02, rel=0.1)  # mttr / (mttf + mttr)
    starts = (np.diff(down.astype(np.int8), axis=1) == 1).sum() / n
    assert starts == pytest.approx(hours / 1000.0, rel=0.1)  # outages a year
    grouped = mc.down_counts(rng, mttf[:4], mttr[:4], 100, np.array([0, 0, 1, 1]), 2)
    assert grouped.shape == (2, 100) and grouped.max() <= 2


def _system(as_built: GridParams, profiles: xr.Dataset) -> mc.AdequacySystem:
    return mc.adequacy_system(profiles, as_built, load_indicator_seeds(), ["KG", "TJ"])


@pytest.fixture(scope="module")
def winter() -> xr.Dataset:
    # the first week of a January with 30 % more demand: short every hour, no export
    from casa1000.profiles.build import build_profiles

    return build_profiles(year=2027, demand_growth=1.3).isel(time=slice(0, 7 * 24))


def test_without_outages_the_monte_carlo_is_the_dispatch(
    as_built: GridParams, winter: xr.Dataset
) -> None:
    from casa1000.studies.seasonal import run_seasonal

    dispatch = run_seasonal(as_built, winter)  # January: no export, the same balance
    system = mc.adequacy_system(
        winter, as_built, load_indicator_seeds(), ["KG", "TJ"], dispatch.loss_cover_mw
    )
    never = mc.Component(count=1, mttf_h=np.inf, mttr_h=1.0)
    system = dataclasses.replace(
        system,
        units=tuple(dataclasses.replace(never, count=u.count) for u in system.units),
        ties=tuple(never for _ in system.ties),
    )
    result = mc.simulate(system, years=2, seed=3)
    assert dispatch.unserved_mw.sum() > 0  # the oracle has something to check
    assert result.ens_mwh[0] == pytest.approx(dispatch.unserved_mw.sum("time").values, rel=1e-9)
    assert result.lol_h[1].tolist() == (dispatch.unserved_mw > 1e-3).sum("time").values.tolist()
    assert np.all(result.ens_mwh[0] == result.ens_mwh[1])


def test_units_always_out_leave_only_the_imports(
    as_built: GridParams, make_profiles: Callable[..., xr.Dataset]
) -> None:
    profiles = make_profiles(
        demand={"KG": 1000.0, "TJ": 2000.0},
        available={"TOKTOGUL": 1440.0, "NUREK": 3000.0},
    )
    system = _system(as_built, profiles)
    dead = mc.Component(count=1, mttf_h=1e-9, mttr_h=1e12)
    system = dataclasses.replace(
        system, units=tuple(dataclasses.replace(dead, count=u.count) for u in system.units)
    )
    result = mc.simulate(system, years=1, seed=0)
    # the 1,500 MW import is shared 1:2, so each zone sheds half its demand
    assert result.ens_mwh[0].tolist() == pytest.approx([2000.0, 4000.0])
    assert result.lole_h().tolist() == [4.0, 4.0]


def test_same_seed_same_years_identical_and_the_error_is_reported(
    as_built: GridParams, make_profiles: Callable[..., xr.Dataset]
) -> None:
    # a month in which Kyrgyzstan imports 1,460 of the 1,500 MW it may: any Toktogul unit
    # outage sheds load, so every simulated year has some
    january = pd.date_range("2027-01-01", periods=744, freq="h")
    tight = make_profiles(
        demand={"KG": 2900.0, "TJ": 0.0}, available={"TOKTOGUL": 1440.0}, times=january
    )
    system = _system(as_built, tight)
    a = mc.simulate(system, years=30, seed=11)
    b = mc.simulate(system, years=30, seed=11)
    c = mc.simulate(system, years=30, seed=12)
    assert np.array_equal(a.ens_mwh, b.ens_mwh) and np.array_equal(a.lol_h, b.lol_h)
    assert not np.array_equal(a.ens_mwh, c.ens_mwh)
    cv = a.eens_cv()[0]
    assert np.isfinite(cv) and cv > 0 and np.isnan(a.eens_cv()[1])  # TJ never short
    std = a.ens_mwh[:, 0].std(ddof=1)
    assert cv == pytest.approx(std / (np.sqrt(30) * a.eens_mwh()[0]))
    more = mc.simulate(system, years=120, seed=11)
    # the estimate's error falls like 1/sqrt(N), up to sampling noise in the spread
    assert more.eens_cv()[0] < cv
    assert more.eens_cv()[0] * np.sqrt(120) == pytest.approx(cv * np.sqrt(30), rel=0.4)
    # about 4 % of hours see a Toktogul unit out (4 units at a forced outage rate of 1 %)
    assert more.lole_h()[0] == pytest.approx(744 * 0.04, rel=0.3)


def test_a_zone_with_no_demand_never_loses_load(
    as_built: GridParams, make_profiles: Callable[..., xr.Dataset]
) -> None:
    profiles = make_profiles(demand={"KG": 0.0, "TJ": 500.0}, available={"NUREK": 3000.0})
    result = mc.simulate(_system(as_built, profiles), years=5, seed=0)
    assert result.lole_h()[0] == 0.0 and result.eens_mwh()[0] == 0.0
    assert np.isnan(result.eens_cv()[0])  # no unserved energy: no coefficient of variation
