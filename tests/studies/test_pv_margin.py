"""The corridor's PV margin by batch AC against a runpp continuation (the oracle)."""

from __future__ import annotations

import numpy as np
import pandapower as pp
import pytest
import xarray as xr

from casa1000.grid.builder import build_net, set_hour
from casa1000.grid.params import GridParams
from casa1000.grid.solve import RUNPP_OPTIONS
from casa1000.studies.security import pv_margin
from casa1000.studies.security.pv_margin import (
    corridor_nose,
    first_corridor_circuit,
    offtake_inputs,
)
from casa1000.studies.security.remedial import RemedialRule
from casa1000.studies.spine.schedule_inputs import ScheduleInputs, inputs_from_profiles

RESOLUTION_MW = 0.5
"""Bisection width of the batch nose; the oracle must agree to within it (plus 1 MW)."""


def _final_inputs(params: GridParams, profiles: xr.Dataset, seasonal: xr.Dataset) -> ScheduleInputs:
    cover = {str(z): seasonal.loss_cover_mw.sel(zone=z).values for z in seasonal.zone.values}
    inputs = inputs_from_profiles(params, profiles, export_factor=seasonal.export_factor.values)
    return inputs.with_loss_cover(cover)


class _Runpp:
    """runpp along the offtake of one hour, warm-started from the nearest solved offtake below."""

    def __init__(
        self, params: GridParams, inputs: ScheduleInputs, hour: int, out: tuple[str, ...]
    ) -> None:
        self.params, self.inputs, self.hour = params, inputs, hour
        self.built = build_net(params)
        for c in out:
            self.built.net.line.at[self.built.index.line[c], "in_service"] = False
        self.solved: dict[float, tuple[np.ndarray, np.ndarray]] = {}

    def converges(self, offtake_mw: float) -> bool:
        sched = offtake_inputs(
            self.params, self.inputs, np.array([self.hour]), np.array([offtake_mw])
        ).schedule(self.params)
        net = self.built.net
        net.gen["in_service"] = True
        set_hour(self.built, sched, 0, honour_commitment=True)
        options = dict(RUNPP_OPTIONS, enforce_q_lims=True)
        below = [x for x in self.solved if x <= offtake_mw]
        if below:
            options.update(init="auto")
            options["init_vm_pu"], options["init_va_degree"] = self.solved[max(below)]
        try:
            pp.runpp(net, **options)
        except pp.LoadflowNotConverged:
            return False
        self.solved[offtake_mw] = (net.res_bus.vm_pu.to_numpy(), net.res_bus.va_degree.to_numpy())
        return True


@pytest.mark.parametrize("circuit_out", [False, True])
def test_batch_nose_equals_runpp_continuation(
    as_built: GridParams,
    profiles_2027: xr.Dataset,
    seasonal_2027: xr.Dataset,
    circuit_out: bool,
) -> None:
    inputs = _final_inputs(as_built, profiles_2027, seasonal_2027)
    built = build_net(as_built)
    out = first_corridor_circuit(as_built, built) if circuit_out else ()
    base = inputs.schedule(as_built)
    k_af = as_built.roles.offtakers.index("AF")
    offtake = base.ac_offtake_mw[:, k_af]
    rng = np.random.default_rng(7)
    light = np.flatnonzero((offtake > 0) & (offtake < 250))
    heavy = np.flatnonzero(offtake > 290)
    hours = np.array([rng.choice(light), rng.choice(heavy)], dtype=np.int64)
    margin = corridor_nose(
        as_built,
        built,
        inputs,
        circuits_out=out,
        hours=hours,
        step_mw=20.0,
        resolution_mw=RESOLUTION_MW,
    )
    for h in hours:
        nose = float(margin.nose_mw[h])
        assert np.isfinite(nose) and margin.reached[h]
        assert margin.margin_mw[h] == pytest.approx(nose - offtake[h])
        run = _Runpp(as_built, inputs, int(h), out)
        # continued from no offtake in 20 MW steps, runpp holds up to the batch nose ...
        for x in [*np.arange(0.0, nose, 20.0), nose]:
            assert run.converges(float(x)), (h, x, nose)
        # ... and not beyond it by more than the bisection resolution
        assert not run.converges(nose + RESOLUTION_MW + 1.0), (h, nose)
    # a circuit out brings the nose down
    if circuit_out:
        intact = corridor_nose(
            as_built, built, inputs, hours=hours, step_mw=20.0, resolution_mw=RESOLUTION_MW
        )
        assert (intact.nose_mw[hours] > margin.nose_mw[hours]).all()


def test_contingency_study_reports_the_margin_per_hour(as_built: GridParams) -> None:
    from casa1000.profiles.build import build_profiles
    from casa1000.studies.contingency import ContingencyConfig, run_contingency
    from casa1000.studies.contingency_tables import summary

    day = build_profiles(year=2027).isel(time=slice(4464, 4488))
    ds = run_contingency(as_built, day, ContingencyConfig(remedial=RemedialRule(shed=False)))
    intact, n1 = ds.corridor_margin_mw.values, ds.corridor_margin_n1_mw.values
    assert np.isfinite(intact).all() and np.isfinite(n1).all()  # every July hour exports
    assert (n1 < intact).all()
    # one circuit out at the 300 MW offtake is past the nose: the case the runback acts on
    past = n1 < 0
    assert past.any()
    one = ds.sel(contingency="LINE:SANGTUDA_PULEKHUMRI/1")
    assert bool((one.status_before_remedial[past] != 0).all())
    assert bool((one.afghan_runback_mw[past] >= -n1[past] - 25.0).all())
    assert any("corridor PV margin, first circuit out" in line for line in summary(ds).headline)


def test_seasonal_reports_the_runback_that_lifts_kabul(
    as_built: GridParams, profiles_2027: xr.Dataset
) -> None:
    """With 60 Mvar at Kabul, 300 MW hours sag below 0.90 pu; runpp holds it after the runback."""
    from casa1000.grid.overrides import apply_overrides
    from casa1000.studies.seasonal import run_seasonal
    from casa1000.studies.seasonal_tables import summary

    small = apply_overrides(as_built, {"shunt.KABUL_COMP.q_mvar": "-60"}, where="test")
    day = profiles_2027.isel(time=slice(4464, 4488))
    ds = run_seasonal(small, day)
    low = ds.corridor_undervoltage.values
    need = ds.corridor_runback_needed_mw.values
    assert low.any() and (need[low] > 0).all() and (need[~low] == 0).all()
    assert any("runback needed" in line for line in summary(ds).headline)
    # the reference compensation needs none
    assert not run_seasonal(as_built, day).corridor_undervoltage.values.any()
    inputs = _final_inputs(small, day, ds)
    base = inputs.schedule(small)
    k_af = small.roles.offtakers.index("AF")
    h = int(np.flatnonzero(low)[0])
    held = float(base.ac_offtake_mw[h, k_af] - need[h])
    run = _Runpp(small, inputs, h, ())
    for x in [*np.arange(0.0, held, 20.0), held]:
        run.converges(float(x))
    assert held in run.solved
    vm = run.solved[held][0]
    watch = [run.built.index.bus[b.id] for b in small.buses if b.zone == "AF"]
    assert vm[watch].min() >= 0.90 - 1e-6, (h, held)


@pytest.mark.parametrize("circuit_out", [False, True])
def test_bracket_reuse_finds_the_full_search_noses(
    as_built: GridParams,
    profiles_2027: xr.Dataset,
    seasonal_2027: xr.Dataset,
    circuit_out: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hours tried on a bracket of an hour with the same start end where their own search ends.

    Solving the trials in small pieces (to bound memory) changes nothing either.
    """
    inputs = _final_inputs(as_built, profiles_2027, seasonal_2027)
    built = build_net(as_built)
    out = first_corridor_circuit(as_built, built) if circuit_out else ()
    k_af = as_built.roles.offtakers.index("AF")
    offtake = inputs.schedule(as_built).ac_offtake_mw[:, k_af]
    # two July weeks and some September hours: several distinct starts, most shared
    hours = np.flatnonzero(offtake > 0)
    hours = np.concatenate([hours[(hours >= 4400) & (hours < 4736)], hours[-40:]])
    assert np.unique(offtake[hours]).size < hours.size
    kw = dict(circuits_out=out, hours=hours, step_mw=20.0, resolution_mw=RESOLUTION_MW)
    full = corridor_nose(as_built, built, inputs, reuse_brackets=False, **kw)  # type: ignore[arg-type]
    reuse = corridor_nose(as_built, built, inputs, **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(reuse.nose_mw, full.nose_mw)
    np.testing.assert_array_equal(reuse.reached, full.reached)
    monkeypatch.setattr(pv_margin, "PIECE_ROWS", 37)
    pieces = corridor_nose(as_built, built, inputs, **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(pieces.nose_mw, full.nose_mw)
    np.testing.assert_array_equal(pieces.reached, full.reached)


def test_a_bracket_that_does_not_hold_falls_back_to_the_full_search() -> None:
    """A row whose verdicts differ from its start's first row is searched on its own."""
    from casa1000.studies.security.pv_margin import _Search

    noses = np.array([100.0, 100.0, 143.0, 55.0, 100.0])
    calls: list[int] = []

    def converges(rows: np.ndarray, xs: np.ndarray) -> np.ndarray:
        calls.append(rows.size)
        return np.asarray(xs <= noses[rows], dtype=bool)

    search = _Search(converges, top=400.0, step_mw=20.0, resolution_mw=0.5)
    rows = np.arange(noses.size)
    start = np.array([80.0, 80.0, 80.0, 80.0, 90.0])
    lo, up, found = search.run(rows, start, reuse_brackets=True)
    lo_full, _, up_full, found_full = search.full(rows, start)
    np.testing.assert_array_equal(lo, lo_full)
    np.testing.assert_array_equal(up, up_full)
    np.testing.assert_array_equal(found, found_full)
    assert (noses - lo <= 0.5).all() and (lo <= noses).all()
    # the first row of each start was searched in full, row 1 took its bracket
    assert up.tolist() == [True, True, True, False, True]
