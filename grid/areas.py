"""Synchronous areas: the AC islands of the network, each balanced by its own slack.

CAPS (Kyrgyzstan, Tajikistan, the Uzbek and Kazakh equivalent and, as built,
Afghanistan's corridor) and Pakistan's grid are joined only by HVDC, so they are
separate AC islands.  An area takes the ``area`` name of the external
equivalent in it (:attr:`~casa1000.grid.params.External.area`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from casa1000.grid.params import GridParams


def bus_components(bus_ids: list[str], edges: Iterable[tuple[str, str]]) -> npt.NDArray[np.int32]:
    """Connected-component label of each bus, given the in-service branch ends."""
    pos = {b: i for i, b in enumerate(bus_ids)}
    pairs = [(pos[a], pos[b]) for a, b in edges]
    n = len(bus_ids)
    if pairs:
        rows, cols = np.array(pairs).T
    else:
        rows = cols = np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels.astype(np.int32)


def branch_edges(params: GridParams) -> list[tuple[str, str]]:
    """Bus pairs joined by in-service lines, transformers and ties."""
    edges = [(ln.from_bus, ln.to_bus) for ln in params.lines if ln.in_service]
    edges += [(t.hv_bus, t.lv_bus) for t in params.trafos if t.in_service]
    edges += [(t.bus, t.to_bus) for t in params.ties if t.in_service]
    return edges


def synchronous_areas(params: GridParams) -> dict[str, str]:
    """Area name of every bus (``""`` for a bus in an island without a slack).

    Parameters
    ----------
    params
        The network.

    Returns
    -------
    dict
        Bus id -> area name (``"CAPS"``, ``"PK"``, ...).

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> areas = synchronous_areas(load_reference("as_built"))
    >>> areas["KABUL_220"], areas["NOWSHERA"]
    ('CAPS', 'PK')
    """
    bus_ids = [b.id for b in params.buses]
    labels = bus_components(bus_ids, branch_edges(params))
    label_of = dict(zip(bus_ids, labels, strict=True))
    names: dict[int, str] = {}
    for e in params.externals:
        names[int(label_of[e.bus])] = e.area
    return {b: names.get(int(label_of[b]), "") for b in bus_ids}


def equivalent_buses(params: GridParams) -> set[str]:
    """Buses that stand for the neighbours' networks: those of the suppliers' equivalent's zone.

    Power that flows between supplier buses only through these buses takes the
    path through the neighbouring systems, which the contract cannot count on.

    Parameters
    ----------
    params
        The network.

    Returns
    -------
    set of str
        Bus ids (empty when the suppliers' area has no external equivalent, or
        when the equivalent sits in a supplier zone).

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> "CAPS_EXT" in equivalent_buses(load_reference("as_built"))
    True
    """
    ext = params.supplier_external
    if ext is None:
        return set()
    zone = params.bus(ext.bus).zone
    if zone in params.roles.suppliers or zone in params.roles.offtakers:
        return set()
    return {b.id for b in params.buses if b.zone == zone}
