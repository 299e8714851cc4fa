"""Reference data of the indicators: tariffs, outage rates, emission factors and the DC route.

Read from ``casa1000.seeds`` (``tariffs.csv``, ``outage_rates.csv``,
``emission_factors.csv``, ``hvdc_route.csv``); every
row cites a source of ``seeds/sources.csv`` with a confidence, and rows that are
assumptions say why in their note.  Users may replace the tariffs or the outage
rates with their own file of the same columns (a sensitivity on the ranges).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from casa1000.errors import InputError
from casa1000.grid.reference import seed_text

HOURS_PER_YEAR: Final = 8760.0
ELEMENTS: Final = (
    "line",
    "tie",
    "trafo",
    "unit",
    "plant",
    "hvdc_pole",
    "hvdc_bipole",
    "group",
)
"""Kinds of outage with a rate; ``unit`` rows are keyed by technology, ``group`` by group
id, ``tie`` (a tie to a neighbour's equivalent) by tie id."""


@dataclass(frozen=True, kw_only=True)
class Tariff:
    """One CASA-1000 tariff component [US c/kWh].

    Parameters
    ----------
    component
        ``energy``, ``transmission`` or ``transit``.
    us_cents_per_kwh
        The tariff [US c/kWh].
    payers
        Offtakers that pay it (``PK``, ``AF``).
    payees
        Who receives it (``KG``/``TJ`` suppliers, ``transmission`` pool, ``AF``).
    low, high
        Range quoted by the sources [US c/kWh].
    """

    component: str
    us_cents_per_kwh: float
    payers: tuple[str, ...]
    payees: tuple[str, ...]
    low: float
    high: float

    @property
    def usd_per_mwh(self) -> float:
        """The tariff in [USD/MWh] (1 US c/kWh = 10 USD/MWh)."""
        return 10.0 * self.us_cents_per_kwh


@dataclass(frozen=True, kw_only=True)
class OutageRate:
    """Forced-outage frequency and mean duration of one kind of element.

    Parameters
    ----------
    element
        One of :data:`ELEMENTS`.
    key
        Technology (``unit``), group id (``group``) or ``""`` (every element of the kind).
    frequency_per_year
        Outages per year [1/yr], per 100 km of line when ``per_100km``.
    per_100km
        The frequency scales with the length of the line.
    duration_h
        Mean outage duration [h].
    frequency_low, frequency_high, duration_low_h, duration_high_h
        The range of the values [1/yr], [h].
    """

    element: str
    key: str
    frequency_per_year: float
    per_100km: bool
    duration_h: float
    frequency_low: float
    frequency_high: float
    duration_low_h: float
    duration_high_h: float

    def frequency(self, length_km: float = 0.0) -> float:
        """Outages per year of one element [1/yr] (``length_km`` [km] for a line)."""
        if self.per_100km:
            return self.frequency_per_year * length_km / 100.0
        return self.frequency_per_year

    def unavailability(self, length_km: float = 0.0) -> float:
        r"""Probability of being out at a random hour [-].

        .. math:: p = \frac{f \cdot d}{8760}

        with ``f`` the frequency [1/yr] and ``d`` the mean duration [h]; the
        small-``p`` form of the two-state model's :math:`\lambda / (\lambda + \mu)`
        (Billinton and Allan, *Reliability Evaluation of Power Systems*, 2nd ed.,
        1996, ch. 2).
        """
        return min(1.0, self.frequency(length_km) * self.duration_h / HOURS_PER_YEAR)


@dataclass(frozen=True, kw_only=True)
class EmissionFactor:
    """A marginal generator's CO2 intensity and efficiency.

    Parameters
    ----------
    id
        Row id (``pk_marginal`` is the default of the indicators).
    co2_t_per_mwh
        CO2 per MWh of electricity [t/MWh].
    efficiency
        Net electrical efficiency [-].
    low, high
        Range of ``co2_t_per_mwh`` [t/MWh].
    """

    id: str
    co2_t_per_mwh: float
    efficiency: float
    low: float
    high: float


@dataclass(frozen=True, kw_only=True)
class IndicatorSeeds:
    """All reference data the indicators read.

    Parameters
    ----------
    tariffs
        Component -> tariff.
    outage_rates
        Every rate row.
    emission_factors
        Id -> emission factor.
    route_km
        HVDC segment -> country -> length [km].
    """

    tariffs: Mapping[str, Tariff]
    outage_rates: tuple[OutageRate, ...]
    emission_factors: Mapping[str, EmissionFactor]
    route_km: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def rate(self, element: str, key: str = "") -> OutageRate:
        """Return the rate of ``element`` for ``key``, else the kind's default row.

        Raises
        ------
        InputError
            If neither exists.
        """
        rows = {(r.element, r.key): r for r in self.outage_rates}
        found = rows.get((element, key)) or rows.get((element, ""))
        if found is None:
            raise InputError(
                "outage rates", f"{element} {key}".strip(), "missing", "a row for this element"
            )
        return found


def _rows(text: str, where: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(where, "columns", missing[0], "the columns " + ", ".join(columns))
    return list(reader)


def _number(row: dict[str, str], key: str, where: str) -> float:
    try:
        value = float(row[key])
    except (TypeError, ValueError):
        raise InputError(where, key, row.get(key), "a number") from None
    if value < 0 or value != value:
        raise InputError(where, key, row.get(key), "a number >= 0")
    return value


def _text(path: Path | None, name: str) -> tuple[str, str]:
    if path is None:
        return seed_text(name), f"seeds/{name}"
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except OSError as exc:
        raise InputError(str(path), "file", str(path), f"a readable CSV file ({exc})") from None


def read_tariffs(path: Path | None = None) -> dict[str, Tariff]:
    """Read ``tariffs.csv`` (or a user file of the same columns).

    Raises
    ------
    InputError
        For a missing column or component, or a bad number.
    """
    text, where = _text(path, "tariffs.csv")
    out: dict[str, Tariff] = {}
    for n, row in enumerate(
        _rows(text, where, ("component", "us_cents_per_kwh", "payer", "payee", "low", "high")),
        start=2,
    ):
        at = f"{where} row {n}"
        out[row["component"]] = Tariff(
            component=row["component"],
            us_cents_per_kwh=_number(row, "us_cents_per_kwh", at),
            payers=tuple(row["payer"].split()),
            payees=tuple(row["payee"].split()),
            low=_number(row, "low", at),
            high=_number(row, "high", at),
        )
    for needed in ("energy", "transmission", "transit"):
        if needed not in out:
            raise InputError(where, "component", needed, "rows energy, transmission and transit")
    return out


def read_outage_rates(path: Path | None = None) -> tuple[OutageRate, ...]:
    """Read ``outage_rates.csv`` (or a user file of the same columns).

    Raises
    ------
    InputError
        For an unknown element, a missing column or a bad number.
    """
    text, where = _text(path, "outage_rates.csv")
    cols = (
        "element",
        "id",
        "frequency_per_year",
        "per_100km",
        "duration_h",
        "frequency_low",
        "frequency_high",
        "duration_low_h",
        "duration_high_h",
    )
    out = []
    for n, row in enumerate(_rows(text, where, cols), start=2):
        at = f"{where} row {n}"
        if row["element"] not in ELEMENTS:
            raise InputError(at, "element", row["element"], "one of " + ", ".join(ELEMENTS))
        if row["per_100km"].strip().lower() not in ("true", "false"):
            raise InputError(at, "per_100km", row["per_100km"], "true or false")
        out.append(
            OutageRate(
                element=row["element"],
                key=row["id"].strip(),
                frequency_per_year=_number(row, "frequency_per_year", at),
                per_100km=row["per_100km"].strip().lower() == "true",
                duration_h=_number(row, "duration_h", at),
                frequency_low=_number(row, "frequency_low", at),
                frequency_high=_number(row, "frequency_high", at),
                duration_low_h=_number(row, "duration_low_h", at),
                duration_high_h=_number(row, "duration_high_h", at),
            )
        )
    return tuple(out)


def read_emission_factors() -> dict[str, EmissionFactor]:
    """Read ``emission_factors.csv``."""
    where = "seeds/emission_factors.csv"
    cols = ("id", "co2_t_per_mwh", "efficiency", "low", "high")
    out = {}
    for n, row in enumerate(_rows(seed_text("emission_factors.csv"), where, cols), start=2):
        at = f"{where} row {n}"
        out[row["id"]] = EmissionFactor(
            id=row["id"],
            co2_t_per_mwh=_number(row, "co2_t_per_mwh", at),
            efficiency=_number(row, "efficiency", at),
            low=_number(row, "low", at),
            high=_number(row, "high", at),
        )
    return out


def read_route() -> dict[str, dict[str, float]]:
    """Read ``hvdc_route.csv``: segment -> country -> length [km]."""
    where = "seeds/hvdc_route.csv"
    out: dict[str, dict[str, float]] = {}
    for n, row in enumerate(
        _rows(seed_text("hvdc_route.csv"), where, ("segment", "country", "length_km")), start=2
    ):
        length = _number(row, "length_km", f"{where} row {n}")
        out.setdefault(row["segment"], {})[row["country"]] = length
    return out


def load_indicator_seeds(
    *, tariffs_file: Path | None = None, outage_rates_file: Path | None = None
) -> IndicatorSeeds:
    """Read every table the indicators use.

    Parameters
    ----------
    tariffs_file
        A tariff table instead of ``seeds/tariffs.csv``.
    outage_rates_file
        An outage-rate table instead of ``seeds/outage_rates.csv``.

    Examples
    --------
    >>> seeds = load_indicator_seeds()
    >>> seeds.tariffs["transit"].us_cents_per_kwh, seeds.rate("trafo").duration_h
    (1.25, 768.0)
    """
    return IndicatorSeeds(
        tariffs=read_tariffs(tariffs_file),
        outage_rates=read_outage_rates(outage_rates_file),
        emission_factors=read_emission_factors(),
        route_km=read_route(),
    )
