"""Running a suite entry through the study runner and measuring what it compares.

A :class:`Measurement` is what a baseline stores and what a run is compared
with: the scalar metrics, and per series its statistics over the hourly values
and its points (hourly, or means over days, weeks or months).  Values are kept
to :data:`SIGNIFICANT_DIGITS` significant digits -- ample for any sane
tolerance -- so a run straight after ``regress update`` equals its baseline and
the text of a baseline does not churn on round-off.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
import xarray as xr

from casa1000.errors import InputError
from casa1000.studies.regression.expressions import Expr
from casa1000.studies.regression.suite import (
    QUANTILE_STATS,
    Resample,
    SeriesSpec,
    SuiteEntry,
)
from casa1000.studies.spine.study import Progress, StudyResult

SIGNIFICANT_DIGITS: Final = 10
_PERIOD: Final = {Resample.DAY: "D", Resample.WEEK: "W", Resample.MONTH: "M"}
_LABEL: Final = {
    Resample.HOUR: "%Y-%m-%dT%H:%M",
    Resample.DAY: "%Y-%m-%d",
    Resample.WEEK: "%Y-%m-%d",
    Resample.MONTH: "%Y-%m",
}


def rounded(value: float) -> float:
    """Round to :data:`SIGNIFICANT_DIGITS` significant digits (NaN and infinities kept).

    Examples
    --------
    >>> rounded(2 / 3)
    0.6666666667
    """
    if not math.isfinite(value) or value == 0.0:
        return float(value)
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


@dataclass(frozen=True, kw_only=True)
class SeriesValues:
    """A measured series.

    Parameters
    ----------
    units
        Units of the values.
    resample
        What each point is (an hour, or the mean of a day, week or month).
    time
        Label of each point (ISO 8601, local time).
    values
        The points.
    stats
        Quantiles (``p5`` ...), ``mean``, ``min`` and ``max`` of the hourly values.
    """

    units: str
    resample: Resample
    time: tuple[str, ...]
    values: tuple[float, ...]
    stats: Mapping[str, float]


@dataclass(frozen=True, kw_only=True)
class Measurement:
    """The compared quantities of one run of an entry (or of its baseline).

    Parameters
    ----------
    entry
        Entry name.
    study
        Registered study name.
    definition
        The entry's definition when it was measured (see :meth:`SuiteEntry.definition`).
    scenario
        Parameter and profile hashes, variant and overrides of the run.
    metrics
        Metric name -> value.
    units
        Metric name -> units.
    series
        Series name -> values.
    """

    entry: str
    study: str
    definition: Mapping[str, object]
    scenario: Mapping[str, str]
    metrics: Mapping[str, float]
    units: Mapping[str, str]
    series: Mapping[str, SeriesValues]


SCENARIO_ATTRS: Final = ("variant", "overrides", "parameter_hash", "profile_hash", "profile_year")


def run_entry(entry: SuiteEntry, *, where: str, progress: Progress | None = None) -> StudyResult:
    """Run an entry's study through :func:`casa1000.studies.spine.runner.execute`.

    Parameters
    ----------
    entry
        The entry.
    where
        Suite file and entry, named in errors.
    progress
        Called with a stage name and the fraction done.

    Raises
    ------
    InputError
        For bad overrides or settings the suite reader could not check.
    """
    from casa1000.studies.registry import study_spec
    from casa1000.studies.spine.runner import execute

    try:
        inputs = entry.scenario.load(entry.name, where=where)
        return execute(study_spec(entry.study), inputs, entry.config, progress=progress)
    except InputError as exc:
        if exc.where.startswith(where):
            raise
        # a check inside the study names a command-line option: say which entry it came from
        raise InputError(f"{where} ({exc.where})", exc.key, exc.value, exc.allowed) from None


def measure(
    entry: SuiteEntry, ds: xr.Dataset, *, where: str, definition: Mapping[str, object]
) -> Measurement:
    """Evaluate an entry's metrics and series on a result.

    Parameters
    ----------
    entry
        The entry.
    ds
        Its study's result.
    where
        Suite file and entry, named in errors.
    definition
        The entry's definition, recorded with the values.

    Raises
    ------
    InputError
        If an expression names a label absent from the result.
    """
    metrics = {}
    for metric in entry.metrics:
        value = _evaluate(metric.tree, ds, where, f"metrics.{metric.name}.expr", metric.expr)
        metrics[metric.name] = rounded(float(value.values))
    return Measurement(
        entry=entry.name,
        study=entry.study,
        definition=definition,
        scenario={k: str(ds.attrs.get(k, "")) for k in SCENARIO_ATTRS},
        metrics=metrics,
        units={m.name: m.units for m in entry.metrics},
        series={s.name: measure_series(s, ds, where=where) for s in entry.series},
    )


def measure_series(spec: SeriesSpec, ds: xr.Dataset, *, where: str) -> SeriesValues:
    """Evaluate one series: its statistics over the hours and its (resampled) points.

    Examples
    --------
    >>> import pandas as pd, xarray as xr
    >>> from casa1000.studies.regression.expressions import parse_expression
    >>> from casa1000.studies.regression.suite import Tolerance
    >>> ds = xr.Dataset(
    ...     {"p_mw": ("time", [1.0, 3.0] * 24)},
    ...     coords={"time": pd.date_range("2027-07-01", periods=48, freq="h")},
    ... )
    >>> spec = SeriesSpec(name="p", expr="p_mw", tree=parse_expression("p_mw"), units="MW",
    ...                   tolerance=Tolerance(abs_tol=0.1), resample=Resample.DAY)
    >>> s = measure_series(spec, ds, where="suite")
    >>> s.time, s.values, s.stats["max"]
    (('2027-07-01', '2027-07-02'), (2.0, 2.0), 3.0)
    """
    key = f"series.{spec.name}.expr"
    da = _evaluate(spec.tree, ds, where, key, spec.expr)
    index = pd.DatetimeIndex(da.time.values)
    hourly = pd.Series(np.asarray(da.values, dtype=float), index=index)
    if spec.resample is Resample.HOUR:
        points = hourly
    else:
        # group by calendar period, so hours absent from the study (other months) make no points
        periods = index.to_period(_PERIOD[spec.resample])
        points = hourly.groupby(periods).mean()
        points.index = pd.PeriodIndex(points.index).start_time
    values = hourly.to_numpy()
    finite = values[np.isfinite(values)]
    stats: dict[str, float] = {}
    for name in QUANTILE_STATS:
        q = float(name[1:]) / 100
        stats[name] = float(np.quantile(finite, q)) if finite.size else math.nan
    stats["mean"] = float(finite.mean()) if finite.size else math.nan
    stats["min"] = float(finite.min()) if finite.size else math.nan
    stats["max"] = float(finite.max()) if finite.size else math.nan
    return SeriesValues(
        units=spec.units,
        resample=spec.resample,
        time=tuple(t.strftime(_LABEL[spec.resample]) for t in pd.DatetimeIndex(points.index)),
        values=tuple(rounded(float(v)) for v in points.to_numpy()),
        stats={k: rounded(v) for k, v in stats.items()},
    )


def _evaluate(tree: Expr, ds: xr.Dataset, where: str, key: str, text: str) -> xr.DataArray:
    try:
        return tree.evaluate(ds)
    except ValueError as exc:
        raise InputError(where, key, text, str(exc)) from None
