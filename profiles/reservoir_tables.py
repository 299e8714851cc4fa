"""Read the reservoir seeds: volumes, rule curves, operating rules and the plants on each river.

``seeds/reservoirs.csv``
    One row per seasonal reservoir: zone, the inflow series of
    ``profile_inflow.csv`` that feeds it *or* the reservoir upstream whose
    outflow feeds it, full and dead volume [km3 = bcm].
``seeds/profile_reservoir_rule.csv``
    The normal-year rule curve: end-of-month volume of every reservoir [bcm].
``seeds/profile_reservoir_operation.csv``
    Minimum release [m3/s], hedging share, 1 October target [bcm] and the
    supplier whose CASA export the reservoir backs.
``seeds/profile_reservoir_plant.csv``
    Which plants run on which reservoir's water: ``upstream`` (on its natural
    inflow), ``dam`` (its turbines take the release) or ``downstream`` (on its
    outflow: release plus spill).

Reservoirs are returned upstream first, so a reservoir's inflow is known before
it is operated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

from casa1000.errors import InputError
from casa1000.profiles.seed_cells import number, row_of, text

RESERVOIR_FILES: Final[tuple[str, ...]] = (
    "reservoirs.csv",
    "profile_reservoir_rule.csv",
    "profile_reservoir_operation.csv",
    "profile_reservoir_plant.csv",
)
"""The seed files read here (all part of the profile ``seed_hash``)."""

POSITIONS: Final[tuple[str, ...]] = ("upstream", "dam", "downstream")


@dataclass(frozen=True, kw_only=True)
class ReservoirSeed:
    """One seasonal reservoir and the plants that run on its water.

    Parameters
    ----------
    id
        Reservoir id (``TOKTOGUL``, ``ROGUN``, ``NUREK``).
    zone
        Zone of its plants.
    inflow_series
        Series of ``profile_inflow.csv`` giving its natural inflow; empty when
        the inflow is the outflow of ``upstream``.
    upstream
        Reservoir whose outflow (release plus spill) is this one's inflow.
    full_bcm
        Volume at the normal retaining level; above it water spills [km3].
    dead_bcm
        Dead storage: the operation never draws the reservoir below it [km3].
    guide_bcm
        Normal-year rule curve: volume at the end of each month, January first [km3].
    min_release_m3_per_s
        Release kept whenever the reservoir is above its dead storage [m3/s].
    hedging_share
        Share of a winter shortfall (against the rule curve's end-of-March
        volume) taken from storage below the curve; the rest is cut from the
        release [-].
    october_target_bcm
        Volume the reservoir must still reach on 1 October under the
        ``october-target`` export rule [km3].
    export_supplier
        Supplier zone whose CASA export this reservoir may back with extra
        release (empty: none).
    dam_plant
        The plant whose turbines take the release.
    upstream_plants
        Plants running on the reservoir's natural inflow above it.
    downstream_plants
        Plants running on its outflow below it.
    """

    id: str
    zone: str
    inflow_series: str
    upstream: str
    full_bcm: float
    dead_bcm: float
    guide_bcm: tuple[float, ...]
    min_release_m3_per_s: float
    hedging_share: float
    october_target_bcm: float
    export_supplier: str
    dam_plant: str
    upstream_plants: tuple[str, ...]
    downstream_plants: tuple[str, ...]

    @property
    def plants(self) -> tuple[str, ...]:
        """Every plant on the reservoir's water: upstream, dam, downstream."""
        return (*self.upstream_plants, self.dam_plant, *self.downstream_plants)


def reservoir_seeds(
    tables: dict[str, pd.DataFrame], inflow_series: set[str], hydro_plants: set[str]
) -> tuple[ReservoirSeed, ...]:
    """Assemble and check the reservoir seeds.

    Parameters
    ----------
    tables
        Parsed seed CSVs by file name (at least :data:`RESERVOIR_FILES`).
    inflow_series
        Series names present in ``profile_inflow.csv``.
    hydro_plants
        Ids of the hydro plants of ``plants.csv``.

    Returns
    -------
    tuple of ReservoirSeed
        Upstream reservoirs first.

    Raises
    ------
    InputError
        On a missing row, a value out of range, an unknown series, plant or
        reservoir, a plant on two reservoirs, a reservoir without exactly one
        dam plant, or a loop of upstream links.
    """
    name = "reservoirs.csv"
    frame = tables[name]
    rows: dict[str, ReservoirSeed] = {}
    links = _plant_links(tables["profile_reservoir_plant.csv"], hydro_plants)
    for i in range(len(frame)):
        rid = text(frame, i, "reservoir")
        where = f"seeds/{name} row {i + 2}"
        full = number(frame, i, "full_bcm", name, 0.0, 100.0)
        dead = number(frame, i, "dead_bcm", name, 0.0, full)
        series, upstream = text(frame, i, "inflow_series"), text(frame, i, "upstream")
        if bool(series) == bool(upstream):
            raise InputError(where, "inflow_series,upstream", f"{series},{upstream}", "exactly one")
        if series and series not in inflow_series:
            raise InputError(where, "inflow_series", series, f"one of {sorted(inflow_series)}")
        guide = _guide(tables["profile_reservoir_rule.csv"], rid, dead, full)
        operation = tables["profile_reservoir_operation.csv"]
        op_name = "profile_reservoir_operation.csv"
        row = row_of(operation, op_name, "reservoir", rid)
        plants = [(plant, position) for plant, (res, position) in links.items() if res == rid]
        dams = [plant for plant, position in plants if position == "dam"]
        if len(dams) != 1:
            raise InputError(
                "seeds/profile_reservoir_plant.csv", f"dam plant of {rid}", dams, "exactly one"
            )
        rows[rid] = ReservoirSeed(
            id=rid,
            zone=text(frame, i, "zone"),
            inflow_series=series,
            upstream=upstream,
            full_bcm=full,
            dead_bcm=dead,
            guide_bcm=guide,
            min_release_m3_per_s=number(operation, row, "min_release_m3_per_s", op_name, 0, 1e4),
            hedging_share=number(operation, row, "hedging_share", op_name, 0.0, 1.0),
            october_target_bcm=number(operation, row, "october_target_bcm", op_name, dead, full),
            export_supplier=text(operation, row, "export_supplier"),
            dam_plant=dams[0],
            upstream_plants=tuple(p for p, position in plants if position == "upstream"),
            downstream_plants=tuple(p for p, position in plants if position == "downstream"),
        )
    unknown = sorted({res for res, _ in links.values()} - set(rows))
    if unknown:
        raise InputError("seeds/profile_reservoir_plant.csv", "reservoir", unknown[0], "a row")
    return _upstream_first(rows)


def _plant_links(frame: pd.DataFrame, hydro_plants: set[str]) -> dict[str, tuple[str, str]]:
    """Return ``{plant: (reservoir, position)}`` of ``profile_reservoir_plant.csv``."""
    name = "profile_reservoir_plant.csv"
    out: dict[str, tuple[str, str]] = {}
    for i in range(len(frame)):
        plant, position = text(frame, i, "plant"), text(frame, i, "position")
        where = f"seeds/{name} row {i + 2}"
        if plant not in hydro_plants:
            raise InputError(where, "plant", plant, "a hydro plant of plants.csv")
        if plant in out:
            raise InputError(where, "plant", plant, "each plant on one reservoir")
        if position not in POSITIONS:
            raise InputError(where, "position", position, f"one of {', '.join(POSITIONS)}")
        out[plant] = (text(frame, i, "reservoir"), position)
    return out


def _guide(frame: pd.DataFrame, rid: str, dead: float, full: float) -> tuple[float, ...]:
    """Return a reservoir's twelve end-of-month rule-curve volumes [km3]."""
    name = "profile_reservoir_rule.csv"
    keys = list(zip(frame["reservoir"].astype(str), frame["month"].astype(str), strict=True))
    out = []
    for month in range(1, 13):
        hits = [j for j, key in enumerate(keys) if key == (rid, str(month))]
        if len(hits) != 1:
            raise InputError(
                f"seeds/{name}", "reservoir,month", f"{rid},{month}", "exactly one row"
            )
        out.append(number(frame, hits[0], "guide_bcm", name, dead, full))
    return tuple(out)


def _upstream_first(rows: dict[str, ReservoirSeed]) -> tuple[ReservoirSeed, ...]:
    """Order reservoirs so each comes after the one feeding it."""
    ordered: list[ReservoirSeed] = []
    remaining = dict(rows)
    while remaining:
        ready = [
            r for r in remaining.values() if not r.upstream or r.upstream in {o.id for o in ordered}
        ]
        if not ready:
            bad = next(iter(remaining.values()))
            raise InputError(
                "seeds/reservoirs.csv", "upstream", bad.upstream, "a reservoir without a loop"
            )
        for reservoir in ready:
            ordered.append(reservoir)
            del remaining[reservoir.id]
    return tuple(ordered)
