"""The regression suite: named reference studies, what each compares and how closely.

A suite is a TOML file (the built-in one is ``suite/suite.toml`` beside this
module).  Each ``[[entry]]`` names a scenario, a registered study and its
settings, and the quantities it compares with their tolerances::

    [suite]
    name = "casa1000-reference"
    format_version = 1

    [metric_sets.energy.metrics]
    delivered_pk_gwh = { expr = 'delivered_mw.sel(offtaker="PK").sum() / 1e3',
                         units = "GWh", rel_tol = 1e-4 }

    [[entry]]
    name = "as_built_dry"
    study = "seasonal"
    uses = ["energy"]
    [entry.scenario]
    hydrology = "dry"
    [entry.settings]
    months = [6, 7]
    [entry.series]
    datka_sughd_mw = { expr = "datka_sughd_mw", units = "MW", resample = "day",
                       checks = ["p5", "p50", "p95", "max_abs", "rms"], abs_tol = 1.0 }

Metrics are scalars; series are hourly values along ``time`` compared by their
quantiles, mean and extremes (over the hourly values) and by the largest and
the root-mean-square pointwise difference (over the stored, optionally
resampled, points), never bit for bit.  A check passes when
``|now - baseline| <= max(abs_tol, rel_tol * |reference|)`` (as
:func:`math.isclose`); the reference is the baseline value, or for ``max_abs``
and ``rms`` the largest magnitude and the RMS of the baseline series.

Baselines live in ``baselines/<entry>.json`` beside the suite file and the
changelog in ``CHANGELOG.md``, so a suite elsewhere carries its own.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from casa1000.errors import InputError
from casa1000.grid.overrides import parse_set_options
from casa1000.profiles.config import Hydrology, ProfileConfig
from casa1000.studies.regression.expressions import Expr, parse_expression, schema_dims
from casa1000.studies.regression.settings import config_from_settings
from casa1000.studies.spine.scenario import DEFAULT_YEAR, Scenario, StudyInputs

SUITE_FORMAT_VERSION: Final = 1
"""Version of the suite file format this reader understands."""

DEFAULT_SUITE: Final = Path(__file__).parent / "suite" / "suite.toml"
"""The built-in suite (package data)."""

NAME: Final = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
QUANTILE_STATS: Final = ("p1", "p5", "p25", "p50", "p75", "p95", "p99")
LEVEL_STATS: Final = (*QUANTILE_STATS, "mean", "min", "max")
"""Statistics of the hourly values of a series that every baseline stores."""
NORM_CHECKS: Final = ("max_abs", "rms")
"""Norms of the pointwise difference between the series and its baseline."""
SERIES_CHECKS: Final = (*LEVEL_STATS, *NORM_CHECKS)
DEFAULT_SERIES_CHECKS: Final = ("p5", "p50", "p95", "max_abs", "rms")


class Resample(StrEnum):
    """Points a series is stored and compared at (means over each period)."""

    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, kw_only=True)
class Tolerance:
    """How far a value may move: ``max(abs_tol, rel_tol * |reference|)``.

    Parameters
    ----------
    abs_tol
        Absolute tolerance, in the units of the quantity.
    rel_tol
        Relative tolerance [-].

    Examples
    --------
    >>> Tolerance(abs_tol=0.5, rel_tol=1e-3).allowed(3000.0)
    3.0
    """

    abs_tol: float = 0.0
    rel_tol: float = 0.0

    def allowed(self, reference: float) -> float:
        """Return the largest accepted deviation around ``reference``."""
        scaled = self.rel_tol * abs(reference) if reference == reference else 0.0
        return max(self.abs_tol, scaled)


@dataclass(frozen=True, kw_only=True)
class MetricSpec:
    """A scalar quantity of a result.

    Parameters
    ----------
    name
        Name in reports and baselines.
    expr
        The expression text (see :mod:`~casa1000.studies.regression.expressions`).
    tree
        The parsed expression.
    units
        Units of the value.
    tolerance
        Accepted deviation from the baseline.
    description
        What it measures, in words.
    """

    name: str
    expr: str
    tree: Expr = field(compare=False, repr=False)
    units: str
    tolerance: Tolerance
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class SeriesSpec:
    """An hourly series of a result, compared by statistics and norms.

    Parameters
    ----------
    name, expr, tree, units, tolerance, description
        As for :class:`MetricSpec`; the expression has the one dimension ``time``.
    resample
        Points stored in the baseline and compared by the norms.
    checks
        Which of :data:`SERIES_CHECKS` decide pass or fail.
    """

    name: str
    expr: str
    tree: Expr = field(compare=False, repr=False)
    units: str
    tolerance: Tolerance
    resample: Resample = Resample.HOUR
    checks: tuple[str, ...] = DEFAULT_SERIES_CHECKS
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class ScenarioSpec:
    """The scenario of an entry: network and profile year, and optionally a period.

    Parameters
    ----------
    variant
        ``as_built`` or ``design_2014``; the scenario file's, else as built, when None.
    scenario_file
        TOML overrides, relative to the suite file.
    sets
        ``key=value`` overrides, applied last.
    year, hydrology, hydro_scale, demand_growth, seed
        The profile build (:class:`~casa1000.profiles.config.ProfileConfig`).
    period
        First and last day (inclusive) of the hours studied; the whole year when None.
    """

    variant: str | None = None
    scenario_file: Path | None = None
    sets: tuple[str, ...] = ()
    year: int = DEFAULT_YEAR
    hydrology: Hydrology = Hydrology.NORMAL
    hydro_scale: float = 1.0
    demand_growth: float = 1.0
    seed: int = 0
    period: tuple[date, date] | None = None

    def scenario(self, name: str) -> Scenario:
        """Return the spine's scenario of this entry."""
        return Scenario(
            name=name,
            variant=self.variant,
            scenario_file=self.scenario_file,
            sets=self.sets,
            profile_config=ProfileConfig(
                year=self.year,
                hydrology=self.hydrology,
                hydro_scale=self.hydro_scale,
                demand_growth=self.demand_growth,
                seed=self.seed,
            ),
        )

    def load(self, name: str, *, where: str) -> StudyInputs:
        """Load the network and profiles, keeping only the hours of ``period``.

        Raises
        ------
        InputError
            For bad overrides, or a period with no hours in the profile year.
        """
        inputs = self.scenario(name).load()
        if self.period is None:
            return inputs
        first, last = self.period
        times = inputs.profiles.time.dt.floor("D").values.astype("datetime64[D]")
        keep = (times >= first) & (times <= last)
        if not keep.any():
            raise InputError(
                where, "scenario.period", [str(first), str(last)], f"days of {self.year}"
            )
        return dataclasses.replace(inputs, profiles=inputs.profiles.isel(time=keep))


@dataclass(frozen=True, kw_only=True)
class SuiteEntry:
    """One named reference study.

    Parameters
    ----------
    name
        Entry name; also the stem of its baseline file.
    title
        What it checks, in words.
    study
        Registered study name.
    scenario
        Network and profiles.
    settings
        The TOML settings as written (recorded in the baseline's definition).
    config
        The study's config built from ``settings``.
    metrics, series
        What it compares.
    """

    name: str
    title: str
    study: str
    scenario: ScenarioSpec
    settings: Mapping[str, object]
    config: object
    metrics: tuple[MetricSpec, ...]
    series: tuple[SeriesSpec, ...]

    def definition(self, base_dir: Path) -> dict[str, object]:
        """Return what determines the baseline's values (tolerances, units and text excluded).

        A baseline records this; when the entry changes, its baseline is stale.
        """
        s = self.scenario
        scenario_file = None
        if s.scenario_file is not None:
            try:
                scenario_file = s.scenario_file.relative_to(base_dir).as_posix()
            except ValueError:
                scenario_file = s.scenario_file.as_posix()
        return {
            "study": self.study,
            "scenario": {
                "variant": s.variant,
                "scenario_file": scenario_file,
                "sets": list(s.sets),
                "year": s.year,
                "hydrology": s.hydrology.value,
                "hydro_scale": s.hydro_scale,
                "demand_growth": s.demand_growth,
                "seed": s.seed,
                "period": None if s.period is None else [str(d) for d in s.period],
            },
            "settings": _plain(self.settings),
            "metrics": {m.name: _canonical(m.expr) for m in self.metrics},
            "series": {
                x.name: {"expr": _canonical(x.expr), "resample": x.resample.value}
                for x in self.series
            },
        }


@dataclass(frozen=True, kw_only=True)
class Suite:
    """A named set of reference studies read from ``path``.

    Parameters
    ----------
    name
        Suite name (the JUnit test-suite name).
    title
        What it is for.
    path
        The suite file.
    entries
        Its entries, in file order.
    """

    name: str
    title: str
    path: Path
    entries: tuple[SuiteEntry, ...]

    @property
    def baselines_dir(self) -> Path:
        """Folder of the baselines, beside the suite file."""
        return self.path.parent / "baselines"

    @property
    def changelog(self) -> Path:
        """The changelog of the baselines, beside the suite file."""
        return self.path.parent / "CHANGELOG.md"

    def select(self, only: Iterable[str] = ()) -> tuple[SuiteEntry, ...]:
        """Return the entries named in ``only`` (all when empty), in suite order.

        Raises
        ------
        InputError
            For a name that is not an entry.
        """
        wanted = list(only)
        names = [e.name for e in self.entries]
        for name in wanted:
            if name not in names:
                raise InputError(
                    "--only", "only", name, f"an entry of {self.path}: {', '.join(names)}"
                )
        return tuple(e for e in self.entries if not wanted or e.name in wanted)


def read_suite(path: Path | None = None) -> Suite:
    """Read and validate a suite file.

    Every entry's study, settings and expressions are checked against the study
    registry and the study's declared schema, so nothing runs on a bad suite.

    Parameters
    ----------
    path
        The suite file; the built-in suite when None.

    Returns
    -------
    Suite
        The validated suite.

    Raises
    ------
    InputError
        Naming the file, the entry and the key of the first problem.

    Examples
    --------
    >>> suite = read_suite()
    >>> suite.select(["as_built_normal"])[0].study
    'seasonal'
    """
    path = DEFAULT_SUITE if path is None else Path(path)
    where = str(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            where, "file", str(path), f"a readable suite file ({exc.strerror})"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(where, "toml", str(exc), "valid TOML") from None
    _only_keys(doc, {"suite", "metric_sets", "entry"}, where, "")
    head = _table(doc.get("suite", {}), where, "suite")
    _only_keys(head, {"name", "title", "format_version"}, where, "suite.")
    version = head.get("format_version", SUITE_FORMAT_VERSION)
    if version != SUITE_FORMAT_VERSION:
        raise InputError(where, "suite.format_version", version, str(SUITE_FORMAT_VERSION))
    sets = _table(doc.get("metric_sets", {}), where, "metric_sets")
    raw_entries = doc.get("entry", [])
    if not isinstance(raw_entries, list) or not raw_entries:
        raise InputError(where, "entry", raw_entries, "one or more [[entry]] tables")
    entries: list[SuiteEntry] = []
    for k, raw in enumerate(raw_entries):
        entry = _entry(_table(raw, where, f"entry[{k}]"), sets, path, k)
        if any(e.name == entry.name for e in entries):
            raise InputError(where, f"entry[{k}].name", entry.name, "a name used by one entry only")
        entries.append(entry)
    return Suite(
        name=_text(head.get("name", path.stem), where, "suite.name"),
        title=_text(head.get("title", ""), where, "suite.title", empty=True),
        path=path,
        entries=tuple(entries),
    )


def _entry(raw: Mapping[str, Any], sets: Mapping[str, Any], path: Path, k: int) -> SuiteEntry:
    from casa1000.studies.registry import STUDIES

    name = raw.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise InputError(str(path), f"entry[{k}].name", name, "a name of a-z, 0-9 and _")
    where = f"{path} entry {name!r}"
    _only_keys(
        raw,
        {"name", "title", "study", "uses", "scenario", "settings", "metrics", "series"},
        where,
        "",
    )
    study = raw.get("study")
    if study not in STUDIES:
        raise InputError(where, "study", study, "one of " + ", ".join(STUDIES))
    spec = STUDIES[str(study)]
    settings = _table(raw.get("settings", {}), where, "settings")
    config = config_from_settings(spec.config_type, settings, where=where, base_dir=path.parent)
    metrics: dict[str, Mapping[str, Any]] = {}
    series: dict[str, Mapping[str, Any]] = {}
    uses = raw.get("uses", [])
    if not isinstance(uses, list):
        raise InputError(where, "uses", uses, "a list of metric_sets names")
    for used in uses:
        if used not in sets:
            raise InputError(where, "uses", used, "one of the metric_sets: " + ", ".join(sets))
        block = _table(sets[used], str(path), f"metric_sets.{used}")
        _only_keys(block, {"metrics", "series"}, str(path), f"metric_sets.{used}.")
        metrics.update(_table(block.get("metrics", {}), str(path), f"metric_sets.{used}.metrics"))
        series.update(_table(block.get("series", {}), str(path), f"metric_sets.{used}.series"))
    metrics.update(_table(raw.get("metrics", {}), where, "metrics"))
    series.update(_table(raw.get("series", {}), where, "series"))
    if not metrics and not series:
        raise InputError(where, "metrics", {}, "at least one metric or series to compare")
    known = schema_dims(spec.schema)
    return SuiteEntry(
        name=name,
        title=_text(raw.get("title", name), where, "title"),
        study=spec.name,
        scenario=_scenario(_table(raw.get("scenario", {}), where, "scenario"), where, path.parent),
        settings=settings,
        config=config,
        metrics=tuple(_metric(n, m, where, known) for n, m in metrics.items()),
        series=tuple(_series(n, s, where, known) for n, s in series.items()),
    )


def _scenario(raw: Mapping[str, Any], where: str, base_dir: Path) -> ScenarioSpec:
    allowed = {f.name for f in dataclasses.fields(ScenarioSpec)}
    _only_keys(raw, allowed, where, "scenario.")
    values: dict[str, Any] = {}
    if "variant" in raw:
        values["variant"] = _choice(
            raw["variant"], ("as_built", "design_2014"), where, "scenario.variant"
        )
    if "scenario_file" in raw:
        file = Path(_text(raw["scenario_file"], where, "scenario.scenario_file"))
        values["scenario_file"] = file if file.is_absolute() else base_dir / file
    if "sets" in raw:
        sets = raw["sets"]
        if not isinstance(sets, list) or not all(isinstance(s, str) for s in sets):
            raise InputError(where, "scenario.sets", sets, 'a list of "key=value" texts')
        parse_set_options(sets, where=f"{where} scenario.sets")
        values["sets"] = tuple(sets)
    if "hydrology" in raw:
        values["hydrology"] = Hydrology.parse(raw["hydrology"], where=f"{where} scenario")
    for key, kind in (
        ("year", int),
        ("seed", int),
        ("hydro_scale", float),
        ("demand_growth", float),
    ):
        if key in raw:
            value = raw[key]
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok or (kind is int and not isinstance(value, int)):
                raise InputError(where, f"scenario.{key}", value, f"a {kind.__name__}")
            values[key] = kind(value)
    if "period" in raw:
        values["period"] = _period(raw["period"], where, values.get("year", DEFAULT_YEAR))
    spec = ScenarioSpec(**values)
    try:  # the profile build's own range checks, now rather than after other entries ran
        spec.scenario("check")
    except InputError as exc:
        raise InputError(where, f"scenario.{exc.key}", exc.value, exc.allowed) from None
    return spec


def _period(raw: object, where: str, year: int) -> tuple[date, date]:
    allowed = f'["first day", "last day"] of {year}, e.g. ["{year}-07-15", "{year}-07-21"]'
    if not isinstance(raw, list) or len(raw) != 2:
        raise InputError(where, "scenario.period", raw, allowed)
    days = []
    for value in raw:
        if isinstance(value, date):
            days.append(value)
            continue
        try:
            days.append(date.fromisoformat(str(value)))
        except ValueError:
            raise InputError(where, "scenario.period", raw, allowed) from None
    first, last = days
    if first > last or first.year != year or last.year != year:
        raise InputError(where, "scenario.period", raw, allowed)
    return first, last


def _tolerance(raw: Mapping[str, Any], where: str, key: str) -> Tolerance:
    values = {}
    for name in ("abs_tol", "rel_tol"):
        value = raw.get(name, 0.0)
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise InputError(where, f"{key}.{name}", value, "a number >= 0")
        values[name] = float(value)
    if "abs_tol" not in raw and "rel_tol" not in raw:
        raise InputError(where, key, dict(raw), "abs_tol and/or rel_tol (0 for an exact match)")
    return Tolerance(**values)


def _parsed(
    raw: Mapping[str, Any], where: str, key: str, known: Mapping[str, tuple[str, ...]]
) -> tuple[str, Expr, tuple[str, ...]]:
    text = raw.get("expr")
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            where, f"{key}.expr", text, "an expression such as 'ac_losses_mw.sum() / 1e3'"
        )
    try:
        tree = parse_expression(text)
        dims = tree.dims(known)
    except ValueError as exc:
        raise InputError(where, f"{key}.expr", text, str(exc)) from None
    return text.strip(), tree, dims


def _metric(name: str, raw: object, where: str, known: Mapping[str, tuple[str, ...]]) -> MetricSpec:
    key = f"metrics.{name}"
    table = _definition(
        name, raw, where, key, {"expr", "units", "abs_tol", "rel_tol", "description"}
    )
    text, tree, dims = _parsed(table, where, key, known)
    if dims:
        raise InputError(where, f"{key}.expr", text, f"a scalar (reduce the dimensions {dims})")
    return MetricSpec(
        name=name,
        expr=text,
        tree=tree,
        units=_text(table.get("units", "1"), where, f"{key}.units"),
        tolerance=_tolerance(table, where, key),
        description=_text(table.get("description", ""), where, f"{key}.description", empty=True),
    )


def _series(name: str, raw: object, where: str, known: Mapping[str, tuple[str, ...]]) -> SeriesSpec:
    key = f"series.{name}"
    allowed = {"expr", "units", "abs_tol", "rel_tol", "description", "resample", "checks"}
    table = _definition(name, raw, where, key, allowed)
    text, tree, dims = _parsed(table, where, key, known)
    if dims != ("time",):
        raise InputError(where, f"{key}.expr", text, f"a series along time only (it has {dims})")
    checks = table.get("checks", list(DEFAULT_SERIES_CHECKS))
    if not isinstance(checks, list) or not checks or any(c not in SERIES_CHECKS for c in checks):
        raise InputError(where, f"{key}.checks", checks, "a list of " + ", ".join(SERIES_CHECKS))
    resample = _choice(table.get("resample", "hour"), tuple(Resample), where, f"{key}.resample")
    return SeriesSpec(
        name=name,
        expr=text,
        tree=tree,
        units=_text(table.get("units", "1"), where, f"{key}.units"),
        tolerance=_tolerance(table, where, key),
        resample=Resample(resample),
        checks=tuple(checks),
        description=_text(table.get("description", ""), where, f"{key}.description", empty=True),
    )


def _definition(
    name: str, raw: object, where: str, key: str, allowed: set[str]
) -> Mapping[str, Any]:
    if not NAME.match(name):
        raise InputError(where, key, name, "a name of a-z, 0-9 and _")
    table = _table(raw, where, key)
    _only_keys(table, allowed, where, f"{key}.")
    return table


def _table(raw: object, where: str, key: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise InputError(where, key, raw, "a table")
    return raw


def _only_keys(table: Mapping[str, Any], allowed: set[str], where: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise InputError(
                where, f"{prefix}{key}", table[key], "one of " + ", ".join(sorted(allowed))
            )


def _text(value: object, where: str, key: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise InputError(where, key, value, "a text")
    return value


def _choice(value: object, allowed: tuple[str, ...], where: str, key: str) -> str:
    if value not in allowed:
        raise InputError(where, key, value, "one of " + ", ".join(allowed))
    return str(value)


def _canonical(text: str) -> str:
    """Normalise spacing and quotes so a cosmetic edit does not make a baseline stale."""
    return ast.unparse(ast.parse(text, mode="eval"))


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
