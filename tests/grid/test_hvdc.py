"""DC-side physics against hand calculations and invariants."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casa1000.grid.hvdc import hvdc_operating_point
from casa1000.grid.params import GridParams, MonopolarReturn


def test_hand_calculation_two_terminal(as_built: GridParams) -> None:
    h = as_built.hvdc
    s = hvdc_operating_point(h, [[1000.0]])
    rect_loss = 1300 * (0.002 + 0.005 * (1000 / 1300) ** 2)
    current = (1000 - rect_loss) / (2 * 500)  # kA per pole
    r_pole = 0.0094 * 789
    assert s.converter_loss_mw[0, 0] == pytest.approx(rect_loss)
    assert s.dc_current_ka[0] == pytest.approx(current)
    assert s.dc_line_loss_mw[0] == pytest.approx(2 * current**2 * r_pole)
    assert s.dc_voltage_kv[0, 1] == pytest.approx(500 - current * r_pole)


def test_full_load_losses_and_reactive_demand(as_built: GridParams) -> None:
    s = hvdc_operating_point(as_built.hvdc, [[1300.0]])
    loss_pct = 100 * s.total_loss_mw[0] / 1300
    assert 2.5 < loss_pct < 4.5  # two stations ~0.7 % each plus ~2 % on ~790 km
    assert 0.45 < s.q_conv_mvar[0, 0] / 1300 < 0.6  # LCC absorbs about half its P
    assert abs(s.q_net_mvar[0, 0]) <= as_built.hvdc.terminals[0].filter_bank_mvar / 2 + 1e-9


def test_pole_outage_halves_capacity(as_built: GridParams) -> None:
    s = hvdc_operating_point(as_built.hvdc, [[1300.0], [1300.0]], poles_in_service=[2, 1])
    assert s.sent_mw[0, 0] == pytest.approx(1300.0)
    assert s.sent_mw[1, 0] == pytest.approx(650.0)
    assert s.curtailed_mw[1, 0] == pytest.approx(650.0)
    metallic = s.dc_line_loss_mw[1]
    earth = hvdc_operating_point(
        dataclasses.replace(as_built.hvdc, monopolar_return=MonopolarReturn.EARTH),
        [[1300.0]],
        poles_in_service=[1],
    ).dc_line_loss_mw[0]
    assert metallic == pytest.approx(2 * earth, rel=1e-3)  # the return conductor doubles the loop


def test_blocked_below_minimum_and_with_no_pole(as_built: GridParams) -> None:
    s = hvdc_operating_point(as_built.hvdc, [[50.0], [1000.0]], poles_in_service=[2, 0])
    assert s.blocked.all()
    assert np.all(s.p_ac_mw == 0) and np.all(s.q_filter_mvar == 0)


def test_three_terminal_split(design_2014: GridParams) -> None:
    s = hvdc_operating_point(design_2014.hvdc, [[300.0, 1000.0]])
    delivered = s.delivered_mw[0]
    assert 280 < delivered[0] < 300 and 950 < delivered[1] < 1000
    assert s.dc_voltage_kv[0, 0] > s.dc_voltage_kv[0, 1] > s.dc_voltage_kv[0, 2]


@settings(max_examples=60, deadline=None)
@given(kabul=st.floats(0, 400), nowshera=st.floats(0, 1500), poles=st.sampled_from([0, 1, 2]))
def test_dc_energy_balance(
    design_2014: GridParams, kabul: float, nowshera: float, poles: int
) -> None:
    s = hvdc_operating_point(design_2014.hvdc, [[kabul, nowshera]], poles_in_service=[poles])
    balance = s.p_ac_mw[0].sum() - s.total_loss_mw[0]
    assert balance == pytest.approx(0.0, abs=1e-9)
    assert s.total_loss_mw[0] >= 0 and np.all(s.sent_mw >= 0)
    assert s.sent_mw.sum() <= 1300 * poles / 2 + 1e-9
