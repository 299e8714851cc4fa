"""Remedial actions: runback and shedding restore the corridor cases (runpp oracle)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from runpp_oracle import solve_contingency  # tests/studies is on sys.path

from casa1000.grid.params import GridParams
from casa1000.profiles.build import build_profiles
from casa1000.studies.contingency import ContingencyConfig, prepare, run_contingency
from casa1000.studies.contingency_tables import contingency_table, summary
from casa1000.studies.engine.row_solver import Status
from casa1000.studies.security.remedial import RemedialOutcome, RemedialRule, Remedy
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles

ONE_CIRCUIT = "LINE:SANGTUDA_PULEKHUMRI/1"
DAYS = slice(4464, 4464 + 48)
"""Two July days: the Afghan offtake at 300 MW, past the nose with one corridor circuit out."""
NONE = RemedialRule(runback=False, shed=False)
SHED_ONLY = RemedialRule(runback=False, shed=True)


@pytest.fixture(scope="module")
def days() -> xr.Dataset:
    return build_profiles(year=2027).isel(time=DAYS)


@pytest.fixture(scope="module")
def runs(as_built: GridParams, days: xr.Dataset) -> dict[str, xr.Dataset]:
    return {
        name: run_contingency(as_built, days, ContingencyConfig(remedial=rule, pv_margin=False))
        for name, rule in (("none", NONE), ("shed", SHED_ONLY), ("both", RemedialRule()))
    }


def test_without_actions_the_corridor_case_diverges(runs: dict[str, xr.Dataset]) -> None:
    one = runs["none"].sel(contingency=ONE_CIRCUIT)
    assert bool((one.status == Status.DIVERGED).any())
    assert float(runs["none"].load_shed_mw.sum()) == 0.0
    assert float(runs["none"].afghan_runback_mw.sum()) == 0.0
    assert bool((runs["none"].remedial_outcome == RemedialOutcome.NONE).all())


@pytest.mark.parametrize("name", ["shed", "both"])
def test_actions_restore_convergence_and_report_mw(runs: dict[str, xr.Dataset], name: str) -> None:
    before = runs["none"].sel(contingency=ONE_CIRCUIT)
    diverged = (before.status == Status.DIVERGED).values
    after = runs[name].sel(contingency=ONE_CIRCUIT)
    # the outage alone is kept, the final state converges
    np.testing.assert_array_equal(after.status_before_remedial.values, before.status.values)
    assert bool((after.status[diverged] == Status.CONVERGED).all())
    assert bool((after.remedial_outcome[diverged] == RemedialOutcome.RESTORED).all())
    assert float(after.vm_min_pu[diverged].min()) >= 0.90 - 1e-9
    acted = after.load_shed_mw + after.afghan_runback_mw
    assert bool((acted[diverged] > 0).all())
    if name == "shed":
        # shedding alone: load is lost, so the row is not secure, and nothing is run back
        assert bool((after.load_shed_mw[diverged] > 0).all())
        assert not bool(after.secure[diverged].any())
        assert float(after.afghan_runback_mw.sum()) == 0.0
    else:
        # the runback comes first and suffices here: export lost, no load shed
        assert bool((after.afghan_runback_mw[diverged] > 0).all())
        assert float(after.load_shed_mw[diverged].sum()) == 0.0
        lost = after.export_lost_mw - before.export_lost_mw
        np.testing.assert_allclose(lost, after.afghan_runback_mw, atol=1e-9)
    # a case the actions cannot restore keeps the outage's own state and takes no action
    ds = runs[name]
    stuck = (ds.remedial_outcome == RemedialOutcome.NOT_RESTORED).values
    assert (ds.status.values[stuck] == ds.status_before_remedial.values[stuck]).all()
    assert (ds.afghan_runback_mw.values[stuck] == 0).all()
    assert (ds.load_shed_mw.values[stuck] == 0).all()
    # unaffected contingencies stay as they were
    base = runs[name].sel(contingency="BASE")
    assert bool((base.remedial_outcome == RemedialOutcome.NONE).all())
    table = contingency_table(runs[name])
    assert table.loc[ONE_CIRCUIT, "remedial_restored_hours"] == int(diverged.sum())
    assert any("cases restored" in line for line in summary(runs[name]).headline)


def test_shedding_found_is_the_smallest_step_runpp_agrees(
    as_built: GridParams, days: xr.Dataset, runs: dict[str, xr.Dataset]
) -> None:
    """runpp converges at the MW shed reported, and not one step below it."""
    ds = runs["shed"]
    one = ds.sel(contingency=ONE_CIRCUIT)
    hour = int(np.flatnonzero(one.load_shed_mw.values > 0)[0])
    shed_mw = float(one.load_shed_mw[hour])
    scr = prepare(as_built, inputs_from_profiles(as_built, days), ContingencyConfig())
    post = scr.post(slice(0, days.sizes["time"]))
    c = next(c for c in scr.contingencies if c.id == ONE_CIRCUIT)
    state = post.state(c)
    remedy = Remedy(post, SHED_ONLY, 0.90)
    load = float(np.clip(state.inj.load_p_mw[hour, remedy.shed_load], 0.0, None).sum())
    rule = SHED_ONLY
    step = round(shed_mw / (load * rule.max_shed_fraction) * rule.steps)
    assert step * load * rule.max_shed_fraction / rule.steps == pytest.approx(shed_mw)
    n = state.inj.rows

    def oracle(k: int) -> tuple[bool, float]:
        frac = np.full(n, rule.max_shed_fraction * k / rule.steps)
        shed_state, _ = remedy.shed(state, frac)
        res = solve_contingency(scr.built, c, shed_state.inj, hour, q_limits=True)
        watch = remedy.watch & ~np.isnan(res.vm_pu) if res.converged else remedy.watch
        vmin = float(np.nanmin(res.vm_pu[watch])) if res.converged else float("nan")
        return res.converged, vmin

    ok, vmin = oracle(step)
    assert ok and vmin >= 0.90 - 1e-9
    ok_less, vmin_less = oracle(step - 1)
    assert not ok_less or vmin_less < 0.90


@pytest.mark.parametrize("name", ["shed", "both"])
def test_step_reuse_gives_the_full_bisection(
    as_built: GridParams,
    days: xr.Dataset,
    runs: dict[str, xr.Dataset],
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows tried first on the step of a row of the same size end where their bisection ends."""
    rule = SHED_ONLY if name == "shed" else RemedialRule()
    monkeypatch.setattr(Remedy.__init__, "__kwdefaults__", {"reuse_brackets": False})
    full = run_contingency(as_built, days, ContingencyConfig(remedial=rule, pv_margin=False))
    reused = runs[name]
    acted = reused.load_shed_mw + reused.afghan_runback_mw
    assert int((acted > 0).sum()) > 10  # enough rows share a size for the reuse to act
    for var in ("status", "remedial_outcome", "load_shed_mw", "afghan_runback_mw", "vm_min_pu"):
        np.testing.assert_array_equal(reused[var].values, full[var].values, err_msg=var)
