"""The indicators' reference data: sourced, consistent, within their ranges, and complete."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.params import GridParams
from casa1000.grid.reference import seed_text
from casa1000.studies.indicators import corridor_security
from casa1000.studies.indicators.seed_tables import (
    load_indicator_seeds,
    read_outage_rates,
    read_tariffs,
)
from casa1000.studies.spine.scenario import StudyInputs

FILES = ("tariffs.csv", "outage_rates.csv", "emission_factors.csv", "hvdc_route.csv")


@pytest.mark.parametrize("name", FILES)
def test_rows_cite_sources_and_assumptions_say_why(name: str) -> None:
    known = {r["id"] for r in csv.DictReader(io.StringIO(seed_text("sources.csv")))}
    for n, row in enumerate(csv.DictReader(io.StringIO(seed_text(name))), start=2):
        cited = set(row["source"].split())
        assert cited and cited <= known, f"{name} row {n}"
        assert row["confidence"] in ("H", "M", "L"), f"{name} row {n}"
        if "casa1000_assumption" in cited:
            assert len(row["note"]) > 15, f"{name} row {n}: an assumption must say why"


def test_values_sit_in_their_ranges() -> None:
    seeds = load_indicator_seeds()
    for t in seeds.tariffs.values():
        assert t.low <= t.us_cents_per_kwh <= t.high
    assert sum(t.us_cents_per_kwh for t in seeds.tariffs.values()) == pytest.approx(9.38)
    for r in seeds.outage_rates:
        assert r.frequency_low <= r.frequency_per_year <= r.frequency_high, r
        assert r.duration_low_h <= r.duration_h <= r.duration_high_h, r
    for e in seeds.emission_factors.values():
        assert e.low <= e.co2_t_per_mwh <= e.high


def test_emission_factors_follow_from_fuel_and_efficiency() -> None:
    for row in csv.DictReader(io.StringIO(seed_text("emission_factors.csv"))):
        derived = float(row["co2_t_per_tj"]) * 0.0036 / float(row["efficiency"])
        assert float(row["co2_t_per_mwh"]) == pytest.approx(derived, rel=0.01), row["id"]


def test_route_lengths_add_up_to_the_dc_segments(
    as_built: GridParams, design_2014: GridParams
) -> None:
    route = load_indicator_seeds().route_km
    for params in (as_built, design_2014):
        for seg in params.hvdc.segments:
            assert sum(route[seg.id].values()) == pytest.approx(seg.length_km, rel=0.01)


def test_every_screened_contingency_has_a_rate(real_inputs: StudyInputs) -> None:
    c: xr.Dataset = real_inputs.results["contingency"]
    freq, dur, unrated = corridor_security.outage_rates(
        c, real_inputs.params, load_indicator_seeds()
    )
    assert unrated == []
    assert (freq.values >= 0).all() and (dur.values >= 0).all()


def test_user_tables_are_checked(tmp_path: Path) -> None:
    bad = tmp_path / "rates.csv"
    bad.write_text(seed_text("outage_rates.csv").replace("hvdc_pole,", "hvdc_valve,", 1))
    with pytest.raises(InputError, match="element"):
        read_outage_rates(bad)
    tariffs = tmp_path / "tariffs.csv"
    tariffs.write_text("component,us_cents_per_kwh,payer,payee,low,high\nenergy,5,PK,KG,5,5\n")
    with pytest.raises(InputError, match="transmission"):
        read_tariffs(tariffs)
    with pytest.raises(InputError, match="readable"):
        read_tariffs(tmp_path / "none.csv")
