"""When an export is N-1 secure: the transfer-capability rule, applied to solved rows.

An export is secure in an hour when the base case and every contingency of the
screening set converge within the limits.  Violations the transfer does not
cause do not limit it (as in the seasonal study's curtailment and MUST's FCITC):

* a branch limits only if the transfer moves it -- its distribution factor
  ``|dS/dT|`` between zero export and the ceiling is at least
  ``distribution_factor_cutoff`` -- and then only beyond the larger of its
  thermal limit and its loading at zero export;
* a bus voltage limits only beyond the band widened to its zero-export value,
  and a bus already outside the band at zero export only if the transfer moves
  it -- by at least ``voltage_cutoff_pu_per_100mw`` -- as branches need their
  distribution factor (a Kyrgyz bus left at 0.89 pu by an outage and lowered by
  2e-6 pu per 10 MW of export would otherwise set the capability to 0);
* a case that does not converge at zero export is counted
  (``preexisting_violations``) but does not limit the transfer; one that
  converges at zero export and not at the tried export makes it insecure;
* load islanded by the outage is not a transfer limit (see the contingency study).

These rules are monotone: a tighter limit never raises the capability.  A row
that converges within the plain limits (no branch above its thermal limit, every
energised bus inside the band) is secure whatever its zero-export state, so the
zero-export reference of an (hour, contingency) is needed only where a row is
beyond the plain limits or does not converge (:meth:`SecurityRule.needs_reference`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from casa1000.studies.engine.row_solver import SolvedRows
from casa1000.studies.security.limits import Limits

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
KindArray = npt.NDArray[np.int8]

EXCESS_TOLERANCE = 1e-6
"""Margin a loading [%] or voltage [pu] may pass its allowance by (solver tolerance)."""
INSECURE_ABOVE = 1e-9
"""Relative excess above which a row is insecure [-]."""


class Limiter(IntEnum):
    """What limits the transfer in an hour."""

    CEILING = 0
    """Nothing up to the ceiling (the link and corridor ratings)."""
    THERMAL = 1
    UNDERVOLTAGE = 2
    OVERVOLTAGE = 3
    NONCONVERGENCE = 4


@dataclass(frozen=True, kw_only=True)
class Reference:
    """Zero-export state of some rows and what the export moves (row-aligned)."""

    converged: BoolArray
    """(rows,) the zero-export case converged."""
    loading_percent: FloatArray
    """(rows, branches) loading at zero export [%]."""
    vm_pu: FloatArray
    """(rows, buses) voltage at zero export [pu]."""
    moves: BoolArray
    """(rows, branches) the branch's distribution factor reaches the cutoff."""
    bus_moves: BoolArray
    """(rows, buses) the bus is inside the band at zero export, or the transfer moves
    its voltage by at least the voltage cutoff (or the ceiling does not converge)."""


@dataclass(frozen=True, kw_only=True)
class Verdicts:
    """The rule applied to some rows at a tried export."""

    insecure: BoolArray
    """(rows,) the row limits the transfer."""
    severity: FloatArray
    """(rows,) largest relative excess over an allowance [-]; inf for non-convergence."""
    element: IntArray
    """(rows,) the worst element: branch position, or ``branches`` + bus position."""
    kind: KindArray
    """(rows,) :class:`Limiter` of the worst element."""


class SecurityRule:
    """The security rule of the transfer study.

    Parameters
    ----------
    limits
        Thermal [%] and voltage [pu] limits.
    distribution_factor_cutoff
        Smallest change of a branch's flow per MW of export for which it can limit [-].
    ceiling_mw
        The largest export tried [MW]; the distribution factor is taken between
        zero and this export.
    rating_mva
        (branches,) thermal rating of every branch [MVA].
    voltage_cutoff_pu_per_100mw
        Smallest change of a bus voltage per 100 MW of export for which a bus
        already outside its band at zero export can limit the transfer [pu].
    """

    def __init__(
        self,
        limits: Limits,
        distribution_factor_cutoff: float,
        ceiling_mw: float,
        rating_mva: FloatArray,
        *,
        voltage_cutoff_pu_per_100mw: float = 0.0,
    ) -> None:
        self.limits = limits
        self.cutoff = distribution_factor_cutoff
        self.voltage_cutoff = voltage_cutoff_pu_per_100mw
        self.ceiling_mw = ceiling_mw
        self.rating_mva = rating_mva
        self.half_band_pu = 0.5 * (limits.vmax_pu - limits.vmin_pu)

    def needs_reference(self, res: SolvedRows) -> BoolArray:
        """(rows,) rows whose verdict depends on their zero-export state.

        A converged row within the plain limits is secure whatever that state.
        """
        lim = self.limits
        with np.errstate(invalid="ignore"):
            beyond = (res.loading_percent > lim.thermal_percent).any(axis=1)
            beyond |= (res.vm_pu < lim.vmin_pu).any(axis=1)
            beyond |= (res.vm_pu > lim.vmax_pu).any(axis=1)
        return np.asarray(beyond | ~res.converged, dtype=bool)

    def reference(self, zero: SolvedRows, ceiling: SolvedRows) -> Reference:
        """Make the zero-export reference of some rows from their rows at zero and the ceiling."""
        with np.errstate(invalid="ignore"):
            moves = (
                np.abs(ceiling.loading_percent - zero.loading_percent)
                / 100
                * self.rating_mva[None, :]
                / self.ceiling_mw
                >= self.cutoff
            )
            lim = self.limits
            inside = (zero.vm_pu >= lim.vmin_pu) & (zero.vm_pu <= lim.vmax_pu)
            change = np.abs(ceiling.vm_pu - zero.vm_pu) * 100.0 / self.ceiling_mw
            bus_moves = inside | np.isnan(ceiling.vm_pu) | (change >= self.voltage_cutoff)
        return Reference(
            converged=zero.converged,
            loading_percent=zero.loading_percent,
            vm_pu=zero.vm_pu,
            moves=moves,
            bus_moves=np.asarray(bus_moves, dtype=bool),
        )

    def verdicts(self, res: SolvedRows, ref: Reference) -> Verdicts:
        """Apply the rule to rows at a tried export (``ref`` row-aligned with ``res``)."""
        lim = self.limits
        tol = EXCESS_TOLERANCE
        loading, vm = res.loading_percent, res.vm_pu
        with np.errstate(invalid="ignore"):
            allowed = np.maximum(lim.thermal_percent, ref.loading_percent)
            excess = np.concatenate(
                [
                    np.where(ref.moves, (loading - allowed - tol) / lim.thermal_percent, 0.0),
                    np.where(
                        ref.bus_moves,
                        (np.minimum(lim.vmin_pu, ref.vm_pu) - vm - tol) / self.half_band_pu,
                        0.0,
                    ),
                    np.where(
                        ref.bus_moves,
                        (vm - np.maximum(lim.vmax_pu, ref.vm_pu) - tol) / self.half_band_pu,
                        0.0,
                    ),
                ],
                axis=1,
            )
        excess = np.nan_to_num(excess, nan=0.0)
        worst = excess.argmax(axis=1)
        value = excess[np.arange(worst.size), worst]
        diverged = ref.converged & ~res.converged
        nb, nu = loading.shape[1], vm.shape[1]
        kind = np.where(
            worst < nb,
            Limiter.THERMAL,
            np.where(worst < nb + nu, Limiter.UNDERVOLTAGE, Limiter.OVERVOLTAGE),
        )
        return Verdicts(
            insecure=np.asarray(diverged | (value > INSECURE_ABOVE), dtype=bool),
            severity=np.where(diverged, np.inf, value),
            element=np.where(worst < nb, worst, (worst - nb) % nu + nb).astype(np.int64),
            kind=np.where(diverged, Limiter.NONCONVERGENCE, kind).astype(np.int8),
        )

    def crossings(
        self, zero: Reference, ceiling: SolvedRows
    ) -> tuple[FloatArray, IntArray, KindArray]:
        """Linear estimate of the export at which each row first violates a limit.

        Each branch loading and bus voltage is interpolated linearly between zero
        export and the ceiling (FCITC-style).

        Returns
        -------
        tuple
            (rows,) crossing export [MW] (inf: none below the ceiling, or the row
            stops converging), its element and :class:`Limiter`.
        """
        lim = self.limits
        l0, v0 = zero.loading_percent, zero.vm_pu
        l1, v1 = ceiling.loading_percent, ceiling.vm_pu
        with np.errstate(invalid="ignore", divide="ignore"):
            allowed = np.maximum(lim.thermal_percent, l0)
            low = np.minimum(lim.vmin_pu, v0)
            high = np.maximum(lim.vmax_pu, v0)
            frac = np.concatenate(
                [
                    np.where(zero.moves & (l1 > allowed), (allowed - l0) / (l1 - l0), np.inf),
                    np.where(zero.bus_moves & (v1 < low), (v0 - low) / (v0 - v1), np.inf),
                    np.where(zero.bus_moves & (v1 > high), (high - v0) / (v1 - v0), np.inf),
                ],
                axis=1,
            )
        frac = np.where(np.isnan(frac), np.inf, frac)
        arg = frac.argmin(axis=1)
        first = frac[np.arange(arg.size), arg]
        nb, nu = l0.shape[1], v0.shape[1]
        diverges = zero.converged & ~ceiling.converged
        kind = np.where(
            arg < nb,
            Limiter.THERMAL,
            np.where(arg < nb + nu, Limiter.UNDERVOLTAGE, Limiter.OVERVOLTAGE),
        )
        kind = np.where(np.isfinite(first), kind, Limiter.CEILING)
        # a row that stops converging below the ceiling is found by the AC search
        kind = np.where(diverges, Limiter.NONCONVERGENCE, kind).astype(np.int8)
        crossing = np.where(diverges, np.inf, first * self.ceiling_mw)
        element = np.where(arg < nb, arg, (arg - nb) % nu + nb).astype(np.int64)
        return crossing, element, kind

    def preexisting(self, zero: Reference | SolvedRows) -> npt.NDArray[np.int16]:
        """(rows,) violations (and non-convergence) already present at zero export."""
        lim = self.limits
        with np.errstate(invalid="ignore"):
            count = (
                (zero.loading_percent > lim.thermal_percent).sum(axis=1)
                + (zero.vm_pu < lim.vmin_pu).sum(axis=1)
                + (zero.vm_pu > lim.vmax_pu).sum(axis=1)
                + ~zero.converged
            )
        return np.asarray(count, dtype=np.int16)
