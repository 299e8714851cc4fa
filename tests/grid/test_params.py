"""Element counts, string IDs and the two variants."""

from __future__ import annotations

from casa1000.grid.areas import synchronous_areas
from casa1000.grid.builder import build_net
from casa1000.grid.params import GridParams


def test_as_built_ids(as_built: GridParams) -> None:
    buses = {b.id for b in as_built.buses}
    assert {
        "TOKTOGUL",
        "KURPSAI",
        "DATKA",
        "FRUNZE",
        "KEMIN",
        "SUGHD",
        "DUSHANBE",
        "REGAR",
        "NUREK",
        "ROGUN",
        "SANGTUDA",
        "SANGTUDA_220",
        "PULEKHUMRI_220",
        "KABUL_220",
        "NOWSHERA",
    } <= buses
    assert len(as_built.buses) == 27
    assert [t.id for t in as_built.hvdc.terminals] == ["SANGTUDA", "NOWSHERA"]
    assert "PULEKHUMRI_KABUL" in {ln.id for ln in as_built.lines}


def test_design_2014_has_kabul_terminal(design_2014: GridParams) -> None:
    assert [t.id for t in design_2014.hvdc.inverters] == ["KABUL", "NOWSHERA"]
    assert "PULEKHUMRI_KABUL" not in {ln.id for ln in design_2014.lines}
    assert synchronous_areas(design_2014)["KABUL_220"] == "AF_NEPS"


def test_each_area_has_one_slack(params: GridParams) -> None:
    areas = synchronous_areas(params)
    slack_areas = [areas[e.bus] for e in params.externals]
    assert sorted(slack_areas) == sorted(set(slack_areas))
    assert set(areas.values()) == set(slack_areas)


def test_builder_counts_and_names(as_built: GridParams) -> None:
    built = build_net(as_built)
    net = built.net
    circuits = sum(ln.circuits for ln in as_built.lines) + sum(t.circuits for t in as_built.ties)
    assert len(net.line) == circuits == len(built.index.line)
    assert len(net.trafo) == sum(t.units for t in as_built.trafos)
    assert "ROGUN_DUSHANBE/1" in built.index.line and "DATKA_SUGHD" in built.index.line
    assert set(net.bus.name) == {b.id for b in as_built.buses}
    assert len(net.ext_grid) == 2
    # line-connected reactors leave with their line
    assert (net.shunt.line == "DATKA_SUGHD").sum() == 2


def test_builder_does_not_mutate_params(as_built: GridParams) -> None:
    before = repr(as_built)
    build_net(as_built)
    assert repr(as_built) == before
