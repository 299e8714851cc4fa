"""The baseline store: one compact, text-diffable JSON file per suite entry.

A baseline holds what an entry compares -- metrics, series statistics and
series points, one point per line with its time label, so ``git diff`` shows
which hours moved -- and the entry's definition and scenario hashes when it was
measured.  It holds no clock and no code version (the changelog does), so
re-baselining an unchanged model leaves the files unchanged.

Reading is strict: a missing file, broken JSON, another format version, a
missing or mistyped key, or a definition that no longer matches the suite entry
each raise one :class:`~casa1000.errors.InputError` that says how to fix it
(``casa1000 regress update --only <entry> --reason "..."``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Final, NoReturn

from casa1000.errors import InputError
from casa1000.grid.atomic import atomic_output
from casa1000.studies.regression.measure import Measurement, SeriesValues
from casa1000.studies.regression.suite import LEVEL_STATS, Resample, SuiteEntry

FORMAT: Final = "casa1000-regression-baseline"
FORMAT_VERSION: Final = 1
_NON_FINITE: Final = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def baseline_path(folder: Path, entry: str) -> Path:
    """Return the baseline file of ``entry`` in ``folder``."""
    return folder / f"{entry}.json"


def _fix_hint(entry: str) -> str:
    return f'casa1000 regress update --only {entry} --reason "..."'


def write_baseline(measurement: Measurement, path: Path) -> Path:
    """Write ``measurement`` as the baseline at ``path``, atomically.

    Raises
    ------
    InputError
        If the file cannot be written.
    """
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "entry": measurement.entry,
        "study": measurement.study,
        "definition": measurement.definition,
        "scenario": dict(measurement.scenario),
        "metrics": {
            name: {"value": value, "units": measurement.units.get(name, "1")}
            for name, value in measurement.metrics.items()
        },
        "series": {
            name: {
                "units": s.units,
                "resample": s.resample.value,
                "stats": dict(s.stats),
                "points": [[t, v] for t, v in zip(s.time, s.values, strict=True)],
            }
            for name, s in measurement.series.items()
        },
    }
    with atomic_output(path) as tmp:
        tmp.write_text(_dumps(doc, 0) + "\n", encoding="utf-8")
    return path


def _dumps(value: object, depth: int) -> str:
    """JSON with one key and one point per line; short flat tables and lists on one line."""
    pad, inner = " " * depth, " " * (depth + 1)
    if isinstance(value, Mapping):
        flat = (
            "{" + ", ".join(f"{json.dumps(str(k))}: {_compact(v)}" for k, v in value.items()) + "}"
        )
        if not any(isinstance(v, Mapping | list) for v in value.values()) and len(flat) <= 80:
            return flat
        items = [f"{inner}{json.dumps(str(k))}: {_dumps(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        rows = [f"{inner}{_compact(v)}" for v in value]
        return "[\n" + ",\n".join(rows) + f"\n{pad}]"
    return _compact(value)


def _compact(value: object) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps("NaN" if value != value else ("Infinity" if value > 0 else "-Infinity"))
    if isinstance(value, list):
        return "[" + ", ".join(_compact(v) for v in value) + "]"
    return json.dumps(value)


def read_baseline(
    path: Path, entry: SuiteEntry, definition: Mapping[str, object] | None
) -> Measurement:
    """Read the baseline of ``entry`` and check it matches the entry's ``definition``.

    Parameters
    ----------
    path
        The baseline file.
    entry
        The suite entry it belongs to.
    definition
        The entry's current definition (:meth:`SuiteEntry.definition`); None
        skips that check and the check that every metric is present (to read
        the old values when re-baselining a changed entry).

    Returns
    -------
    Measurement
        The stored values.

    Raises
    ------
    InputError
        If the file is missing, not JSON, of another format or version, lacks a
        key, or was measured for a different definition of the entry.
    """
    fix = _fix_hint(entry.name)
    if not path.is_file():
        raise InputError(
            str(path), "baseline", "missing", f"a baseline for entry {entry.name} ({fix})"
        )
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            str(path), "baseline", "unreadable", f"a readable file ({exc}; {fix})"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            str(path),
            "baseline",
            f"corrupt JSON at line {exc.lineno} column {exc.colno}",
            f"a baseline written by regress update ({fix})",
        ) from None
    reader = _Reader(str(path), fix)
    top = reader.table(doc, "")
    if top.get("format") != FORMAT:
        reader.fail("format", top.get("format"), f"{FORMAT!r}")
    if top.get("format_version") != FORMAT_VERSION:
        reader.fail(
            "format_version", top.get("format_version"), f"{FORMAT_VERSION} (this casa1000)"
        )
    if top.get("entry") != entry.name:
        reader.fail("entry", top.get("entry"), f"{entry.name!r} (the file's name)")
    stored = reader.table(top.get("definition"), "definition")
    if definition is not None:
        _check_definition(stored, definition, str(path), entry, fix)
    metrics_doc = reader.table(top.get("metrics"), "metrics")
    metrics, units = {}, {}
    for name, item in metrics_doc.items():
        table = reader.table(item, f"metrics.{name}")
        metrics[name] = reader.number(table.get("value"), f"metrics.{name}.value")
        units[name] = reader.text(table.get("units"), f"metrics.{name}.units")
    series = {
        name: _series(reader, item, f"series.{name}")
        for name, item in reader.table(top.get("series"), "series").items()
    }
    for metric in entry.metrics if definition is not None else ():
        if metric.name not in metrics:
            reader.fail(f"metrics.{metric.name}", "missing", "every metric of the entry")
    for spec in entry.series if definition is not None else ():
        if spec.name not in series:
            reader.fail(f"series.{spec.name}", "missing", "every series of the entry")
    scenario = reader.table(top.get("scenario"), "scenario")
    return Measurement(
        entry=entry.name,
        study=reader.text(top.get("study"), "study"),
        definition=stored,
        scenario={str(k): str(v) for k, v in scenario.items()},
        metrics=metrics,
        units=units,
        series=series,
    )


def _series(reader: _Reader, item: object, key: str) -> SeriesValues:
    table = reader.table(item, key)
    resample = table.get("resample")
    if resample not in tuple(Resample):
        reader.fail(f"{key}.resample", resample, "one of " + ", ".join(Resample))
    stats_doc = reader.table(table.get("stats"), f"{key}.stats")
    stats = {}
    for stat in LEVEL_STATS:
        stats[stat] = reader.number(stats_doc.get(stat), f"{key}.stats.{stat}")
    points = table.get("points")
    if not isinstance(points, list):
        reader.fail(f"{key}.points", type(points).__name__, "a list of [time, value] pairs")
    time, values = [], []
    for k, point in enumerate(points):
        if not (isinstance(point, list) and len(point) == 2 and isinstance(point[0], str)):
            reader.fail(f"{key}.points[{k}]", point, "a [time, value] pair")
        time.append(point[0])
        values.append(reader.number(point[1], f"{key}.points[{k}]"))
    return SeriesValues(
        units=reader.text(table.get("units"), f"{key}.units"),
        resample=Resample(str(resample)),
        time=tuple(time),
        values=tuple(values),
        stats=stats,
    )


def _check_definition(
    stored: Mapping[str, object],
    current: Mapping[str, object],
    where: str,
    entry: SuiteEntry,
    fix: str,
) -> None:
    """Raise on the first key whose value differs between the baseline and the suite."""
    for _, path_key, old, new in _differences(stored, current, "definition"):
        raise InputError(
            where,
            path_key,
            old,
            f"{new!r} as entry {entry.name!r} of the suite now says (the entry changed since "
            f"its baseline; {fix})",
        )


def _differences(old: object, new: object, key: str) -> list[tuple[str, str, object, object]]:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        out: list[tuple[str, str, object, object]] = []
        for k in sorted({*old, *new}, key=str):
            sub = f"{key}.{k}"
            if k not in old:
                out.append(("added", sub, "absent", new[k]))
            elif k not in new:
                out.append(("removed", sub, old[k], "absent"))
            else:
                out += _differences(old[k], new[k], sub)
        return out
    return [] if old == new else [("changed", key, old, new)]


def definition_changes(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    """Describe how an entry's definition changed, one line per key (for the changelog)."""
    return [f"{key}: {a!r} -> {b!r}" for _, key, a, b in _differences(old, new, "definition")]


class _Reader:
    """Strict access to a parsed baseline: every problem is one InputError."""

    def __init__(self, where: str, fix: str) -> None:
        self.where = where
        self.fix = fix

    def fail(self, key: str, value: object, allowed: str) -> NoReturn:
        raise InputError(self.where, key or "baseline", value, f"{allowed} ({self.fix})")

    def table(self, value: object, key: str) -> dict[str, object]:
        if not isinstance(value, dict):
            self.fail(key, type(value).__name__, "a JSON object")
        return value

    def text(self, value: object, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, value, "a text")
        return str(value)

    def number(self, value: object, key: str) -> float:
        if isinstance(value, str) and value in _NON_FINITE:
            return _NON_FINITE[value]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, value, "a number")
        return float(value)
