"""Validation of the parameter model: references, ranges and topology.

:func:`check_params` lists every problem; :func:`validate_params` raises the
first.  Each problem names where the value was set (seed file and row,
``--set`` or a scenario file), its dotted key, the value and what is allowed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from casa1000.errors import InputError
from casa1000.grid.areas import synchronous_areas
from casa1000.grid.params import (
    COLLECTIONS,
    OFFTAKER_MW_FIELD,
    SUPPLIER_SHARE_FIELD,
    GridParams,
    Technology,
)

Check = tuple[str, Callable[[Any], bool], str]
"""(field, predicate on its value, what is allowed)."""

MAX_MW = 100_000.0
"""Largest power a zone, load or equivalent may carry: three times Pakistan's record
demand, so a slip of units or zeros is refused while every real system passes [MW]."""
MAX_HVDC_MW = 12_000.0
"""Largest HVDC rating: the largest links built (Changji-Guquan, 12 GW) [MW]."""

RANGES: dict[str, list[Check]] = {
    "zone": [("ref_demand_mw", lambda v: 0 <= v <= MAX_MW, f"a demand in 0..{MAX_MW:g} MW")],
    "bus": [
        ("vn_kv", lambda v: 0 < v <= 1200, "a voltage in (0, 1200] kV"),
        ("lat", lambda v: -90 <= v <= 90, "a latitude in -90..90"),
        ("lon", lambda v: -180 <= v <= 180, "a longitude in -180..180"),
    ],
    "line_type": [
        ("r_ohm_per_km", lambda v: 0 <= v <= 5, "a resistance in 0..5 ohm/km"),
        ("x_ohm_per_km", lambda v: 0 < v <= 5, "a reactance in (0, 5] ohm/km"),
        ("c_nf_per_km", lambda v: 0 <= v <= 1000, "a capacitance in 0..1000 nF/km"),
        ("max_i_ka", lambda v: 0 < v <= 20, "a current rating in (0, 20] kA"),
    ],
    "line": [
        ("length_km", lambda v: 0 < v <= 3000, "a length in (0, 3000] km"),
        ("circuits", lambda v: 1 <= v <= 8, "1 to 8 circuits"),
    ],
    "trafo": [
        ("sn_mva", lambda v: 0 < v <= 5000, "a rating in (0, 5000] MVA"),
        ("vk_percent", lambda v: 0 < v < 50, "a short-circuit voltage in 0..50 %"),
        ("vkr_percent", lambda v: 0 <= v < 10, "a resistive part in 0..10 %"),
        ("units", lambda v: 1 <= v <= 8, "1 to 8 units"),
    ],
    "plant": [
        ("units", lambda v: 1 <= v <= 100, "1 to 100 units"),
        ("unit_mw", lambda v: 0 < v <= 2000, "a unit size in (0, 2000] MW"),
        ("p_max_mw", lambda v: 0 <= v <= 30000, "a capacity in 0..30000 MW"),
        ("vm_pu", lambda v: v is None or 0.9 <= v <= 1.1, "a set-point in 0.9..1.1 pu or empty"),
    ],
    "load": [
        ("share", lambda v: v is None or 0 <= v <= 1, "a share in 0..1 or empty"),
        (
            "p_ref_mw",
            lambda v: v is None or 0 <= v <= MAX_MW,
            f"a demand in 0..{MAX_MW:g} MW or empty",
        ),
        ("power_factor", lambda v: 0 < v <= 1, "a power factor in (0, 1]"),
    ],
    "shunt": [
        ("q_mvar", lambda v: abs(v) <= 5000, "a reactive power in -5000..5000 Mvar"),
        (
            "bank_mvar",
            lambda v: v is None or 0 < v <= 1000,
            "a bank size in (0, 1000] Mvar or empty",
        ),
    ],
    "external": [
        ("vm_pu", lambda v: 0.9 <= v <= 1.1, "a set-point in 0.9..1.1 pu"),
        ("max_import_mw", lambda v: 0 <= v <= MAX_MW, f"an import capability in 0..{MAX_MW:g} MW"),
        ("q_min_mvar", lambda v: v <= 0, "a reactive capability <= 0 Mvar (absorbing)"),
        ("q_max_mvar", lambda v: v >= 0, "a reactive capability >= 0 Mvar (producing)"),
    ],
    "tie": [
        ("sc_mva", lambda v: 0 < v <= 200_000, "a short-circuit power in (0, 200000] MVA"),
        ("x_r_ratio", lambda v: 0 < v <= 100, "an X/R ratio in (0, 100]"),
        ("circuits", lambda v: 1 <= v <= 8, "1 to 8 circuits"),
        ("max_i_ka", lambda v: v > 0, "a current rating > 0 kA"),
    ],
}

HVDC_RANGES: list[Check] = [
    ("pole_voltage_kv", lambda v: 0 < v <= 1100, "a voltage in (0, 1100] kV"),
    ("poles", lambda v: v in (1, 2), "1 or 2 poles"),
    ("rating_mw", lambda v: 0 < v <= MAX_HVDC_MW, f"a rating in (0, {MAX_HVDC_MW:g}] MW"),
    ("dc_r_ohm_per_km", lambda v: 0 <= v <= 1, "a resistance in 0..1 ohm/km"),
    ("converter_no_load_loss_fraction", lambda v: 0 <= v < 0.05, "a fraction in 0..0.05"),
    ("converter_load_loss_fraction", lambda v: 0 <= v < 0.05, "a fraction in 0..0.05"),
    ("firing_angle_deg", lambda v: 5 <= v <= 45, "an angle in 5..45 deg"),
    ("extinction_angle_deg", lambda v: 5 <= v <= 45, "an angle in 5..45 deg"),
    ("commutation_drop_pu", lambda v: 0 <= v < 0.3, "a drop in 0..0.3 pu"),
    ("min_power_fraction", lambda v: 0 <= v < 1, "a fraction in 0..1"),
]


def _ranges(params: GridParams) -> Iterable[InputError]:
    for prefix, checks in RANGES.items():
        for element in getattr(params, COLLECTIONS[prefix]):
            for name, ok, allowed in checks:
                value = getattr(element, name)
                if not ok(value):
                    key = f"{prefix}.{element.id}.{name}"
                    yield InputError(params.origin_of(key), key, value, allowed)
    for name, ok, allowed in HVDC_RANGES:
        value = getattr(params.hvdc, name)
        if not ok(value):
            yield InputError(params.origin_of(f"hvdc.{name}"), f"hvdc.{name}", value, allowed)
    for t in params.hvdc.terminals:
        for name, ok, allowed in (
            ("rating_mw", lambda v: 0 < v <= MAX_HVDC_MW, f"a rating in (0, {MAX_HVDC_MW:g}] MW"),
            ("filter_banks", lambda v: 0 <= v <= 20, "0 to 20 banks"),
            ("filter_bank_mvar", lambda v: 0 <= v <= 1000, "a bank size in 0..1000 Mvar"),
        ):
            key = f"hvdc.terminal.{t.id}.{name}"
            if not ok(getattr(t, name)):
                yield InputError(params.origin_of(key), key, getattr(t, name), allowed)
    for s in params.hvdc.segments:
        key = f"hvdc.segment.{s.id}.length_km"
        if not 0 < s.length_km <= 5000:
            yield InputError(params.origin_of(key), key, s.length_km, "a length in (0, 5000] km")
    yield from _contract(params)


def _contract(params: GridParams) -> Iterable[InputError]:
    """Check the contract: powers in range, shares that add up, a season of real dates."""
    c = params.contract
    for name in (*OFFTAKER_MW_FIELD.values(),):
        value = getattr(c, name)
        if not 0 <= value <= MAX_HVDC_MW:
            key = f"contract.{name}"
            allowed = f"a contracted power in 0..{MAX_HVDC_MW:g} MW"
            yield InputError(params.origin_of(key), key, value, allowed)
    shares = {name: getattr(c, name) for name in SUPPLIER_SHARE_FIELD.values()}
    for name, value in shares.items():
        if not 0 <= value <= 1:
            key = f"contract.{name}"
            yield InputError(params.origin_of(key), key, value, "a share in 0..1")
    if all(0 <= v <= 1 for v in shares.values()) and abs(sum(shares.values()) - 1) > 1e-6:
        # name the share the user changed, not the one the seeds set
        changed = [n for n in shares if not params.origin_of(f"contract.{n}").startswith("seeds/")]
        name = (changed or list(shares))[-1]
        key = f"contract.{name}"
        terms = " + ".join(f"{n} {v:g}" for n, v in shares.items())
        allowed = f"shares of the suppliers that add up to 1 ({terms} = {sum(shares.values()):g})"
        yield InputError(params.origin_of(key), key, shares[name], allowed)
    for name in ("season_start", "season_end"):
        value = getattr(c, name)
        if not _month_day(value):
            key = f"contract.{name}"
            yield InputError(params.origin_of(key), key, value, "a date MM-DD such as 05-01")


def _month_day(text: str) -> bool:
    """Whether ``text`` is a real day of the year written MM-DD (29 February allowed)."""
    import datetime

    try:
        datetime.date.fromisoformat(f"2028-{text}")
    except ValueError:
        return False
    return len(text) == 5


def _references(params: GridParams) -> Iterable[InputError]:
    for prefix, field_name in COLLECTIONS.items():
        counts = Counter(e.id for e in getattr(params, field_name))
        for ident, n in counts.items():
            if n > 1:
                key = f"{prefix}.{ident}"
                yield InputError(params.origin_of(key), key, ident, "a unique id")
    buses = {b.id for b in params.buses}
    zones = {z.id for z in params.zones}
    allowed_buses = "an existing bus id (see `casa1000 grid show`)"
    refs: list[tuple[str, str, str]] = []  # (prefix, field, collection it must name)
    refs += [
        ("line", "from_bus", "bus"),
        ("line", "to_bus", "bus"),
        ("line", "line_type", "line_type"),
    ]
    refs += [("trafo", "hv_bus", "bus"), ("trafo", "lv_bus", "bus")]
    refs += [("plant", "bus", "bus"), ("load", "bus", "bus"), ("shunt", "bus", "bus")]
    refs += [("external", "bus", "bus"), ("bus", "zone", "zone"), ("plant", "zone", "zone")]
    refs += [("tie", "bus", "bus"), ("tie", "to_bus", "bus")]
    refs += [("load", "zone", "zone")]
    known = {
        "bus": buses,
        "line_type": {t.id for t in params.line_types},
        "zone": zones,
    }
    for prefix, name, target in refs:
        for element in getattr(params, COLLECTIONS[prefix]):
            value = getattr(element, name)
            if value not in known[target]:
                key = f"{prefix}.{element.id}.{name}"
                allowed = allowed_buses if target == "bus" else f"one of {sorted(known[target])}"
                yield InputError(params.origin_of(key), key, value, allowed)
    lines = {ln.id for ln in params.lines}
    for sh in params.shunts:
        if sh.line and sh.line not in lines:
            key = f"shunt.{sh.id}.line"
            yield InputError(params.origin_of(key), key, sh.line, "an existing line id or empty")
    for t in params.hvdc.terminals:
        if t.bus not in buses:
            key = f"hvdc.terminal.{t.id}.bus"
            yield InputError(params.origin_of(key), key, t.bus, allowed_buses)
    offtakers = set(params.roles.offtakers)
    for t in params.hvdc.inverters:
        if t.offtaker not in offtakers:
            key = f"hvdc.terminal.{t.id}.offtaker"
            yield InputError(params.origin_of(key), key, t.offtaker, f"one of {sorted(offtakers)}")
    for ln in params.roles.supplier_ties:
        if ln not in lines:
            key = "roles.supplier_ties"
            yield InputError(params.origin_of(key), key, ln, "an existing line id")
    if params.roles.supplier_external not in {e.id for e in params.externals}:
        key = "roles.supplier_external"
        yield InputError(
            params.origin_of(key),
            key,
            params.roles.supplier_external,
            f"one of {sorted(e.id for e in params.externals)}",
        )
    terminals = {t.id for t in params.hvdc.terminals}
    for s in params.hvdc.segments:
        for name in ("from_terminal", "to_terminal"):
            value = getattr(s, name)
            if value not in terminals:
                key = f"hvdc.segment.{s.id}.{name}"
                yield InputError(params.origin_of(key), key, value, f"one of {sorted(terminals)}")


def _electrical(params: GridParams) -> Iterable[InputError]:
    by_id = {b.id: b for b in params.buses}
    types = {t.id: t for t in params.line_types}
    for ln in params.lines:
        t = types.get(ln.line_type)
        for end in (ln.from_bus, ln.to_bus):
            b = by_id.get(end)
            if t and b and abs(b.vn_kv - t.vn_kv) > 1e-6:
                key = f"line.{ln.id}.line_type"
                allowed = f"a {b.vn_kv:g} kV line type to match bus {b.id}"
                yield InputError(params.origin_of(key), key, ln.line_type, allowed)
                break
    external_buses = {e.bus for e in params.externals}
    for tie in params.ties:
        a, b = by_id.get(tie.bus), by_id.get(tie.to_bus)
        if a and b and abs(a.vn_kv - b.vn_kv) > 1e-6:
            key = f"tie.{tie.id}.to_bus"
            yield InputError(params.origin_of(key), key, tie.to_bus, f"a {a.vn_kv:g} kV bus")
        if tie.to_bus not in external_buses:
            key = f"tie.{tie.id}.to_bus"
            allowed = "the bus of an external equivalent: " + ", ".join(sorted(external_buses))
            yield InputError(params.origin_of(key), key, tie.to_bus, allowed)
    for tr in params.trafos:
        hv, lv = by_id.get(tr.hv_bus), by_id.get(tr.lv_bus)
        if hv and lv and hv.vn_kv <= lv.vn_kv:
            key = f"trafo.{tr.id}.hv_bus"
            yield InputError(params.origin_of(key), key, tr.hv_bus, "the higher-voltage bus")
        if tr.vkr_percent >= tr.vk_percent:
            key = f"trafo.{tr.id}.vkr_percent"
            yield InputError(params.origin_of(key), key, tr.vkr_percent, "less than vk_percent")
    for p in params.plants:
        if abs(p.p_max_mw - p.units * p.unit_mw) > 0.01 * max(p.p_max_mw, 1.0) + 20:
            key = f"plant.{p.id}.p_max_mw"
            yield InputError(
                params.origin_of(key),
                key,
                p.p_max_mw,
                f"about units x unit_mw = {p.units * p.unit_mw:g} MW",
            )
        if p.technology is not Technology.THERMAL and not p.cascade:
            key = f"plant.{p.id}.cascade"
            yield InputError(
                params.origin_of(key), key, p.cascade, "a cascade name for a hydro plant"
            )
    setpoints: dict[str, set[float]] = {}
    for p in params.plants:
        if p.vm_pu is not None and p.in_service:
            setpoints.setdefault(p.bus, set()).add(p.vm_pu)
    for bus, values in setpoints.items():
        if len(values) > 1:
            key = f"bus.{bus}"
            yield InputError(
                params.origin_of(key),
                f"plant vm_pu at {bus}",
                sorted(values),
                "one set-point per bus",
            )


def _topology(params: GridParams) -> Iterable[InputError]:
    areas = synchronous_areas(params)
    loaded = {ld.bus for ld in params.loads} | {p.bus for p in params.plants}
    loaded |= {t.bus for t in params.hvdc.terminals}
    for bus, area in areas.items():
        if not area and bus in loaded:
            key = f"bus.{bus}"
            yield InputError(
                params.origin_of(key), key, bus, "a bus connected to an area with an external slack"
            )
    slack_buses: dict[str, list[str]] = {}
    for e in params.externals:
        slack_buses.setdefault(areas.get(e.bus, ""), []).append(e.id)
    for area, ids in slack_buses.items():
        if len(ids) > 1:
            key = f"external.{ids[1]}"
            yield InputError(
                params.origin_of(key),
                key,
                ids[1],
                f"one external slack per area ({area} has {ids})",
            )


def check_params(params: GridParams) -> list[InputError]:
    """Every problem of ``params``, in a stable order (empty when valid).

    Parameters
    ----------
    params
        The network.

    Returns
    -------
    list of InputError
        One entry per problem.
    """
    problems = list(_references(params))
    problems += list(_ranges(params))
    if not problems:
        problems += list(_electrical(params))
        problems += list(_topology(params))
    return problems


def validate_params(params: GridParams) -> GridParams:
    """Return ``params`` unchanged if valid, else raise its first problem.

    Raises
    ------
    InputError
        The first problem :func:`check_params` finds.
    """
    problems = check_params(params)
    if problems:
        raise problems[0]
    return params


__all__ = ["check_params", "validate_params"]
