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

AFGHAN = (1000.0, {"DOMESTIC": 200.0, "UZ": 500.0, "TJ": 500.0})
"""Afghanistan needing 1,000 MW: 200 MW of its own, 500 MW each from Uzbekistan and Tajikistan."""


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
            "delivered_mw": [[0, 0], [0, 0], [700, 300], [700, 300]],
            "converter_p_mw": [[0, 0], [0, 0], [720, -700], [720, -700]],
        }
    )
    profiles = make_profiles(
        demand={"KG": 1000.0, "TJ": [2000.0, 2000.0, 0.0, 0.0], "PK": 14000.0}, afghan=AFGHAN
    )
    return dep.country_flows_mw(seasonal, profiles, as_built, dep.supplier_shares(as_built))


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
    # Afghanistan imports 800 of the 1,000 MW it consumes, with or without CASA
    assert idp.sel(country="AF").values.tolist() == pytest.approx([80.0, 80.0, 80.0])


def test_suppliers_export_what_the_dispatch_gave_them_not_their_contract_share(
    make_seasonal: Callable[..., xr.Dataset], as_built: GridParams
) -> None:
    # in a September hour Kyrgyzstan offers almost nothing: Tajikistan sends 950 of 1,000 MW
    seasonal = make_seasonal(
        {
            "export_sent_mw": [0.0, 0.0, 1000.0, 1000.0],
            "supplier_export_mw": [[0, 0], [0, 0], [300, 700], [50, 950]],
        }
    )
    x = dep.supplier_export_mw(seasonal, dep.supplier_shares(as_built))
    assert x.sel(zone="KG").values.tolist() == [0.0, 0.0, 300.0, 50.0]
    # KG 350 and TJ 1,650 MWh of 2,000: HHI = 17.5^2 + 82.5^2
    by_supplier = x.sum("time").values
    assert dep.herfindahl_hirschman(by_supplier) == pytest.approx(17.5**2 + 82.5**2)
    # a result written before suppliers were dispatched by their offers: contract shares
    old = seasonal.drop_vars("supplier_export_mw")
    assert dep.supplier_export_mw(old, {"KG": 0.3, "TJ": 0.7}).sel(zone="KG").values[3] == 300.0


def test_reverse_flow_is_an_import_of_tajikistan_and_an_export_of_pakistan(
    make_seasonal: Callable[..., xr.Dataset],
    make_profiles: Callable[..., xr.Dataset],
    as_built: GridParams,
) -> None:
    seasonal = make_seasonal({"converter_p_mw": [[-489.0, 500.0]] * 4})
    profiles = make_profiles(demand={"KG": 1000.0, "TJ": 2000.0, "PK": 10000.0})
    imports, exports, _ = dep.country_flows_mw(
        seasonal, profiles, as_built, dep.supplier_shares(as_built)
    )
    assert imports.sel(country="TJ").values.tolist() == [489.0] * 4
    assert exports.sel(country="PK").values.tolist() == [500.0] * 4
    assert np.isnan(imports.sel(country="AF").values).all()  # no Afghan balance here


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
    as_built: GridParams, design_2014: GridParams, make_profiles: Callable[..., xr.Dataset]
) -> None:
    profiles = make_profiles(afghan=AFGHAN)
    casa = xr.DataArray([0.0, 0.0, 300.0, 300.0], dims="time", coords={"time": profiles.time})
    built = dep.afghan_corridors_gwh(profiles, casa, as_built)
    design = dep.afghan_corridors_gwh(profiles, casa, design_2014)
    assert built is not None and design is not None
    # without CASA the neighbours share the 800 MW; with it they give 250 MW each in July
    assert built["without_casa"] == pytest.approx(
        {"UZ": 1.6, "TJ": 1.6, "TM": 0.0, "IR": 0.0, "domestic": 0.8, "unserved": 0.0}
    )
    assert built["with_casa"]["UZ"] == pytest.approx(1.3)
    assert built["with_casa"]["TJ"] == pytest.approx(1.9)  # over the same 220 kV corridor
    assert design["with_casa"]["CASA_HVDC"] == pytest.approx(0.6)  # a corridor of its own
    hhi = [dep.herfindahl_hirschman(dep.corridor_shares(c["with_casa"])) for c in (built, design)]
    assert hhi == pytest.approx(
        [1e4 * (0.40625**2 + 0.59375**2), 1e4 * (2 * 0.40625**2 + 0.1875**2)]
    )
    short = make_profiles(afghan=(1000.0, {"DOMESTIC": 200.0, "UZ": 300.0}))
    lean = dep.afghan_corridors_gwh(short, casa, as_built)
    assert lean is not None
    assert lean["without_casa"]["unserved"] == pytest.approx(2.0)  # 500 MW short for 4 h
    assert lean["with_casa"]["unserved"] == pytest.approx(1.4)  # CASA fills 300 MW in July
    assert dep.afghan_corridors_gwh(make_profiles(), casa, as_built) is None


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
