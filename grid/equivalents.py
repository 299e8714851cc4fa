"""External equivalents: ties derived from a stated short-circuit level, and their reactive use.

A neighbouring system seen from a boundary bus is, for the load flow and for a
short circuit alike, a voltage source behind an impedance.  The model keeps the
source as the area's slack (an :class:`~casa1000.grid.params.External`) and puts
the impedance in a :class:`~casa1000.grid.params.Tie` whose size follows from the
short-circuit power the neighbour supplies at the boundary bus (IEC 60909-0,
maximum case, voltage factor ``c_max`` = 1.1 above 1 kV)::

    |Z_th| = c_max Un**2 / S''k          R = |Z| / sqrt(1 + (X/R)**2),  X = (X/R) R

so that :func:`casa1000.grid.short_circuit.short_circuit_mva` of the boundary bus
with only that tie in service returns the stated ``S''k`` (the test of this
module checks it).  Two or more ties to one source share that source: a
transfer between two boundary buses may flow through the equivalent with the
sum of their impedances, which is the detour the studies report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from casa1000.grid.params import Tie

if TYPE_CHECKING:
    from casa1000.grid.builder import BuiltNet

C_MAX = 1.1
"""IEC 60909-0 voltage factor for the maximum short-circuit current above 1 kV."""

FloatArray = npt.NDArray[np.float64]


def tie_impedance_ohm(tie: Tie, vn_kv: float) -> tuple[float, float]:
    """Resistance and reactance of one circuit of ``tie`` [ohm].

    Parameters
    ----------
    tie
        The tie.
    vn_kv
        Nominal voltage of its boundary bus [kV].

    Returns
    -------
    tuple
        ``(r_ohm, x_ohm)`` of one circuit; the ``circuits`` in parallel give the
        Thevenin impedance of ``sc_mva``.

    Examples
    --------
    >>> t = Tie(id="T", bus="A", to_bus="B", sc_mva=5500.0, x_r_ratio=10.0, max_i_ka=2.0)
    >>> r, x = tie_impedance_ohm(t, 500.0)
    >>> round(math.hypot(r, x), 3), round(x / r, 6)
    (50.0, 10.0)
    """
    z_ohm = C_MAX * vn_kv**2 / tie.sc_mva * tie.circuits
    r_ohm = z_ohm / math.sqrt(1.0 + tie.x_r_ratio**2)
    return r_ohm, tie.x_r_ratio * r_ohm


def slack_q_mvar(
    built: BuiltNet, q_from_mvar: FloatArray, q_to_mvar: FloatArray
) -> dict[str, FloatArray]:
    """Reactive power each external equivalent produces, from solved branch flows [Mvar].

    Parameters
    ----------
    built
        The network (its external buses carry no load or shunt).
    q_from_mvar, q_to_mvar
        (rows, branches) reactive power entering each branch at its from/hv and
        to/lv end, lines then transformers, as the batch solver returns them.

    Returns
    -------
    dict
        External id -> (rows,) reactive power produced (< 0: absorbed) [Mvar].
    """
    net = built.net
    ends_from = np.concatenate([net.line.from_bus.to_numpy(), net.trafo.hv_bus.to_numpy()])
    ends_to = np.concatenate([net.line.to_bus.to_numpy(), net.trafo.lv_bus.to_numpy()])
    out: dict[str, FloatArray] = {}
    for e in built.params.externals:
        bus = built.index.bus[e.bus]
        q = q_from_mvar[:, ends_from == bus].sum(axis=1) + q_to_mvar[:, ends_to == bus].sum(axis=1)
        out[e.id] = np.asarray(q, dtype=np.float64)
    return out


def q_outside_capability(built: BuiltNet, q_mvar: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """How far each equivalent's reactive power is outside its capability [Mvar] (0 inside).

    Parameters
    ----------
    built
        The network.
    q_mvar
        External id -> (rows,) reactive power produced, from :func:`slack_q_mvar`.

    Returns
    -------
    dict
        External id -> (rows,) excess beyond ``q_max_mvar`` (> 0) or below
        ``q_min_mvar`` (< 0).
    """
    out: dict[str, FloatArray] = {}
    for e in built.params.externals:
        q = q_mvar[e.id]
        out[e.id] = np.where(
            q > e.q_max_mvar, q - e.q_max_mvar, np.where(q < e.q_min_mvar, q - e.q_min_mvar, 0.0)
        )
    return out


def ties_of(ties: Sequence[Tie], to_bus: str) -> list[Tie]:
    """Return the ties that end at the source bus ``to_bus``."""
    return [t for t in ties if t.to_bus == to_bus]


__all__ = [
    "C_MAX",
    "q_outside_capability",
    "slack_q_mvar",
    "tie_impedance_ohm",
    "ties_of",
]
