"""Afghanistan's whole supply: the balance closes, 2023/24 imports come back, winters are short."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from casa1000.profiles import afghan_security, build_profiles
from casa1000.profiles.afghan_balance import NEIGHBOURS, SOURCES, afghan_supply_mw

TWH = 1e6  # MWh per TWh


@pytest.fixture(scope="module")
def without_casa() -> xr.Dataset:
    """The 2023/24 situation: no CASA export at all."""
    return build_profiles(year=2027, converter_limit_mw=0.0)


def test_balance_closes_every_hour(normal_2027: xr.Dataset) -> None:
    served = normal_2027["af_supply_mw"].sum("af_source")
    np.testing.assert_allclose(
        (served + normal_2027["af_unserved_mw"]).values, normal_2027["af_demand_mw"].values
    )
    assert (normal_2027["af_supply_mw"] <= normal_2027["af_available_mw"] + 1e-9).all()
    # the network model keeps only the CASA offtake as Afghan load
    np.testing.assert_array_equal(
        normal_2027["af_supply_mw"].sel(af_source="CASA").values,
        normal_2027["demand_mw"].sel(zone="AF").values,
    )


def test_dispatch_order_by_hand() -> None:
    demand = np.array([500.0, 100.0, 2000.0])
    # domestic, CASA, then UZ, TJ, TM, IR in proportion to what each can send
    available = np.array(
        [
            [100.0, 0.0, 300.0, 100.0, 200.0, 0.0],
            [150.0, 50.0, 300.0, 100.0, 200.0, 0.0],
            [100.0, 300.0, 300.0, 100.0, 200.0, 100.0],
        ]
    )
    served, unserved = afghan_supply_mw(demand, available)
    np.testing.assert_allclose(served[0], [100.0, 0.0, 400 * 0.5, 400 / 6, 400 / 3, 0.0])
    np.testing.assert_allclose(served[1], [100.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(served[2], available[2])
    np.testing.assert_allclose(unserved, [0.0, 0.0, 2000.0 - 1100.0])


def test_reference_year_reproduces_the_1402_imports(without_casa: xr.Dataset) -> None:
    table = afghan_security(without_casa)
    year = table.loc["year"]
    # SY1402 (2023/24): 5.76 TWh imported, 78 % of consumption (FES 2015; over 80 % in 2022)
    assert year["imports_gwh"] / 1e3 == pytest.approx(5.76, rel=0.05)
    assert 74.0 <= year["import_percent"] <= 84.0
    assert year["top_neighbour"] == "UZ"  # 105 of 288 million USD went to Uzbekistan


def test_winter_imports_and_unserved_energy_are_reported(normal_2027: xr.Dataset) -> None:
    table = afghan_security(normal_2027)
    winter, year = table.loc["winter"], table.loc["year"]
    assert winter["imports_gwh"] > 0 and winter["unserved_gwh"] > 0
    # shortages are a winter matter: at least nine tenths of the unserved energy
    assert winter["unserved_gwh"] >= 0.9 * year["unserved_gwh"]
    summer = table.loc[[str(m) for m in range(5, 10)]]
    assert (summer["unserved_gwh"] == 0).all()
    # Tajikistan sends 40 MW in winter against 400 MW in summer
    tajik = normal_2027["af_supply_mw"].sel(af_source="TJ")
    winter_hours = tajik["time"].dt.month.isin([12, 1, 2])
    assert float(tajik.where(winter_hours).max()) <= 40.0 + 1e-9


def test_casa_displaces_summer_imports_but_not_winter_cuts(
    normal_2027: xr.Dataset, without_casa: xr.Dataset
) -> None:
    with_casa, alone = afghan_security(normal_2027), afghan_security(without_casa)
    assert with_casa.loc["year", "imports_gwh"] < alone.loc["year", "imports_gwh"] - 500.0
    assert with_casa.loc["winter", "unserved_gwh"] == pytest.approx(
        alone.loc["winter", "unserved_gwh"]
    )
    assert float(normal_2027["af_supply_mw"].sel(af_source="CASA").sum()) / TWH > 0.8


def test_sources_are_labelled(normal_2027: xr.Dataset) -> None:
    assert normal_2027["af_source"].values.tolist() == list(SOURCES)
    assert set(NEIGHBOURS) < set(SOURCES)
    assert normal_2027["af_demand_mw"].sum() / TWH == pytest.approx(7.9, rel=1e-9)
