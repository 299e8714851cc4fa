"""Which outages a contingency study screens: the automatic N-1 set plus named N-k groups.

:func:`define_contingencies` lists, in this order, the base case, every AC line
circuit, every transformer unit, one unit of every plant whose units are at
least ``min_unit_mw``, the trip of every plant of at least ``min_plant_mw``, one
HVDC pole (the bipole falls to half its rating), the whole link, and the named
groups of ``seeds/contingency_groups.toml`` (or a user file of the same layout).
IDs are stable strings: ``BASE``, ``LINE:DATKA_SUGHD``, ``TRAFO:DATKA_T/1``,
``UNIT:NUREK``, ``PLANT:NUREK``, ``POLE:SANGTUDA_NOWSHERA``,
``BIPOLE:SANGTUDA_NOWSHERA``, ``GROUP:AFGHAN_CORRIDOR``.

What happens after each outage is the business of
:mod:`casa1000.studies.security.post_contingency`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from casa1000.errors import InputError
from casa1000.grid.builder import BuiltNet
from casa1000.grid.reference import CONFIDENCES, seed_text

GROUPS_SEED = "contingency_groups.toml"


class ContingencyKind(StrEnum):
    """What a contingency takes out of service."""

    BASE = "base"
    """Nothing: the pre-contingency state, reported alongside the outages."""
    LINE = "line"
    TRAFO = "trafo"
    UNIT = "unit"
    """One unit of a plant."""
    PLANT = "plant"
    """A whole plant."""
    HVDC_POLE = "hvdc_pole"
    HVDC_BIPOLE = "hvdc_bipole"
    GROUP = "group"
    """A named N-k group."""


PREFIX = {
    ContingencyKind.BASE: "BASE",
    ContingencyKind.LINE: "LINE",
    ContingencyKind.TRAFO: "TRAFO",
    ContingencyKind.UNIT: "UNIT",
    ContingencyKind.PLANT: "PLANT",
    ContingencyKind.HVDC_POLE: "POLE",
    ContingencyKind.HVDC_BIPOLE: "BIPOLE",
    ContingencyKind.GROUP: "GROUP",
}
"""ID prefix of each kind."""


@dataclass(frozen=True, kw_only=True)
class Contingency:
    """One contingency: the elements it takes out together.

    Parameters
    ----------
    id
        Stable string ID (``"LINE:DATKA_SUGHD"``).
    kind
        What it is.
    branches
        Line circuits and transformer units taken out (branch IDs of
        :attr:`~casa1000.grid.builder.NetIndex.branch_ids`).
    units
        Plants that each lose one unit.
    plants
        Plants tripped entirely.
    poles_lost
        HVDC poles lost (0, 1 or all).
    description
        Human-readable text.
    source
        Bibliography id of a named group (empty for the automatic set).
    """

    id: str
    kind: ContingencyKind
    branches: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    plants: tuple[str, ...] = ()
    poles_lost: int = 0
    description: str = ""
    source: str = ""


def _expand_branches(built: BuiltNet, names: list[Any], where: str) -> tuple[str, ...]:
    ix = built.index
    out: list[str] = []
    allowed = "a line circuit, a whole line or a transformer unit of the network"
    for name in names:
        if not isinstance(name, str):
            raise InputError(where, "branches", name, allowed)
        if name in ix.line or name in ix.trafo:
            out.append(name)
            continue
        children = [c for c, p in {**ix.line_parent, **ix.trafo_parent}.items() if p == name]
        if not children:
            raise InputError(where, "branches", name, allowed)
        out.extend(children)
    return tuple(dict.fromkeys(out))


def _plants(built: BuiltNet, names: list[Any], where: str, key: str) -> tuple[str, ...]:
    known = {p.id for p in built.params.plants if p.in_service}
    for name in names:
        if name not in known:
            raise InputError(
                where, key, name, f"an in-service plant id ({', '.join(sorted(known))})"
            )
    return tuple(str(n) for n in names)


def load_groups(built: BuiltNet, groups_file: Path | None = None) -> tuple[Contingency, ...]:
    """Read the named N-k groups that apply to the variant of ``built``.

    Parameters
    ----------
    built
        The network whose element IDs the groups name.
    groups_file
        TOML file of ``[[group]]`` tables; ``seeds/contingency_groups.toml`` by default.

    Returns
    -------
    tuple of Contingency
        One ``GROUP`` contingency per group of this variant.

    Raises
    ------
    InputError
        If the file is unreadable or a group names an unknown element, lacks a
        source or has a bad confidence.
    """
    if groups_file is None:
        where, text = f"seeds/{GROUPS_SEED}", seed_text(GROUPS_SEED)
    else:
        where = str(groups_file)
        try:
            text = Path(groups_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise InputError(where, "file", where, "a readable TOML text file") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(where, "toml", str(exc), "valid TOML") from None
    variant = built.params.variant.value
    groups: list[Contingency] = []
    seen: set[str] = set()
    entries = data.get("group", [])
    if not isinstance(entries, list):
        raise InputError(where, "group", type(entries).__name__, "an array of [[group]] tables")
    for k, raw in enumerate(entries):
        at = f"{where} group {k + 1}"
        if not isinstance(raw, dict):
            raise InputError(at, "group", raw, "a [[group]] table")
        for key in ("branches", "units", "plants"):
            if not isinstance(raw.get(key, []), list):
                raise InputError(at, key, raw[key], 'a list of ids, e.g. ["DATKA_SUGHD"]')
        gid = raw.get("id")
        if not isinstance(gid, str) or not gid or gid in seen:
            raise InputError(at, "id", gid, "a unique non-empty string")
        seen.add(gid)
        if raw.get("variant", "all") not in ("all", variant):
            continue
        if not raw.get("source"):
            raise InputError(at, "source", raw.get("source"), "a source id from seeds/sources.csv")
        if raw.get("confidence") not in CONFIDENCES:
            raise InputError(at, "confidence", raw.get("confidence"), "H, M or L")
        branches = _expand_branches(built, list(raw.get("branches", [])), at)
        units = _plants(built, list(raw.get("units", [])), at, "units")
        plants = _plants(built, list(raw.get("plants", [])), at, "plants")
        poles = raw.get("poles_lost", 0)
        if not isinstance(poles, int) or not 0 <= poles <= built.params.hvdc.poles:
            raise InputError(at, "poles_lost", poles, f"0 to {built.params.hvdc.poles}")
        if not (branches or units or plants or poles):
            raise InputError(at, "branches", [], "at least one element to take out")
        groups.append(
            Contingency(
                id=f"{PREFIX[ContingencyKind.GROUP]}:{gid}",
                kind=ContingencyKind.GROUP,
                branches=branches,
                units=units,
                plants=plants,
                poles_lost=poles,
                description=str(raw.get("description", gid)),
                source=str(raw["source"]),
            )
        )
    return tuple(groups)


def define_contingencies(
    built: BuiltNet,
    *,
    min_unit_mw: float = 100.0,
    min_plant_mw: float = 1000.0,
    groups_file: Path | None = None,
    include_groups: bool = True,
) -> tuple[Contingency, ...]:
    """List the contingencies of a network: base case, automatic N-1 and named groups.

    Parameters
    ----------
    built
        The network.
    min_unit_mw
        Smallest unit whose loss is screened [MW].
    min_plant_mw
        Smallest plant (``p_max_mw``) whose trip is screened [MW].
    groups_file
        Named groups (see :func:`load_groups`); the seed file by default.
    include_groups
        Add the named groups.

    Returns
    -------
    tuple of Contingency
        ``BASE`` first, then lines, transformers, units, plants, HVDC and groups.

    Examples
    --------
    >>> from casa1000.grid.builder import build_net
    >>> from casa1000.grid.reference import load_reference
    >>> cs = define_contingencies(build_net(load_reference("as_built")))
    >>> [c.id for c in cs][:2], "POLE:SANGTUDA_NOWSHERA" in {c.id for c in cs}
    (['BASE', 'LINE:TOKTOGUL_FRUNZE'], True)
    """
    net, ix, params = built.net, built.index, built.params
    out = [Contingency(id="BASE", kind=ContingencyKind.BASE, description="no outage")]
    for cid, pos in ix.line.items():
        if bool(net.line.in_service.at[pos]):
            out.append(
                Contingency(
                    id=f"LINE:{cid}",
                    kind=ContingencyKind.LINE,
                    branches=(cid,),
                    description=f"line circuit {cid}",
                )
            )
    for uid, pos in ix.trafo.items():
        if bool(net.trafo.in_service.at[pos]):
            out.append(
                Contingency(
                    id=f"TRAFO:{uid}",
                    kind=ContingencyKind.TRAFO,
                    branches=(uid,),
                    description=f"transformer unit {uid}",
                )
            )
    live = [p for p in params.plants if p.in_service]
    for p in live:
        if p.unit_mw >= min_unit_mw:
            out.append(
                Contingency(
                    id=f"UNIT:{p.id}",
                    kind=ContingencyKind.UNIT,
                    units=(p.id,),
                    description=f"one {p.unit_mw:g} MW unit of {p.name}",
                )
            )
    for p in live:
        if p.p_max_mw >= min_plant_mw:
            out.append(
                Contingency(
                    id=f"PLANT:{p.id}",
                    kind=ContingencyKind.PLANT,
                    plants=(p.id,),
                    description=f"trip of {p.name} ({p.p_max_mw:g} MW)",
                )
            )
    hvdc = params.hvdc
    link = f"{hvdc.rectifier.id}_{hvdc.inverters[-1].id}" if hvdc.inverters else "HVDC"
    if hvdc.poles > 1:
        out.append(
            Contingency(
                id=f"POLE:{link}",
                kind=ContingencyKind.HVDC_POLE,
                poles_lost=1,
                description="one HVDC pole (the link falls to half its rating)",
            )
        )
    out.append(
        Contingency(
            id=f"BIPOLE:{link}",
            kind=ContingencyKind.HVDC_BIPOLE,
            poles_lost=hvdc.poles,
            description="the whole HVDC link",
        )
    )
    if include_groups:
        out.extend(load_groups(built, groups_file))
    return tuple(out)
