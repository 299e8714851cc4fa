"""The base-case load flow: convergence, voltages, balances, hand checks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from casa1000.grid.builder import build_net
from casa1000.grid.overrides import apply_overrides
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import make_schedule, split_export
from casa1000.grid.solve import BaseCaseResult, run_ac, solve_base_case

_cache: dict[tuple[str, float], BaseCaseResult] = {}


def _solve(params: GridParams, export: float) -> BaseCaseResult:
    key = (params.variant.value, export)
    if key not in _cache:
        _cache[key] = solve_base_case(params, export_mw=export)
    return _cache[key]


@pytest.mark.parametrize("export", [0.0, 1300.0])
def test_converges_with_500kv_in_band(params: GridParams, export: float) -> None:
    r = _solve(params, export)
    assert r.converged, r.reason
    v500 = r.buses.loc[r.buses.vn_kv == 500, "vm_pu"]
    assert v500.between(0.95, 1.05).all(), v500[~v500.between(0.95, 1.05)]
    # the single-conductor Afghan corridor cannot hold Kabul at 0.90 pu at the full
    # 300 MW (issue 15: about half the export hours); every other bus is in band
    corridor = r.buses.zone.isin(params.ac_offtakers)
    assert r.buses.in_band[~corridor].all()
    assert (r.buses.vm_pu[corridor] > 0.85).all()


@pytest.mark.parametrize("export", [0.0, 1300.0])
def test_area_balance_closes(params: GridParams, export: float) -> None:
    r = _solve(params, export)
    assert (r.areas.mismatch_mw.abs() < 0.1).all()
    assert (r.branches.pl_mw > -1e-6).all()  # losses are never negative
    assert (r.areas.losses_mw >= 0).all()


def test_hvdc_losses_plausible_at_full_export(params: GridParams) -> None:
    h = _solve(params, 1300.0).hvdc
    assert 2.0 < h["loss_percent"] < 4.5
    assert h["delivered_mw"] == pytest.approx(h["sent_mw"] - h["total_loss_mw"])


def test_pakistan_area_hand_check(as_built: GridParams) -> None:
    """The NTDC equivalent absorbs what Nowshera delivers less the two 60 km circuits' losses."""
    r = _solve(as_built, 1300.0)
    delivered = r.hvdc["delivered_mw"]
    pk_losses = r.branches.loc[r.branches.area == "PK", "pl_mw"].sum()
    assert r.areas.loc["PK", "external_mw"] == pytest.approx(-(delivered - pk_losses), abs=1e-6)
    # two identical circuits share the flow equally
    flows = r.branches.loc[["NOWSHERA_PKGRID/1", "NOWSHERA_PKGRID/2"], "p_from_mw"]
    assert flows.iloc[0] == pytest.approx(flows.iloc[1])
    assert flows.sum() == pytest.approx(delivered, abs=1e-6)


def test_line_charging_hand_check(as_built: GridParams) -> None:
    """Lightly loaded Regar-Sangtuda: net Q ~ -V^2 omega C length + I^2 X (pi model)."""
    r = _solve(as_built, 0.0)
    c_f = 11.5e-9 * 115  # F
    v_kv = 500 * r.buses.loc[["REGAR", "SANGTUDA"], "vm_pu"].mean()
    q_charging = v_kv**2 * 2 * np.pi * 50 * c_f
    row = r.branches.loc["REGAR_SANGTUDA"]
    s_mva = np.hypot(row.p_from_mw, row.q_from_mvar)
    q_series = (s_mva / v_kv) ** 2 * 0.30 * 115  # I^2 X with I in kA, X in ohm
    assert row.q_from_mvar + row.q_to_mvar == pytest.approx(q_series - q_charging, rel=0.03)
    # the ties to the external equivalents carry no fictitious charging
    tie = r.branches.loc["NOWSHERA_PKGRID/1"]
    assert tie.q_from_mvar + tie.q_to_mvar >= -1e-9


def test_export_splits_between_suppliers(as_built: GridParams) -> None:
    r0, r1 = _solve(as_built, 0.0), _solve(as_built, 1300.0)
    gen = r1.plants.groupby("zone").p_set_mw.sum() - r0.plants.groupby("zone").p_set_mw.sum()
    sent = r1.hvdc["sent_mw"] + r1.export_mw["AF"]
    assert gen["TJ"] == pytest.approx(0.7 * sent)
    assert gen["KG"] == pytest.approx(0.3 * sent)


def test_afghan_corridor_collapse_is_a_result(as_built: GridParams) -> None:
    heavy = apply_overrides(as_built, {"contract.afghanistan_mw": 2000}, where="test")
    schedule = make_schedule(
        heavy, demand_mw={"KG": [1950.0], "TJ": [2370.0]}, export_mw={"PK": [0.0], "AF": [1500.0]}
    )
    converged, reason = run_ac(build_net(heavy, schedule))
    assert not converged and "did not converge" in reason


def test_out_of_service_line_carries_no_flow(as_built: GridParams) -> None:
    p = apply_overrides(as_built, {"line.SUGHD_DUSHANBE.in_service": "false"}, where="test")
    r = solve_base_case(p, export_mw=1300.0)
    assert r.converged
    row = r.branches.loc["SUGHD_DUSHANBE"]
    assert row.p_from_mw == 0 and row.pl_mw == 0


def test_split_export_is_pro_rata(as_built: GridParams) -> None:
    split = split_export(as_built.contract, [1300.0, 650.0])
    assert split["PK"].tolist() == [1000.0, 500.0] and split["AF"].tolist() == [300.0, 150.0]
    assert dataclasses.is_dataclass(as_built.contract)
