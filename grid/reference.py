"""Reading the reference network of one variant from the seed files.

The seeds are CSV tables (one row per element, with ``source``, ``confidence``,
``note`` and ``variant`` columns) and ``hvdc.toml`` (one value table per
parameter).  Rows whose ``variant`` is ``all`` or the requested variant are kept.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterator
from importlib import resources
from typing import Any, TypeVar

from casa1000.errors import InputError
from casa1000.grid.coerce import build_element, coerce, field_types
from casa1000.grid.params import (
    Bus,
    Citation,
    Contract,
    DcSegment,
    External,
    GridParams,
    Hvdc,
    HvdcTerminal,
    Line,
    LineType,
    Load,
    Plant,
    Roles,
    Shunt,
    Tie,
    Trafo,
    Variant,
    Zone,
)

T = TypeVar("T")

SEED_PACKAGE = "casa1000.seeds"
PROVENANCE_COLUMNS = ("source", "confidence", "note", "variant")
CONFIDENCES = ("H", "M", "L")

TABLES: dict[str, tuple[str, type]] = {
    "zone": ("zones.csv", Zone),
    "bus": ("buses.csv", Bus),
    "line_type": ("line_types.csv", LineType),
    "line": ("lines.csv", Line),
    "trafo": ("trafos.csv", Trafo),
    "plant": ("plants.csv", Plant),
    "load": ("loads.csv", Load),
    "shunt": ("shunts.csv", Shunt),
    "external": ("externals.csv", External),
    "tie": ("ties.csv", Tie),
}
"""Dotted-key prefix -> (seed file, element class)."""


def seed_text(name: str) -> str:
    """Return the text of seed file ``name``."""
    return resources.files(SEED_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def seed_names() -> list[str]:
    """Names of all seed files, sorted."""
    return sorted(
        p.name
        for p in resources.files(SEED_PACKAGE).iterdir()
        if p.name.endswith((".csv", ".toml"))
    )


def read_csv_rows(name: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ``(where, row)`` for each data row of seed CSV ``name``.

    ``where`` reads ``seeds/<name> row <n>`` with the header as row 1.
    """
    reader = csv.DictReader(io.StringIO(seed_text(name)))
    for number, row in enumerate(reader, start=2):
        yield f"seeds/{name} row {number}", {k: (v or "") for k, v in row.items() if k}


def _citation(prefix: str, where: str, row: dict[str, str]) -> Citation:
    confidence = row.get("confidence", "")
    if confidence not in CONFIDENCES:
        raise InputError(where, f"{prefix}.confidence", confidence, "H, M or L")
    source = row.get("source", "")
    if not source:
        raise InputError(where, f"{prefix}.source", source, "a source id from seeds/sources.csv")
    return Citation(
        key=prefix, source=source, confidence=confidence, note=row.get("note", ""), origin=where
    )


def _read_table(
    prefix: str, variant: Variant
) -> tuple[list[Any], list[Citation], list[tuple[str, str]]]:
    name, cls = TABLES[prefix]
    names = set(field_types(cls))
    elements: list[Any] = []
    citations: list[Citation] = []
    origins: list[tuple[str, str]] = []
    for where, row in read_csv_rows(name):
        row_variant = row.get("variant", "all") or "all"
        if row_variant not in {"all", *Variant}:
            raise InputError(where, "variant", row_variant, "all, " + ", ".join(Variant))
        if row_variant not in {"all", variant.value}:
            continue
        key = f"{prefix}.{row.get('id', '')}"
        raw: dict[str, object] = {k: v for k, v in row.items() if k in names and v != ""}
        elements.append(build_element(cls, raw, where=where, prefix=key))
        citations.append(_citation(key, where, row))
        origins.append((key, where))
    return elements, citations, origins


def _toml_values(
    table: dict[str, Any], prefix: str, where: str
) -> tuple[dict[str, object], list[Citation]]:
    """Split ``{name: {value, source, confidence, note}}`` into values and citations."""
    values: dict[str, object] = {}
    citations: list[Citation] = []
    for name, entry in table.items():
        if isinstance(entry, dict) and "value" in entry:
            values[name] = entry["value"]
            citations.append(
                _citation(f"{prefix}.{name}", where, {k: str(v) for k, v in entry.items()})
            )
        else:
            values[name] = entry
    return values, citations


def load_reference(variant: Variant | str = Variant.AS_BUILT) -> GridParams:
    """Read the reference network of ``variant`` from the seeds.

    Parameters
    ----------
    variant
        ``"as_built"`` (two-terminal bipole) or ``"design_2014"`` (three terminals).

    Returns
    -------
    GridParams
        The parameters, with a citation for every element and HVDC value.

    Raises
    ------
    InputError
        If a seed row is malformed.

    Examples
    --------
    >>> params = load_reference("as_built")
    >>> [t.id for t in params.hvdc.terminals]
    ['SANGTUDA', 'NOWSHERA']
    """
    try:
        variant = Variant(variant)
    except ValueError:
        raise InputError("--variant", "variant", variant, ", ".join(Variant)) from None
    tables: dict[str, list[Any]] = {}
    citations: list[Citation] = []
    origins: list[tuple[str, str]] = []
    for prefix in TABLES:
        elements, cites, origs = _read_table(prefix, variant)
        tables[prefix] = elements
        citations += cites
        origins += origs

    where = "seeds/hvdc.toml"
    try:
        doc = tomllib.loads(seed_text("hvdc.toml"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(where, "toml", str(exc), "valid TOML") from None
    link, link_cites = _toml_values(doc["link"], "hvdc", where)
    dc_elements: dict[str, list[Any]] = {"terminal": [], "segment": []}
    for kind, cls in (("terminal", HvdcTerminal), ("segment", DcSegment)):
        for entry in doc.get(variant.value, {}).get(kind, []):
            key = f"hvdc.{kind}.{entry.get('id', '')}"
            values, cites = _toml_values(entry, key, where)
            dc_elements[kind].append(build_element(cls, values, where=where, prefix=key))
            citations += cites
            origins.append((key, where))
    terminals: list[HvdcTerminal] = dc_elements["terminal"]
    segments: list[DcSegment] = dc_elements["segment"]
    hvdc = _build_hvdc(link, tuple(terminals), tuple(segments), where)
    contract_values, contract_cites = _toml_values(doc["contract"], "contract", where)
    contract = build_element(Contract, contract_values, where=where, prefix="contract")
    citations += link_cites + contract_cites
    origins += [("hvdc", where), ("contract", where)]
    roles, role_cites = _read_roles()
    citations += role_cites
    origins.append(("roles", "seeds/roles.toml"))
    return GridParams(
        variant=variant,
        zones=tuple(tables["zone"]),
        buses=tuple(tables["bus"]),
        line_types=tuple(tables["line_type"]),
        lines=tuple(tables["line"]),
        trafos=tuple(tables["trafo"]),
        plants=tuple(tables["plant"]),
        loads=tuple(tables["load"]),
        shunts=tuple(tables["shunt"]),
        externals=tuple(tables["external"]),
        ties=tuple(tables["tie"]),
        hvdc=hvdc,
        contract=contract,
        roles=roles,
        citations=tuple(citations),
        origins=tuple(origins),
    )


def _read_roles() -> tuple[Roles, list[Citation]]:
    where = "seeds/roles.toml"
    try:
        doc = tomllib.loads(seed_text("roles.toml"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(where, "toml", str(exc), "valid TOML") from None
    values, cites = _toml_values(doc.get("roles", {}), "roles", where)
    return build_element(Roles, values, where=where, prefix="roles"), cites


def _build_hvdc(
    link: dict[str, object],
    terminals: tuple[HvdcTerminal, ...],
    segments: tuple[DcSegment, ...],
    where: str,
) -> Hvdc:
    scalar = {k: v for k, v in link.items() if k not in {"terminals", "segments"}}
    hints = field_types(Hvdc)
    kwargs: dict[str, Any] = {
        name: coerce(value, hints[name], where=where, key=f"hvdc.{name}")
        for name, value in scalar.items()
        if name in hints
    }
    unknown = sorted(set(scalar) - set(hints))
    if unknown:
        raise InputError(where, f"hvdc.{unknown[0]}", scalar[unknown[0]], "a field of Hvdc")
    return Hvdc(**kwargs, terminals=terminals, segments=segments)
