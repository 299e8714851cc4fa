r"""Seeded Monte Carlo of forced outages: LOLE and EENS of the Kyrgyz and Tajik systems.

An **energy and capacity balance**, not a load flow: each supplier zone is a
copper plate whose demand is met by its own plants and by imports over the CAPS
equivalent, the same rule as the seasonal dispatch
(:func:`~casa1000.grid.dispatch.dispatch_plants`) with the CASA export treated as
interruptible (it is curtailed before home demand).  Forced outages change what
the plants and the import ties can give:

* every generating unit is a two-state Markov process (up/down) with mean time
  to failure and repair from ``seeds/outage_rates.csv`` (IEEE RTS-96 unit data
  for hydro and thermal units); with ``k`` of its ``n`` units out a plant gives
  :math:`\min(A_{p,t}, (n-k)\,u_p)` -- water-limited hydro loses output only
  when the remaining units cannot pass the water;
* every circuit tying a zone to the CAPS equivalent is a two-state process with
  the line rate of its length; a zone imports at most the rating of its ties in
  service, and the zones share the equivalent's import capability in
  proportion to their deficits, as the dispatch does;
* internal lines are not sampled: no single circuit of the network islands a
  plant or a load, so in a copper-plate balance they cannot cause loss of load
  (their post-fault flows are the contingency study's job).

Per simulated year *n* and hour *t*, with :math:`C_{z,t}^n` the zone's
available capacity, :math:`D = (L - C)^+`, :math:`D' = \min(D, E)` (tie limit)
and the pooled import :math:`I = \min(\sum_z D'_z, M)` shared pro rata, the
unserved power is :math:`U_{z,t}^n = D_{z,t}^n - I\,D'_{z,t}/\sum_k D'_{k,t}`, and
(ERAA; ENTSO-E 2023, ACER decision 24/2020)

.. math:: LOLE_z = \frac{1}{N}\sum_n \sum_t 1[U^n_{z,t} > \epsilon] \quad [h/yr],
          \qquad EENS_z = \frac{1}{N}\sum_n \sum_t U^n_{z,t}\,\Delta t \quad [MWh/yr]

over the hours studied (a whole year gives per-year figures).  Convergence is
reported as the coefficient of variation of the EENS estimate,
:math:`CV = \sigma(ENS^n) / (\sqrt{N}\,EENS)` (ERAA stops below a few %).

The years are drawn in blocks of :data:`BLOCK_YEARS`, each with its own stream
spawned from ``numpy.random.SeedSequence(seed)``: the same seed and number of
years give identical results on any machine.

References
----------
R. Billinton and R. N. Allan, *Reliability Evaluation of Power Systems*, 2nd
ed., Plenum, 1996, ch. 2 and 13 (two-state Markov units, sequential Monte Carlo).
C. Grigg et al., "The IEEE Reliability Test System-1996", IEEE Trans. Power
Systems 14(3), 1999.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.indicators.adequacy import LOSS_OF_LOAD_TOLERANCE_MW
from casa1000.studies.indicators.seed_tables import HOURS_PER_YEAR, IndicatorSeeds

FloatArray = npt.NDArray[np.float64]
BLOCK_YEARS: Final = 25
"""Years drawn together from one random stream (fixed, so results do not depend on chunking)."""


@dataclass(frozen=True, kw_only=True)
class Component:
    """Forced-outage behaviour of a group of identical two-state components.

    Parameters
    ----------
    count
        Number of components.
    mttf_h, mttr_h
        Mean time to failure and to repair [h].
    """

    count: int
    mttf_h: float
    mttr_h: float


@dataclass(frozen=True, kw_only=True)
class AdequacySystem:
    """What the Monte Carlo balances, hour by hour.

    Parameters
    ----------
    zones
        Zone ids.
    demand_mw
        (zones, hours) demand [MW].
    available_mw
        (plants, hours) available power without forced outages [MW].
    plant_zone
        (plants,) index of each plant's zone.
    units
        Per plant, its units' outage behaviour (count = number of units).
    unit_mw
        (plants,) unit size [MW].
    tie_zone
        (ties,) index of the zone each import tie serves.
    ties
        Per tie circuit, its outage behaviour (count = 1).
    tie_rating_mw
        (ties,) rating of each tie circuit [MW].
    max_import_mw
        Import capability of the CAPS equivalent shared by the zones [MW].
    month
        (hours,) month of each hour.
    """

    zones: tuple[str, ...]
    demand_mw: FloatArray
    available_mw: FloatArray
    plant_zone: npt.NDArray[np.intp]
    units: tuple[Component, ...]
    unit_mw: FloatArray
    tie_zone: npt.NDArray[np.intp]
    ties: tuple[Component, ...]
    tie_rating_mw: FloatArray
    max_import_mw: float
    month: npt.NDArray[np.int64]


def _component(frequency_per_year: float, duration_h: float, count: int) -> Component:
    if frequency_per_year <= 0 or duration_h <= 0:
        return Component(count=count, mttf_h=math.inf, mttr_h=1.0)
    mttf = max(HOURS_PER_YEAR / frequency_per_year - duration_h, 1.0)
    return Component(count=count, mttf_h=mttf, mttr_h=duration_h)


def adequacy_system(
    profiles: xr.Dataset,
    params: GridParams,
    seeds: IndicatorSeeds,
    zones: list[str],
    losses_mw: xr.DataArray | None = None,
) -> AdequacySystem:
    """Assemble the balance of ``zones`` from the profiles, the network and the outage rates.

    Import paths are the in-service circuits that leave a zone for a bus outside
    the zones studied (a line into the neighbours' hub, or a tie to their
    equivalent); their rating is the thermal current at the zone's nominal
    voltage.  Ties to an equivalent stand for the neighbour's network and are
    not sampled (no length, so no outage rate).

    Parameters
    ----------
    losses_mw
        (time, zone) network losses each zone's plants cover, as the seasonal
        dispatch adds them to the zone's requirement (``loss_cover_mw`` of a
        seasonal result) [MW]; none by default.
    """
    zone_index = {z: i for i, z in enumerate(zones)}
    plants = [
        p
        for p in params.plants
        if p.in_service and p.zone in zone_index and p.id in profiles.plant.values
    ]
    units = []
    for p in plants:
        rate = seeds.rate("unit", p.technology.value)
        units.append(_component(rate.frequency(), rate.duration_h, p.units))
    bus_zone = {b.id: b.zone for b in params.buses}
    bus_kv = {b.id: b.vn_kv for b in params.buses}
    line_type = {t.id: t for t in params.line_types}
    line_rate = seeds.rate("line")
    # an import path is any circuit that leaves a studied zone for a bus outside every
    # zone studied: a line into the neighbours' hub or a tie to their equivalent
    crossings = [
        (ln.from_bus, ln.to_bus, ln.circuits, ln.length_km, line_type[ln.line_type].max_i_ka)
        for ln in params.lines
        if ln.in_service
    ]
    crossings += [(t.bus, t.to_bus, t.circuits, 0.0, t.max_i_ka) for t in params.ties]
    tie_zone, ties, ratings = [], [], []
    for a, b, circuits, length_km, max_i_ka in crossings:
        for near, far in ((a, b), (b, a)):
            if bus_zone.get(near) in zone_index and bus_zone.get(far) not in zone_index:
                rating = math.sqrt(3.0) * bus_kv[near] * max_i_ka
                for _ in range(circuits):
                    tie_zone.append(zone_index[str(bus_zone[near])])
                    ties.append(_component(line_rate.frequency(length_km), line_rate.duration_h, 1))
                    ratings.append(rating)
    supplier = params.supplier_external
    demand = profiles["demand_mw"].sel(zone=zones).transpose("zone", "time").values
    if losses_mw is not None:
        demand = demand + losses_mw.sel(zone=zones).transpose("zone", "time").values
    return AdequacySystem(
        zones=tuple(zones),
        demand_mw=np.asarray(demand, dtype=np.float64),
        available_mw=profiles["available_mw"]
        .sel(plant=[p.id for p in plants])
        .transpose("plant", "time")
        .values.astype(np.float64),
        plant_zone=np.asarray([zone_index[p.zone] for p in plants], dtype=np.intp),
        units=tuple(units),
        unit_mw=np.asarray([p.unit_mw for p in plants], dtype=np.float64),
        tie_zone=np.asarray(tie_zone, dtype=np.intp),
        ties=tuple(ties),
        tie_rating_mw=np.asarray(ratings, dtype=np.float64),
        max_import_mw=supplier.max_import_mw if supplier else 0.0,
        month=profiles.time.dt.month.values.astype(np.int64),
    )


def down_counts(
    rng: np.random.Generator,
    mttf_h: FloatArray,
    mttr_h: FloatArray,
    hours: int,
    group: npt.NDArray[np.intp] | None = None,
    groups: int | None = None,
) -> npt.NDArray[np.int16]:
    """Sample independent two-state components and count those down, hour by hour.

    Each component starts in its steady state (down with probability
    ``mttr / (mttf + mttr)``) and alternates exponential up and down times;
    an hour is down when its midpoint falls in a down time.

    Parameters
    ----------
    rng
        Random stream.
    mttf_h, mttr_h
        (components,) mean up and down times [h]; an infinite MTTF never fails.
    hours
        Hours to sample.
    group
        (components,) row of the result each component counts in (e.g. its
        plant); one row per component when None.
    groups
        Number of rows (``group.max() + 1`` when None).

    Returns
    -------
    numpy.ndarray
        (groups, hours) number of components down.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> never = down_counts(rng, np.array([np.inf]), np.array([10.0]), 5)
    >>> never.tolist()
    [[0, 0, 0, 0, 0]]
    """
    n = mttf_h.size
    rows_of = np.arange(n, dtype=np.intp) if group is None else group
    n_rows = (int(rows_of.max()) + 1 if n else 0) if groups is None else groups
    if n == 0:
        return np.zeros((n_rows, hours), dtype=np.int16)
    finite = np.isfinite(mttf_h)
    mttf = np.where(finite, mttf_h, 1.0)
    q = np.where(finite, mttr_h / (mttf + mttr_h), 0.0)
    start_down = rng.random(n) < q
    cycle = float(np.min(mttf + mttr_h))
    pairs = int(hours / cycle + 6.0 * math.sqrt(hours / cycle) + 4)

    def durations() -> FloatArray:
        up = rng.exponential(1.0, size=(n, pairs)) * mttf[:, None]
        down = rng.exponential(1.0, size=(n, pairs)) * mttr_h[:, None]
        # series starting down begin with a down time, the others with an up time
        first = np.where(start_down[:, None], down, up)
        second = np.where(start_down[:, None], up, down)
        return np.stack([first, second], axis=2).reshape(n, 2 * pairs)

    ends = np.cumsum(durations(), axis=1)
    while np.any(ends[:, -1] < hours):  # rare: extend every series by more cycles
        ends = np.concatenate([ends, ends[:, -1:] + np.cumsum(durations(), axis=1)], axis=1)
    starts = np.concatenate([np.zeros((n, 1)), ends[:, :-1]], axis=1)
    # down times sit at odd positions of a series starting up, even ones of one starting down
    parity = np.arange(ends.shape[1]) % 2
    is_down = ((parity[None, :] == 1) ^ start_down[:, None]) & finite[:, None]
    series, pos = np.nonzero(is_down & (starts < hours))
    lo = np.clip(np.ceil(starts[series, pos] - 0.5), 0, hours).astype(np.intp)
    hi = np.clip(np.ceil(ends[series, pos] - 0.5), 0, hours).astype(np.intp)
    keep = hi > lo
    marks = np.zeros((n_rows, hours + 1), dtype=np.int16)
    np.add.at(marks, (rows_of[series[keep]], lo[keep]), 1)
    np.add.at(marks, (rows_of[series[keep]], hi[keep]), -1)
    return np.cumsum(marks[:, :hours], axis=1, dtype=np.int16)


def capacity_lost_mw(
    available_mw: FloatArray,
    units: npt.NDArray[np.intp],
    units_down: npt.NDArray[np.int16],
    unit_mw: FloatArray,
) -> npt.NDArray[np.float32]:
    r"""Output a plant loses to forced unit outages: :math:`\max(0, A - (n - k)\,u)` [MW].

    A water- or maintenance-limited plant (availability :math:`A` below its
    installed :math:`n u`) loses output only when the units left in service
    cannot carry :math:`A`.  Arguments broadcast against each other; the
    result is float32 (the Monte Carlo's arrays are large).

    Parameters
    ----------
    available_mw
        Availability without forced outages [MW].
    units
        Units installed.
    units_down
        Units on forced outage.
    unit_mw
        Size of one unit [MW].

    Examples
    --------
    >>> a = np.array([200.0])
    >>> capacity_lost_mw(a, np.array([4]), np.array([2], dtype=np.int16), np.array([100.0]))
    array([0.], dtype=float32)
    >>> capacity_lost_mw(a, np.array([4]), np.array([3], dtype=np.int16), np.array([100.0]))
    array([100.], dtype=float32)
    """
    up_mw = (units - units_down).astype(np.float32) * np.asarray(unit_mw, dtype=np.float32)
    avail = np.asarray(available_mw, dtype=np.float32)
    lost: npt.NDArray[np.float32] = np.where(
        units_down > 0, np.maximum(avail - up_mw, np.float32(0.0)), np.float32(0.0)
    ).astype(np.float32)
    return lost


def pooled_unserved_mw(
    deficit_mw: FloatArray, tie_limit_mw: FloatArray, max_import_mw: float
) -> FloatArray:
    r"""Unserved power of zones sharing one import capability.

    .. math:: U_z = D_z - D'_z \frac{\min(\sum_k D'_k, M)}{\sum_k D'_k},
              \qquad D'_z = \min(D_z, E_z)

    Parameters
    ----------
    deficit_mw
        (..., zones, hours) demand not covered by the zone's plants, >= 0 [MW].
    tie_limit_mw
        Same shape: what the zone's ties can import [MW].
    max_import_mw
        Capability of the external equivalent shared by the zones [MW].

    Returns
    -------
    numpy.ndarray
        Unserved power, same shape [MW].

    Examples
    --------
    >>> d = np.array([[300.0], [100.0]])
    >>> pooled_unserved_mw(d, np.full_like(d, 1e9), 200.0).ravel().tolist()
    [150.0, 50.0]
    """
    importable = np.minimum(deficit_mw, tie_limit_mw)
    total = importable.sum(axis=-2, keepdims=True)
    imported = np.minimum(total, max_import_mw)
    frac = np.divide(imported, total, out=np.zeros_like(total), where=total > 0)
    unserved: FloatArray = deficit_mw - importable * frac
    return unserved


@dataclass(frozen=True, kw_only=True)
class MonteCarloResult:
    """Annual loss-of-load hours and unserved energy of every simulated year.

    Parameters
    ----------
    zones
        Zone ids.
    months
        Months studied.
    lol_h
        (years, zones) loss-of-load hours of each year [h].
    ens_mwh
        (years, zones) unserved energy of each year [MWh].
    lol_month_h
        (months, zones) mean loss-of-load hours per month [h].
    ens_month_mwh
        (months, zones) mean unserved energy per month [MWh].
    system_lol_h
        (years,) hours with loss of load in any zone [h].
    """

    zones: tuple[str, ...]
    months: tuple[int, ...]
    lol_h: FloatArray
    ens_mwh: FloatArray
    lol_month_h: FloatArray
    ens_month_mwh: FloatArray
    system_lol_h: FloatArray

    @property
    def years(self) -> int:
        """Number of simulated years."""
        return int(self.lol_h.shape[0])

    def lole_h(self) -> FloatArray:
        """(zones,) loss-of-load expectation [h/yr]."""
        return np.asarray(self.lol_h.mean(axis=0))

    def eens_mwh(self) -> FloatArray:
        """(zones,) expected energy not served [MWh/yr]."""
        return np.asarray(self.ens_mwh.mean(axis=0))

    def eens_cv(self) -> FloatArray:
        r"""(zones,) coefficient of variation of the EENS estimate, :math:`\sigma/(\sqrt N\mu)`.

        NaN with fewer than two years or no unserved energy.
        """
        return _cv(self.ens_mwh)

    def lole_cv(self) -> FloatArray:
        """(zones,) coefficient of variation of the LOLE estimate [-]."""
        return _cv(self.lol_h)


def _cv(samples: FloatArray) -> FloatArray:
    n = samples.shape[0]
    mean = samples.mean(axis=0)
    if n < 2:
        return np.full(mean.shape, np.nan)
    std = samples.std(axis=0, ddof=1)
    cv: FloatArray = np.where(
        mean > 0, std / (math.sqrt(n) * np.where(mean > 0, mean, 1.0)), np.nan
    )
    return cv


def _block(system: AdequacySystem, rng: np.random.Generator, years: int) -> tuple[FloatArray, ...]:
    hours = system.demand_mw.shape[1]
    n_plants = system.unit_mw.size
    n_zones = len(system.zones)
    counts = np.asarray([u.count for u in system.units], dtype=np.intp)
    plant_of_unit = np.repeat(np.arange(n_plants), counts)
    n_units = plant_of_unit.size
    mttf = np.repeat([u.mttf_h for u in system.units], counts)
    mttr = np.repeat([u.mttr_h for u in system.units], counts)
    # count the units down per (year, plant) directly: no per-unit hourly array
    rows = (np.arange(years)[:, None] * n_plants + plant_of_unit[None, :]).ravel()
    k_down = down_counts(
        rng, np.tile(mttf, years), np.tile(mttr, years), hours, rows, years * n_plants
    ).reshape(years, n_plants, hours)
    lost = capacity_lost_mw(
        system.available_mw[None, :, :],
        counts[None, :, None],
        k_down,
        system.unit_mw[None, :, None],
    )
    zone_avail = np.zeros((n_zones, hours))
    zone_lost = np.zeros((years, n_zones, hours))
    for z in range(n_zones):
        members = system.plant_zone == z
        zone_avail[z] = system.available_mw[members].sum(axis=0)
        zone_lost[:, z, :] = lost[:, members, :].sum(axis=1)
    deficit = np.maximum(system.demand_mw[None, :, :] - zone_avail[None, :, :] + zone_lost, 0.0)
    tie_limit = np.zeros_like(deficit)
    if system.ties:
        n_ties = len(system.ties)
        tie_rows = (np.arange(years)[:, None] * n_ties + np.arange(n_ties)[None, :]).ravel()
        tie_down = down_counts(
            rng,
            np.tile([t.mttf_h for t in system.ties], years),
            np.tile([t.mttr_h for t in system.ties], years),
            hours,
            tie_rows,
            years * n_ties,
        ).reshape(years, n_ties, hours)
        up_rating = (tie_down == 0) * system.tie_rating_mw[None, :, None]
        for z in range(n_zones):
            tie_limit[:, z, :] = up_rating[:, system.tie_zone == z, :].sum(axis=1)
    unserved = pooled_unserved_mw(deficit, tie_limit, system.max_import_mw)
    short = unserved > LOSS_OF_LOAD_TOLERANCE_MW
    months = sorted(set(system.month.tolist()))
    month_of = np.searchsorted(months, system.month)
    lol_month = np.zeros((len(months), n_zones))
    ens_month = np.zeros((len(months), n_zones))
    for i in range(len(months)):
        cols = month_of == i
        lol_month[i] = short[:, :, cols].sum(axis=(0, 2))
        ens_month[i] = unserved[:, :, cols].sum(axis=(0, 2))
    del n_units
    return (
        short.sum(axis=2).astype(np.float64),
        unserved.sum(axis=2),
        lol_month,
        ens_month,
        short.any(axis=1).sum(axis=1).astype(np.float64),
    )


def without_outages(system: AdequacySystem) -> AdequacySystem:
    """Return the same balance with components that never fail (the deterministic home balance)."""
    never = Component(count=1, mttf_h=math.inf, mttr_h=1.0)
    return AdequacySystem(
        zones=system.zones,
        demand_mw=system.demand_mw,
        available_mw=system.available_mw,
        plant_zone=system.plant_zone,
        units=tuple(Component(count=u.count, mttf_h=math.inf, mttr_h=1.0) for u in system.units),
        unit_mw=system.unit_mw,
        tie_zone=system.tie_zone,
        ties=tuple(never for _ in system.ties),
        tie_rating_mw=system.tie_rating_mw,
        max_import_mw=system.max_import_mw,
        month=system.month,
    )


def simulate(system: AdequacySystem, *, years: int, seed: int) -> MonteCarloResult:
    """Run the Monte Carlo over ``years`` simulated years.

    Parameters
    ----------
    system
        The balance (see :func:`adequacy_system`).
    years
        Number of years, >= 1.
    seed
        Seed of ``numpy.random.SeedSequence``.

    Returns
    -------
    MonteCarloResult
        Identical for the same system, years and seed.
    """
    blocks = [BLOCK_YEARS] * (years // BLOCK_YEARS)
    if years % BLOCK_YEARS:
        blocks.append(years % BLOCK_YEARS)
    streams = np.random.SeedSequence(seed).spawn(len(blocks))
    parts = [
        _block(system, np.random.default_rng(s), b) for s, b in zip(streams, blocks, strict=True)
    ]
    months = tuple(sorted(set(system.month.tolist())))
    return MonteCarloResult(
        zones=system.zones,
        months=months,
        lol_h=np.concatenate([p[0] for p in parts]),
        ens_mwh=np.concatenate([p[1] for p in parts]),
        lol_month_h=np.sum([p[2] for p in parts], axis=0) / years,
        ens_month_mwh=np.sum([p[3] for p in parts], axis=0) / years,
        system_lol_h=np.concatenate([p[4] for p in parts]),
    )
