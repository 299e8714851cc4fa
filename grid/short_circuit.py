"""Short-circuit strength of the converter buses (IEC 60909) and the LCC rule of thumb.

A line-commutated converter needs a strong AC system to commutate: the
short-circuit ratio ``SCR = S''k / P_dc`` at its AC bus is the usual screen.
Below 3 the system is *weak* (voltage and commutation-failure problems need
studying; filters and control must be designed for it), below 2 *very weak*
(operation needs synchronous condensers or special controls) [1]_, [2]_.
The effective ratio ``ESCR = (S''k - Q_filters) / P_dc`` subtracts the filters
that sit on the same bus.

:func:`short_circuit_mva` runs pandapower's IEC 60909 calculation
(``pandapower.shortcircuit.calc_sc``, maximum case, ``c_max`` = 1.1) on a copy
of the built network:

* external equivalents are ideal sources behind their ties (the ties carry
  the stated short-circuit power, :mod:`casa1000.grid.equivalents`);
* each voltage-regulating plant is a synchronous machine of its running units
  (all units, or those committed in an hour of a schedule), rated
  ``unit_mw / 0.86`` MVA each, with ``x''d`` plus its step-up transformer
  (:data:`XDSS_PU`) since the plants connect at the network buses directly;
* plants without voltage control (small hydro), loads, converters and shunts
  contribute nothing (a conservative, lower strength).

References
----------
.. [1] IEEE Std 1204-1997, *Guide for Planning DC Links Terminating at AC
   Locations Having Low Short-Circuit Capacities*.
.. [2] CIGRE TB 68, *Guide for planning DC links terminating at AC system
   locations having low short-circuit capacities*, 1992.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

from casa1000.grid.builder import BuiltNet, build_net
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import Q_MAX_PER_MW

if TYPE_CHECKING:
    from casa1000.grid.schedule import Schedule

XDSS_PU = 0.34
"""Subtransient reactance of a unit with its step-up transformer on the unit rating [pu]:
x''d about 0.2 for a hydro unit plus about 0.14 for its transformer (assumption)."""
UNIT_POWER_FACTOR = 0.86
"""Rated power factor of a unit; its MVA rating is ``unit_mw / 0.86`` (assumption)."""
SOURCE_MVA = 1e8
"""Short-circuit power of an equivalent's internal source: ideal (its ties carry the strength)."""
WEAK_SCR = 3.0
VERY_WEAK_SCR = 2.0


class Strength(StrEnum):
    """The LCC rule of thumb on the short-circuit ratio."""

    STRONG = "strong"
    """SCR of 3 or more."""
    WEAK = "weak"
    """SCR below 3."""
    VERY_WEAK = "very_weak"
    """SCR below 2."""


def classify(scr: float) -> Strength:
    """Classify a short-circuit ratio by the LCC rule of thumb.

    Examples
    --------
    >>> [classify(x).value for x in (4.0, 2.5, 1.5)]
    ['strong', 'weak', 'very_weak']
    """
    if scr < VERY_WEAK_SCR:
        return Strength.VERY_WEAK
    if scr < WEAK_SCR:
        return Strength.WEAK
    return Strength.STRONG


def short_circuit_mva(
    built: BuiltNet, *, running_units: dict[str, int] | None = None
) -> dict[str, float]:
    """Compute the initial symmetrical short-circuit power ``S''k`` of every bus (IEC 60909).

    Parameters
    ----------
    built
        The network (not modified; a copy is solved).
    running_units
        Plant id -> units running; all units of every in-service plant by default.

    Returns
    -------
    dict
        Bus id -> ``sqrt(3) Un I''k`` [MVA] (NaN for a de-energised bus).
    """
    import pandapower.shortcircuit as sc

    net = copy.deepcopy(built.net)
    net.ext_grid["s_sc_max_mva"] = SOURCE_MVA
    net.ext_grid["rx_max"] = 0.1
    net.sgen["in_service"] = False
    # no unit transformers are modelled (x''d includes them); set the flag pandapower
    # would otherwise fill from NaN (with a pandas FutureWarning)
    net.trafo["power_station_unit"] = False
    plants = {p.id: p for p in built.params.plants}
    units = running_units or {p.id: p.units for p in plants.values() if p.in_service}
    bus_kv = net.bus.vn_kv
    for pid, g in built.index.gen.items():
        p = plants[pid]
        n = units.get(pid, 0)
        net.gen.at[g, "in_service"] = bool(n > 0 and p.in_service)
        sn = max(n, 1) * p.unit_mw / UNIT_POWER_FACTOR
        net.gen.at[g, "sn_mva"] = sn
        net.gen.at[g, "vn_kv"] = float(bus_kv.at[net.gen.at[g, "bus"]])
        net.gen.at[g, "xdss_pu"] = XDSS_PU
        net.gen.at[g, "rdss_ohm"] = (
            0.05 * XDSS_PU * float(bus_kv.at[net.gen.at[g, "bus"]]) ** 2 / sn
        )
        net.gen.at[g, "cos_phi"] = UNIT_POWER_FACTOR
    sc.calc_sc(net, case="max", ip=False, branch_results=False)
    ikss = net.res_bus_sc.ikss_ka
    out: dict[str, float] = {}
    for bus_id, i in built.index.bus.items():
        value = float(ikss.get(i, np.nan))
        out[bus_id] = math.sqrt(3.0) * float(bus_kv.at[i]) * value
    return out


@dataclass(frozen=True, kw_only=True)
class ConverterStrength:
    """Short-circuit strength at one converter's AC bus."""

    terminal: str
    bus: str
    sc_mva: float
    """Initial symmetrical short-circuit power at the bus [MVA]."""
    rating_mw: float
    filters_mvar: float
    """Filter and capacitor banks installed at the bus [Mvar]."""
    scr: float
    """``sc_mva / rating_mw``."""
    escr: float
    """``(sc_mva - filters_mvar) / rating_mw``."""
    strength: Strength


def converter_strength(
    params: GridParams, *, schedule: Schedule | None = None, hour: int = 0
) -> list[ConverterStrength]:
    """Short-circuit ratio of every HVDC terminal, flagged by the LCC rule of thumb.

    Parameters
    ----------
    params
        The network.
    schedule, hour
        With a schedule, only the units committed in that hour run
        (:func:`casa1000.grid.schedule.commitment`); without, every unit runs.

    Returns
    -------
    list of ConverterStrength
        One entry per terminal, rectifier first.

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> [(c.terminal, c.strength.value) for c in converter_strength(load_reference())]
    [('SANGTUDA', 'strong'), ('NOWSHERA', 'strong')]
    """
    built = build_net(params)
    running = None
    if schedule is not None:
        unit = {p.id: p.unit_mw for p in params.plants}
        running = {
            pid: round(float(schedule.plant_q_max_mvar[hour, j]) / (Q_MAX_PER_MW * unit[pid]))
            for j, pid in enumerate(schedule.plant_ids)
        }
    s = short_circuit_mva(built, running_units=running)
    out = []
    for t in params.hvdc.terminals:
        filters = t.filter_banks * t.filter_bank_mvar
        scr = s[t.bus] / t.rating_mw
        out.append(
            ConverterStrength(
                terminal=t.id,
                bus=t.bus,
                sc_mva=s[t.bus],
                rating_mw=t.rating_mw,
                filters_mvar=filters,
                scr=scr,
                escr=(s[t.bus] - filters) / t.rating_mw,
                strength=classify(scr),
            )
        )
    return out


__all__ = [
    "ConverterStrength",
    "Strength",
    "classify",
    "converter_strength",
    "short_circuit_mva",
]
