"""Secure transfer capability: bounds, tiers, AC re-check with runpp, tightening a limit."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from casa1000.grid.builder import build_net
from casa1000.grid.params import GridParams
from casa1000.grid.solve import run_ac
from casa1000.profiles.build import build_profiles
from casa1000.studies.benchmarks.contingency_benchmark import apply_state
from casa1000.studies.security.contingency_set import define_contingencies
from casa1000.studies.security.limits import Limits
from casa1000.studies.security.post_contingency import PostContingency
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles
from casa1000.studies.transfer_capability import (
    Limiter,
    TransferConfig,
    limiter_summary,
    run_transfer,
    transfer_table,
)


@pytest.fixture(scope="module")
def hours() -> xr.Dataset:
    profiles = build_profiles(year=2027)
    # two summer days: hours with and without a Kyrgyz thermal bottleneck
    return profiles.isel(time=np.r_[4416:4428, 4470:4482])


@pytest.fixture(scope="module")
def transfer(as_built: GridParams, hours: xr.Dataset) -> xr.Dataset:
    return run_transfer(as_built, hours, TransferConfig())


def test_capability_is_bounded_and_explained(transfer: xr.Dataset) -> None:
    cap = transfer.transfer_capability_mw
    ceiling = transfer.attrs["ceiling_mw"]
    assert float(cap.min()) >= 0 and float(cap.max()) <= ceiling
    limited = cap < ceiling
    assert bool(limited.any())
    assert bool((transfer.limiting_contingency.values[limited.values] != "").all())
    assert bool((transfer.limiter.values[limited.values] != Limiter.CEILING).all())
    a = transfer.attrs
    assert a["hours_tier1_verified"] + a["hours_tier3_refined"] == transfer.sizes["time"]
    assert a["ac_cases_tier1_linear"] > 0 and a["ac_cases_tier2_verify"] > 0
    table = transfer_table(transfer)
    assert table.transfer_capability_mw.is_monotonic_increasing
    assert limiter_summary(transfer)["hours"].sum() == transfer.sizes["time"]


def _runpp_state(
    as_built: GridParams, hours: xr.Dataset, h: int, export_mw: float, cid: str
) -> tuple[np.ndarray, np.ndarray]:
    sub = hours.isel(time=[h])
    inputs = inputs_from_profiles(as_built, sub, np.array([export_mw]))
    built = build_net(as_built, inputs.schedule(as_built), 0)
    post = PostContingency(built, inputs)
    c = next(c for c in define_contingencies(built) if c.id == cid)
    apply_state(built, post.state(c), 0)
    ok, _ = run_ac(built)
    assert ok
    net = built.net
    loading = np.concatenate(
        [net.res_line.loading_percent.to_numpy(), net.res_trafo.loading_percent.to_numpy()]
    )
    return loading, net.res_bus.vm_pu.to_numpy()


def test_capability_is_secure_by_runpp(
    as_built: GridParams, hours: xr.Dataset, transfer: xr.Dataset
) -> None:
    """At the capability the limiting contingency, solved by runpp, adds no violation."""
    cap = transfer.transfer_capability_mw.values
    limited = np.flatnonzero(cap < transfer.attrs["ceiling_mw"])
    for h in (limited[np.argmax(cap[limited])], limited[np.argmin(cap[limited])]):
        cid = str(transfer.limiting_contingency.values[h])
        l0, v0 = _runpp_state(as_built, hours, int(h), 0.0, cid)
        l1, v1 = _runpp_state(as_built, hours, int(h), float(cap[h]), cid)
        # branches the export barely moves may drift by less than the cutoff
        assert np.all(l1 <= np.maximum(100.0, l0) + 0.5)
        live = ~np.isnan(v1)
        assert np.all(v1[live] >= np.minimum(0.90, v0[live]) - 1e-6)


def test_tightening_a_limit_lowers_the_capability(
    as_built: GridParams, hours: xr.Dataset, transfer: xr.Dataset
) -> None:
    from casa1000.studies.transfer_capability import TransferDirection

    # towards Pakistan alone, where thermal limits bind (the Afghan corridor's voltage
    # binds the contract direction in every hour)
    pk = TransferDirection.PAKISTAN
    loose = run_transfer(as_built, hours, TransferConfig(direction=pk))
    tight = run_transfer(
        as_built, hours, TransferConfig(direction=pk, limits=Limits(thermal_percent=80.0))
    )
    before = loose.transfer_capability_mw.values
    after = tight.transfer_capability_mw.values
    assert np.all(after <= before + tight.attrs["resolution_mw"])
    assert after.mean() < before.mean()


def test_pakistan_direction_is_not_capped_by_the_afghan_corridor(
    as_built: GridParams, hours: xr.Dataset, transfer: xr.Dataset
) -> None:
    from casa1000.studies.transfer_capability import TransferDirection

    pk = run_transfer(as_built, hours, TransferConfig(direction=TransferDirection.PAKISTAN))
    assert pk.attrs["direction"] == "pakistan"
    assert pk.attrs["ceiling_mw"] == as_built.hvdc.rating_mw
    # with the 220 kV corridor out of the transfer, the HVDC carries far more
    assert float(pk.transfer_capability_mw.mean()) > float(transfer.transfer_capability_mw.mean())
    assert not any("PULEKHUMRI" in str(e) for e in pk.limiting_element.values)
