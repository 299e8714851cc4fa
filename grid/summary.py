"""Plain-data summaries of the network for ``casa1000 grid show`` and ``grid check``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from casa1000.grid.areas import synchronous_areas
from casa1000.grid.builder import element_ids
from casa1000.grid.params import GridParams
from casa1000.grid.validate import check_params


def describe_network(params: GridParams) -> dict[str, Any]:
    """Elements by zone with their key ratings, keyed by string IDs.

    Parameters
    ----------
    params
        The network.

    Returns
    -------
    dict
        ``zones``: per zone the buses, plants (MW), lines (km, MVA), transformers
        (MVA) and loads; ``hvdc``: the link; ``areas``: buses per synchronous area.
    """
    zone_of = {b.id: b.zone for b in params.buses}
    types = {t.id: t for t in params.line_types}
    zones: dict[str, dict[str, Any]] = {}

    def zone(z: str) -> dict[str, Any]:
        return zones.setdefault(
            z, {"buses": [], "plants": {}, "lines": {}, "trafos": {}, "loads": {}, "shunts": {}}
        )

    for b in params.buses:
        zone(b.zone)["buses"].append(b.id)
    for p in params.plants:
        zone(p.zone)["plants"][p.id] = {
            "bus": p.bus,
            "technology": p.technology.value,
            "units": p.units,
            "p_max_mw": p.p_max_mw,
            "in_service": p.in_service,
        }
    for ln in params.lines:
        t = types[ln.line_type]
        rating = 3**0.5 * t.vn_kv * t.max_i_ka
        zone(zone_of[ln.from_bus])["lines"][ln.id] = {
            "from_bus": ln.from_bus,
            "to_bus": ln.to_bus,
            "length_km": ln.length_km,
            "circuits": ln.circuits,
            "rating_mva_per_circuit": round(rating, 1),
            "in_service": ln.in_service,
        }
    for tr in params.trafos:
        zone(zone_of[tr.hv_bus])["trafos"][tr.id] = {
            "hv_bus": tr.hv_bus,
            "lv_bus": tr.lv_bus,
            "units": tr.units,
            "sn_mva": tr.sn_mva,
        }
    for ld in params.loads:
        zone(ld.zone)["loads"][ld.id] = {
            "bus": ld.bus,
            "share": ld.share,
            "p_ref_mw": ld.p_ref_mw,
            "category": ld.category,
        }
    for sh in params.shunts:
        zone(zone_of[sh.bus])["shunts"][sh.id] = {
            "bus": sh.bus,
            "q_mvar": sh.q_mvar,
            "switching": sh.switching.value,
            "line": sh.line,
        }
    h = params.hvdc
    areas = synchronous_areas(params)
    return {
        "variant": params.variant.value,
        "zones": zones,
        "hvdc": {
            "rating_mw": h.rating_mw,
            "pole_voltage_kv": h.pole_voltage_kv,
            "poles": h.poles,
            "terminals": {
                t.id: {"bus": t.bus, "role": t.role.value, "rating_mw": t.rating_mw}
                for t in h.terminals
            },
            "segments": {
                s.id: {"from": s.from_terminal, "to": s.to_terminal, "length_km": s.length_km}
                for s in h.segments
            },
        },
        "areas": {
            a: sorted(b for b, x in areas.items() if x == a) for a in sorted(set(areas.values()))
        },
        "counts": {
            "buses": len(params.buses),
            "line_circuits": sum(len(element_ids(ln.id, ln.circuits)) for ln in params.lines),
            "trafo_units": sum(len(element_ids(t.id, t.units)) for t in params.trafos),
            "plants": len(params.plants),
            "loads": len(params.loads),
            "shunts": len(params.shunts),
            "converters": len(h.terminals),
        },
    }


def check_report(params: GridParams) -> dict[str, Any]:
    """Report validation problems (as one-line messages) and citation statistics.

    Parameters
    ----------
    params
        The network.

    Returns
    -------
    dict
        ``problems`` (list of str), ``ok`` (bool), ``confidence`` (count of
        cited values per H/M/L), ``assumptions`` (keys resting on a modelling
        assumption) and ``areas``.
    """
    problems = [str(p) for p in check_params(params)]
    confidence = Counter(c.confidence for c in params.citations)
    assumptions = sorted(c.key for c in params.citations if c.source == "casa1000_assumption")
    areas = Counter(a for a in synchronous_areas(params).values())
    return {
        "variant": params.variant.value,
        "ok": not problems,
        "problems": problems,
        "confidence": dict(sorted(confidence.items())),
        "assumptions": assumptions,
        "areas": dict(sorted(areas.items())),
    }
