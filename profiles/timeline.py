"""The hourly time axis of a study year and the local clocks of the zones.

Every profile is indexed by naive hourly timestamps in UTC+05:00, the standard
time of Tajikistan, Pakistan and Uzbekistan (none of them keeps daylight saving
time).  Kyrgyzstan runs on UTC+06:00, so its daily and weekly shapes, which are
written in Kyrgyz clock time, are read one hour ahead: the Kyrgyz evening peak
at 19:00 Bishkek time lands on the 18:00 row of the dataset.  Monthly energy
targets are always met on the dataset's own (UTC+05:00) calendar months.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from casa1000.errors import InputError

TIMEZONE: Final = "UTC+05:00"
"""Label of the dataset clock, stored in ``ds.time.attrs["timezone"]``."""

DATASET_UTC_OFFSET_H: Final = 5
"""Offset of the dataset clock from UTC [h]."""

ZONE_UTC_OFFSET_H: Final[dict[str, int]] = {"KG": 6, "TJ": 5, "AF": 5, "PK": 5}
"""Offset of each zone's civil clock from UTC [h]; Afghanistan (UTC+04:30) only
takes the flat CASA offtake, so its half hour does not matter."""

FIRST_YEAR: Final = 2020
"""First study year: the seeds describe the systems of the mid-2020s (CASA-1000 was
energised in 2025); earlier years would be a different power system, not a calendar."""
LAST_YEAR: Final = 2060
"""Last study year: beyond it the demand growth factor no longer stands for a plan."""

SEASON_OF_MONTH: Final[tuple[str, ...]] = (
    "winter", "winter", "shoulder", "shoulder", "summer", "summer",
    "summer", "summer", "shoulder", "shoulder", "winter", "winter",
)  # fmt: skip
"""Daily-shape season of each calendar month, January first."""

SEASONS: Final[tuple[str, ...]] = ("winter", "shoulder", "summer")
DAY_TYPES: Final[tuple[str, ...]] = ("weekday", "weekend")


def hourly_index(year: int) -> pd.DatetimeIndex:
    """Return every hour of a calendar year on the dataset clock.

    Parameters
    ----------
    year
        Calendar year of the study, 2020 to 2060.

    Returns
    -------
    pandas.DatetimeIndex
        Naive ``datetime64[ns]`` timestamps from 1 January 00:00 to 31 December
        23:00 in UTC+05:00: 8,760 hours, or 8,784 in a leap year.

    Raises
    ------
    InputError
        If the year is outside 2020 to 2060.

    Examples
    --------
    >>> len(hourly_index(2027)), len(hourly_index(2028))
    (8760, 8784)
    """
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            "profile config", "year", year, f"an integer from {FIRST_YEAR} to {LAST_YEAR}"
        )
    start = pd.Timestamp(year=year, month=1, day=1)
    return pd.date_range(start, periods=hours_in_year(year), freq="h", name="time")


def hours_in_year(year: int) -> int:
    """Return the number of hours of a calendar year.

    Parameters
    ----------
    year
        Calendar year.

    Returns
    -------
    int
        8,784 for a leap year, else 8,760 [h].
    """
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 8784 if leap else 8760


def zone_clock(time: pd.DatetimeIndex, zone: str) -> pd.DatetimeIndex:
    """Return the civil-clock reading of a zone at each dataset hour.

    Parameters
    ----------
    time
        Dataset timestamps in UTC+05:00.
    zone
        Zone id (``"KG"``, ``"TJ"``, ``"AF"`` or ``"PK"``).

    Returns
    -------
    pandas.DatetimeIndex
        The same instants on the zone's clock (one hour later for ``"KG"``).
    """
    return time + pd.Timedelta(hours=ZONE_UTC_OFFSET_H[zone] - DATASET_UTC_OFFSET_H)


def month_index(time: pd.DatetimeIndex) -> NDArray[np.intp]:
    """Return the zero-based calendar month of each timestamp.

    Parameters
    ----------
    time
        Timestamps.

    Returns
    -------
    numpy.ndarray
        Integers 0 (January) to 11 (December).
    """
    return np.asarray(time.month, dtype=np.intp) - 1


def hours_per_month(time: pd.DatetimeIndex) -> NDArray[np.float64]:
    """Return the number of hours of each calendar month covered by ``time``.

    Parameters
    ----------
    time
        Hourly timestamps of one year.

    Returns
    -------
    numpy.ndarray
        Twelve hour counts [h], January first.
    """
    return np.bincount(month_index(time), minlength=12).astype(np.float64)


def to_cf_time(ds: xr.Dataset) -> xr.Dataset:
    """Prepare ``ds`` for a NetCDF file: times as UTC, the local offset in their units.

    In memory the study clock is naive local time (UTC+05:00); in the file the
    values are hours since 1 January 00:00 local with the units
    ``hours since YYYY-01-01 00:00:00+05:00``, which CF readers turn into the
    right instants.  :func:`from_cf_time` undoes it after reading.

    Parameters
    ----------
    ds
        A dataset with a naive ``time`` coordinate on the dataset clock.

    Returns
    -------
    xarray.Dataset
        A copy whose ``time`` is shifted to UTC, with the encoding set.
    """
    if "time" not in ds.coords or not np.issubdtype(ds["time"].dtype, np.datetime64):
        return ds
    out = ds.copy()
    offset = np.timedelta64(DATASET_UTC_OFFSET_H, "h")
    out = out.assign_coords(time=("time", ds["time"].values - offset, dict(ds["time"].attrs)))
    year = pd.Timestamp(ds["time"].values[0]).year if ds.sizes["time"] else FIRST_YEAR
    out["time"].encoding = {
        "units": f"hours since {year:04d}-01-01 00:00:00{TIMEZONE[3:]}",
        "calendar": "proleptic_gregorian",
        "dtype": "int32",
    }
    return out


def from_cf_time(ds: xr.Dataset) -> xr.Dataset:
    """Undo :func:`to_cf_time` on a dataset read from a file (times local again).

    Files whose time units carry no ``+05:00`` offset are returned unchanged.
    """
    if "time" not in ds.coords or not np.issubdtype(ds["time"].dtype, np.datetime64):
        return ds
    if not str(ds["time"].encoding.get("units", "")).endswith(TIMEZONE[3:]):
        return ds
    offset = np.timedelta64(DATASET_UTC_OFFSET_H, "h")
    return ds.assign_coords(time=("time", ds["time"].values + offset, dict(ds["time"].attrs)))
