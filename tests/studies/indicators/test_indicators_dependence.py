"""Dependence, diversity, transit and economics against hand calculations."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.indicators import dependence as dep
from casa1000.studies.indicators import economics as eco
from casa1000.studies.indicators.seed_tables import load_indicator_seeds, read_tariffs

CONTEXT = {
    "af_imports_twh": 8.76 * 0.5,
    "af_import_dependence": 0.5,
    "af_import_share_uz": 0.5,
    "af_import_share_tj": 0.5,
    "af_import_share_tm": 0.0,
    "af_import_share_ir": 0.0,
}
"""Afghanistan consuming 8.76 TWh/yr (1,000 MW on average), half of it imported."""


def test_shannon_wiener_and_hhi_by_hand() -> None:
    assert dep.shannon_wiener([1, 1, 1, 1]) == pytest.approx(math.log(4))
    assert dep.shannon_wiener([2.0, 0.0]) == 0.0
    assert dep.herfindahl_hirschman([1, 1, 1, 1]) == pytest.approx(2500.0)
    assert dep.herfindahl_hirschman([3.0]) == 10_000.0
    assert math.isnan(dep.shannon_wiener([0.0, 0.0])) and math.isnan(dep.herfindahl_hirschman([]))


@pytest.fixture(scope="module")
def flows(
    make_seasonal: Callable[..., xr.Dataset],
    make_profiles: Callable[..., xr.Dataset],
    as_built: GridParams,
) -> tuple[xr.DataArray, xr.DataArray, xr.DataArray]:
    seasonal = make_seasonal(
        {
            "import_mw": [[500.0, 0.0], [300.0, 0.0], [0.0, 0.0], [100.0, 0.0]],
            "export_sent_mw": [0.0, 0.0, 1000.0, 1000.0],
            "delivered_mw": [[0, 0], [0, 0], [700, 250], [700, 250]],
        }
    )
    profiles = make_profiles(demand={"KG": 1000.0, "TJ": [2000.0, 2000.0, 0.0, 0.0], "PK": 14000.0})
    return dep.country_flows_mw(seasonal, profiles, CONTEXT, dep.supplier_shares(as_built))


def test_import_dependence_by_period_and_country(
    flows: tuple[xr.DataArray, xr.DataArray, xr.DataArray],
) -> None:
    imports, exports, demand = flows
    idp = dep.import_dependence_percent(imports, exports, demand)
    kg = idp.sel(country="KG")
    # KG imports 900 MWh, exports 30 % of 2,000 MWh, over 4,000 MWh demand
    assert kg.sel(period="annual") == pytest.approx(100 * (900 - 600) / 4000)
    assert kg.sel(period="winter") == pytest.approx(100 * 800 / 2000)
    assert kg.sel(period="summer") == pytest.approx(100 * (100 - 600) / 2000)
    tj = idp.sel(country="TJ")  # no imports: minus its exports, and no summer demand
    assert tj.sel(period="annual") == pytest.approx(-100 * 1400 / 4000)
    assert math.isnan(float(tj.sel(period="summer")))
    assert idp.sel(country="PK", period="annual") == pytest.approx(100 * 1400 / 56000)
    # Afghanistan: half of 1,000 MW imported, plus the CASA 250 MW in July
    af = idp.sel(country="AF")
    assert af.sel(period="winter") == pytest.approx(50.0)
    assert af.sel(period="summer") == pytest.approx(100 * (1000 + 500) / (2000 + 500))


def test_hourly_import_share_and_its_statistics(
    flows: tuple[xr.DataArray, xr.DataArray, xr.DataArray],
) -> None:
    imports, _, demand = flows
    hourly = dep.hourly_import_share_percent(imports, demand)
    assert hourly.sel(country="KG").values.tolist() == pytest.approx([50.0, 30.0, 0.0, 10.0])
    assert np.isnan(hourly.sel(country="TJ").values[2:]).all()  # zero demand
    mean, peak = dep.period_stats(hourly)
    assert float(mean.sel(country="KG", period="winter")) == pytest.approx(40.0)
    assert float(peak.sel(country="KG", period="annual")) == pytest.approx(50.0)


def test_supply_mix_diversity(
    make_seasonal: Callable[..., xr.Dataset], as_built: GridParams
) -> None:
    plants = [p.id for p in as_built.plants]
    gen = np.zeros((4, len(plants)))
    gen[:, plants.index("TOKTOGUL")] = 600.0  # reservoir hydro
    gen[:, plants.index("KURPSAI")] = 200.0  # run of river
    gen[:, plants.index("KG_THERMAL")] = 200.0
    ds = make_seasonal({"plant_p_mw": gen})  # and no import
    supply = dep.supply_by_source_gwh(ds, as_built)
    kg = supply.sel(period="annual", zone="KG")
    assert kg.values.tolist() == pytest.approx([2.4, 0.8, 0.8, 0.0])
    swi, hhi = dep.diversity(supply, "source")
    assert float(hhi.sel(period="annual", zone="KG")) == pytest.approx(3600 + 400 + 400)
    p = np.array([0.6, 0.2, 0.2])
    assert float(swi.sel(period="annual", zone="KG")) == pytest.approx(-(p * np.log(p)).sum())
    assert np.isnan(float(hhi.sel(period="annual", zone="TJ")))  # nothing supplied


def test_afghan_corridors_as_built_and_as_designed(
    as_built: GridParams, design_2014: GridParams
) -> None:
    built = dep.afghan_import_corridors_gwh(100.0, 8760, CONTEXT, as_built)
    design = dep.afghan_import_corridors_gwh(100.0, 8760, CONTEXT, design_2014)
    assert built["without_casa"] == pytest.approx({"uz": 2190.0, "tj": 2190.0, "tm": 0, "ir": 0})
    assert built["with_casa"]["tj"] == pytest.approx(2290.0)  # over the same 220 kV corridor
    assert design["with_casa"]["casa_hvdc"] == pytest.approx(100.0)  # a corridor of its own
    assert dep.herfindahl_hirschman(list(design["with_casa"].values())) < dep.herfindahl_hirschman(
        list(built["with_casa"].values())
    )


def test_transit_exposure(
    as_built: GridParams,
    design_2014: GridParams,
    make_contingency: Callable[..., xr.Dataset],
) -> None:
    route = load_indicator_seeds().route_km
    assert dep.afghan_route_km(as_built, route) == 562.0
    assert dep.afghan_route_km(design_2014, route) == 444.0 + 122.0
    assert dep.pk_supply_via_afghanistan_percent(10.0, as_built, route) == 100.0
    assert math.isnan(dep.pk_supply_via_afghanistan_percent(0.0, as_built, route))
    lost = np.zeros((4, 2))
    lost[2:, 1] = [300.0, 150.0]
    ds = make_contingency(["BASE", "LINE:DATKA_SUGHD"], ["base", "line"], {"export_lost_mw": lost})
    kg = xr.DataArray([0.0, 0.0, 300.0, 300.0], dims="time", coords={"time": ds.time})
    assert dep.kg_export_via_tie_percent(ds, kg) == pytest.approx(75.0)
    assert math.isnan(dep.kg_export_via_tie_percent(ds, kg * 0))


def test_tariffs_and_revenue_per_party_by_hand() -> None:
    tariffs = read_tariffs()
    assert sum(t.us_cents_per_kwh for t in tariffs.values()) == pytest.approx(9.38)
    delivered = xr.DataArray(
        [[100.0, 10.0], [0.0, 0.0]],
        dims=("time", "offtaker"),
        coords={"offtaker": ["PK", "AF"]},
    )
    shares = xr.DataArray(
        [[0.3, 0.7], [0.0, 0.0]], dims=("time", "zone"), coords={"zone": ["KG", "TJ"]}
    )
    hourly = eco.revenue_mw_usd(delivered, shares, tariffs)
    total = eco.revenue_musd(hourly) * 1e6
    energy = 110 * 51.5
    assert total.sel(party="KG") == pytest.approx(0.3 * energy)
    assert total.sel(party="TJ") == pytest.approx(0.7 * energy)
    assert total.sel(party="AF") == pytest.approx(100 * 12.5)  # transit on Pakistan's energy
    assert total.sel(party="transmission") == pytest.approx(110 * 29.8)
    paid = eco.payments_musd(delivered, tariffs) * 1e6
    assert paid.values.tolist() == pytest.approx([100 * 93.8, 10 * 81.3])
    assert float(total.sum()) == pytest.approx(float(paid.sum()))  # what is paid is received


def test_revenue_beyond_the_secure_capability() -> None:
    time = np.arange(2)
    revenue = xr.DataArray(
        [[1000.0, 0.0], [500.0, 500.0]], dims=("time", "party"), coords={"time": time}
    )
    sent = xr.DataArray([1300.0, 1000.0], dims="time", coords={"time": time})
    cap = xr.DataArray([650.0, 1200.0], dims="time", coords={"time": time})
    assert eco.revenue_above_capability_musd(revenue, sent, cap) * 1e6 == pytest.approx(500.0)


def test_avoided_co2_and_fuel() -> None:
    factor = load_indicator_seeds().emission_factors["pk_marginal"]
    assert eco.avoided_co2_kt(1000.0, factor.co2_t_per_mwh) == pytest.approx(580.0)
    assert eco.avoided_fuel_tj(1000.0, 0.36) == pytest.approx(10_000.0)
    assert math.isnan(eco.avoided_fuel_tj(1000.0, 0.0))
