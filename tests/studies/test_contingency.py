"""Contingency screening: the issue's behaviours, runpp as oracle, invariants, tables, I/O."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from runpp_oracle import solve_contingency  # tests/studies is on sys.path

from casa1000.errors import InputError
from casa1000.grid.builder import build_net
from casa1000.grid.params import GridParams
from casa1000.profiles.build import build_profiles
from casa1000.studies.contingency import ContingencyConfig, prepare, run_contingency
from casa1000.studies.contingency_tables import contingency_table, ranking, worst_per_element
from casa1000.studies.engine.contingency_sweep import ContingencySweep, RowEnvelopes
from casa1000.studies.engine.row_solver import RowSolver, Status, v0_block
from casa1000.studies.security.contingency_set import (
    ContingencyKind,
    define_contingencies,
    load_groups,
)
from casa1000.studies.security.post_contingency import PostState, share_by_participation
from casa1000.studies.spine.results_io import read_netcdf, write_netcdf
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles
from casa1000.studies.spine.schema import decode_lookup

JULY = ContingencyConfig(months=(7,))


@pytest.fixture(scope="module")
def profiles() -> xr.Dataset:
    return build_profiles(year=2027)


@pytest.fixture(scope="module")
def july(as_built: GridParams, profiles: xr.Dataset) -> xr.Dataset:
    return run_contingency(as_built, profiles, JULY)


def test_contingency_set_covers_every_circuit_unit_and_hvdc(as_built: GridParams) -> None:
    built = build_net(as_built)
    cs = define_contingencies(built)
    ids = [c.id for c in cs]
    assert ids[0] == "BASE" and len(set(ids)) == len(ids)
    for b in built.index.line:
        assert f"LINE:{b}" in ids
    for b in built.index.trafo:
        assert f"TRAFO:{b}" in ids
    assert {"POLE:SANGTUDA_NOWSHERA", "BIPOLE:SANGTUDA_NOWSHERA", "UNIT:NUREK"} <= set(ids)
    assert "UNIT:UCHKURGAN" not in ids  # 54 MW units are below the 100 MW default
    groups = {c.id: c for c in cs if c.kind is ContingencyKind.GROUP}
    assert groups["GROUP:AFGHAN_CORRIDOR"].branches == (
        "SANGTUDA_PULEKHUMRI/1",
        "SANGTUDA_PULEKHUMRI/2",
    )
    assert groups["GROUP:DATKA_SUGHD_TOKTOGUL_UNIT"].units == ("TOKTOGUL",)


def test_bad_group_file_names_the_culprit(as_built: GridParams, tmp_path: Path) -> None:
    bad = tmp_path / "groups.toml"
    bad.write_text(
        '[[group]]\nid = "X"\nbranches = ["NO_SUCH_LINE"]\nsource = "wiki_casa1000"\n'
        'confidence = "H"\n'
    )
    with pytest.raises(InputError, match="NO_SUCH_LINE"):
        load_groups(build_net(as_built), bad)


def test_participation_sharing_respects_limits() -> None:
    p = np.array([[90.0, 10.0, 50.0]])
    out = share_by_participation(
        p, np.array([100.0]), np.array([True, True, False]), np.full(3, 100.0)
    )
    assert out.tolist() == [[100.0, 100.0, 50.0]]  # 10 MW left to the slack
    out = share_by_participation(
        p, np.array([-60.0]), np.array([True, True, True]), np.full(3, 100.0)
    )
    assert np.isclose(out.sum(), 90.0) and (out >= 0).all()


def test_datka_sughd_cuts_the_kyrgyz_share(july: xr.Dataset, as_built: GridParams) -> None:
    kg = as_built.contract.kyrgyzstan_share
    assert bool(july.kg_share_lost.sel(contingency="LINE:DATKA_SUGHD"))
    assert bool(july.kg_share_lost.sel(contingency="GROUP:DATKA_SUGHD_TOKTOGUL_UNIT"))
    # Sughd-Dushanbe out leaves Datka-Sughd reaching only the Tajik north: the Kyrgyz
    # share would reach Sangtuda only through Uzbekistan
    assert bool(july.kg_share_lost.sel(contingency="LINE:SUGHD_DUSHANBE"))
    assert int(july.kg_share_lost.sum()) == 3
    base_sent = july.hvdc_sent_mw.sel(contingency="BASE")
    cut_sent = july.hvdc_sent_mw.sel(contingency="LINE:DATKA_SUGHD")
    exporting = base_sent > 1
    assert bool(exporting.any())
    np.testing.assert_allclose(cut_sent[exporting], (1 - kg) * base_sent[exporting], rtol=1e-9)
    lost = july.export_lost_mw.sel(contingency="LINE:DATKA_SUGHD")[exporting]
    assert float(lost.min()) > 0.25 * float(base_sent[exporting].min())
    row = contingency_table(july).loc["LINE:DATKA_SUGHD"]
    assert bool(row.kg_share_lost) and row.max_export_lost_mw > 0


def test_pole_outage_halves_the_hvdc(july: xr.Dataset) -> None:
    cap = july.hvdc_capacity_mw
    assert float(cap.sel(contingency="POLE:SANGTUDA_NOWSHERA")) == 0.5 * float(
        cap.sel(contingency="BASE")
    )
    assert float(cap.sel(contingency="BIPOLE:SANGTUDA_NOWSHERA")) == 0.0
    half = 0.5 * float(cap.sel(contingency="BASE"))
    pole = july.hvdc_sent_mw.sel(contingency="POLE:SANGTUDA_NOWSHERA")
    base = july.hvdc_sent_mw.sel(contingency="BASE")
    assert float(pole.max()) <= half + 1e-9
    np.testing.assert_allclose(pole, np.minimum(base, half), atol=1e-9)
    assert float(july.hvdc_sent_mw.sel(contingency="BIPOLE:SANGTUDA_NOWSHERA").max()) == 0.0


def test_islanding_counts_unserved_load(july: xr.Dataset, as_built: GridParams) -> None:
    corridor = july.sel(contingency="GROUP:AFGHAN_CORRIDOR")
    assert int(corridor.islanded_buses) == 2  # Pul-e-Khumri and Kabul
    assert bool(corridor.converged.all())
    # the whole Afghan offtake is lost with the corridor
    af = as_built.contract.afghanistan_mw
    assert float(corridor.unserved_mw.max()) == pytest.approx(af, rel=1e-9)
    table = contingency_table(july)
    assert table.loc["GROUP:AFGHAN_CORRIDOR", "island_hours"] > 0


def test_non_convergent_case_is_reported(july: xr.Dataset) -> None:
    one = july.sel(contingency="LINE:SANGTUDA_PULEKHUMRI/1")
    # the outage alone collapses the corridor; the remedial actions restore those rows
    diverged = one.status_before_remedial == Status.DIVERGED
    assert bool(diverged.any())
    assert bool((one.remedial_outcome[diverged] != 0).all())
    assert float(one.afghan_runback_mw[diverged].min()) > 0
    # a row the actions do not restore stays a result, diverged, with no figures
    still = one.status == Status.DIVERGED
    assert not bool(one.converged[still].any())
    assert bool(one.max_loading_percent[still].isnull().all())
    assert "did not converge" in july.attrs["nonconvergence_reasons"]
    assert contingency_table(july).loc[one.contingency.item(), "remedial_restored_hours"] > 0


@pytest.mark.parametrize("hour", [4500, 4000, 6200])
def test_batch_equals_runpp_on_sampled_hours(
    as_built: GridParams, profiles: xr.Dataset, hour: int
) -> None:
    """Every contingency of a summer, a spring and an autumn hour against the runpp oracle."""
    sub = profiles.isel(time=[hour])
    scr = prepare(as_built, inputs_from_profiles(as_built, sub), ContingencyConfig())
    post = scr.post(slice(0, 1))
    cs = scr.contingencies
    level = RowSolver(scr.batch, keep_p_from=True).level(post.state(cs[0]))
    states = [post.state(c) for c in cs]
    results = level.solve([(st, np.arange(1)) for st in states])
    compared = 0
    for c, st, res in zip(cs, states, results, strict=True):
        oracle = solve_contingency(scr.built, c, st.inj, 0)
        assert oracle.converged == bool(res.converged[0]), c.id
        if not oracle.converged:
            continue
        assert res.p_from_mw is not None
        # both sides de-energise the same buses
        np.testing.assert_array_equal(np.isnan(oracle.vm_pu), np.isnan(res.vm_pu[0]), c.id)
        live = ~np.isnan(oracle.vm_pu)
        assert np.max(np.abs(oracle.vm_pu[live] - res.vm_pu[0][live])) <= 1e-6, c.id
        assert np.max(np.abs(oracle.p_from_mw - res.p_from_mw[0])) <= 1e-3, c.id
        assert np.max(np.abs(oracle.loading_percent - res.loading_percent[0])) <= 1e-3, c.id
        compared += 1
    assert compared > 50


def test_outaged_branch_carries_no_flow(as_built: GridParams, profiles: xr.Dataset) -> None:
    sub = profiles.isel(time=slice(4500, 4506))
    scr = prepare(as_built, inputs_from_profiles(as_built, sub), ContingencyConfig())
    cs = scr.contingencies
    sweep = ContingencySweep(scr.batch, ContingencyConfig().limits)
    res = sweep.run(
        lambda j, part: scr.post(part).state(cs[j]),
        sub.sizes["time"],
        len(cs),
        twins=scr.twins,
        keep_elements=True,
    )
    assert res.p_from_mw is not None and res.loading is not None
    pos = {b: i for i, b in enumerate(scr.built.index.branch_ids)}
    for j, c in enumerate(cs):
        ok = res.status[:, j] == Status.CONVERGED
        for b in c.branches:
            assert np.all(res.p_from_mw[ok, j, pos[b]] == 0.0)
            assert np.all(res.loading[ok, j, pos[b]] == 0.0)


def test_screen_in_small_chunks_equals_one_chunk(
    as_built: GridParams, profiles: xr.Dataset
) -> None:
    """Memory is bounded by ``chunk_rows``, and the figures do not depend on it."""
    week = profiles.isel(time=slice(4464, 4464 + 168))
    one = run_contingency(as_built, week, ContingencyConfig())
    small = run_contingency(as_built, week, ContingencyConfig(chunk_rows=50))
    assert one.attrs["cases_ac_solved"] == small.attrs["cases_ac_solved"]
    for name in (
        "status",
        "status_before_remedial",
        "remedial_outcome",
        "max_loading_branch",
        "vm_min_bus",
        "secure",
        "thermal_violations",
        "afghan_runback_mw",
        "load_shed_mw",
    ):
        np.testing.assert_array_equal(one[name].values, small[name].values, name)
    for name in ("max_loading_percent", "vm_min_pu", "performance_index", "worst_loading_percent"):
        np.testing.assert_allclose(one[name].values, small[name].values, atol=1e-8, err_msg=name)


def test_the_screen_kept_on_disk_equals_the_screen_kept_in_memory(
    as_built: GridParams, profiles: xr.Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The (hour, contingency) rows go to a scratch file part by part; nothing changes."""
    from casa1000.studies.spine import spill

    week = profiles.isel(time=slice(4464, 4464 + 168))
    config = ContingencyConfig(chunk_rows=50, pv_margin=False)  # four parts of 42 hours
    disk = run_contingency(as_built, week, config)
    assert not disk.status.variable._in_memory and not disk.secure.variable._in_memory
    monkeypatch.setattr(spill.tempfile, "gettempdir", lambda: str(tmp_path / "missing"))
    memory = run_contingency(as_built, week, config)
    assert memory.status.variable._in_memory
    xr.testing.assert_identical(disk, memory)


def test_a_streamed_sweep_hands_over_whole_blocks_in_order(
    as_built: GridParams, profiles: xr.Dataset
) -> None:
    day = profiles.isel(time=slice(4500, 4524))
    scr = prepare(as_built, inputs_from_profiles(as_built, day), ContingencyConfig())
    cs = scr.contingencies
    sweep = ContingencySweep(scr.batch, ContingencyConfig().limits, chunk_rows=10)
    parts: list[slice] = []
    status: list[np.ndarray] = []

    def sink(part: slice, env: RowEnvelopes) -> None:
        assert env.status.shape == (part.stop - part.start, len(cs))
        parts.append(part)
        status.append(env.status.copy())

    def state(j: int, part: slice) -> PostState:
        return scr.post(part).state(cs[j])

    sweep.stream(state, 24, len(cs), sink, twins=scr.twins)
    block = v0_block(24)
    assert [(p.start, p.stop) for p in parts] == [(0, 10), (10, 20), (20, 24)]
    assert all(p.start % block == 0 for p in parts)
    whole = sweep.run(state, 24, len(cs), twins=scr.twins)
    np.testing.assert_array_equal(np.concatenate(status), whole.status)


def test_a_part_of_whole_blocks_starts_rows_where_one_level_does(
    as_built: GridParams, profiles: xr.Dataset
) -> None:
    """A level over some whole start-voltage blocks gives their rows the starts of one level."""
    week = profiles.isel(time=slice(4464, 4464 + 168))
    scr = prepare(as_built, inputs_from_profiles(as_built, week), ContingencyConfig())
    solver = RowSolver(scr.batch)
    whole = solver.level(scr.post(slice(0, 168)).state(scr.contingencies[0]))
    block = whole.block
    assert block == v0_block(168) == 14
    first = 3  # the part starts at the fourth block
    part = slice(first * block, 7 * block)
    level = solver.level(scr.post(part).state(scr.contingencies[0]), block=block)
    for k in range(len(solver.areas)):
        for g in range(4):
            np.testing.assert_array_equal(level.v0(k, g), whole.v0(k, first + g))
    # without the study's block, the part's own twelfths start elsewhere
    own = solver.level(scr.post(part).state(scr.contingencies[0]))
    assert own.block != block
    assert not np.array_equal(own.v0(0, 1), whole.v0(0, first + 1))


def test_tables_and_worst_cases_are_consistent(july: xr.Dataset) -> None:
    table = contingency_table(july)
    assert list(table.index) == list(july.contingency.values)
    rank = ranking(july)
    assert "BASE" not in rank.index and rank["rank"].tolist() == list(range(1, len(rank) + 1))
    worst = worst_per_element(july)
    assert len(worst) == july.sizes["branch"] + 2 * july.sizes["bus"]
    # each branch's worst loading is the largest loading reported for it
    codes = july.max_loading_branch
    assert codes.dtype == np.int32 and codes.attrs["lookup"] == "branch"
    for k, b in enumerate(july.branch.values):
        mine = july.max_loading_percent.where(codes == k)
        if bool(mine.notnull().any()):
            assert (
                float(mine.max()) <= float(july.branch_worst_loading_percent.sel(branch=b)) + 1e-9
            )
    overloaded = worst[(worst.quantity == "loading_percent") & worst.violated]
    assert set(overloaded.contingency) <= set(july.contingency.values)
    counts = july.attrs
    assert (
        counts["cases_total"]
        == counts["cases_ac_solved"]
        + counts["cases_identical_copied"]
        + counts["cases_symmetric_twin"]
    )


def test_netcdf_round_trip(july: xr.Dataset, tmp_path: Path) -> None:
    path = write_netcdf(july, tmp_path / "contingency.nc")
    back = read_netcdf(path)
    xr.testing.assert_identical(back.max_loading_percent, july.max_loading_percent)
    assert back.attrs["title"] == "casa1000 contingency screening"
    assert list(back.vm_min_bus.values[0]) == list(july.vm_min_bus.values[0])
    assert back.vm_min_bus.attrs["lookup"] == "bus"
    named = decode_lookup(back.vm_min_bus, back).values
    assert set(named[back.converged.values]) <= set(back.bus.values)
    assert set(named[~back.converged.values]) <= {""}


def test_oracle_keeps_elements_the_parameters_took_out(
    as_built: GridParams, profiles: xr.Dataset
) -> None:
    from casa1000.grid.overrides import apply_overrides
    from casa1000.studies.security.post_contingency import PostContingency

    params = apply_overrides(as_built, {"line.SUGHD_DUSHANBE.in_service": "false"}, where="test")
    inputs = inputs_from_profiles(params, profiles.isel(time=[4500]))
    built = build_net(params, inputs.schedule(params), 0)
    post = PostContingency(built, inputs)
    cs = define_contingencies(built)
    cut = next(c for c in cs if c.id == "LINE:DATKA_SUGHD")
    oracle = solve_contingency(built, cut, post.state(cut).inj, 0)
    assert "DATKA_SUGHD" in oracle.out_of_service
    assert {"DATKA_SUGHD_R1", "DATKA_SUGHD_R2"} <= set(oracle.out_of_service)
    pos = {b: i for i, b in enumerate(built.index.branch_ids)}
    # the circuit the parameters took out and the one the contingency took out carry nothing
    assert oracle.p_from_mw[pos["SUGHD_DUSHANBE"]] == 0.0
    assert oracle.p_from_mw[pos["DATKA_SUGHD"]] == 0.0
    assert oracle.p_from_mw[pos["REGAR_SANGTUDA"]] != 0.0
    assert bool(built.net.line.in_service[built.net.line.name == "DATKA_SUGHD"].all())
