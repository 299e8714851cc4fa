"""Comparing a run with its baseline, quantity by quantity, within tolerances.

Each comparison is a :class:`Check` -- one row of the report: the entry, the
quantity (``metric`` or ``series:statistic``), the baseline and current values,
their difference, the tolerance and the status.  A check passes when
``|delta| <= tolerance``; both values NaN counts as equal, one NaN as a change.
For the norms of a series (``max_abs``, ``rms``) the delta is the norm of the
pointwise difference and there is no single baseline or current value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from casa1000.studies.regression.measure import Measurement, SeriesValues
from casa1000.studies.regression.suite import NORM_CHECKS, SeriesSpec, SuiteEntry, Tolerance


class Status(StrEnum):
    """Outcome of one check."""

    PASS = "pass"
    FAIL = "FAIL"
    ERROR = "ERROR"
    """The study did not run (a crash is a regression, reported with its message)."""


@dataclass(frozen=True, kw_only=True)
class Check:
    """One compared quantity.

    Parameters
    ----------
    entry
        Suite entry.
    study
        Registered study of the entry.
    metric
        Metric name, or ``<series>:<statistic>`` for a series.
    units
        Units of the values.
    baseline, now
        Stored and current value (NaN for the norms of a series).
    delta
        ``now - baseline``, or the norm of the pointwise difference.
    tolerance
        Largest accepted ``|delta|``.
    status
        Pass, fail or error.
    note
        Why it failed, in words (empty when it passed).
    """

    entry: str
    study: str
    metric: str
    units: str
    baseline: float
    now: float
    delta: float
    tolerance: float
    status: Status
    note: str = ""


def judge(
    *,
    entry: str,
    study: str,
    metric: str,
    units: str,
    baseline: float,
    now: float,
    tolerance: Tolerance,
) -> Check:
    """Compare one value with its baseline.

    Examples
    --------
    >>> tol = Tolerance(abs_tol=1.0)
    >>> judge(entry="e", study="s", metric="m", units="MW", baseline=10.0, now=10.9,
    ...       tolerance=tol).status
    <Status.PASS: 'pass'>
    >>> judge(entry="e", study="s", metric="m", units="MW", baseline=10.0, now=11.1,
    ...       tolerance=tol).note
    'moved by +1.1 MW, beyond the tolerance of 1 MW'
    """
    allowed = tolerance.allowed(baseline)
    both_nan = math.isnan(baseline) and math.isnan(now)
    delta = now - baseline
    if both_nan or (math.isinf(baseline) and baseline == now):
        return Check(
            entry=entry,
            study=study,
            metric=metric,
            units=units,
            baseline=baseline,
            now=now,
            delta=0.0,
            tolerance=allowed,
            status=Status.PASS,
        )
    ok = abs(delta) <= allowed  # False when delta is NaN: one side is NaN
    note = ""
    if not ok:
        note = (
            f"was {_g(baseline)}, now {_g(now)} {units}"
            if math.isnan(delta)
            else f"moved by {delta:+.6g} {units}, beyond the tolerance of {allowed:.6g} {units}"
        )
    return Check(
        entry=entry,
        study=study,
        metric=metric,
        units=units,
        baseline=baseline,
        now=now,
        delta=delta,
        tolerance=allowed,
        status=Status.PASS if ok else Status.FAIL,
        note=note,
    )


def compare(entry: SuiteEntry, baseline: Measurement, now: Measurement) -> tuple[Check, ...]:
    """Compare every metric and series check of ``entry``.

    Parameters
    ----------
    entry
        The suite entry (its tolerances are the current ones).
    baseline
        The stored values.
    now
        This run's values.

    Returns
    -------
    tuple of Check
        Metrics first, then each series' checks in the order the suite lists them.
    """
    checks = [
        judge(
            entry=entry.name,
            study=entry.study,
            metric=m.name,
            units=m.units,
            baseline=baseline.metrics[m.name],
            now=now.metrics[m.name],
            tolerance=m.tolerance,
        )
        for m in entry.metrics
    ]
    for spec in entry.series:
        checks += _series_checks(entry, spec, baseline.series[spec.name], now.series[spec.name])
    return tuple(checks)


def _series_checks(
    entry: SuiteEntry, spec: SeriesSpec, old: SeriesValues, new: SeriesValues
) -> list[Check]:
    out = []
    for check in spec.checks:
        name = f"{spec.name}:{check}"
        if check not in NORM_CHECKS:
            out.append(
                judge(
                    entry=entry.name,
                    study=entry.study,
                    metric=name,
                    units=spec.units,
                    baseline=old.stats[check],
                    now=new.stats[check],
                    tolerance=spec.tolerance,
                )
            )
            continue
        norm, reference, note = series_norm(old, new, check)
        allowed = spec.tolerance.allowed(reference)
        ok = norm <= allowed
        if not ok and not note:
            note = f"{check} difference {norm:.6g} {spec.units}, beyond {allowed:.6g} {spec.units}"
        out.append(
            Check(
                entry=entry.name,
                study=entry.study,
                metric=name,
                units=spec.units,
                baseline=math.nan,
                now=math.nan,
                delta=norm,
                tolerance=allowed,
                status=Status.PASS if ok else Status.FAIL,
                note=note,
            )
        )
    return out


def series_norm(old: SeriesValues, new: SeriesValues, check: str) -> tuple[float, float, str]:
    """Return a norm of the pointwise difference, the reference for ``rel_tol`` and a note.

    Points where both series are NaN are equal; a point NaN on one side only,
    or a different time axis, makes the norm infinite (with a note saying why).

    Examples
    --------
    >>> from casa1000.studies.regression.suite import Resample
    >>> a = SeriesValues(units="MW", resample=Resample.HOUR, time=("t0", "t1"),
    ...                  values=(3.0, 4.0), stats={})
    >>> b = SeriesValues(units="MW", resample=Resample.HOUR, time=("t0", "t1"),
    ...                  values=(3.0, 6.0), stats={})
    >>> series_norm(a, b, "max_abs")[:2], series_norm(a, b, "rms")[0]
    ((2.0, 4.0), 1.4142135623730951)
    """
    if old.time != new.time:
        return (
            math.inf,
            0.0,
            f"time axis changed: {len(old.time)} points from {_span(old.time)} in the baseline, "
            f"{len(new.time)} from {_span(new.time)} now",
        )
    a = np.asarray(old.values, dtype=float)
    b = np.asarray(new.values, dtype=float)
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    if (nan_a != nan_b).any():
        first = int(np.flatnonzero(nan_a != nan_b)[0])
        return (
            math.inf,
            0.0,
            f"{int((nan_a != nan_b).sum())} points are NaN on one side only "
            f"(first {old.time[first]})",
        )
    keep = ~nan_a
    diff = b[keep] - a[keep]
    if not diff.size:
        return 0.0, 0.0, ""
    if check == "max_abs":
        return float(np.abs(diff).max()), float(np.abs(a[keep]).max()), ""
    return float(np.sqrt(np.mean(diff**2))), float(np.sqrt(np.mean(a[keep] ** 2))), ""


def _span(time: tuple[str, ...]) -> str:
    return f"{time[0]} to {time[-1]}" if time else "nothing"


def _g(value: float) -> str:
    return f"{value:.6g}"
