"""Scenario axes of a sweep and their expansion into scenario points.

An axis names one thing a planner varies -- the water year, demand growth, the
network variant, the HVDC rating, a contract, an element out of service for the
whole season, or any ``--set`` key -- and the values it takes.  The scenarios of
a sweep are the product of its axes (every combination), or an explicit list of
named scenarios given in a TOML file.  Values stay text, as the user wrote them,
until a scenario is loaded: a value that is out of range or a combination the
network refuses fails that scenario alone, inside its task
(:mod:`casa1000.studies.sweep.scenario_task`); only values that cannot be read
at all (``demand_growth = "lots"``) stop the sweep before it starts.

Axis names are the coordinate names of the combined result:

=========================  ================================================
``variant``                ``as_built`` or ``design_2014``
``hydrology``              ``dry``, ``normal`` or ``wet``
``export_rule``            ``spill-only``, ``october-target``, ``full-contract``
``demand_growth``          multiplier on Kyrgyz and Tajik demand
``hydro_scale``            extra multiplier on hydro energy
``seed``                   seed of the weather variation
``reverse_contract_mw``    winter reverse flow Pakistan -> Tajikistan [MW]
``outage``                 ``none`` or ``<section>.<ID>`` (``+`` joins
                           several), out of service for the whole study
``<dotted key>``           any ``--set`` key, e.g. ``hvdc.rating_mw``
=========================  ================================================

``hvdc_rating_mw``, ``contract_pk_mw`` and ``contract_af_mw`` are accepted as
short names of the keys ``hvdc.rating_mw``, ``contract.pakistan_mw`` and
``contract.afghanistan_mw``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from casa1000.errors import InputError
from casa1000.grid.params import COLLECTIONS, HVDC_COLLECTIONS, Variant
from casa1000.profiles.config import ExportRule, Hydrology
from casa1000.studies.spine.scenario import Scenario, profile_config_from


class AxisKind(StrEnum):
    """What an axis changes."""

    VARIANT = "variant"
    PROFILE_CHOICE = "profile_choice"
    """A named option of the profile build (hydrology, export rule)."""
    PROFILE_NUMBER = "profile_number"
    """A number of the profile build (demand growth, hydro scale, seed, reverse flow)."""
    OUTAGE = "outage"
    SET = "set"
    """A ``--set`` key of the network parameters."""


PROFILE_NUMBERS: dict[str, type] = {
    "demand_growth": float,
    "hydro_scale": float,
    "seed": int,
    "reverse_contract_mw": float,
}
"""Numeric profile-build axes (fields of ``ProfileConfig``) and the type of their values."""

PROFILE_CHOICES: dict[str, type[Hydrology] | type[ExportRule]] = {
    "hydrology": Hydrology,
    "export_rule": ExportRule,
}
"""Profile-build axes that name an option (fields of ``ProfileConfig``) and their options."""

ALIASES: dict[str, str] = {
    "hvdc_rating_mw": "hvdc.rating_mw",
    "contract_pk_mw": "contract.pakistan_mw",
    "contract_af_mw": "contract.afghanistan_mw",
}
"""Short axis names and the ``--set`` keys they stand for."""

NO_OUTAGE = "none"
"""Outage value meaning every element in service."""

AXIS_HELP = (
    "an axis name: variant, hydrology, export_rule, demand_growth, hydro_scale, seed, "
    "reverse_contract_mw, outage, "
    + ", ".join(ALIASES)
    + " or a dotted --set key such as hvdc.rating_mw"
)


@dataclass(frozen=True, kw_only=True)
class Axis:
    """One varied quantity and its values.

    Parameters
    ----------
    name
        Coordinate name in the combined result (``hydrology``, ``hvdc.rating_mw``).
    kind
        What it changes.
    values
        The values, as text, in the order given.
    """

    name: str
    kind: AxisKind
    values: tuple[str, ...]

    @property
    def numeric(self) -> bool:
        """Whether every value is a finite number (the coordinate is then float)."""
        return self.kind is AxisKind.PROFILE_NUMBER or all(
            _as_number(v) is not None for v in self.values
        )

    def coordinate(self, value: str) -> float | str:
        """Return the coordinate value of ``value`` on the ``scenario`` dimension."""
        number = _as_number(value) if self.numeric else None
        return value if number is None else number


def make_axis(name: str, values: Iterable[object], *, where: str) -> Axis:
    """Build an axis from its name and values, checking what can be checked early.

    Parameters
    ----------
    name
        Axis name or alias (see the module docstring).
    values
        Values as given (text from the command line, TOML scalars).
    where
        Where they came from, for errors.

    Returns
    -------
    Axis
        The axis, values as text.

    Raises
    ------
    InputError
        For an unknown axis, no values, a repeated value, or a value of the wrong kind.

    Examples
    --------
    >>> make_axis("hvdc_rating_mw", [1000, "1300"], where="--set").name
    'hvdc.rating_mw'
    >>> make_axis("hydrology", ["dry", "wet"], where="--hydrology").values
    ('dry', 'wet')
    """
    key = ALIASES.get(name.strip(), name.strip())
    texts = tuple(_text(v) for v in values)
    if not texts or any(not t for t in texts):
        raise InputError(where, key, ",".join(texts), "one or more values separated by commas")
    if len(set(texts)) != len(texts):
        raise InputError(where, key, ",".join(texts), "values that differ from each other")
    if key == "variant":
        kind = AxisKind.VARIANT
        _check_members(where, key, texts, [v.value for v in Variant])
    elif key in PROFILE_CHOICES:
        kind = AxisKind.PROFILE_CHOICE
        _check_members(where, key, texts, [m.value for m in PROFILE_CHOICES[key]])
    elif key in PROFILE_NUMBERS:
        kind = AxisKind.PROFILE_NUMBER
        for text in texts:
            number = _as_number(text)
            if number is None or (PROFILE_NUMBERS[key] is int and not float(number).is_integer()):
                wanted = "whole numbers" if PROFILE_NUMBERS[key] is int else "numbers"
                raise InputError(where, key, text, wanted)
    elif key == "outage":
        kind = AxisKind.OUTAGE
        for text in texts:
            outage_sets(text, where=where)
    elif "." in key and key.split(".")[0] in (*COLLECTIONS, "hvdc", "contract"):
        kind = AxisKind.SET
    else:
        raise InputError(where, "axis", name, AXIS_HELP)
    return Axis(name=key, kind=kind, values=texts)


def outage_sets(value: str, *, where: str = "outage") -> tuple[str, ...]:
    """Return the ``--set`` options that take the elements of an outage value out of service.

    Parameters
    ----------
    value
        ``none``, or ``<section>.<ID>`` (``line.DATKA_SUGHD``, ``plant.NUREK``,
        ``hvdc.terminal.KABUL``), several joined by ``+``.
    where
        Where the value came from, for errors.

    Raises
    ------
    InputError
        For a value that names no element section.

    Examples
    --------
    >>> outage_sets("line.DATKA_SUGHD+plant.NUREK")
    ('line.DATKA_SUGHD.in_service=false', 'plant.NUREK.in_service=false')
    >>> outage_sets("none")
    ()
    """
    if value == NO_OUTAGE:
        return ()
    out = []
    for part in value.split("+"):
        bits = part.strip().split(".")
        ok = (len(bits) == 2 and bits[0] in COLLECTIONS) or (
            len(bits) == 3 and bits[0] == "hvdc" and bits[1] in HVDC_COLLECTIONS
        )
        if not ok or not all(bits):
            raise InputError(
                where,
                "outage",
                value,
                "none or <section>.<ID> such as line.DATKA_SUGHD, plant.NUREK, "
                "hvdc.terminal.KABUL (join several with +)",
            )
        out.append(f"{part.strip()}.in_service=false")
    return tuple(out)


@dataclass(frozen=True, kw_only=True)
class SweepBase:
    """What every scenario of a sweep shares.

    Parameters
    ----------
    year
        Study year of the profiles; the scenario file's (``[profiles] year``) or
        2027 when None.
    scenario_file
        TOML overrides applied to every scenario before its own values.
    sets
        Fixed ``key=value`` overrides applied to every scenario before its own values.
    """

    year: int | None = None
    scenario_file: Path | None = None
    sets: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SweepPoint:
    """One scenario of a sweep.

    Parameters
    ----------
    name
        Label (free text; escaped wherever it is written as HTML).
    values
        ``(axis name, value)`` pairs in axis order.
    """

    name: str
    values: tuple[tuple[str, str], ...]

    def value(self, axis: str, default: str | None = None) -> str | None:
        """Return the value of ``axis`` in this scenario (``default`` when it is not an axis)."""
        return dict(self.values).get(axis, default)

    def scenario(self, base: SweepBase) -> Scenario:
        """Return the study scenario of this point.

        Raises
        ------
        InputError
            For a profile value out of range (network values are checked on load).
        """
        values = dict(self.values)
        sets = list(base.sets)
        build: dict[str, Any] = {}  # ProfileConfig fields of several types
        for axis, value in self.values:
            if axis == "outage":
                sets += outage_sets(value)
            elif axis in PROFILE_CHOICES:
                build[axis] = PROFILE_CHOICES[axis].parse(value, where=f"scenario {self.name!r}")
            elif axis in PROFILE_NUMBERS:
                build[axis] = PROFILE_NUMBERS[axis](float(value))
            elif axis != "variant":
                sets.append(f"{axis}={value}")
        # the scenario file's [profiles] table, then the build's defaults, for what is not varied
        config = profile_config_from(base.scenario_file, {"year": base.year, **build})
        return Scenario(
            name=self.name,
            variant=values.get("variant"),
            scenario_file=base.scenario_file,
            sets=tuple(sets),
            profile_config=config,
        )


@dataclass(frozen=True, kw_only=True)
class SweepPlan:
    """Everything that defines a sweep: axes, scenarios, shared inputs, studies.

    Parameters
    ----------
    axes
        The varied quantities (the coordinates of the ``scenario`` dimension).
    points
        The scenarios, in order.
    base
        What every scenario shares.
    studies
        Registered studies run on every scenario, upstream studies first.
    months
        Months studied (all when empty).
    """

    axes: tuple[Axis, ...]
    points: tuple[SweepPoint, ...]
    base: SweepBase
    studies: tuple[str, ...]
    months: tuple[int, ...] = ()

    def configs(self) -> dict[str, object]:
        """Return the settings of each study: its defaults, the sweep's months, one thread.

        One solver thread per task: the sweep's parallelism is its Dask workers.
        """
        from casa1000.studies.registry import study_spec

        return {
            name: with_fields(study_spec(name).config_type(), months=self.months, threads=1)
            for name in self.studies
        }

    def key(self, point: SweepPoint) -> str:
        """Identity of a scenario's results: same inputs and settings, same key.

        A resumed sweep skips the scenarios whose key already has finished results.
        """
        from casa1000.studies.spine.study import config_json

        scenario_file = self.base.scenario_file
        data = {
            "values": sorted(point.values),
            "year": self.base.year,
            "sets": list(self.base.sets),
            "scenario_file": _file_digest(scenario_file) if scenario_file else None,
            "studies": {k: json.loads(config_json(v)) for k, v in self.configs().items()},
        }
        text = json.dumps(data, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_json(self) -> dict[str, object]:
        """JSON form, recorded in the sweep folder (``--resume`` without axes reads it)."""
        return {
            "axes": [{"name": a.name, "values": list(a.values)} for a in self.axes],
            "points": [{"name": p.name, "values": dict(p.values)} for p in self.points],
            "base": {
                "year": self.base.year,
                "scenario_file": str(self.base.scenario_file) if self.base.scenario_file else None,
                "sets": list(self.base.sets),
            },
            "studies": list(self.studies),
            "months": list(self.months),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object], *, where: str) -> SweepPlan:
        """Read a plan written by :meth:`to_json`.

        Raises
        ------
        InputError
            If the record is not a sweep plan.
        """
        try:
            axes_in = data["axes"]
            points_in = data["points"]
            base_in = data["base"]
            assert isinstance(axes_in, list) and isinstance(points_in, list)
            assert isinstance(base_in, dict)
            axes = tuple(make_axis(a["name"], a["values"], where=where) for a in axes_in)
            points = tuple(
                SweepPoint(
                    name=str(p["name"]),
                    values=tuple((a.name, str(p["values"][a.name])) for a in axes),
                )
                for p in points_in
            )
            file = base_in.get("scenario_file")
            base = SweepBase(
                year=None if base_in["year"] is None else int(base_in["year"]),
                scenario_file=Path(file) if file else None,
                sets=tuple(str(s) for s in base_in["sets"]),
            )
            studies = data["studies"]
            months = data["months"]
            assert isinstance(studies, list) and isinstance(months, list)
        except (KeyError, TypeError, ValueError, AssertionError):
            raise InputError(
                where, "plan", "unreadable", "a sweep plan written by casa1000"
            ) from None
        return cls(
            axes=axes,
            points=points,
            base=base,
            studies=tuple(str(s) for s in studies),
            months=tuple(int(m) for m in months),
        )


def product_points(axes: Sequence[Axis]) -> tuple[SweepPoint, ...]:
    """Every combination of the axes' values, the first axis varying slowest.

    A scenario is named by the values of the axes that take more than one value
    (``hydrology=dry variant=as_built``); a single scenario is ``base``.

    Examples
    --------
    >>> a = make_axis("hydrology", ["dry", "wet"], where="x")
    >>> b = make_axis("hvdc.rating_mw", ["1000"], where="x")
    >>> [p.name for p in product_points([a, b])]
    ['hydrology=dry', 'hydrology=wet']
    """
    points = []
    for combo in itertools.product(*(a.values for a in axes)):
        values = tuple(zip((a.name for a in axes), combo, strict=True))
        label = " ".join(
            f"{a.name}={v}" for a, v in zip(axes, combo, strict=True) if len(a.values) > 1
        )
        points.append(SweepPoint(name=label or "base", values=values))
    return tuple(points)


def with_fields(config: object, **values: object) -> object:
    """Return ``config`` (a dataclass) with those of ``values`` it has as fields replaced.

    Examples
    --------
    >>> from casa1000.studies.seasonal import SeasonalConfig
    >>> with_fields(SeasonalConfig(), months=(7,), unknown=1).months
    (7,)
    """
    if not dataclasses.is_dataclass(config) or isinstance(config, type):
        return config
    names = {f.name for f in dataclasses.fields(config)}
    return dataclasses.replace(config, **{k: v for k, v in values.items() if k in names})


def _check_members(where: str, key: str, texts: Sequence[str], allowed: Sequence[str]) -> None:
    for text in texts:
        if text not in allowed:
            raise InputError(where, key, text, "one of " + ", ".join(allowed))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _as_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return f"unreadable:{path}"
