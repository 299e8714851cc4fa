"""Read the profile seed tables into typed, validated records.

The profile builder needs, from ``casa1000.seeds``: the plants (``plants.csv``),
the flat TALCO load (``loads.csv``), the CASA contract and link rating
(``hvdc.toml``) and the ``profile_*.csv`` tables of shapes, energies, inflows and
factors.  Each is read once here; everything downstream works on
:class:`ProfileSeeds`.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from typing import Final

import pandas as pd

from casa1000.errors import InputError
from casa1000.profiles.afghan_balance import AFGHAN_FILES, AfghanSeed, afghan_seed
from casa1000.profiles.reservoir_tables import RESERVOIR_FILES, ReservoirSeed, reservoir_seeds
from casa1000.profiles.seed_cells import MONTH_COLUMNS, parse_csv, read_seed_bytes
from casa1000.profiles.seed_cells import number as _number
from casa1000.profiles.seed_cells import row_of as _row_of
from casa1000.profiles.timeline import DAY_TYPES, SEASONS

WEEKDAY_COLUMNS: Final[tuple[str, ...]] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOUR_COLUMNS: Final[tuple[str, ...]] = tuple(f"h{hour:02d}" for hour in range(24))
SHAPED_ZONES: Final[tuple[str, ...]] = ("KG", "TJ", "PK")
"""Zones whose demand is built from shapes (Afghanistan follows the contract)."""

SEED_FILES: Final[tuple[str, ...]] = (
    "plants.csv",
    "loads.csv",
    "hvdc.toml",
    "profile_annual_energy.csv",
    "profile_monthly_demand_share.csv",
    "profile_daily_shape.csv",
    "profile_weekly_factor.csv",
    "profile_weather.csv",
    "profile_cold_spell.csv",
    "profile_reserve.csv",
    "profile_hydrology.csv",
    "profile_inflow.csv",
    "profile_cascade.csv",
    "profile_plant_energy.csv",
    "profile_thermal_availability.csv",
    "profile_reverse_flow.csv",
    *RESERVOIR_FILES,
    *AFGHAN_FILES,
)
"""Every seed file a profile build reads; their bytes make up ``seed_hash``."""


@dataclass(frozen=True, kw_only=True)
class ColdSpell:
    """A run of days whose mean load is a fixed multiple of the month's mean.

    Parameters
    ----------
    month
        Calendar month, 1 to 12.
    first_day
        First day of the spell in the zone's clock.
    days
        Length of the spell [d].
    peak_day_ratio
        Mean load of a spell day over the month's mean load [-].
    """

    month: int
    first_day: int
    days: int
    peak_day_ratio: float


@dataclass(frozen=True, kw_only=True)
class DemandSeed:
    """Shape and energy of one zone's demand.

    Parameters
    ----------
    zone
        Zone id.
    annual_twh
        Energy of the reference year [TWh].
    monthly_share
        Share of the annual energy in each month, January first, summing to 1 [-].
    daily_shape
        Hourly factors, mean 1, by season (:data:`SEASONS`) and day type
        (:data:`DAY_TYPES`): ``daily_shape[season][day_type][hour]`` [-].
    weekly_factor
        Relative level of each weekday, Monday first [-].
    daily_sigma
        Standard deviation of the log daily weather factor [-].
    daily_autocorrelation
        Lag-one autocorrelation of the daily weather factor [-].
    hourly_sigma
        Standard deviation of the log hourly jitter [-].
    cold_spells
        Spells that lift chosen days to a set multiple of the month's mean.
    """

    zone: str
    annual_twh: float
    monthly_share: tuple[float, ...]
    daily_shape: tuple[tuple[tuple[float, ...], ...], ...]
    weekly_factor: tuple[float, ...]
    daily_sigma: float
    daily_autocorrelation: float
    hourly_sigma: float
    cold_spells: tuple[ColdSpell, ...]


@dataclass(frozen=True, kw_only=True)
class PlantSeed:
    """One generating plant as the profiles see it.

    Parameters
    ----------
    id
        Plant id of ``plants.csv``.
    zone
        Zone of the plant.
    technology
        ``hydro_reservoir``, ``hydro_ror`` or ``thermal``.
    cascade
        River cascade (empty for thermal plants).
    p_max_mw
        Installed capacity [MW].
    annual_twh
        Normal-year energy of a hydro plant [TWh]; ``None`` for thermal plants.
    monthly_availability
        Available share of capacity per month of a thermal plant [-]; empty for hydro.
    """

    id: str
    zone: str
    technology: str
    cascade: str
    p_max_mw: float
    annual_twh: float | None
    monthly_availability: tuple[float, ...]

    @property
    def is_hydro(self) -> bool:
        """Whether the plant is a hydro plant."""
        return self.technology.startswith("hydro")


@dataclass(frozen=True, kw_only=True)
class CascadeSeed:
    """Inflow and seasonal regulation of one river cascade.

    Parameters
    ----------
    id
        Cascade id as in the ``cascade`` column of ``plants.csv``.
    zone
        Zone whose demand the regulated share follows.
    inflow_m3_per_s
        Monthly mean inflow, January first [m3/s].
    regulation_share
        Share of the inflow energy the reservoirs re-time to follow demand [-].
    """

    id: str
    zone: str
    inflow_m3_per_s: tuple[float, ...]
    regulation_share: float


@dataclass(frozen=True, kw_only=True)
class ContractSeed:
    """The CASA-1000 export schedule and link rating.

    Parameters
    ----------
    season_start
        First (month, day) of the export season.
    season_end
        Last (month, day) of the export season, inclusive.
    offtaker_mw
        Contracted power per offtaker (``"PK"``, ``"AF"``) [MW].
    supplier_share
        Share of the contract per supplier (``"KG"``, ``"TJ"``) [-].
    link_rating_mw
        HVDC link rating [MW], the default converter limit.
    """

    season_start: tuple[int, int]
    season_end: tuple[int, int]
    offtaker_mw: dict[str, float]
    supplier_share: dict[str, float]
    link_rating_mw: float


@dataclass(frozen=True, kw_only=True)
class ProfileSeeds:
    """Every seed value a profile build uses.

    Parameters
    ----------
    demand
        Demand seed per shaped zone (``"KG"``, ``"TJ"``, ``"PK"``).
    flat_load_mw
        Flat industrial load per zone (TALCO in ``"TJ"``) [MW].
    plants
        Plants of variant ``all`` in ``plants.csv`` order.
    cascades
        Cascade seed per cascade id.
    hydrology_factor
        Hydro energy factor per hydrology name [-].
    reserve_share
        Operating reserve per supplier zone as a share of its demand [-].
    contract
        Export schedule and link rating.
    inflow_m3_per_s
        Monthly mean inflow of each series of ``profile_inflow.csv``, January
        first [m3/s].
    reservoirs
        Seasonal reservoirs, upstream first.
    afghan
        Afghan demand and supply.
    reverse_months
        Whether reverse flow (Pakistan to Tajikistan) may run in each month,
        January first.
    seed_hash
        SHA-256 of the seed files read, in :data:`SEED_FILES` order.
    """

    demand: dict[str, DemandSeed]
    flat_load_mw: dict[str, float]
    plants: tuple[PlantSeed, ...]
    cascades: dict[str, CascadeSeed]
    hydrology_factor: dict[str, float]
    reserve_share: dict[str, float]
    contract: ContractSeed
    inflow_m3_per_s: dict[str, tuple[float, ...]]
    reservoirs: tuple[ReservoirSeed, ...]
    afghan: AfghanSeed
    reverse_months: tuple[bool, ...]
    seed_hash: str


def load_profile_seeds() -> ProfileSeeds:
    """Read and check every seed table a profile build needs.

    Returns
    -------
    ProfileSeeds
        The typed seed values.

    Raises
    ------
    InputError
        If a seed table lacks a row or holds a value out of range.
    """
    raw = {name: read_seed_bytes(name) for name in SEED_FILES}
    digest = hashlib.sha256()
    for name in SEED_FILES:
        digest.update(name.encode())
        digest.update(raw[name])
    tables = {name: parse_csv(data) for name, data in raw.items() if name.endswith(".csv")}
    plants = _plant_seeds(tables)
    inflow = _inflow_series(tables["profile_inflow.csv"])
    return ProfileSeeds(
        demand=_demand_seeds(tables),
        flat_load_mw=_flat_loads(tables["loads.csv"]),
        plants=plants,
        cascades=_cascade_seeds(tables),
        hydrology_factor=_column_by_key(
            tables["profile_hydrology.csv"],
            "profile_hydrology.csv",
            "hydrology",
            "factor",
            0.0,
            2.0,
        ),
        reserve_share=_column_by_key(
            tables["profile_reserve.csv"], "profile_reserve.csv", "zone", "reserve_share", 0.0, 1.0
        ),
        contract=_contract(tomllib.loads(raw["hvdc.toml"].decode())),
        inflow_m3_per_s=inflow,
        reservoirs=reservoir_seeds(
            tables, set(inflow), {plant.id for plant in plants if plant.is_hydro}
        ),
        afghan=afghan_seed(tables),
        reverse_months=_reverse_months(tables["profile_reverse_flow.csv"]),
        seed_hash=digest.hexdigest(),
    )


def _column_by_key(
    frame: pd.DataFrame, name: str, key_column: str, value_column: str, low: float, high: float
) -> dict[str, float]:
    """Return ``{key: value}`` of a two-column seed table."""
    return {
        str(key): _number(frame, i, value_column, name, low, high)
        for i, key in enumerate(frame[key_column])
    }


def _demand_seeds(tables: dict[str, pd.DataFrame]) -> dict[str, DemandSeed]:
    """Assemble the demand seed of each shaped zone."""
    energy, shares = tables["profile_annual_energy.csv"], tables["profile_monthly_demand_share.csv"]
    shapes, weekly = tables["profile_daily_shape.csv"], tables["profile_weekly_factor.csv"]
    weather, spells = tables["profile_weather.csv"], tables["profile_cold_spell.csv"]
    seeds: dict[str, DemandSeed] = {}
    for zone in SHAPED_ZONES:
        row = _row_of(energy, "profile_annual_energy.csv", "zone", zone)
        annual_twh = _number(energy, row, "annual_twh", "profile_annual_energy.csv", 0.0, 1e4)
        name = "profile_monthly_demand_share.csv"
        row = _row_of(shares, name, "zone", zone)
        monthly = [_number(shares, row, col, name, 0.0, 1.0) for col in MONTH_COLUMNS]
        total = sum(monthly)
        if abs(total - 1.0) > 0.01:
            raise InputError(
                f"seeds/{name} row {row + 2}", "jan..dec", total, "shares summing to 1"
            )
        name = "profile_weekly_factor.csv"
        row = _row_of(weekly, name, "zone", zone)
        week = tuple(_number(weekly, row, col, name, 0.1, 3.0) for col in WEEKDAY_COLUMNS)
        name = "profile_weather.csv"
        row = _row_of(weather, name, "zone", zone)
        seeds[zone] = DemandSeed(
            zone=zone,
            annual_twh=annual_twh,
            monthly_share=tuple(share / total for share in monthly),
            daily_shape=_daily_shape(shapes, zone),
            weekly_factor=week,
            daily_sigma=_number(weather, row, "daily_sigma", name, 0.0, 0.5),
            daily_autocorrelation=_number(weather, row, "daily_autocorrelation", name, 0.0, 0.99),
            hourly_sigma=_number(weather, row, "hourly_sigma", name, 0.0, 0.5),
            cold_spells=_cold_spells(spells, zone),
        )
    return seeds


def _daily_shape(frame: pd.DataFrame, zone: str) -> tuple[tuple[tuple[float, ...], ...], ...]:
    """Return the mean-one hourly factors of a zone by season and day type."""
    name = "profile_daily_shape.csv"
    keys = list(zip(frame["zone"], frame["season"], frame["day_type"], strict=True))
    out: list[tuple[tuple[float, ...], ...]] = []
    for season in SEASONS:
        by_day: list[tuple[float, ...]] = []
        for day_type in DAY_TYPES:
            hits = [i for i, key in enumerate(keys) if key == (zone, season, day_type)]
            if len(hits) != 1:
                raise InputError(
                    f"seeds/{name}",
                    "zone,season,day_type",
                    f"{zone},{season},{day_type}",
                    "exactly one row",
                )
            values = [_number(frame, hits[0], col, name, 0.05, 5.0) for col in HOUR_COLUMNS]
            mean = sum(values) / len(values)
            by_day.append(tuple(value / mean for value in values))
        out.append(tuple(by_day))
    return tuple(out)


def _cold_spells(frame: pd.DataFrame, zone: str) -> tuple[ColdSpell, ...]:
    """Return the cold spells seeded for a zone."""
    name = "profile_cold_spell.csv"
    spells = []
    for i in range(len(frame)):
        if frame["zone"].iat[i] != zone:
            continue
        spells.append(ColdSpell(
            month=int(_number(frame, i, "month", name, 1, 12)),
            first_day=int(_number(frame, i, "first_day", name, 1, 28)),
            days=int(_number(frame, i, "days", name, 1, 10)),
            peak_day_ratio=_number(frame, i, "peak_day_ratio", name, 1.0, 2.5),
        ))  # fmt: skip
    return tuple(spells)


def _flat_loads(frame: pd.DataFrame) -> dict[str, float]:
    """Return the flat industrial load per zone from ``loads.csv`` [MW]."""
    out: dict[str, float] = {}
    for i in range(len(frame)):
        if frame["category"].iat[i] == "industrial" and frame["variant"].iat[i] == "all":
            zone = str(frame["zone"].iat[i])
            out[zone] = out.get(zone, 0.0) + _number(frame, i, "p_ref_mw", "loads.csv", 0.0, 1e5)
    return out


def _plant_seeds(tables: dict[str, pd.DataFrame]) -> tuple[PlantSeed, ...]:
    """Return the plants of variant ``all`` with their energy or availability."""
    plants, energy = tables["plants.csv"], tables["profile_plant_energy.csv"]
    thermal = tables["profile_thermal_availability.csv"]
    out = []
    for i in range(len(plants)):
        if plants["variant"].iat[i] != "all":
            continue
        plant_id, technology = str(plants["id"].iat[i]), str(plants["technology"].iat[i])
        cascade = plants["cascade"].iat[i]
        annual_twh: float | None = None
        availability: tuple[float, ...] = ()
        if technology.startswith("hydro"):
            row = _row_of(energy, "profile_plant_energy.csv", "plant", plant_id)
            annual_twh = _number(energy, row, "annual_twh", "profile_plant_energy.csv", 0.0, 100.0)
        else:
            name = "profile_thermal_availability.csv"
            row = _row_of(thermal, name, "plant", plant_id)
            availability = tuple(
                _number(thermal, row, col, name, 0.0, 1.0) for col in MONTH_COLUMNS
            )
        out.append(PlantSeed(
            id=plant_id,
            zone=str(plants["zone"].iat[i]),
            technology=technology,
            cascade="" if pd.isna(cascade) else str(cascade),
            p_max_mw=_number(plants, i, "p_max_mw", "plants.csv", 0.0, 1e5),
            annual_twh=annual_twh,
            monthly_availability=availability,
        ))  # fmt: skip
    return tuple(out)


def _inflow_series(frame: pd.DataFrame) -> dict[str, tuple[float, ...]]:
    """Return the twelve monthly inflows of every series of ``profile_inflow.csv`` [m3/s]."""
    name = "profile_inflow.csv"
    keys = list(zip(frame["cascade"].astype(str), frame["month"].astype(str), strict=True))
    out: dict[str, tuple[float, ...]] = {}
    for series in dict.fromkeys(key for key, _ in keys):
        flows = []
        for month in range(1, 13):
            hits = [j for j, key in enumerate(keys) if key == (series, str(month))]
            if len(hits) != 1:
                raise InputError(
                    f"seeds/{name}",
                    "cascade,month",
                    f"{series},{month}",
                    "exactly one row per cascade and month",
                )
            flows.append(_number(frame, hits[0], "inflow_m3_per_s", name, 0.0, 1e5))
        out[series] = tuple(flows)
    return out


def _reverse_months(frame: pd.DataFrame) -> tuple[bool, ...]:
    """Return whether reverse flow may run in each month of ``profile_reverse_flow.csv``."""
    name = "profile_reverse_flow.csv"
    flags = []
    for month in range(1, 13):
        row = _row_of(frame, name, "month", str(month))
        flags.append(_number(frame, row, "reverse_allowed", name, 0.0, 1.0) >= 0.5)
    return tuple(flags)


def _cascade_seeds(tables: dict[str, pd.DataFrame]) -> dict[str, CascadeSeed]:
    """Return the inflow and regulation of each cascade."""
    cascades, inflow = tables["profile_cascade.csv"], tables["profile_inflow.csv"]
    out: dict[str, CascadeSeed] = {}
    keys = list(zip(inflow["cascade"].astype(str), inflow["month"].astype(str), strict=True))
    for i in range(len(cascades)):
        series = str(cascades["inflow_series"].iat[i])
        flows = []
        for month in range(1, 13):
            hits = [j for j, key in enumerate(keys) if key == (series, str(month))]
            if len(hits) != 1:
                raise InputError(
                    "seeds/profile_inflow.csv",
                    "cascade,month",
                    f"{series},{month}",
                    "exactly one row per cascade and month",
                )
            flows.append(
                _number(inflow, hits[0], "inflow_m3_per_s", "profile_inflow.csv", 0.0, 1e5)
            )
        cascade_id = str(cascades["cascade"].iat[i])
        out[cascade_id] = CascadeSeed(
            id=cascade_id,
            zone=str(cascades["zone"].iat[i]),
            inflow_m3_per_s=tuple(flows),
            regulation_share=_number(
                cascades, i, "regulation_share", "profile_cascade.csv", 0.0, 1.0
            ),
        )
    return out


def _toml_value(table: dict[str, object], key: str, section: str) -> object:
    """Return ``table[key]["value"]`` of an ``hvdc.toml`` entry."""
    entry = table.get(key)
    if not isinstance(entry, dict) or "value" not in entry:
        raise InputError(f"seeds/hvdc.toml [{section}]", key, entry, "a table with a value")
    return entry["value"]


def _month_day(value: object, key: str) -> tuple[int, int]:
    """Parse an ``MM-DD`` string of the contract table."""
    text = str(value)
    try:
        month, day = (int(part) for part in text.split("-"))
        pd.Timestamp(year=2000, month=month, day=day)
    except (ValueError, TypeError):
        raise InputError("seeds/hvdc.toml [contract]", key, value, "a date MM-DD") from None
    return month, day


def _contract(document: dict[str, object]) -> ContractSeed:
    """Return the contract and link rating of ``hvdc.toml``."""
    contract, link = document.get("contract"), document.get("link")
    if not isinstance(contract, dict) or not isinstance(link, dict):
        raise InputError("seeds/hvdc.toml", "[contract] and [link]", None, "both tables present")

    def number(table: dict[str, object], key: str, section: str) -> float:
        value = _toml_value(table, key, section)
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise InputError(f"seeds/hvdc.toml [{section}]", key, value, "a non-negative number")
        return float(value)

    return ContractSeed(
        season_start=_month_day(_toml_value(contract, "season_start", "contract"), "season_start"),
        season_end=_month_day(_toml_value(contract, "season_end", "contract"), "season_end"),
        offtaker_mw={
            "PK": number(contract, "pakistan_mw", "contract"),
            "AF": number(contract, "afghanistan_mw", "contract"),
        },
        supplier_share={
            "KG": number(contract, "kyrgyzstan_share", "contract"),
            "TJ": number(contract, "tajikistan_share", "contract"),
        },
        link_rating_mw=number(link, "rating_mw", "link"),
    )
