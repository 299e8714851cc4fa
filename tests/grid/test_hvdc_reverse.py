"""LCC power reversal: Nowshera rectifies, Sangtuda inverts, by the same physics."""

from __future__ import annotations

import numpy as np
import pytest

from casa1000.errors import InputError
from casa1000.grid.hvdc import hvdc_operating_point
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import make_schedule


def test_reverse_hour_by_hand(as_built: GridParams) -> None:
    h = as_built.hvdc
    s = hvdc_operating_point(h, [[0.0]], reverse_mw=[600.0])
    assert s.terminal_ids == ("SANGTUDA", "NOWSHERA")  # the forward order is kept
    # Nowshera is now the rectifier: it draws 600 MW and loses its station loss
    rect_loss = 1300 * (0.002 + 0.005 * (600 / 1300) ** 2)
    current = (600 - rect_loss) / (2 * 500)  # kA per pole
    r_pole = 0.0094 * 789
    v_sangtuda = 500 - current * r_pole
    p_dc_inv = 2 * v_sangtuda * current
    inv_loss = 1300 * (0.002 + 0.005 * (p_dc_inv / 1300) ** 2)
    assert s.p_ac_mw[0, 1] == pytest.approx(600.0)
    assert s.converter_loss_mw[0, 1] == pytest.approx(rect_loss)
    assert s.dc_line_loss_mw[0] == pytest.approx(2 * current**2 * r_pole)
    assert s.dc_voltage_kv[0].tolist() == pytest.approx([v_sangtuda, 500.0])
    assert s.reverse_delivered_mw[0] == pytest.approx(p_dc_inv - inv_loss)
    assert s.p_ac_mw[0, 0] == pytest.approx(-(p_dc_inv - inv_loss))
    assert s.delivered_mw[0, 0] == 0.0 and s.sent_mw[0, 0] == 0.0
    # power balance: drawn = delivered + every loss
    assert s.p_ac_mw[0].sum() == pytest.approx(s.total_loss_mw[0])


def test_reverse_is_the_forward_physics_of_the_mirrored_link(as_built: GridParams) -> None:
    forward = hvdc_operating_point(as_built.hvdc, [[800.0]])
    reverse = hvdc_operating_point(as_built.hvdc, [[0.0]], reverse_mw=[800.0])
    # both converters absorb reactive power in either direction (about half of P)
    assert (reverse.q_conv_mvar[0] > 0.3 * 800).all()
    # same ratings, angles and line: the losses differ only by the angles' effect (none on P)
    assert reverse.total_loss_mw[0] == pytest.approx(forward.total_loss_mw[0])
    assert reverse.q_conv_mvar[0, ::-1] == pytest.approx(forward.q_conv_mvar[0], rel=0.05)


def test_reverse_respects_poles_and_the_minimum(as_built: GridParams) -> None:
    s = hvdc_operating_point(
        as_built.hvdc,
        np.zeros((3, 1)),
        reverse_mw=[1300.0, 1300.0, 50.0],
        poles_in_service=[2, 1, 2],
    )
    assert s.reverse_sent_mw.tolist() == pytest.approx([1300.0, 650.0, 0.0])
    assert s.reverse_curtailed_mw.tolist() == pytest.approx([0.0, 650.0, 50.0])
    assert s.blocked.tolist() == [False, False, True]


def test_mixed_hours_keep_each_direction(as_built: GridParams) -> None:
    s = hvdc_operating_point(as_built.hvdc, [[1000.0], [0.0]], reverse_mw=[0.0, 500.0])
    assert s.p_ac_mw[0, 0] == pytest.approx(1000.0) and s.p_ac_mw[0, 1] < 0
    assert s.p_ac_mw[1, 0] < 0 and s.p_ac_mw[1, 1] == pytest.approx(500.0)
    assert s.reverse_delivered_mw[0] == 0.0 and s.delivered_mw[1, 0] == 0.0


def test_both_directions_in_one_hour_are_refused(as_built: GridParams) -> None:
    with pytest.raises(ValueError, match="both directions"):
        hvdc_operating_point(as_built.hvdc, [[100.0]], reverse_mw=[100.0])


def test_reverse_flow_needs_a_two_terminal_link(design_2014: GridParams) -> None:
    with pytest.raises(InputError, match="reverse_mw"):
        hvdc_operating_point(design_2014.hvdc, [[0.0, 0.0]], reverse_mw=[500.0])


def test_reverse_flow_lowers_the_tajik_requirement(as_built: GridParams) -> None:
    demand = {"KG": [2500.0, 2500.0], "TJ": [3500.0, 3500.0]}
    export = {"PK": [0.0, 0.0], "AF": [0.0, 0.0]}
    scarce = {p.id: [0.3 * p.p_max_mw] * 2 for p in as_built.plants}  # a dry winter
    without = make_schedule(as_built, demand_mw=demand, export_mw=export, available_mw=scarce)
    with_reverse = make_schedule(
        as_built, demand_mw=demand, export_mw=export, available_mw=scarce, reverse_mw=[0.0, 700.0]
    )
    tj = without.dispatch.zones.index("TJ")
    arrived = with_reverse.hvdc.reverse_delivered_mw
    assert arrived[0] == 0.0 and 650.0 < arrived[1] < 700.0
    np.testing.assert_allclose(
        with_reverse.dispatch.deficit_mw[:, tj], without.dispatch.deficit_mw[:, tj] - arrived
    )
    # Nowshera now draws from Pakistan's grid; Sangtuda injects into Tajikistan's
    nowshera = with_reverse.hvdc.terminal_ids.index("NOWSHERA")
    assert with_reverse.hvdc.p_ac_mw[1, nowshera] == pytest.approx(700.0)
