"""Security of the corridor by hand on made-up contingency and transfer results."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.indicators import corridor_security as cs
from casa1000.studies.indicators.seed_tables import load_indicator_seeds

IDS = ["BASE", "LINE:DATKA_SUGHD", "GROUP:AFGHAN_CORRIDOR", "UNIT:NUREK"]
KINDS = ["base", "line", "group", "unit"]
SENT = xr.DataArray([0.0, 0.0, 1200.0, 1300.0], dims="time")


@pytest.fixture(scope="module")
def screening(make_contingency: Callable[..., xr.Dataset]) -> xr.Dataset:
    secure = np.ones((4, 4), dtype=bool)
    secure[2, 2] = False  # the Afghan corridor fails in the first July hour
    secure[3, 1] = False  # Datka-Sughd in the second
    converged = np.ones((4, 4), dtype=bool)
    converged[2, 2] = False
    lost = np.zeros((4, 4))
    lost[2:, 1] = [360.0, 390.0]  # the Kyrgyz 30 %
    lost[3, 2] = 300.0
    return make_contingency(
        IDS, KINDS, {"secure": secure, "converged": converged, "export_lost_mw": lost}
    )


def _time(ds: xr.Dataset, da: xr.DataArray) -> xr.DataArray:
    return da.assign_coords(time=ds.time.values)


def test_secure_share_of_hours_and_of_export(screening: xr.Dataset) -> None:
    secure = cs.n1_secure(screening)
    assert secure.values.tolist() == [True, True, False, False]
    assert cs.secure_share_percent(secure) == 50.0
    assert np.isnan(cs.secure_share_percent(secure, _time(screening, SENT * 0)))
    assert cs.secure_share_percent(secure, _time(screening, SENT)) == 0.0
    july = xr.DataArray([False, False, True, True], dims="time")
    assert cs.secure_share_percent(secure, hours=july) == 0.0


def test_every_hour_insecure(make_contingency: Callable[..., xr.Dataset]) -> None:
    ds = make_contingency(IDS, KINDS, {"secure": np.zeros((4, 4), dtype=bool)})
    secure = cs.n1_secure(ds)
    assert not secure.any()
    assert cs.secure_share_percent(secure) == 0.0
    assert cs.secure_share_percent(secure, _time(ds, SENT)) == 0.0


def test_energy_at_risk_counts_the_whole_export_of_a_collapse(screening: xr.Dataset) -> None:
    at_risk, collapse = cs.energy_at_risk_gwh(screening, _time(screening, SENT))
    # Datka-Sughd: 360 + 390 MWh lost; the corridor: 1200 (collapse) + 300 MWh
    assert at_risk.values.tolist() == pytest.approx([0.0, 0.75, 1.5, 0.0])
    assert collapse.values.tolist() == pytest.approx([0.0, 0.0, 1.2, 0.0])


def test_outage_rates_and_expected_energy_not_delivered(
    screening: xr.Dataset, as_built: GridParams
) -> None:
    seeds = load_indicator_seeds()
    freq, dur, unrated = cs.outage_rates(screening, as_built, seeds)
    assert not unrated
    line = seeds.rate("line")
    nurek = next(p for p in as_built.plants if p.id == "NUREK")
    unit = seeds.rate("unit", "hydro_reservoir")
    group = seeds.rate("group", "AFGHAN_CORRIDOR")
    assert freq.values.tolist() == pytest.approx(
        [
            0.0,
            line.frequency_per_year * 485 / 100,
            group.frequency_per_year,
            unit.frequency_per_year * nurek.units,
        ]
    )
    assert dur.values.tolist() == pytest.approx(
        [0.0, line.duration_h, group.duration_h, unit.duration_h]
    )
    p = cs.outage_probability(freq, dur)
    assert float(p[1]) == pytest.approx(line.frequency_per_year * 4.85 * line.duration_h / 8760)
    at_risk, _ = cs.energy_at_risk_gwh(screening, _time(screening, SENT))
    ende = cs.expected_energy_not_delivered_mwh(at_risk, p)
    assert float(ende[2]) == pytest.approx(float(p[2]) * 1500.0)


def test_a_contingency_without_a_rate_is_reported_not_fatal(
    make_contingency: Callable[..., xr.Dataset], as_built: GridParams
) -> None:
    ds = make_contingency(["BASE", "GROUP:SOMETHING_NEW"], ["base", "group"], {})
    seeds = load_indicator_seeds()
    seeds = type(seeds)(
        tariffs=seeds.tariffs,
        outage_rates=tuple(r for r in seeds.outage_rates if r.element != "group"),
        emission_factors=seeds.emission_factors,
    )
    freq, _, unrated = cs.outage_rates(ds, as_built, seeds)
    assert unrated == ["GROUP:SOMETHING_NEW"] and np.isnan(freq.values[1])


def test_secure_deliverable_energy_and_capability_percentiles(
    make_transfer: Callable[..., xr.Dataset],
) -> None:
    t = make_transfer([1300.0, 1300.0, 818.0, 900.0])
    cap = t.transfer_capability_mw
    sent = SENT.assign_coords(time=t.time.values)
    deliverable = cs.secure_deliverable_mw(sent, cap)
    assert deliverable.values.tolist() == [0.0, 0.0, 818.0, 900.0]
    assert float(cs.secure_deliverable_gwh(sent, cap, [1, 7]).sum()) == pytest.approx(1.718)
    q = cs.capability_quantiles_mw(cap, [1, 7])
    assert q.sel(month=1).values.tolist() == [1300.0, 1300.0, 1300.0]
    assert q.sel(month=7).values.tolist() == pytest.approx(
        list(np.percentile([818.0, 900.0], [5, 10, 50]))
    )
    curve = cs.duration_curve_mw(cap)
    assert float(curve[0]) == 1300.0 and float(curve[-1]) == 818.0  # max at 0 %, min at 100 %
    assert np.all(np.diff(curve.values) <= 0)
    july = xr.DataArray([False, False, True, True], dims="time", coords={"time": t.time})
    assert float(cs.duration_curve_mw(cap, july)[0]) == 900.0


def test_transfer_direction_is_read_from_the_settings(
    make_transfer: Callable[..., xr.Dataset],
) -> None:
    t = make_transfer([0.0] * 4)
    assert cs.transfer_direction(t) == "total"
    t.attrs["config"] = '{"direction": "pakistan"}'
    assert cs.transfer_direction(t) == "pakistan"
