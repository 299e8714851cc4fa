"""The corridor's conductor constants (hand calculation) and its limits (runpp as oracle)."""

from __future__ import annotations

import math

import pytest

from casa1000.grid.conductors import AL490_ST64, Conductor, line_constants
from casa1000.grid.corridor import _Continuation, corridor_limit, corridor_lines
from casa1000.grid.params import GridParams


def test_line_constants_match_the_textbook_formulas() -> None:
    # at GMD = e * GMR the log is 1: x = omega mu0 / (2 pi) = 2 pi 50 * 2e-7 ohm/m
    wire = Conductor(name="w", radius_mm=10.0, gmr_mm=8.0, r_ohm_per_km=0.1, max_i_ka=1.0)
    x, _ = line_constants(wire, gmd_m=math.e * 8.0 / 1000.0)
    assert x == pytest.approx(2 * math.pi * 50 * 2e-7 * 1000, rel=1e-12)
    # at GMD = e * r: c = 2 pi eps0 = 55.63 pF/m = 55.63 nF/km
    _, c = line_constants(wire, gmd_m=math.e * 10.0 / 1000.0)
    assert c == pytest.approx(55.632, rel=1e-4)


def test_single_conductor_220kv_falls_in_the_typical_range() -> None:
    for gmd, (x_lo, x_hi) in ((7.0, (0.39, 0.41)), (11.0, (0.42, 0.44))):
        x, c = line_constants(AL490_ST64, gmd_m=gmd)
        b_us = 2 * math.pi * 50 * c * 1e-3
        assert x_lo < x < x_hi and 2.6 < b_us < 2.9


def test_seed_type_is_the_stated_geometry(as_built: GridParams) -> None:
    x, c = line_constants(AL490_ST64, gmd_m=8.5)
    seed = next(t for t in as_built.line_types if t.id == "OHL220_1x490")
    assert seed.x_ohm_per_km == pytest.approx(x, abs=5e-4)
    assert seed.c_nf_per_km == pytest.approx(c, abs=5e-3)
    corridor = next(ln for ln in as_built.lines if ln.id == corridor_lines(as_built)[0])
    assert corridor.line_type == "OHL220_1x490"


def test_one_circuit_out_limits_are_a_nose_and_a_voltage_crossing(as_built: GridParams) -> None:
    limit = corridor_limit(as_built, step_mw=20.0, tol_mw=0.5)
    assert limit.circuits_out == ("SANGTUDA_PULEKHUMRI/1",)
    assert 100 < limit.nose_mw < limit.contract_mw
    assert limit.voltage_limit_mw < limit.nose_mw
    # the oracle: runpp continued from zero converges at the nose, not 2 MW beyond
    demand = {z.id: z.ref_demand_mw for z in as_built.zones}
    run = _Continuation(as_built, "AF", limit.circuits_out, demand)
    for level in (0.0, 0.5 * limit.nose_mw, limit.nose_mw):
        assert run.solve(level) is not None
    assert run.solve(limit.nose_mw + 2.0) is None
    v_at = run.solve(limit.voltage_limit_mw)
    # within the bisection's tolerance above (a bank switching in further up lifts
    # the voltage again: the switched compensation moves in 20 Mvar banks)
    v_past = run.solve(limit.voltage_limit_mw + 0.5)
    assert v_at is not None and v_past is not None
    assert v_at >= 0.90 > v_past
    # both circuits in carry more
    intact = corridor_limit(as_built, circuits_out=(), step_mw=50.0, tol_mw=2.0)
    assert intact.voltage_limit_mw > limit.voltage_limit_mw
