"""Seed integrity: every source id resolves, none is unused, values are plausible."""

from __future__ import annotations

import csv
import io
import re
import tomllib

from casa1000.grid.params import GridParams, Variant
from casa1000.grid.reference import load_reference, seed_names, seed_text


def _bibliography() -> set[str]:
    return {row["id"] for row in csv.DictReader(io.StringIO(seed_text("sources.csv")))}


def _toml_sources(node: object) -> set[str]:
    if isinstance(node, dict):
        found: set[str] = set()
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                found.update(re.split(r"[;\s]+", value.strip()))
            else:
                found |= _toml_sources(value)
        return found
    if isinstance(node, list):
        return set().union(*(_toml_sources(item) for item in node))
    return set()


def _cited_ids() -> dict[str, set[str]]:
    """Source ids cited in each seed file (CSV ``source`` columns, TOML ``source`` keys)."""
    cited: dict[str, set[str]] = {}
    for name in seed_names():
        if name == "sources.csv":
            continue
        text = seed_text(name)
        ids: set[str] = set()
        if name.endswith(".csv"):
            for row in csv.DictReader(io.StringIO(text)):
                ids.update(re.split(r"[;\s]+", (row.get("source") or "").strip()))
        else:
            ids.update(_toml_sources(tomllib.loads(text)))
        cited[name] = ids - {""}
    return cited


def test_every_cited_source_resolves() -> None:
    known = _bibliography()
    for name, ids in _cited_ids().items():
        assert ids <= known, f"{name} cites unknown sources {sorted(ids - known)}"


def test_no_source_is_unused() -> None:
    used = set().union(*_cited_ids().values())
    assert _bibliography() - used == set()


def test_assumptions_say_why(params: GridParams) -> None:
    for c in params.citations:
        if c.source == "casa1000_assumption":
            assert len(c.note) > 15, f"{c.key} ({c.origin}) is an assumption without a reason"


def test_every_element_is_cited(params: GridParams) -> None:
    cited = {c.key for c in params.citations}
    for prefix, items in (
        ("bus", params.buses),
        ("line", params.lines),
        ("plant", params.plants),
        ("trafo", params.trafos),
        ("load", params.loads),
        ("shunt", params.shunts),
        ("tie", params.ties),
        ("external", params.externals),
    ):
        for e in items:
            assert f"{prefix}.{e.id}" in cited
    assert "hvdc.rating_mw" in cited and "contract.pakistan_mw" in cited
    assert "roles.supplier_ties" in cited and "roles.supplier_external" in cited


def test_units_are_plausible(params: GridParams) -> None:
    for b in params.buses:
        assert b.vn_kv in (220.0, 500.0)
        assert 30 <= b.lat <= 45 and 65 <= b.lon <= 80, b.id
    for ln in params.lines:
        assert 1 <= ln.length_km <= 600, ln.id
    for t in params.line_types:
        assert 0.01 <= t.r_ohm_per_km <= 0.2 and 0.2 <= t.x_ohm_per_km <= 0.5
        # series-only types of the external equivalents carry no charging
        assert 5 <= t.c_nf_per_km <= 20 or t.id.endswith("_SERIES")
        assert 0.5 <= t.max_i_ka <= 4
    for p in params.plants:
        assert 0 < p.p_max_mw <= 3600, p.id
    assert 500 <= params.hvdc.rating_mw <= 2000
    assert 700 <= sum(s.length_km for s in params.hvdc.segments) <= 800


def test_published_figures_are_in_the_seeds(as_built: GridParams) -> None:
    lines = {ln.id: ln for ln in as_built.lines}
    assert lines["DATKA_SUGHD"].length_km == 485
    assert lines["REGAR_SANGTUDA"].length_km == 115
    assert {p.id: p.p_max_mw for p in as_built.plants}["TOKTOGUL"] == 1440
    assert as_built.contract.tajikistan_share == 0.7
    assert load_reference(Variant.DESIGN_2014).hvdc.terminals[1].rating_mw == 300
