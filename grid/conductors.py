"""Per-km constants of an overhead line from its conductor and tower geometry.

The conductors of the Central Asian 220 kV lines are not published.  What is
known is the practice: a 220 kV line built to the Soviet standard (and the
Tajik-Afghan line built to it in 2009-2011) carries one conductor per phase,
while pandapower's ``490-AL1/64-ST1A 220.0`` library type has the reactance of a
bundled conductor (0.285 ohm/km).  The positive-sequence constants of a
transposed three-phase line with one conductor per phase follow from two
lengths, the geometric mean distance between phases (GMD) and the conductor's
radius:

    x' = omega * mu0 / (2 pi) * ln(GMD / GMR)        [ohm/km]
    c' = 2 pi eps0 / ln(GMD / r)                      [F/km]

with GMR the geometric mean radius of the stranded conductor (about 0.81 r for
a 54/7 ACSR).  The earth and the second circuit of a double-circuit tower
change the positive-sequence values by a few percent; they are left out.

References
----------
.. [1] J. D. Glover, M. S. Sarma, T. J. Overbye, *Power System Analysis and
   Design*, 5th ed., Cengage, 2012, sections 4.5-4.6 and 4.9-4.10.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MU0_H_PER_M = 4e-7 * math.pi
EPS0_F_PER_M = 8.854187817e-12


@dataclass(frozen=True, kw_only=True)
class Conductor:
    """A stranded conductor: radius and GMR [mm], resistance [ohm/km], rating [kA]."""

    name: str
    radius_mm: float
    gmr_mm: float
    r_ohm_per_km: float
    max_i_ka: float


AL490_ST64 = Conductor(
    name="490-AL1/64-ST1A",
    radius_mm=15.3,
    gmr_mm=0.81 * 15.3,
    r_ohm_per_km=0.059,
    max_i_ka=0.96,
)
"""The 490 mm2 ACSR of pandapower's 220 kV type: 30.6 mm diameter, 54/7 stranding
(GMR 0.81 r), resistance and rating as pandapower's library type."""


def line_constants(
    conductor: Conductor, *, gmd_m: float, f_hz: float = 50.0
) -> tuple[float, float]:
    """Series reactance and shunt capacitance of a single-conductor three-phase line.

    Parameters
    ----------
    conductor
        The phase conductor.
    gmd_m
        Geometric mean distance between the phases, ``(d12 d23 d31) ** (1/3)`` [m].
    f_hz
        System frequency [Hz].

    Returns
    -------
    tuple
        ``(x_ohm_per_km, c_nf_per_km)``.

    Examples
    --------
    >>> x, c = line_constants(AL490_ST64, gmd_m=8.5)
    >>> round(x, 3), round(c, 2), round(2 * math.pi * 50 * c * 1e-3, 2)  # b in uS/km
    (0.41, 8.8, 2.77)
    """
    omega = 2 * math.pi * f_hz
    gmd_mm = 1000.0 * gmd_m
    x_ohm_per_m = omega * MU0_H_PER_M / (2 * math.pi) * math.log(gmd_mm / conductor.gmr_mm)
    c_f_per_m = 2 * math.pi * EPS0_F_PER_M / math.log(gmd_mm / conductor.radius_mm)
    return 1000.0 * x_ohm_per_m, 1e12 * c_f_per_m


__all__ = ["AL490_ST64", "Conductor", "line_constants"]
