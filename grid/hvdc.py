"""DC-side physics of the CASA-1000 LCC link, vectorised over hours.

The AC load flow sees each converter as a fixed P/Q injection (an LCC neither
regulates voltage nor provides a DC slack, and fixed injections keep every fast
path usable).  This module computes those injections from the scheduled power:

* converter station losses ``rating * (l0 + l1 * (P / rating)**2)``;
* DC line losses ``I**2 R`` per pole, with the return path of a monopole;
* the terminal DC voltages along a (possibly multi-terminal) series line;
* converter reactive demand ``Q = P tan(phi)`` with
  ``cos(phi) ~ cos(alpha) - d_x * I / I_rated`` (the classic approximation of
  the fundamental power factor of a six-pulse bridge);
* AC filter banks switched in whole steps to match that demand.

Power reversal.  An LCC link reverses its power by reversing the polarity of
its DC voltage: the current keeps its direction, the former inverter fires as
a rectifier and the former rectifier runs as an inverter.  On a two-terminal
link (as built) hours with a ``reverse_mw`` request are computed with the same
physics on the mirrored link (Nowshera as rectifier at its firing angle,
Sangtuda as inverter at its extinction angle, the same DC line backwards);
the state keeps the terminal order of the forward link, so in a reverse hour
``p_ac_mw`` is negative at Sangtuda (delivered) and positive at Nowshera
(drawn).  A link cannot run both ways in the same hour.

References
----------
.. [1] J. Arrillaga, *High Voltage Direct Current Transmission*, 2nd ed., IEE, 1998,
   ch. 2 (converter power factor and reactive power).
.. [2] CIGRE TB 186, *Economic assessment of HVDC links*, 2001 (station losses
   of about 0.6-0.8 % of rating).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.errors import InputError
from casa1000.grid.params import ConverterRole, DcSegment, Hvdc, MonopolarReturn

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, kw_only=True)
class HvdcState:
    """Hourly operating state of the link; arrays have shape (hours,) or (hours, terminals).

    Terminal order is ``terminal_ids``: the forward rectifier first, then the
    inverters along the DC line (kept in hours of reverse flow).  Powers use
    the load convention of the AC bus: positive ``p_ac_mw`` is drawn from the
    AC system (rectifying terminal), negative is delivered (inverting
    terminal); ``q_net_mvar`` > 0 is absorbed from the AC system.
    """

    terminal_ids: tuple[str, ...]
    terminal_buses: tuple[str, ...]
    requested_mw: FloatArray
    """(hours, inverters) power asked to be sent towards each inverter [MW]."""
    sent_mw: FloatArray
    """(hours, inverters) power sent towards each inverter after limits [MW]."""
    p_ac_mw: FloatArray
    q_conv_mvar: FloatArray
    q_filter_mvar: FloatArray
    filter_banks_on: IntArray
    converter_loss_mw: FloatArray
    dc_line_loss_mw: FloatArray
    dc_voltage_kv: FloatArray
    dc_current_ka: FloatArray
    """(hours,) pole current leaving the rectifier [kA]."""
    poles_in_service: IntArray
    blocked: BoolArray
    reverse_requested_mw: FloatArray
    """(hours,) power asked to be sent from the last inverter back to the rectifier [MW]."""
    reverse_sent_mw: FloatArray
    """(hours,) power drawn at the last inverter's AC bus in reverse flow [MW]."""

    @property
    def q_net_mvar(self) -> FloatArray:
        """Reactive power absorbed from the AC bus, converter minus filters [Mvar]."""
        return self.q_conv_mvar - self.q_filter_mvar

    @property
    def delivered_mw(self) -> FloatArray:
        """(hours, inverters) power delivered to each inverter's AC bus (0 in reverse flow) [MW]."""
        delivered: FloatArray = np.clip(-self.p_ac_mw[:, 1:], 0.0, None)
        return delivered

    @property
    def reverse_delivered_mw(self) -> FloatArray:
        """(hours,) power delivered at the forward rectifier's AC bus in reverse flow [MW]."""
        delivered: FloatArray = np.clip(-self.p_ac_mw[:, 0], 0.0, None)
        return delivered

    @property
    def curtailed_mw(self) -> FloatArray:
        """(hours, inverters) power requested but not sent because of ratings or blocking [MW]."""
        return self.requested_mw - self.sent_mw

    @property
    def reverse_curtailed_mw(self) -> FloatArray:
        """(hours,) reverse power requested but not sent because of ratings or blocking [MW]."""
        return self.reverse_requested_mw - self.reverse_sent_mw

    @property
    def total_loss_mw(self) -> FloatArray:
        """(hours,) converter plus DC line losses [MW]."""
        total: FloatArray = self.converter_loss_mw.sum(axis=1) + self.dc_line_loss_mw
        return total


def _station_loss(p_mw: FloatArray, rating_mw: FloatArray, hvdc: Hvdc) -> FloatArray:
    loading = np.divide(p_mw, rating_mw, out=np.zeros_like(p_mw), where=rating_mw > 0)
    loss = rating_mw * (
        hvdc.converter_no_load_loss_fraction + hvdc.converter_load_loss_fraction * loading**2
    )
    return np.asarray(np.where(p_mw > 0, loss, 0.0), dtype=np.float64)


def _reactive(
    p_mw: FloatArray, current_fraction: FloatArray, angle_deg: float, hvdc: Hvdc
) -> FloatArray:
    cos_phi = np.cos(np.deg2rad(angle_deg)) - hvdc.commutation_drop_pu * current_fraction
    cos_phi = np.clip(cos_phi, 0.05, 1.0)
    return np.asarray(p_mw * np.tan(np.arccos(cos_phi)), dtype=np.float64)


def hvdc_operating_point(
    hvdc: Hvdc,
    requested_mw: npt.ArrayLike,
    *,
    poles_in_service: npt.ArrayLike | None = None,
    reverse_mw: npt.ArrayLike | None = None,
) -> HvdcState:
    """Compute converter injections, losses and DC quantities for scheduled transfers.

    Parameters
    ----------
    hvdc
        The link.
    requested_mw
        (hours, inverters) or (hours,) power the rectifier is asked to send towards
        each inverter, measured at the rectifier AC bus [MW].
    poles_in_service
        (hours,) poles available (``hvdc.poles`` by default); with one pole the
        link carries half its rating and the return current follows
        ``hvdc.monopolar_return``; with none it is blocked.
    reverse_mw
        (hours,) power asked to flow backwards, from the inverter to the
        rectifier, measured at the sending (inverter's) AC bus [MW]; a
        two-terminal link only, and only in hours with no forward request.

    Returns
    -------
    HvdcState
        Per hour and terminal: AC powers, reactive demand, filters, losses.

    Raises
    ------
    InputError
        If reverse flow is asked of a multi-terminal link.
    ValueError
        If ``requested_mw`` has the wrong number of columns, or an hour asks
        for power in both directions.

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> state = hvdc_operating_point(load_reference("as_built").hvdc, [[1000.0]])
    >>> bool(0.02 < state.total_loss_mw[0] / 1000.0 < 0.04)
    True
    """
    req = _requested(hvdc, requested_mw)
    hours = req.shape[0]
    poles = (
        np.full(hours, hvdc.poles, dtype=np.int64)
        if poles_in_service is None
        else np.broadcast_to(np.asarray(poles_in_service, dtype=np.int64), (hours,)).copy()
    )
    forward = _forward(hvdc, req, poles)
    back = (
        np.zeros(hours)
        if reverse_mw is None
        else np.clip(np.broadcast_to(np.asarray(reverse_mw, dtype=np.float64), (hours,)), 0.0, None)
    )
    if not (back > 0).any():
        return forward
    if len(hvdc.inverters) != 1:
        raise InputError(
            "hvdc",
            "reverse_mw",
            float(back.max()),
            "0 on a multi-terminal link (reverse flow needs the two-terminal as-built link)",
        )
    if ((back > 0) & (req.sum(axis=1) > 0)).any():
        raise ValueError("an hour cannot ask for power in both directions")
    mirrored = _forward(_mirror(hvdc), back[:, None], poles)
    return _merge(forward, mirrored, back)


def _requested(hvdc: Hvdc, requested_mw: npt.ArrayLike) -> FloatArray:
    """(hours, inverters) non-negative forward request."""
    inverters = hvdc.inverters
    req = np.asarray(requested_mw, dtype=np.float64)
    if req.ndim == 1:
        req = req[:, None] if len(inverters) == 1 else req[None, :]
    if req.shape[1] != len(inverters):
        raise ValueError(f"requested_mw needs {len(inverters)} columns, got {req.shape[1]}")
    return np.clip(req, 0.0, None)


def _mirror(hvdc: Hvdc) -> Hvdc:
    """Return the two-terminal link run backwards: roles swapped, DC segment reversed."""
    swap = {
        ConverterRole.RECTIFIER: ConverterRole.INVERTER,
        ConverterRole.INVERTER: ConverterRole.RECTIFIER,
    }
    terminals = tuple(dataclasses.replace(t, role=swap[t.role]) for t in hvdc.terminals)
    segments = tuple(
        DcSegment(
            id=s.id, from_terminal=s.to_terminal, to_terminal=s.from_terminal, length_km=s.length_km
        )
        for s in hvdc.segments
    )
    return dataclasses.replace(hvdc, terminals=terminals, segments=segments)


def _merge(forward: HvdcState, mirrored: HvdcState, back: FloatArray) -> HvdcState:
    """Hours with a reverse request from ``mirrored`` (columns put back in forward order)."""
    rows = back > 0
    order = [mirrored.terminal_ids.index(t) for t in forward.terminal_ids]

    def per_terminal(name: str) -> npt.NDArray[np.generic]:
        ahead = np.asarray(getattr(forward, name))
        backwards = np.asarray(getattr(mirrored, name))[:, order]
        merged: npt.NDArray[np.generic] = np.where(rows[:, None], backwards, ahead)
        return merged

    def per_hour(name: str) -> npt.NDArray[np.generic]:
        ahead = np.asarray(getattr(forward, name))
        merged: npt.NDArray[np.generic] = np.where(rows, getattr(mirrored, name), ahead)
        return merged

    return HvdcState(
        terminal_ids=forward.terminal_ids,
        terminal_buses=forward.terminal_buses,
        requested_mw=forward.requested_mw,
        sent_mw=forward.sent_mw,
        p_ac_mw=per_terminal("p_ac_mw").astype(np.float64),
        q_conv_mvar=per_terminal("q_conv_mvar").astype(np.float64),
        q_filter_mvar=per_terminal("q_filter_mvar").astype(np.float64),
        filter_banks_on=per_terminal("filter_banks_on").astype(np.int64),
        converter_loss_mw=per_terminal("converter_loss_mw").astype(np.float64),
        dc_line_loss_mw=per_hour("dc_line_loss_mw").astype(np.float64),
        dc_voltage_kv=per_terminal("dc_voltage_kv").astype(np.float64),
        dc_current_ka=per_hour("dc_current_ka").astype(np.float64),
        poles_in_service=forward.poles_in_service,
        blocked=per_hour("blocked").astype(np.bool_),
        reverse_requested_mw=back,
        reverse_sent_mw=np.where(rows, mirrored.sent_mw[:, 0], 0.0),
    )


def _forward(hvdc: Hvdc, req: FloatArray, poles: IntArray) -> HvdcState:
    """Operating point with ``hvdc.rectifier`` sending; the physics of this module."""
    inverters = hvdc.inverters
    rect = hvdc.rectifier
    hours = req.shape[0]
    pole_fraction = poles / hvdc.poles
    inv_rating = np.array([t.rating_mw for t in inverters])
    rect_rating = min(hvdc.rating_mw, rect.rating_mw)

    # ratings: each inverter and the rectifier scale with the poles in service
    sent = np.minimum(req, inv_rating[None, :] * pole_fraction[:, None])
    total = sent.sum(axis=1)
    cap = rect_rating * pole_fraction
    scale = np.divide(cap, total, out=np.ones_like(total), where=total > cap)
    sent = sent * np.minimum(scale, 1.0)[:, None]
    total = sent.sum(axis=1)
    blocked = (poles == 0) | (total < hvdc.min_power_fraction * cap) | (total <= 0)
    sent = np.where(blocked[:, None], 0.0, sent)
    total = sent.sum(axis=1)

    v_pole = hvdc.pole_voltage_kv
    n_live = np.maximum(poles, 1)
    rect_eff_rating = rect_rating * pole_fraction
    rect_loss = _station_loss(total, rect_eff_rating, hvdc)
    p_dc_rect = total - rect_loss
    current = p_dc_rect / (n_live * v_pole)
    shares = np.divide(sent, total[:, None], out=np.zeros_like(sent), where=total[:, None] > 0)
    inv_current = current[:, None] * shares

    metallic = hvdc.monopolar_return is MonopolarReturn.METALLIC
    path = np.where((poles == 1) & metallic, 2.0, 1.0)  # conductors in the current loop per pole
    order = [rect.id, *(t.id for t in inverters)]
    seg_r = {
        (s.from_terminal, s.to_terminal): s.length_km * hvdc.dc_r_ohm_per_km for s in hvdc.segments
    }
    voltage = np.zeros((hours, len(order)))
    voltage[:, 0] = v_pole
    line_loss = np.zeros(hours)
    for k in range(1, len(order)):
        r_ohm = seg_r[(order[k - 1], order[k])]
        seg_current = inv_current[:, k - 1 :].sum(axis=1)
        voltage[:, k] = voltage[:, k - 1] - path * seg_current * r_ohm
        # MW = kA^2 * ohm; n_live poles each lose I^2 R, a metallic return doubles the loop
        line_loss += np.where(blocked, 0.0, n_live * path * seg_current**2 * r_ohm)
    p_dc_inv = n_live[:, None] * voltage[:, 1:] * inv_current
    inv_loss = _station_loss(p_dc_inv, inv_rating[None, :] * pole_fraction[:, None], hvdc)
    delivered = np.where(blocked[:, None], 0.0, p_dc_inv - inv_loss)

    rated_current = hvdc.rating_mw / (hvdc.poles * v_pole)
    inv_rated_current = inv_rating / (hvdc.poles * v_pole)
    q_rect = _reactive(total, current / rated_current, hvdc.firing_angle_deg, hvdc)
    q_inv = _reactive(
        delivered, inv_current / inv_rated_current[None, :], hvdc.extinction_angle_deg, hvdc
    )
    q_conv = np.column_stack([q_rect, q_inv])
    p_ac = np.column_stack([total, -delivered])
    terminals = [rect, *inverters]
    bank = np.array([t.filter_bank_mvar for t in terminals])
    banks_max = np.array([t.filter_banks for t in terminals])
    on = np.rint(np.divide(q_conv, bank[None, :], out=np.zeros_like(q_conv), where=bank > 0))
    # at least one bank is needed for harmonic filtering whenever a converter runs
    running = np.abs(p_ac) > 0
    on = np.where(running, np.clip(on, 1, banks_max[None, :]), 0).astype(np.int64)
    return HvdcState(
        terminal_ids=tuple(order),
        terminal_buses=tuple(t.bus for t in terminals),
        requested_mw=req,
        sent_mw=sent,
        p_ac_mw=p_ac,
        q_conv_mvar=np.where(running, q_conv, 0.0),
        q_filter_mvar=on * bank[None, :],
        filter_banks_on=on,
        converter_loss_mw=np.column_stack([rect_loss, inv_loss * (~blocked[:, None])]),
        dc_line_loss_mw=line_loss,
        dc_voltage_kv=np.where(blocked[:, None], 0.0, voltage),
        dc_current_ka=np.where(blocked, 0.0, current),
        poles_in_service=poles,
        blocked=blocked,
        reverse_requested_mw=np.zeros(hours),
        reverse_sent_mw=np.zeros(hours),
    )
