"""Remedial actions and the corridor's PV margin, by hand on made-up contingency results."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
import pytest
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.indicators import corridor_remedial as cr
from casa1000.studies.indicators import corridor_security as cs
from casa1000.studies.indicators import tables
from casa1000.studies.indicators.seed_tables import load_indicator_seeds
from casa1000.studies.indicators.study import SPEC, IndicatorsConfig
from casa1000.studies.spine.runner import execute
from casa1000.studies.spine.scenario import StudyInputs

IDS = ["BASE", "LINE:SANGTUDA_PULEKHUMRI/1", "UNIT:NUREK"]
KINDS = ["base", "line", "unit"]
FAST = IndicatorsConfig(mc_years=10, mc_seed=1)
NEW_VARIABLES = (*cr.REMEDIAL_VARIABLES, *cr.MARGIN_VARIABLES)


@pytest.fixture(scope="module")
def screening(make_contingency: Callable[..., xr.Dataset]) -> xr.Dataset:
    # four hours (two January, two July); the corridor circuit needs a runback in both July
    # hours and shedding as well in the second; the Nurek unit is secure throughout
    secure = np.ones((4, 3), dtype=bool)
    without = np.ones((4, 3), dtype=bool)
    without[2:, 1] = False
    runback = np.zeros((4, 3))
    runback[2:, 1] = [30.0, 60.0]
    shed = np.zeros((4, 3))
    shed[3, 1] = 25.0
    data = {
        "secure": secure,
        "secure_without_remedial": without,
        "afghan_runback_mw": runback,
        "load_shed_mw": shed,
        # no offtake in January: no margin; July intact 120/80 MW, circuit out -20/40 MW
        "corridor_margin_mw": [np.nan, np.nan, 120.0, 80.0],
        "corridor_margin_n1_mw": [np.nan, np.nan, -20.0, 40.0],
    }
    return make_contingency(IDS, KINDS, data)


def test_secure_with_and_without_remedial_actions(screening: xr.Dataset) -> None:
    with_actions = cs.n1_secure(screening)
    without = cs.n1_secure(screening, "secure_without_remedial")
    assert with_actions.values.tolist() == [True] * 4
    assert without.values.tolist() == [True, True, False, False]
    assert cs.secure_share_percent(without) == 50.0
    july = xr.DataArray([False, False, True, True], dims="time")
    assert cs.secure_share_percent(without, hours=july) == 0.0


def test_remedial_energy_and_its_expectation(screening: xr.Dataset, as_built: GridParams) -> None:
    runback, shed = cr.remedial_energy_mwh(screening)
    assert runback.values.tolist() == [0.0, 90.0, 0.0]  # 30 + 60 MW for an hour each
    assert shed.values.tolist() == [0.0, 25.0, 0.0]
    freq, dur, _ = cs.outage_rates(screening, as_built, load_indicator_seeds())
    p = cs.outage_probability(freq, dur)
    assert 0 < float(p[1]) < 1
    assert cr.expected_remedial_mwh(runback, p).values.tolist() == pytest.approx(
        [0.0, 90.0 * float(p[1]), 0.0]
    )
    assert float(cr.expected_remedial_mwh(shed, p)[1]) == pytest.approx(25.0 * float(p[1]))


def test_margin_percentiles_and_hours_past_the_nose(screening: xr.Dataset) -> None:
    july = xr.DataArray([False, False, True, True], dims="time")
    intact = cr.margin_stats(screening.corridor_margin_mw, july)
    n1 = cr.margin_stats(screening.corridor_margin_n1_mw, july)
    # two values: P10 = a + 0.1 (b - a), P50 = the mean (numpy's linear interpolation)
    assert (intact.p10_mw, intact.p50_mw) == pytest.approx((84.0, 100.0))
    assert (n1.p10_mw, n1.p50_mw) == pytest.approx((-14.0, 10.0))
    assert (intact.negative_h, n1.negative_h, n1.hours_h) == (0.0, 1.0, 2.0)
    january = cr.margin_stats(screening.corridor_margin_mw, ~july)
    assert math.isnan(january.p10_mw) and january.hours_h == 0.0


def test_missing_variables_are_named(screening: xr.Dataset) -> None:
    assert cr.missing_remedial(screening) == "" and cr.missing_margin(screening) == ""
    old = screening.drop_vars(["load_shed_mw", "corridor_margin_n1_mw"])
    assert "load_shed_mw" in cr.missing_remedial(old)
    assert "corridor_margin_n1_mw" in cr.missing_margin(old)


def _with(c: xr.Dataset, **values: np.ndarray) -> xr.Dataset:
    out = c.copy()
    for name, v in values.items():
        out[name] = out[name].copy(data=v)
    return out


def test_the_study_reports_the_hand_figures(real_inputs: StudyInputs) -> None:
    c = real_inputs.results["contingency"]
    hours, n_c = c.sizes["time"], c.sizes["contingency"]
    july = c.time.dt.month.values == 7
    assert july.sum() == 6
    j = n_c - 1
    runback = np.zeros((hours, n_c))
    runback[july, j] = 50.0  # 6 hours x 50 MW = 300 MWh
    shed = np.zeros((hours, n_c))
    shed[np.flatnonzero(july)[0], j] = 40.0
    secure = np.ones((hours, n_c), dtype=bool)
    without = secure.copy()
    without[np.flatnonzero(july)[:3], j] = False  # half of July needs an action
    margin = np.where(july, np.arange(hours) * 10.0, np.nan)  # July: 60, 70, ..., 110 MW
    margin_n1 = np.where(july, np.arange(hours) * 10.0 - 85.0, np.nan)  # -25 .. 25 MW
    made = _with(
        c,
        secure=secure,
        secure_without_remedial=without,
        afghan_runback_mw=runback,
        load_shed_mw=shed,
        corridor_margin_mw=margin,
        corridor_margin_n1_mw=margin_n1,
    )
    inputs = dataclasses.replace(real_inputs, results={**real_inputs.results, "contingency": made})
    ds = execute(SPEC, inputs, FAST).dataset
    SPEC.schema.validate(ds)
    p = float(ds.outage_probability[j])
    assert float(ds.afghan_runback_mwh[j]) == pytest.approx(300.0)
    assert float(ds.load_shed_mwh[j]) == pytest.approx(40.0)
    assert float(ds.expected_afghan_runback_mwh[j]) == pytest.approx(300.0 * p)
    assert float(ds.expected_load_shed_mwh[j]) == pytest.approx(40.0 * p)
    assert float(ds.n1_secure_hours_percent) == 100.0
    assert float(ds.n1_secure_without_remedial_hours_percent) == pytest.approx(75.0)
    season = float(ds.n1_secure_without_remedial_season_hours_percent)
    assert season == pytest.approx(50.0) and ds.attrs.get("absent_remedial") is None
    assert float(ds.corridor_margin_p10_season_mw) == pytest.approx(65.0)
    assert float(ds.corridor_margin_p50_season_mw) == pytest.approx(85.0)
    assert float(ds.corridor_margin_n1_p10_season_mw) == pytest.approx(-20.0)
    assert float(ds.corridor_margin_n1_negative_season_h) == 3.0
    assert float(ds.corridor_margin_season_h) == 6.0
    figures = tables.key_figures(ds).set_index("indicator")
    assert figures.loc["expected_afghan_runback_mwh", "value"] == pytest.approx(300.0 * p)
    assert figures.loc["afghan_runback_screened_mwh", "value"] == pytest.approx(300.0)
    assert figures.loc["corridor_margin_n1_negative_season_h", "note"] == ""
    line = tables.headline(ds)[2]
    assert "100 % of hours with remedial actions, 75 % without" in line
    assert "-20 MW with a circuit out" in line and "3 hours past the nose" in line
    ranked = tables.contingencies(ds).set_index("contingency")
    assert ranked.loc[str(c.contingency.values[j]), "load_shed_mwh"] == pytest.approx(40.0)


def test_a_result_written_before_remedial_actions_still_gives_indicators(
    real_inputs: StudyInputs,
) -> None:
    old = real_inputs.results["contingency"].drop_vars(list(NEW_VARIABLES))
    inputs = dataclasses.replace(real_inputs, results={**real_inputs.results, "contingency": old})
    ds = execute(SPEC, inputs, FAST).dataset
    SPEC.schema.validate(ds)
    assert "n1_secure" in ds and "n1_secure_without_remedial" not in ds
    assert "afghan_runback_mwh" not in ds and "corridor_margin_season_h" not in ds
    assert "remedial actions" in str(ds.attrs["absent_remedial"])
    assert "corridor_margin_mw" in str(ds.attrs["absent_pv_margin"])
    figures = tables.key_figures(ds).set_index("indicator")
    for key in ("n1_secure_without_remedial_hours_percent", "expected_load_shed_mwh"):
        assert math.isnan(figures.loc[key, "value"])
        assert "secure_without_remedial" in figures.loc[key, "note"]
    assert "corridor_margin_mw" in figures.loc["corridor_margin_p10_season_mw", "note"]
    assert math.isfinite(figures.loc["n1_secure_hours_percent", "value"])
    headline = tables.headline(ds)
    assert len(headline) == 10 and "n/a % without" in headline[2]
    assert "afghan_runback_mwh" not in tables.contingencies(ds).columns
