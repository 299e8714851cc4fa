"""Network roles come from the parameters: a variant with other IDs gives the same answers."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from casa1000.grid.builder import build_net
from casa1000.grid.params import GridParams
from casa1000.grid.rename import rename_ids
from casa1000.grid.schedule import delivered_by_offtaker
from casa1000.grid.validate import validate_params
from casa1000.studies.engine.batch_ac import BatchAC, injections_from_schedule
from casa1000.studies.security.contingency_set import define_contingencies
from casa1000.studies.security.post_contingency import PostContingency
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles

RENAMES = {
    "line.DATKA_SUGHD": "KG_TJ_TIE",
    "hvdc.terminal.SANGTUDA": "TJ_RECTIFIER",
    "hvdc.terminal.NOWSHERA": "PK_INVERTER",
    "external.CAPS_EXT": "UZ_KZ_EQUIVALENT",
    "bus.CAPS_EXT": "UZ_KZ_NODE",
    "bus.KABUL_220": "KBL_220",
    "bus.NOWSHERA": "AZAKHEL_500",
    "external.PK_GRID": "NTDC",
}
"""Reference key -> new id: terminals, the Kyrgyz-Tajik tie, the equivalent and its bus."""


def _new_id(kind: str, old: str) -> str:
    return RENAMES.get(f"{kind}.{old}", old)


@pytest.fixture(scope="module")
def week(profiles_2027: xr.Dataset) -> xr.Dataset:
    july = profiles_2027.time.dt.month == 7
    return profiles_2027.isel(time=np.flatnonzero(july.values)[:168])


@pytest.mark.parametrize("variant", ["as_built", "design_2014"])
def test_renamed_variant_builds_solves_and_runs_contingencies(
    variant: str, week: xr.Dataset, request: pytest.FixtureRequest
) -> None:
    ref: GridParams = request.getfixturevalue(variant)
    renames = dict(RENAMES)
    if variant == "design_2014":
        renames["hvdc.terminal.KABUL"] = "AF_INVERTER"
    renamed = validate_params(rename_ids(ref, renames))
    assert renamed.roles.supplier_ties == ("KG_TJ_TIE",)

    results = {}
    for name, params in (("ref", ref), ("new", renamed)):
        inputs = inputs_from_profiles(params, week)
        schedule = inputs.schedule(params)
        built = build_net(params, schedule, 0)
        solved = BatchAC(built).solve(injections_from_schedule(built, schedule))
        post = PostContingency(built, inputs)
        states = {c.id: post.state(c) for c in define_contingencies(built, include_groups=False)}
        results[name] = (built, schedule, solved, states, params)

    b0, s0, r0, st0, p0 = results["ref"]
    b1, s1, r1, st1, p1 = results["new"]
    assert r0.converged.all() and r1.converged.all()
    # every bus and branch solves to the same state under its new name
    buses0 = list(b0.net.bus.name)
    buses1 = [_new_id("bus", b) for b in buses0]
    order = [list(b1.net.bus.name).index(b) for b in buses1]
    np.testing.assert_allclose(r1.vm_pu[:, order], r0.vm_pu, atol=1e-9)
    np.testing.assert_allclose(
        delivered_by_offtaker(p1, s1), delivered_by_offtaker(p0, s0), atol=1e-9
    )
    assert (delivered_by_offtaker(p1, s1)[:, 0] > 500).all()  # Pakistan receives the export
    tie = b1.index.circuits(p1.roles.supplier_ties)
    assert tie == ["KG_TJ_TIE"]
    # the post-contingency states: the renamed tie cuts the Kyrgyz share as Datka-Sughd does
    assert st1["LINE:KG_TJ_TIE"].suppliers_cut == st0["LINE:DATKA_SUGHD"].suppliers_cut == ("KG",)

    def new_name(c: str) -> str:
        kind = c.split(":")[0]
        if kind in ("POLE", "BIPOLE"):  # named after the DC line's terminals
            return next(n for n in st1 if n.startswith(kind + ":"))
        return c.replace("DATKA_SUGHD", "KG_TJ_TIE")

    renamed_ids = {new_name(c): c for c in st0}
    assert set(renamed_ids) == set(st1)
    for new_id, old_id in renamed_ids.items():
        a, b = st0[old_id], st1[new_id]
        assert a.suppliers_cut == b.suppliers_cut, new_id
        np.testing.assert_allclose(b.export_cut_mw, a.export_cut_mw, atol=1e-9)
        np.testing.assert_allclose(b.inj.gen_p_mw, a.inj.gen_p_mw, atol=1e-9)
        np.testing.assert_allclose(b.inj.load_p_mw, a.inj.load_p_mw, atol=1e-9)
        assert (b.island_bus == a.island_bus).all()


def test_renamed_variant_runs_all_three_studies_through_the_runner(
    as_built: GridParams, profiles_2027: xr.Dataset
) -> None:
    import dataclasses

    from casa1000.studies.contingency import ContingencyConfig
    from casa1000.studies.registry import STUDIES
    from casa1000.studies.spine.runner import execute
    from casa1000.studies.spine.scenario import Scenario, StudyInputs
    from casa1000.studies.transfer_capability import TransferConfig

    renamed = validate_params(rename_ids(as_built, RENAMES))
    hours = profiles_2027.isel(time=np.r_[4500:4503])
    outcomes = {}
    for label, params in (("ref", as_built), ("new", renamed)):
        inputs = StudyInputs(scenario=Scenario.given(params), params=params, profiles=hours)
        # the named N-k groups of the seeds name reference IDs; a renamed network has its own
        configs = {
            "seasonal": None,
            "contingency": ContingencyConfig(include_groups=False),
            "transfer": TransferConfig(include_groups=False),
        }
        outcomes[label] = {
            name: execute(STUDIES[name], dataclasses.replace(inputs), config).dataset
            for name, config in configs.items()
        }
    ref, new = outcomes["ref"], outcomes["new"]
    np.testing.assert_allclose(
        new["seasonal"].delivered_mw.values, ref["seasonal"].delivered_mw.values, atol=1e-9
    )
    np.testing.assert_allclose(
        new["seasonal"].datka_sughd_mw.values, ref["seasonal"].datka_sughd_mw.values, atol=1e-9
    )
    assert "LINE:KG_TJ_TIE" in new["contingency"].contingency.values
    np.testing.assert_array_equal(
        new["contingency"].secure.sel(contingency="LINE:KG_TJ_TIE").values,
        ref["contingency"].secure.sel(contingency="LINE:DATKA_SUGHD").values,
    )
    np.testing.assert_allclose(
        new["transfer"].transfer_capability_mw.values,
        ref["transfer"].transfer_capability_mw.values,
    )
