"""A sweep plan from the command line and a sweep file.

The command line gives axes as comma-separated values (``--hydrology dry,wet``,
``--set hvdc.rating_mw=1000,1300``); a TOML sweep file gives them as lists, or
lists named scenarios.  Command-line axes replace the file's axis of the same
name and are added to the others.  Studies default to the seasonal study and,
when it is registered, the indicators study; a study's upstream studies are
added and everything runs in registry order.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from casa1000.errors import InputError
from casa1000.studies.sweep.axes import (
    ALIASES,
    Axis,
    SweepBase,
    SweepPlan,
    SweepPoint,
    make_axis,
    product_points,
)

MAX_SCENARIOS = 100_000
"""Largest sweep planned in one go (a typo such as a 1,000-value axis stops here)."""

DEFAULT_STUDIES = ("seasonal", "indicators")
"""Studies of a sweep when none are named (those registered)."""


def plan_sweep(
    *,
    axes: Mapping[str, str] | None = None,
    sets: Sequence[str] = (),
    sweep_file: Path | None = None,
    studies: Sequence[str] | None = None,
    months: Sequence[int] | None = None,
    year: int | None = None,
    scenario_file: Path | None = None,
) -> SweepPlan:
    """Build the plan of a sweep.

    Parameters
    ----------
    axes
        Axis name -> comma-separated values, from options such as ``--hydrology``.
    sets
        ``key=v1,v2`` options: one axis per key.
    sweep_file
        TOML sweep file (see :func:`read_sweep_file`).
    studies
        Studies to run; the default studies when None (or the file's).
    months
        Months studied; all when None (or the file's).
    year
        Study year; the sweep file's, else the scenario file's, else 2027 when None.
    scenario_file
        Scenario TOML applied to every scenario (or the file's ``scenario``).

    Returns
    -------
    SweepPlan
        Axes in the order given, scenarios, studies with their upstream studies.

    Raises
    ------
    InputError
        For an unknown axis or study, an unreadable value, explicit scenarios
        mixed with axes, or too many scenarios.

    Examples
    --------
    >>> plan = plan_sweep(axes={"hydrology": "dry,wet"}, sets=["hvdc.rating_mw=1000,1300"])
    >>> [p.name for p in plan.points][:2]
    ['hydrology=dry hvdc.rating_mw=1000', 'hydrology=dry hvdc.rating_mw=1300']
    >>> plan.studies[0]
    'seasonal'
    """
    file_axes: dict[str, list[object]] = {}
    named: list[dict[str, object]] = []
    settings: dict[str, object] = {}
    where = str(sweep_file) if sweep_file else "sweep"
    if sweep_file is not None:
        file_axes, named, settings = read_sweep_file(sweep_file)
    chosen: dict[str, Axis] = {}
    for name, values in file_axes.items():
        axis = make_axis(name, values, where=where)
        chosen[axis.name] = axis
    for name, text in (axes or {}).items():
        option = "--" + name.replace("_", "-")
        axis = make_axis(name, _split(text), where=option)
        chosen[axis.name] = axis
    for option in sets:
        key, sep, text = option.partition("=")
        if not sep or not key.strip():
            raise InputError("--set", option, option, "key=v1,v2, e.g. hvdc.rating_mw=1000,1300")
        axis = make_axis(key.strip(), _split(text), where="--set")
        chosen[axis.name] = axis
    if named and chosen:
        raise InputError(
            where,
            "scenario",
            f"{len(named)} named scenarios",
            "either [[scenario]] or axes, not both",
        )
    if named:
        axis_list, points = explicit_points(named, where=where)
    else:
        axis_list = tuple(chosen.values())
        count = 1
        for axis in axis_list:
            count *= len(axis.values)
        if count > MAX_SCENARIOS:
            raise InputError(where, "scenarios", count, f"at most {MAX_SCENARIOS:,} scenarios")
        points = product_points(axis_list)
    base = SweepBase(
        year=year if year is not None else _year(settings.get("year"), where),
        scenario_file=scenario_file or _path(settings.get("scenario_file")),
        sets=tuple(str(s) for s in _list(settings.get("set", []), where, "set")),
    )
    given = studies if studies is not None else settings.get("studies")
    wanted = (
        default_studies()
        if given is None
        else tuple(str(s) for s in _list(given, where, "studies"))
    )
    month_list = (
        months if months is not None else _list(settings.get("months", []), where, "months")
    )
    return SweepPlan(
        axes=tuple(axis_list),
        points=points,
        base=base,
        studies=with_upstream(wanted),
        months=tuple(_int(m, where, "months") for m in month_list),
    )


def default_studies() -> tuple[str, ...]:
    """Return the registered ones of :data:`DEFAULT_STUDIES`."""
    from casa1000.studies.registry import STUDIES

    return tuple(s for s in DEFAULT_STUDIES if s in STUDIES)


def with_upstream(studies: Sequence[str]) -> tuple[str, ...]:
    """``studies`` and every study they need, in registry order.

    Raises
    ------
    InputError
        For a study that is not registered.
    """
    from casa1000.studies.registry import STUDIES, study_spec

    if not studies:
        raise InputError("--studies", "studies", "", "one or more of " + ", ".join(STUDIES))
    wanted: set[str] = set()
    stack = list(studies)
    while stack:
        name = stack.pop()
        if name not in wanted:
            wanted.add(name)
            stack += list(study_spec(name).needs)
    return tuple(name for name in STUDIES if name in wanted)


def read_sweep_file(
    path: Path,
) -> tuple[dict[str, list[object]], list[dict[str, object]], dict[str, object]]:
    """Read a sweep TOML file.

    The file holds ``[axes]`` (name -> list of values; every combination runs)
    or ``[[scenario]]`` tables (one named scenario each: ``name`` and a value
    for each axis), and optionally ``studies``, ``months``, ``year``,
    ``scenario_file`` (a scenario TOML applied to every scenario, relative to
    this file) and ``set`` (fixed overrides)::

        studies = ["seasonal"]
        months = [7]
        [axes]
        hydrology = ["dry", "normal", "wet"]
        variant = ["as_built", "design_2014"]
        "hvdc.rating_mw" = [1000, 1300]

    Returns
    -------
    tuple
        ``(axes, scenarios, settings)``.

    Raises
    ------
    InputError
        If the file cannot be read, is not TOML, or has unknown top-level keys.
    """
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            str(path), "file", str(path), f"a readable file ({exc.strerror})"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "toml", str(exc), "valid TOML") from None
    allowed = (
        "axes",
        "scenario",
        "studies",
        "months",
        "year",
        "set",
        "scenario_file",
        "description",
    )
    unknown = sorted(set(doc) - set(allowed))
    if unknown:
        raise InputError(str(path), unknown[0], doc[unknown[0]], "one of " + ", ".join(allowed))
    axes = doc.get("axes", {})
    if not isinstance(axes, dict) or not all(isinstance(v, list) for v in axes.values()):
        raise InputError(
            str(path), "axes", axes, 'a table of lists, e.g. hydrology = ["dry", "wet"]'
        )
    scenarios = doc.get("scenario", [])
    if not isinstance(scenarios, list) or not all(isinstance(s, dict) for s in scenarios):
        raise InputError(str(path), "scenario", scenarios, "[[scenario]] tables")
    settings = {k: v for k, v in doc.items() if k not in ("axes", "scenario")}
    if "scenario_file" in settings:
        settings["scenario_file"] = path.parent / str(settings["scenario_file"])
    return (
        {str(k): list(v) for k, v in axes.items()},
        [dict(s) for s in scenarios],
        settings,
    )


def explicit_points(
    scenarios: Sequence[Mapping[str, object]], *, where: str
) -> tuple[tuple[Axis, ...], tuple[SweepPoint, ...]]:
    """Axes and points of a list of named scenarios (``[[scenario]]`` tables).

    Every scenario gives a value for every axis any of them sets, so that each
    coordinate of the combined result says what its scenario ran.

    Raises
    ------
    InputError
        For a scenario without a unique name, a missing value, or a bad axis or value.
    """
    names: list[str] = []
    order: list[str] = []
    for k, scen in enumerate(scenarios):
        name = scen.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError(where, f"scenario {k + 1} name", name, "a non-empty text")
        if name in names:
            raise InputError(where, "scenario name", name, "a name used once")
        names.append(name)
        for axis in scen:
            full = ALIASES.get(axis, axis)
            if axis != "name" and full not in order:
                order.append(full)
    given = [
        {ALIASES.get(a, a): _text(v) for a, v in scen.items() if a != "name"} for scen in scenarios
    ]
    axes = []
    for axis_name in order:
        seen = [g[axis_name] for g in given if axis_name in g]
        axes.append(make_axis(axis_name, list(dict.fromkeys(seen)), where=where))
    points = []
    for name, chosen in zip(names, given, strict=True):
        missing = [a.name for a in axes if a.name not in chosen]
        if missing:
            raise InputError(
                where, f"scenario {name!r}", missing[0], "a value for every axis any scenario sets"
            )
        points.append(SweepPoint(name=name, values=tuple((a.name, chosen[a.name]) for a in axes)))
    return tuple(axes), tuple(points)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",")]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _list(value: object, where: str, key: str) -> list[object]:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    raise InputError(where, key, value, "a list")


def _int(value: object, where: str, key: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise InputError(where, key, value, "a whole number") from None


def _year(value: object, where: str) -> int | None:
    return None if value is None else _int(value, where, "year")


def _path(value: object) -> Path | None:
    return None if value is None else Path(str(value))
