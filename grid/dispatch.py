"""The dispatch rule: which plants cover each zone's requirement, hour by hour.

Within each supplier zone (Kyrgyzstan, Tajikistan) the requirement is domestic
demand plus the zone's share of the CASA export.  Hydro plants (reservoir,
run-of-river and small hydro) cover it first, each in proportion to its
available power, so a wet cascade carries more; thermal plants cover what hydro
cannot, again in proportion to availability; what remains is imported over the
external equivalent of the Central Asian Power System, and beyond that it is
unserved.  Surplus hydro is spilled.

Imports obey two limits (:func:`pooled_import_mw`): each zone imports at most
its own capability :math:`C_z` (what the neighbours can sell it that hour), and
the zones together at most the equivalent's capability :math:`M`, shared in
proportion to what each may import::

    I_z = min(D_z, C_z) * min(sum_k min(D_k, C_k), M) / sum_k min(D_k, C_k)
    U_z = D_z - I_z

with :math:`D_z` the zone's deficit and :math:`U_z` its unserved power.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.grid.params import Plant, Technology

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class DispatchResult:
    """Plant outputs and balancing quantities over hours ([MW])."""

    plant_ids: tuple[str, ...]
    plant_p_mw: FloatArray
    """(hours, plants) dispatched output [MW]."""
    zones: tuple[str, ...]
    deficit_mw: FloatArray
    """(hours, zones) requirement not covered by the zone's own plants [MW]."""
    import_mw: FloatArray
    """(hours, zones) deficit imported over the external equivalent [MW]."""
    unserved_mw: FloatArray
    """(hours, zones) deficit beyond the import capability: load shed [MW]."""


def _share_out(need: FloatArray, avail: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Cover ``need`` (hours,) from ``avail`` (hours, k) pro rata; return outputs and the rest."""
    total = avail.sum(axis=1)
    used = np.minimum(need, total)
    frac = np.divide(used, total, out=np.zeros_like(used), where=total > 0)
    return avail * frac[:, None], need - used


def pooled_import_mw(
    deficit_mw: FloatArray,
    zone_cap_mw: npt.ArrayLike | None,
    max_import_mw: float,
    *,
    zone_axis: int = -1,
) -> FloatArray:
    r"""Return the imports of zones that each have a limit and share a common one.

    .. math:: I_z = D'_z \frac{\min(\sum_k D'_k, M)}{\sum_k D'_k},
              \qquad D'_z = \min(D_z, C_z)

    Parameters
    ----------
    deficit_mw
        Demand not covered by each zone's plants, >= 0 [MW]; zones along
        ``zone_axis``.
    zone_cap_mw
        Each zone's own import capability, broadcastable to ``deficit_mw``
        [MW]; None: no limit of its own.
    max_import_mw
        Capability shared by the zones [MW].
    zone_axis
        Axis of ``deficit_mw`` holding the zones.

    Returns
    -------
    numpy.ndarray
        Imports, the shape of ``deficit_mw`` [MW]; ``deficit_mw`` minus it is
        unserved.

    Examples
    --------
    Tajikistan may take 300 MW, Kyrgyzstan 1,000, both together 500:

    >>> d = np.array([[600.0, 400.0]])
    >>> np.round(pooled_import_mw(d, np.array([1000.0, 300.0]), 500.0), 1).tolist()
    [[333.3, 166.7]]
    """
    importable = deficit_mw if zone_cap_mw is None else np.minimum(deficit_mw, zone_cap_mw)
    total = importable.sum(axis=zone_axis, keepdims=True)
    imported = np.minimum(total, max_import_mw)
    frac = np.divide(imported, total, out=np.zeros_like(total), where=total > 0)
    out: FloatArray = importable * frac
    return out


def dispatch_plants(
    plants: Sequence[Plant],
    requirement_mw: Mapping[str, npt.ArrayLike],
    available_mw: FloatArray,
    *,
    max_import_mw: float,
    zone_import_cap_mw: Mapping[str, npt.ArrayLike] | None = None,
) -> DispatchResult:
    """Dispatch plants to cover each zone's requirement.

    Parameters
    ----------
    plants
        The plants, in the column order of ``available_mw``.
    requirement_mw
        Zone id -> (hours,) generation the zone must supply [MW].
    available_mw
        (hours, plants) available power of each plant [MW].
    max_import_mw
        Import capability of the external equivalent, shared by the zones in
        proportion to what each may import [MW].
    zone_import_cap_mw
        Zone id -> (hours,) or scalar import capability of the zone itself
        [MW]; a zone not named (or None) has no limit of its own.

    Returns
    -------
    DispatchResult
        Outputs, deficits, imports and unserved power.

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> plants = load_reference().plants
    >>> avail = np.array([[p.p_max_mw for p in plants]])
    >>> result = dispatch_plants(plants, {"KG": [1000.0], "TJ": [2000.0]}, avail, max_import_mw=0)
    >>> round(float(result.plant_p_mw.sum()), 6)
    3000.0
    """
    hours = available_mw.shape[0]
    zones = tuple(requirement_mw)
    p_out = np.zeros_like(available_mw, dtype=np.float64)
    deficit = np.zeros((hours, len(zones)))
    for z, zone in enumerate(zones):
        need = np.broadcast_to(np.asarray(requirement_mw[zone], dtype=np.float64), (hours,))
        need = np.clip(need, 0.0, None)
        for kinds in (
            {Technology.HYDRO_RESERVOIR, Technology.HYDRO_ROR},
            {Technology.THERMAL},
        ):
            cols = [
                i
                for i, p in enumerate(plants)
                if p.zone == zone and p.technology in kinds and p.in_service
            ]
            if cols:
                out, need = _share_out(need, np.clip(available_mw[:, cols], 0.0, None))
                p_out[:, cols] = out
        deficit[:, z] = need
    caps = None
    if zone_import_cap_mw is not None and zones:
        caps = np.column_stack(
            [
                np.broadcast_to(
                    np.asarray(zone_import_cap_mw.get(zone, np.inf), dtype=np.float64), (hours,)
                )
                for zone in zones
            ]
        )
    imports = pooled_import_mw(deficit, caps, max_import_mw)
    return DispatchResult(
        plant_ids=tuple(p.id for p in plants),
        plant_p_mw=p_out,
        zones=zones,
        deficit_mw=deficit,
        import_mw=imports,
        unserved_mw=deficit - imports,
    )
