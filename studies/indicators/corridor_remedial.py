r"""Remedial actions after an outage and the PV margin of the Afghan corridor.

Pure functions of the contingency result (:mod:`casa1000.studies.contingency`,
schema version 3) and the outage probabilities of
:mod:`~casa1000.studies.indicators.corridor_security`.

* **N-1 secure share without remedial actions** -- the share of
  :func:`~casa1000.studies.indicators.corridor_security.n1_secure` computed from
  ``secure_without_remedial`` instead of ``secure``: the hours in which no
  outage needs the Afghan import run back or load shed.
* **Remedial energy** per contingency, summed over the hours,
  :math:`E^{rb}_c = \sum_t RB_{t,c}\,\Delta t` (``afghan_runback_mw``) and
  :math:`E^{sh}_c = \sum_t SH_{t,c}\,\Delta t` (``load_shed_mw``) [MWh], and its
  expectation weighted by the outage probability like the expected export not
  delivered, :math:`\mathbb{E}[E_c] = p_c E_c` with :math:`p_c = f_c d_c / 8760`
  (first-order: overlapping outages neglected).  The run-back energy is also in
  the export lost (``export_lost_mw``), hence in the expected export not
  delivered; the shed energy is Afghan (or other AC-served) load lost.
* **Corridor PV margin** -- the MW of Afghan offtake from the hour's own to the
  nose of the PV curve, both circuits in (``corridor_margin_mw``) and the first
  corridor circuit out (``corridor_margin_n1_mw``): its P10 (the margin
  exceeded in 90 % of the hours) and P50 over the contract-season hours that
  have a margin, and the hours in which it is negative (the hour is past the
  nose: with the circuit out, a collapse unless an operator acts).

Results written before these variables existed have none of them:
:func:`missing_remedial` and :func:`missing_margin` say why, and the figures are
left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import xarray as xr

from casa1000.studies.indicators.result_set import STEP_H

REMEDIAL_VARIABLES: Final = ("secure_without_remedial", "afghan_runback_mw", "load_shed_mw")
"""Contingency-result variables the remedial indicators read."""
MARGIN_VARIABLES: Final = ("corridor_margin_mw", "corridor_margin_n1_mw")
"""Contingency-result variables the PV-margin indicators read."""
MARGIN_QUANTILES_PERCENT: Final = (10.0, 50.0)
"""Percentiles of the hourly PV margin reported (P10 is exceeded in 90 % of hours)."""


def _missing(contingency: xr.Dataset, names: tuple[str, ...], what: str) -> str:
    absent = [n for n in names if n not in contingency.data_vars]
    if not absent:
        return ""
    return f"the contingency result has no {', '.join(absent)} ({what})"


def missing_remedial(contingency: xr.Dataset) -> str:
    """Say why the remedial-action indicators cannot be computed; empty when they can.

    Examples
    --------
    >>> missing_remedial(xr.Dataset())
    'the contingency result has no secure_without_remedial, afghan_runback_mw, load_shed_mw (written before remedial actions were modelled)'
    """  # noqa: E501
    return _missing(
        contingency, REMEDIAL_VARIABLES, "written before remedial actions were modelled"
    )


def missing_margin(contingency: xr.Dataset) -> str:
    """Say why the PV-margin indicators cannot be computed; empty when they can."""
    return _missing(
        contingency,
        MARGIN_VARIABLES,
        "written before the PV margin was computed, run with pv_margin off, "
        "or a network without an AC offtaker",
    )


def remedial_energy_mwh(contingency: xr.Dataset) -> tuple[xr.DataArray, xr.DataArray]:
    r"""Afghan import run back and load shed by each contingency, summed over the hours.

    .. math:: E^{rb}_c = \sum_t RB_{t,c}\,\Delta t, \qquad E^{sh}_c = \sum_t SH_{t,c}\,\Delta t

    Parameters
    ----------
    contingency
        Contingency result with ``afghan_runback_mw`` and ``load_shed_mw`` [MW].

    Returns
    -------
    tuple of xarray.DataArray
        Run-back and shed energy, each (contingency) [MWh]; NaN rows count as 0.

    Examples
    --------
    >>> ds = xr.Dataset(
    ...     {
    ...         "afghan_runback_mw": (("time", "contingency"), [[0.0, 30.0], [0.0, 60.0]]),
    ...         "load_shed_mw": (("time", "contingency"), [[0.0, 0.0], [0.0, 25.0]]),
    ...     }
    ... )
    >>> [e.values.tolist() for e in remedial_energy_mwh(ds)]
    [[0.0, 90.0], [0.0, 25.0]]
    """
    runback = contingency["afghan_runback_mw"].fillna(0.0).sum("time") * STEP_H
    shed = contingency["load_shed_mw"].fillna(0.0).sum("time") * STEP_H
    return runback, shed


def expected_remedial_mwh(energy_mwh: xr.DataArray, probability: xr.DataArray) -> xr.DataArray:
    r"""Return the expected remedial energy of each contingency, :math:`p_c E_c` [MWh].

    The first-order (single-outage) expectation, as
    :func:`~casa1000.studies.indicators.corridor_security.expected_energy_not_delivered_mwh`.

    Examples
    --------
    >>> expected_remedial_mwh(xr.DataArray([0.0, 90.0]), xr.DataArray([0.0, 0.01])).values.tolist()
    [0.0, 0.9]
    """
    return probability * energy_mwh


@dataclass(frozen=True, kw_only=True)
class MarginStats:
    """Spread of the corridor's hourly PV margin over a set of hours ([MW], [h])."""

    p10_mw: float
    """Margin exceeded in 90 % of the hours with a margin (NaN without any)."""
    p50_mw: float
    """Median margin (NaN without any)."""
    negative_h: float
    """Hours past the nose (margin below zero)."""
    hours_h: float
    """Hours with a margin (the corridor carried an offtake and the nose was found)."""


def margin_stats(margin_mw: xr.DataArray, hours: xr.DataArray | None = None) -> MarginStats:
    """P10, P50 and hours below zero of an hourly PV margin.

    Parameters
    ----------
    margin_mw
        (time) offtake to the nose [MW]; NaN where not computed (no offtake).
    hours
        (time) boolean selection, aligned with ``margin_mw`` (e.g. the contract
        season); all hours when None.

    Returns
    -------
    MarginStats
        Percentiles by linear interpolation between hours (numpy's default).

    Examples
    --------
    >>> s = margin_stats(xr.DataArray([120.0, -20.0, np.nan, 80.0, 40.0], dims="time"))
    >>> round(s.p10_mw, 6), s.p50_mw, s.negative_h, s.hours_h
    (-2.0, 60.0, 1.0, 4.0)
    """
    values = margin_mw.values if hours is None else margin_mw.values[np.asarray(hours, bool)]
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return MarginStats(p10_mw=float("nan"), p50_mw=float("nan"), negative_h=0.0, hours_h=0.0)
    p10, p50 = np.percentile(finite, MARGIN_QUANTILES_PERCENT)
    return MarginStats(
        p10_mw=float(p10),
        p50_mw=float(p50),
        negative_h=float((finite < 0).sum()) * STEP_H,
        hours_h=float(finite.size) * STEP_H,
    )
