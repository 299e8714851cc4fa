"""Delivery indicators against hand calculations on four hand-made hours."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.indicators import delivery
from casa1000.studies.seasonal import CurtailReason

NAN = np.nan


@pytest.fixture(scope="module")
def hours(make_seasonal: Callable[..., xr.Dataset], as_built: GridParams) -> xr.Dataset:
    plants = [p.id for p in as_built.plants]
    plant_p = np.zeros((4, len(plants)))
    plant_p[:, plants.index("NUREK")] = [1000.0, 1000.0, 2000.0, 2000.0]
    return make_seasonal(
        {
            "delivered_mw": [[0, 0], [0, 0], [900, 250], [NAN, NAN]],
            "export_sent_mw": [0.0, 0.0, 1200.0, 1300.0],
            "export_available_mw": [0.0, 0.0, 1300.0, 1350.0],
            "hvdc_sent_mw": [0.0, 0.0, 910.0, 1000.0],
            "converter_loss_mw": [[0, 0], [0, 0], [6, 5], [7, 6]],
            "hvdc_line_loss_mw": [0.0, 0.0, 20.0, 25.0],
            "converter_p_mw": [[0, 0], [0, 0], [910, -880], [1000, -960]],
            "ac_losses_mw": [[10, 0], [10, 0], [20, 3], [20, 3]],
            "external_mw": [[100, 0], [-50, 0], [0, -877], [0, -957]],
            "plant_p_mw": plant_p,
            "curtailed_mw": [0.0, 0.0, 100.0, 50.0],
            "curtail_reason": np.array(
                [0, 0, CurtailReason.VOLTAGE_COLLAPSE, CurtailReason.THERMAL], dtype=np.int8
            ),
        }
    )


@pytest.fixture(scope="module")
def contract(make_profiles: Callable[..., xr.Dataset]) -> xr.Dataset:
    return make_profiles(contract={"PK": [0, 0, 1000, 1000], "AF": [0, 0, 300, 300]})


def test_delivered_and_contracted_energy_per_month(hours: xr.Dataset, contract: xr.Dataset) -> None:
    d = delivery.delivered_gwh(hours, [1, 7])
    assert d.sel(month=7, offtaker="PK") == pytest.approx(0.9)  # the NaN hour delivers nothing
    assert d.sel(month=1).sum() == 0
    c = delivery.contract_gwh(contract, [1, 7])
    assert c.sel(month=7).values.tolist() == pytest.approx([2.0, 0.6])


def test_contract_fulfilment_delivered_and_sent(hours: xr.Dataset, contract: xr.Dataset) -> None:
    d = delivery.delivered_gwh(hours, [1, 7])
    c = delivery.contract_gwh(contract, [1, 7])
    f = delivery.fulfilment_percent(d, c)
    assert f.values.tolist() == pytest.approx([45.0, 0.25 / 0.6 * 100])
    sent = delivery.sent_by_offtaker_mw(hours, contract)
    # each hour's export split 1000:300
    assert sent.values[2].tolist() == pytest.approx([1200 * 10 / 13, 1200 * 3 / 13])
    from casa1000.studies.indicators.result_set import monthly_gwh

    fs = delivery.fulfilment_percent(monthly_gwh(sent, [1, 7]), c)
    assert float(fs.sel(offtaker="PK")) == pytest.approx(100 * (2500 * 10 / 13) / 2000)


def test_hvdc_utilisation_over_all_hours_and_the_season(
    hours: xr.Dataset, contract: xr.Dataset
) -> None:
    season = contract.contract_mw.sum("offtaker") > 0
    assert delivery.hvdc_utilisation_percent(hours, 1300.0) == pytest.approx(
        100 * 1910 / (1300 * 4)
    )
    assert delivery.hvdc_utilisation_percent(hours, 1300.0, season) == pytest.approx(
        100 * 1910 / (1300 * 2)
    )
    monthly = delivery.monthly_hvdc_utilisation_percent(hours, 1300.0, [1, 7])
    assert monthly.values.tolist() == pytest.approx([0.0, 100 * 955 / 1300])
    assert np.isnan(delivery.hvdc_utilisation_percent(hours, 0.0))


def test_losses_by_segment_against_the_power_entering_it(
    hours: xr.Dataset, as_built: GridParams
) -> None:
    loss_mw, basis_mw = delivery.losses_mw(hours, as_built)
    loss, basis = loss_mw.sum("time"), basis_mw.sum("time")
    assert list(loss.segment.values) == [
        "ac_caps",
        "ac_pk",
        "sending_station",
        "dc_line",
        "receiving_stations",
    ]
    expected_loss = [60.0, 6.0, 13.0, 45.0, 11.0]
    # CAPS: plants plus positive external infeed; PK: what the inverter delivers into it;
    # HVDC: power at the rectifier AC bus, then the DC power out of it, then what arrives
    expected_basis = [6100.0, 1840.0, 1910.0, 1897.0, 1852.0]
    assert loss.values.tolist() == pytest.approx(expected_loss)
    assert basis.values.tolist() == pytest.approx(expected_basis)
    share = delivery.loss_percent(
        loss_mw.expand_dims(month=[7]).sum("time"), basis_mw.expand_dims(month=[7]).sum("time")
    )
    assert share.values.tolist() == pytest.approx(
        [100 * a / b for a, b in zip(expected_loss, expected_basis, strict=True)]
    )


def test_curtailed_export_by_reason(hours: xr.Dataset) -> None:
    cut = delivery.curtailed_gwh(hours, [1, 7])
    assert list(cut.reason.values) == list(delivery.REASONS)
    assert cut.sel(month=7).values.tolist() == pytest.approx([0.0, 0.1, 0.05, 0.0])
    assert delivery.curtailed_hours(hours).values.tolist() == [0, 1, 1, 0]


def test_export_cut_without_a_recorded_reason_counts_as_other(
    make_seasonal: Callable[..., xr.Dataset],
) -> None:
    ds = make_seasonal({"curtailed_mw": [0.0, 0.0, 30.0, 0.0]})
    assert delivery.curtailed_gwh(ds, [1, 7]).sel(month=7, reason="other") == pytest.approx(0.03)


def test_no_export_gives_no_fulfilment_and_zero_utilisation(
    make_seasonal: Callable[..., xr.Dataset], make_profiles: Callable[..., xr.Dataset]
) -> None:
    ds = make_seasonal({})
    profiles = make_profiles()
    d = delivery.delivered_gwh(ds, [1, 7])
    c = delivery.contract_gwh(profiles, [1, 7])
    assert np.isnan(delivery.fulfilment_percent(d, c).values).all()
    assert delivery.hvdc_utilisation_percent(ds, 1300.0) == 0.0
    season = profiles.contract_mw.sum("offtaker") > 0
    assert np.isnan(delivery.hvdc_utilisation_percent(ds, 1300.0, season))


def test_reverse_flow_swaps_the_sending_station(
    make_seasonal: Callable[..., xr.Dataset], as_built: GridParams
) -> None:
    # Pakistan sends 500 MW to Tajikistan: Nowshera draws, Sangtuda delivers
    ds = make_seasonal(
        {
            "converter_p_mw": [[-489.0, 500.0]] * 4,
            "converter_loss_mw": [[3.5, 3.6]] * 4,
            "hvdc_line_loss_mw": [3.66] * 4,
        }
    )
    loss_mw, basis_mw = delivery.losses_mw(ds, as_built)
    hour = basis_mw.isel(time=0)
    assert hour.sel(segment="sending_station") == pytest.approx(500.0)
    assert hour.sel(segment="dc_line") == pytest.approx(496.4)
    assert hour.sel(segment="receiving_stations") == pytest.approx(492.74)
    assert hour.sel(segment="ac_caps") == pytest.approx(489.0)  # delivered into Tajikistan
    assert loss_mw.isel(time=0).sel(segment="sending_station") == pytest.approx(3.6)
    assert delivery.hvdc_utilisation_percent(ds, 1300.0) == pytest.approx(100 * 500 / 1300)
