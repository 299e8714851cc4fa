"""Changing the reference parameters by dotted key and by scenario files.

Keys name a value the way a planner would: ``hvdc.rating_mw``,
``line.DATKA_SUGHD.length_km``, ``plant.TOKTOGUL.in_service``,
``hvdc.terminal.KABUL.rating_mw``, ``contract.pakistan_mw``.  A key naming an
element that does not exist is refused with the closest id; an element is added
only explicitly, with every required field: ``add.line.NEW_TIE.from_bus=DATKA``.

A scenario file is TOML whose tables mirror the keys::

    variant = "design_2014"          # optional
    [hvdc]
    rating_mw = 1000
    [line.DATKA_SUGHD]
    in_service = false
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from casa1000.errors import InputError
from casa1000.grid.coerce import build_element, coerce, field_types
from casa1000.grid.params import (
    COLLECTIONS,
    HVDC_COLLECTIONS,
    Contract,
    GridParams,
    Hvdc,
    Roles,
)
from casa1000.grid.reference import TABLES

SINGLETONS: dict[str, type] = {"hvdc": Hvdc, "contract": Contract, "roles": Roles}
KEY_HELP = (
    "a key such as hvdc.rating_mw, contract.pakistan_mw, line.<ID>.length_km, "
    "hvdc.terminal.<ID>.rating_mw (sections: " + ", ".join([*COLLECTIONS, *SINGLETONS]) + ")"
)


def parse_set_options(options: Iterable[str], *, where: str = "--set") -> dict[str, str]:
    """Parse ``key=value`` options into a dict.

    Raises
    ------
    InputError
        For an option without ``=`` or with an empty key.
    """
    result: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            raise InputError(where, option, option, "key=value, e.g. hvdc.rating_mw=1000")
        result[key.strip()] = value.strip()
    return result


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in table.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(_flatten(value, dotted))
        else:
            flat[dotted] = value
    return flat


def read_scenario(path: Path) -> tuple[str | None, dict[str, object]]:
    """Read a scenario file: its optional ``variant`` and its dotted-key overrides.

    Parameters
    ----------
    path
        A TOML file.

    Returns
    -------
    tuple
        ``(variant or None, {dotted key: value})``.

    Raises
    ------
    InputError
        If the file cannot be read or is not valid TOML.
    """
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            str(path), "file", str(path), f"a readable file ({exc.strerror})"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "toml", str(exc), "valid TOML") from None
    variant = doc.pop("variant", None)
    doc.pop("description", None)
    doc.pop("profiles", None)  # the study year's settings: read by the study scenario
    if variant is not None and not isinstance(variant, str):
        raise InputError(str(path), "variant", variant, "a text such as as_built")
    return variant, _flatten(doc)


ADD_PREFIX = "add."
"""Keys that create an element start with this (``add.line.NEW.from_bus=DATKA``), so a
typo in an existing element's id is an error, never a new element."""


def _suggest(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean X?)"`` for the closest of ``choices``, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _split(key: str, value: object, where: str) -> tuple[str, str | None, str | None, str]:
    """Split a key into collection path, element id, sub-collection id and field."""
    parts = key.split(".")
    head = parts[0]
    if head in COLLECTIONS and len(parts) == 3:
        return head, parts[1], None, parts[2]
    if head == "hvdc" and len(parts) == 2:
        return head, None, None, parts[1]
    if head == "hvdc" and len(parts) == 4 and parts[1] in HVDC_COLLECTIONS:
        return f"hvdc.{parts[1]}", parts[2], None, parts[3]
    if head in ("contract", "roles") and len(parts) == 2:
        return head, None, None, parts[1]
    raise InputError(where, key, value, KEY_HELP)


def _element_class(path: str) -> type:
    if path in COLLECTIONS:
        return TABLES[path][1]
    if path.startswith("hvdc."):
        from casa1000.grid.params import DcSegment, HvdcTerminal

        return {"hvdc.terminal": HvdcTerminal, "hvdc.segment": DcSegment}[path]
    return SINGLETONS[path]


def _replace_in(
    elements: tuple[Any, ...],
    path: str,
    ident: str,
    values: dict[str, object],
    where: str,
    *,
    add: bool = False,
) -> tuple[Any, ...]:
    cls = _element_class(path)
    hints = field_types(cls)
    fields = [h for h in hints if h != "id"]
    for name, value in values.items():
        if name not in hints or name == "id":
            raise InputError(
                where,
                f"{path}.{ident}.{name}",
                value,
                "one of the fields " + ", ".join(fields) + _suggest(name, fields),
            )
    existing = [e for e in elements if e.id == ident]
    if existing and add:
        raise InputError(where, f"{ADD_PREFIX}{path}.{ident}", ident, f"a new {path} id")
    if not existing and not add:
        ids = [e.id for e in elements]
        raise InputError(
            where,
            f"{path}.{ident}",
            ident,
            f"an existing {path} id{_suggest(ident, ids)}; to add one, write "
            f"{ADD_PREFIX}{path}.{ident}.<field>=... for every field",
        )
    if not existing:
        new: Any = build_element(
            cls, {**values, "id": ident}, where=where, prefix=f"{path}.{ident}"
        )
        return (*elements, new)
    changes = {
        name: coerce(value, hints[name], where=where, key=f"{path}.{ident}.{name}")
        for name, value in values.items()
    }
    return tuple(dataclasses.replace(e, **changes) if e.id == ident else e for e in elements)


def apply_overrides(
    params: GridParams, overrides: Mapping[str, object], *, where: str
) -> GridParams:
    """Return a copy of ``params`` with ``overrides`` applied.

    Parameters
    ----------
    params
        The parameters to start from (not modified).
    overrides
        Dotted key -> value (text from ``--set`` or a TOML value).
    where
        Where the overrides come from, named in errors and recorded as their origin.

    Returns
    -------
    GridParams
        The changed parameters.

    Raises
    ------
    InputError
        For an unknown key or field, a value of the wrong type, or a new element
        missing a required field.

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> p = apply_overrides(load_reference(), {"hvdc.rating_mw": "1000"}, where="--set")
    >>> p.hvdc.rating_mw
    1000.0
    """
    grouped: dict[tuple[str, str | None], dict[str, object]] = {}
    added: set[tuple[str, str | None]] = set()
    for key, value in overrides.items():
        adding = key.startswith(ADD_PREFIX)
        path, ident, _, name = _split(key.removeprefix(ADD_PREFIX), value, where)
        if adding and ident is None:
            raise InputError(where, key, value, "add.<collection>.<new id>.<field>=value")
        grouped.setdefault((path, ident), {})[name] = value
        if adding:
            added.add((path, ident))
    result = params
    origins = list(params.origins)
    for (path, ident), values in grouped.items():
        if path in COLLECTIONS and ident is not None:
            attr = COLLECTIONS[path]
            elements = _replace_in(
                getattr(result, attr), path, ident, values, where, add=(path, ident) in added
            )
            changes_: dict[str, Any] = {attr: elements}
            result = dataclasses.replace(result, **changes_)
        elif path.startswith("hvdc.") and ident is not None:
            attr = HVDC_COLLECTIONS[path.split(".")[1]]
            elements = _replace_in(
                getattr(result.hvdc, attr), path, ident, values, where, add=(path, ident) in added
            )
            hvdc_changes: dict[str, Any] = {attr: elements}
            result = dataclasses.replace(
                result, hvdc=dataclasses.replace(result.hvdc, **hvdc_changes)
            )
        else:
            cls = SINGLETONS[path]
            hints = field_types(cls)
            changes: dict[str, object] = {}
            for name, value in values.items():
                if name not in hints or name in {"terminals", "segments"}:
                    names = [h for h in hints if h not in {"terminals", "segments"}]
                    allowed = "one of the fields " + ", ".join(names) + _suggest(name, names)
                    raise InputError(where, f"{path}.{name}", value, allowed)
                changes[name] = coerce(value, hints[name], where=where, key=f"{path}.{name}")
            result = dataclasses.replace(
                result, **{path: dataclasses.replace(getattr(result, path), **changes)}
            )
        for name in values:
            origins.append((f"{path}.{ident}.{name}" if ident else f"{path}.{name}", where))
    return dataclasses.replace(result, origins=tuple(origins))


def load_params(
    *,
    variant: str | None = None,
    scenario: Path | None = None,
    sets: Iterable[str] = (),
) -> GridParams:
    """Load the reference network of a variant with a scenario file and ``--set`` options on top.

    Parameters
    ----------
    variant
        ``as_built`` or ``design_2014``; when None, the scenario's ``variant`` or ``as_built``.
    scenario
        Optional TOML scenario file, applied first.
    sets
        ``key=value`` options, applied last.

    Returns
    -------
    GridParams
        Validated parameters.

    Raises
    ------
    InputError
        For any bad key, value, reference or range.
    """
    from casa1000.grid.reference import load_reference
    from casa1000.grid.validate import validate_params

    scenario_variant, scenario_values = (None, {}) if scenario is None else read_scenario(scenario)
    chosen = variant or scenario_variant or "as_built"
    where = "--variant" if variant else str(scenario)
    try:
        params = load_reference(chosen)
    except InputError as exc:
        raise InputError(where, "variant", chosen, exc.allowed) from None
    if scenario_values:
        params = apply_overrides(params, scenario_values, where=str(scenario))
    overrides = parse_set_options(sets)
    if overrides:
        params = apply_overrides(params, overrides, where="--set")
    return validate_params(params)
