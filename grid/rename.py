"""Renaming elements of a parameter set, with every reference to them.

A variant of the network may name its elements differently (another study's
substation names, a utility's line codes).  Nothing in grid or study code may
depend on the reference IDs: the network roles (:class:`~casa1000.grid.params.Roles`,
a terminal's ``offtaker``, an external's ``area``) say which element plays which
part.  :func:`rename_ids` makes such a variant from the reference, and the tests
run the studies on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from casa1000.errors import InputError
from casa1000.grid.params import COLLECTIONS, GridParams

REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "bus": (
        ("lines", "from_bus"),
        ("lines", "to_bus"),
        ("trafos", "hv_bus"),
        ("trafos", "lv_bus"),
        ("plants", "bus"),
        ("loads", "bus"),
        ("shunts", "bus"),
        ("externals", "bus"),
        ("ties", "bus"),
        ("ties", "to_bus"),
    ),
    "line_type": (("lines", "line_type"),),
    "line": (("shunts", "line"),),
}
"""Kind of element -> (collection, field) pairs that hold its id."""


def rename_ids(params: GridParams, renames: Mapping[str, str]) -> GridParams:
    """Return ``params`` with elements renamed and every reference updated.

    Parameters
    ----------
    params
        The parameters (not modified).
    renames
        Dotted element key -> new id: ``"bus.KABUL_220"``, ``"line.DATKA_SUGHD"``,
        ``"external.CAPS_EXT"``, ``"hvdc.terminal.NOWSHERA"``, ...

    Returns
    -------
    GridParams
        The renamed parameters; the roles, terminal buses and DC segments follow.

    Raises
    ------
    InputError
        For a key that names no element.

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> p = rename_ids(load_reference(), {"line.DATKA_SUGHD": "KG_TJ_TIE"})
    >>> p.roles.supplier_ties
    ('KG_TJ_TIE',)
    """
    result = params
    for key, new in renames.items():
        kind, _, old = key.rpartition(".")
        result = _rename(result, kind, old, new, key)
    return result


def _swap(value: Any, old: str, new: str) -> Any:
    return new if value == old else value


def _rename(params: GridParams, kind: str, old: str, new: str, key: str) -> GridParams:
    changes: dict[str, Any] = {}
    if kind == "hvdc.terminal":
        hvdc = params.hvdc
        if old not in {t.id for t in hvdc.terminals}:
            raise InputError("rename", key, old, "an existing HVDC terminal")
        terminals = tuple(dataclasses.replace(t, id=_swap(t.id, old, new)) for t in hvdc.terminals)
        segments = tuple(
            dataclasses.replace(
                s,
                from_terminal=_swap(s.from_terminal, old, new),
                to_terminal=_swap(s.to_terminal, old, new),
            )
            for s in hvdc.segments
        )
        return dataclasses.replace(
            params, hvdc=dataclasses.replace(hvdc, terminals=terminals, segments=segments)
        )
    attr = COLLECTIONS.get(kind)
    if attr is None or old not in {e.id for e in getattr(params, attr)}:
        raise InputError("rename", key, old, "an existing element, e.g. line.DATKA_SUGHD")
    changes[attr] = tuple(
        dataclasses.replace(e, id=_swap(e.id, old, new)) for e in getattr(params, attr)
    )
    for collection, name in REFERENCES.get(kind, ()):
        if not hasattr(params, collection):
            continue
        elements = changes.get(collection, getattr(params, collection, ()))
        changes[collection] = tuple(
            dataclasses.replace(e, **{name: _swap(getattr(e, name), old, new)}) for e in elements
        )
    roles = params.roles
    if kind == "line":
        roles = dataclasses.replace(
            roles, supplier_ties=tuple(_swap(t, old, new) for t in roles.supplier_ties)
        )
    if kind == "external":
        roles = dataclasses.replace(
            roles, supplier_external=_swap(roles.supplier_external, old, new)
        )
    hvdc = params.hvdc
    if kind == "bus":
        hvdc = dataclasses.replace(
            hvdc,
            terminals=tuple(
                dataclasses.replace(t, bus=_swap(t.bus, old, new)) for t in hvdc.terminals
            ),
        )
    return dataclasses.replace(params, **changes, roles=roles, hvdc=hvdc)


__all__ = ["rename_ids"]
