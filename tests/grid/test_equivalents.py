"""External equivalents: each tie reproduces its stated short-circuit power (IEC 60909 oracle),
converter strength by hand calculation, and the transfer path."""

from __future__ import annotations

import math

import pytest

from casa1000.grid.builder import build_net
from casa1000.grid.equivalents import C_MAX, tie_impedance_ohm
from casa1000.grid.overrides import apply_overrides
from casa1000.grid.params import GridParams, Tie
from casa1000.grid.short_circuit import (
    Strength,
    classify,
    converter_strength,
    short_circuit_mva,
)
from casa1000.grid.transfer_path import transfer_path_shares


def test_tie_impedance_is_the_thevenin_impedance_of_its_short_circuit_power() -> None:
    tie = Tie(id="T", bus="A", to_bus="B", sc_mva=2000.0, x_r_ratio=8.0, circuits=2, max_i_ka=1)
    r, x = tie_impedance_ohm(tie, 220.0)
    # two circuits in parallel give c Un^2 / S''k
    assert math.hypot(r, x) / 2 == pytest.approx(C_MAX * 220.0**2 / 2000.0, rel=1e-12)
    assert x / r == pytest.approx(8.0)


def test_every_tie_gives_its_stated_short_circuit_power_alone(params: GridParams) -> None:
    for tie in params.ties:
        # leave only this tie energising its boundary bus
        off = {f"line.{ln.id}.in_service": "false" for ln in params.lines}
        off |= {f"trafo.{t.id}.in_service": "false" for t in params.trafos}
        off |= {f"plant.{p.id}.in_service": "false" for p in params.plants}
        off |= {f"tie.{t.id}.in_service": "false" for t in params.ties if t.id != tie.id}
        alone = apply_overrides(params, off, where="test")
        s = short_circuit_mva(build_net(alone))
        assert s[tie.bus] == pytest.approx(tie.sc_mva, rel=2e-4), tie.id


def test_converter_strength_by_hand(as_built: GridParams, design_2014: GridParams) -> None:
    kabul = next(c for c in converter_strength(design_2014) if c.terminal == "KABUL")
    tie = next(t for t in design_2014.ties if t.bus == kabul.bus)
    # the Kabul grid is radial behind its NEPS tie in the 2014 design: S''k is the tie's
    assert kabul.sc_mva == pytest.approx(tie.sc_mva, rel=1e-3)
    assert kabul.scr == pytest.approx(tie.sc_mva / 300.0, rel=1e-3)
    assert kabul.escr == pytest.approx((tie.sc_mva - 160.0) / 300.0, rel=1e-3)
    weaker = apply_overrides(design_2014, {f"tie.{tie.id}.sc_mva": "500"}, where="test")
    assert next(c for c in converter_strength(weaker) if c.terminal == "KABUL").strength is (
        Strength.VERY_WEAK
    )
    # as built, Kabul (no converter) is fed over the corridor: Thevenin at Sangtuda 220 kV
    # plus the two double-circuit 220 kV lines
    s = short_circuit_mva(build_net(as_built))
    z_src = C_MAX * 220.0**2 / s["SANGTUDA_220"]
    types = {t.id: t for t in as_built.line_types}
    r = x = 0.0
    for ln in as_built.lines:
        if ln.id in ("SANGTUDA_PULEKHUMRI", "PULEKHUMRI_KABUL"):
            t = types[ln.line_type]
            r += t.r_ohm_per_km * ln.length_km / ln.circuits
            x += t.x_ohm_per_km * ln.length_km / ln.circuits
    by_hand = C_MAX * 220.0**2 / math.hypot(r, x + z_src)
    assert s["KABUL_220"] == pytest.approx(by_hand, rel=0.02)


def test_rule_of_thumb_thresholds() -> None:
    assert classify(3.0) is Strength.STRONG
    assert classify(2.99) is Strength.WEAK
    assert classify(1.99) is Strength.VERY_WEAK


def test_kyrgyz_export_splits_between_the_tie_and_the_neighbours(as_built: GridParams) -> None:
    path = transfer_path_shares(as_built)
    assert path.supplier == "KG"
    # half over Datka-Sughd, the rest through Kazakhstan and Uzbekistan, little lost
    assert 0.45 < path.over_ties < 0.6
    assert abs(path.over_ties + path.through_equivalent - 1.0) < 0.05
    # a longer Kazakh-Uzbek route pushes more over the tie
    longer = apply_overrides(as_built, {"line.KZ_UZ_EXT.length_km": "800"}, where="test")
    assert transfer_path_shares(longer).over_ties > path.over_ties + 0.05
