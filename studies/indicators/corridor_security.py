r"""Security of the corridor: N-1 secure hours, secure deliverable energy, firmness, energy at risk.

Pure functions of the contingency and transfer-capability results (see
:mod:`casa1000.studies.contingency`, :mod:`casa1000.studies.transfer_capability`)
and the seasonal export.

* **N-1 secure share** -- after the share-of-hours statistic of hourly N-1
  screenings (Terna / Politecnico di Bari, see ``reference/peers-and-indicators.md``
  section 2.4): :math:`S_{N1} = \frac{1}{T}\sum_t 1[\forall c \ne BASE: secure_{t,c}]`,
  secure after the remedial actions allowed, and the same share with
  ``secure_without_remedial`` (no action needed; see :mod:`.corridor_remedial`).
* **Secure deliverable energy** -- :math:`\sum_t \min(S_t, TTC_t)\,\Delta t`, the
  export that stays within the hourly N-1 secure transfer capability.
* **Firmness** -- percentiles of the hourly capability (P5 is exceeded in 95 % of
  hours) and its duration curve.
* **Energy at risk** per contingency and its expectation weighted by the
  probability of the outage, :math:`p_c = f_c d_c / 8760` (frequency [1/yr]
  times mean duration [h]; Billinton and Allan, *Reliability Evaluation of Power
  Systems*, 1996), as in risk-based security assessment
  (:math:`Risk = \sum_c p_c \cdot Impact_c`).
"""

from __future__ import annotations

import json
from typing import Final

import numpy as np
import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.params import GridParams
from casa1000.studies.indicators.result_set import MWH_PER_GWH, STEP_H, monthly_gwh
from casa1000.studies.indicators.seed_tables import IndicatorSeeds

QUANTILES_PERCENT: Final = (5.0, 10.0, 50.0)
"""Percentiles of the hourly transfer capability reported (P5, P10, P50)."""
DURATION_POINTS: Final = 21
"""Points of the duration curve: every 5 % of hours."""


def n1_secure(contingency: xr.Dataset, variable: str = "secure") -> xr.DataArray:
    """Hours in which every contingency but the base case is secure.

    Parameters
    ----------
    contingency
        Contingency result (``secure``: converged, within limits, no load lost,
        after the remedial actions allowed; ``secure_without_remedial``: so with
        no action needed).
    variable
        The per (hour, contingency) flag read: ``secure`` or ``secure_without_remedial``.

    Returns
    -------
    xarray.DataArray
        (time) boolean; an hour with no contingency screened counts as secure.
    """
    outages = contingency[variable].sel(contingency=contingency.contingency != "BASE")
    return outages.astype(bool).all("contingency")


def secure_share_percent(
    secure: xr.DataArray, weight_mw: xr.DataArray | None = None, hours: xr.DataArray | None = None
) -> float:
    r"""Share of hours, or of energy, that is N-1 secure.

    .. math:: S = 100 \, \frac{\sum_t w_t \, 1[secure_t]}{\sum_t w_t}

    with :math:`w_t = 1` (share of hours) or the export sent (share of export energy).

    Parameters
    ----------
    secure
        (time) boolean.
    weight_mw
        (time) weight, e.g. the export sent [MW]; every hour weighs 1 when None.
    hours
        (time) boolean selection of hours (e.g. the export season); all when None.

    Returns
    -------
    float
        [%]; NaN when the weights sum to zero (no hours, or no export).

    Examples
    --------
    >>> s = xr.DataArray([True, False, True, True], dims="time")
    >>> secure_share_percent(s)
    75.0
    >>> secure_share_percent(s, xr.DataArray([0.0, 300.0, 100.0, 0.0], dims="time"))
    25.0
    """
    w = xr.ones_like(secure, dtype=float) if weight_mw is None else weight_mw
    if hours is not None:
        w = w.where(hours, 0.0)
    total = float(w.sum())
    if not total > 0:
        return float("nan")
    return 100.0 * float(w.where(secure, 0.0).sum()) / total


def secure_deliverable_mw(sent_mw: xr.DataArray, capability_mw: xr.DataArray) -> xr.DataArray:
    r"""Export within the hour's N-1 secure transfer capability: :math:`\min(S_t, TTC_t)` [MW].

    Examples
    --------
    >>> sent = xr.DataArray([1300.0, 500.0, 0.0], dims="time")
    >>> cap = xr.DataArray([818.0, 818.0, 818.0], dims="time")
    >>> secure_deliverable_mw(sent, cap).values.tolist()
    [818.0, 500.0, 0.0]
    """
    return sent_mw.where(sent_mw <= capability_mw, capability_mw.clip(min=0.0))


def capability_quantiles_mw(capability_mw: xr.DataArray, months: list[int]) -> xr.DataArray:
    """Percentiles of the hourly transfer capability per month (P5, P10, P50) [MW].

    P5 is the capability exceeded in 95 % of the month's hours (linear
    interpolation between hours, numpy's default).

    Returns
    -------
    xarray.DataArray
        (month, quantile) [MW]; NaN for a month without hours.
    """
    q = np.asarray(QUANTILES_PERCENT) / 100.0
    grouped = capability_mw.groupby(capability_mw.time.dt.month.rename("month")).quantile(
        q, dim="time"
    )
    out = grouped.reindex(month=months)
    return out.assign_coords(quantile=np.asarray(QUANTILES_PERCENT)).transpose("month", "quantile")


def duration_curve_mw(
    capability_mw: xr.DataArray, hours: xr.DataArray | None = None
) -> xr.DataArray:
    r"""Duration curve of the transfer capability: the capability available in d % of the hours.

    :math:`D(d) = Q_{100 - d}(TTC)`, the (100 - d)-th percentile, for d = 0, 5, ..., 100.

    Parameters
    ----------
    capability_mw
        (time) hourly capability [MW].
    hours
        (time) boolean selection (e.g. the export season); all when None.

    Returns
    -------
    xarray.DataArray
        (duration) [MW]; NaN without hours.
    """
    cap = capability_mw if hours is None else capability_mw.where(hours, drop=True)
    d = np.linspace(0.0, 100.0, DURATION_POINTS)
    values = cap.values[np.isfinite(cap.values)]
    if values.size == 0:
        return xr.DataArray(np.full(d.size, np.nan), dims="duration")
    return xr.DataArray(np.percentile(values, 100.0 - d), dims="duration")


def energy_at_risk_gwh(
    contingency: xr.Dataset, sent_mw: xr.DataArray
) -> tuple[xr.DataArray, xr.DataArray]:
    r"""Export each contingency would cut, summed over the hours.

    .. math:: R_c = \sum_t \begin{cases} L_{t,c} & \text{converged} \\
              S_t & \text{not converged} \end{cases} \Delta t

    with :math:`L_{t,c}` the export the outage loses (``export_lost_mw``:
    run-back, contract path, islanded offtake) and :math:`S_t` the export sent:
    a case that does not converge (voltage collapse) is taken to lose the whole
    export of the hour, an upper bound.

    Returns
    -------
    tuple of xarray.DataArray
        Energy at risk and the part of it from non-convergent hours, each
        (contingency) [GWh].
    """
    converged = contingency["converged"].astype(bool)
    sent = sent_mw.sel(time=contingency.time)
    lost = contingency["export_lost_mw"].fillna(0.0)
    from_collapse = sent.where(~converged, 0.0)
    at_risk = lost.where(converged, 0.0) + from_collapse
    return (
        at_risk.sum("time") * STEP_H / MWH_PER_GWH,
        from_collapse.sum("time") * STEP_H / MWH_PER_GWH,
    )


def _length_km(params: GridParams, line_id: str) -> float:
    for line in params.lines:
        if line.id == line_id:
            return line.length_km
    raise InputError("contingency set", "line", line_id, "a line of the network")


def outage_rates(
    contingency: xr.Dataset, params: GridParams, seeds: IndicatorSeeds
) -> tuple[xr.DataArray, xr.DataArray, list[str]]:
    """Frequency and mean duration of every contingency of a screening.

    Lines scale with their length (per circuit); a ``UNIT:<plant>`` contingency
    (loss of any one of the plant's units) has the unit rate of its technology
    times the number of units; groups take their own row.

    Returns
    -------
    tuple
        Frequency (contingency) [1/yr], duration (contingency) [h], and the ids
        without a rate (their values are NaN).
    """
    plants = {p.id: p for p in params.plants}
    ties = {t.id for t in params.ties}
    freq, dur, unrated = [], [], []
    for cid, kind in zip(
        contingency.contingency.values.tolist(),
        contingency.contingency_kind.values.tolist(),
        strict=True,
    ):
        name = str(cid).partition(":")[2]
        f, d = np.nan, np.nan
        try:
            if kind == "base":
                f, d = 0.0, 0.0
            elif kind == "line" and name.split("/")[0] in ties:
                # a tie to a neighbour's equivalent: the rate of its real tie line
                rate = seeds.rate("tie", name.split("/")[0])
                f, d = rate.frequency(), rate.duration_h
            elif kind == "line":
                rate = seeds.rate("line")
                f, d = rate.frequency(_length_km(params, name.split("/")[0])), rate.duration_h
            elif kind == "unit":
                plant = plants[name]
                rate = seeds.rate("unit", plant.technology.value)
                f, d = rate.frequency() * plant.units, rate.duration_h
            elif kind == "group":
                rate = seeds.rate("group", name)
                f, d = rate.frequency(), rate.duration_h
            else:
                rate = seeds.rate(str(kind))
                f, d = rate.frequency(), rate.duration_h
        except (InputError, KeyError):
            unrated.append(str(cid))
        freq.append(f)
        dur.append(d)
    dims = ("contingency",)
    return (
        xr.DataArray(np.asarray(freq, dtype=float), dims=dims),
        xr.DataArray(np.asarray(dur, dtype=float), dims=dims),
        unrated,
    )


def outage_probability(frequency_per_year: xr.DataArray, duration_h: xr.DataArray) -> xr.DataArray:
    r"""Probability that an element is out at a random hour: :math:`p = \min(1, f d / 8760)` [-].

    Examples
    --------
    >>> outage_probability(xr.DataArray([2.0]), xr.DataArray([10.0])).values.round(6).tolist()
    [0.002283]
    """
    return (frequency_per_year * duration_h / 8760.0).clip(max=1.0)


def expected_energy_not_delivered_mwh(
    at_risk_gwh: xr.DataArray, probability: xr.DataArray
) -> xr.DataArray:
    r"""Return the expected export not delivered because of each contingency over the hours studied.

    .. math:: EENDE_c = p_c \, R_c

    [MWh]; the first-order (single-outage) expectation: overlapping outages are
    neglected, which is accurate while every :math:`p_c` is small.
    """
    return probability * at_risk_gwh * MWH_PER_GWH


def transfer_direction(transfer: xr.Dataset) -> str:
    """Return the direction the transfer study raised (``total``, ``pakistan``, ``afghanistan``)."""
    try:
        config = json.loads(str(transfer.attrs.get("config", "{}")))
    except ValueError:
        config = {}
    return str(config.get("direction", transfer.attrs.get("direction", "total")))


def secure_deliverable_gwh(
    sent_mw: xr.DataArray, capability_mw: xr.DataArray, months: list[int]
) -> xr.DataArray:
    """Secure deliverable export per month [GWh] (see :func:`secure_deliverable_mw`)."""
    return monthly_gwh(
        secure_deliverable_mw(sent_mw.sel(time=capability_mw.time), capability_mw), months
    )
