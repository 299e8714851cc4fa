"""What each supplier zone can import, month by month: the neighbours' winter limit.

Kyrgyzstan and Tajikistan cover what their plants cannot from the rest of the
Central Asian Power System (Kazakhstan, Uzbekistan, Turkmenistan through
Uzbekistan, Russia through Kazakhstan).  In winter the neighbours are at their
own peak and sell only what is left; in summer their ties limit.  Each supplier's
import capability is a seeded power per month (``seeds/import_capability.csv``,
with a low and high value of its range), spread over the hours of the month::

    import_capability_mw[t, s] = max_import_mw[s, month(t)]

The dispatch (:func:`casa1000.grid.dispatch.dispatch_plants`) imports at most
this per zone, and at most the CAPS equivalent's ``max_import_mw`` for both
zones together; what is left is unserved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from casa1000.errors import InputError
from casa1000.profiles.seed_cells import number, text
from casa1000.profiles.timeline import month_index

IMPORT_FILE: Final = "import_capability.csv"
"""The seed file read here (part of the profile ``seed_hash``)."""
IMPORT_CAPABILITY: Final = "import_capability_mw"
"""Name of the profile variable ``(time, supplier)`` [MW]."""
MAX_IMPORT_MW: Final = 100_000.0
"""Largest import capability a seed may state [MW] (a typo guard)."""


@dataclass(frozen=True, kw_only=True)
class ImportCapabilitySeed:
    """Import capability of each supplier zone by month, with its range.

    Parameters
    ----------
    max_import_mw
        Supplier zone -> twelve capabilities, January first [MW].
    low_mw, high_mw
        Supplier zone -> the ends of each month's range [MW].
    """

    max_import_mw: Mapping[str, tuple[float, ...]]
    low_mw: Mapping[str, tuple[float, ...]]
    high_mw: Mapping[str, tuple[float, ...]]


def import_capability_seed(frame: pd.DataFrame, suppliers: Sequence[str]) -> ImportCapabilitySeed:
    """Read and check ``seeds/import_capability.csv``.

    Parameters
    ----------
    frame
        The parsed table: ``zone, month, max_import_mw, low_mw, high_mw`` and
        the citation columns.
    suppliers
        The supplier zones of the contract; each needs all twelve months.

    Returns
    -------
    ImportCapabilitySeed
        Twelve months for every supplier zone.

    Raises
    ------
    InputError
        On an unknown zone, a repeated or missing (zone, month), a value out of
        range, or a capability outside its own range.
    """
    values: dict[tuple[str, int], tuple[float, float, float]] = {}
    for i in range(len(frame)):
        where = f"seeds/{IMPORT_FILE} row {i + 2}"
        zone = text(frame, i, "zone")
        if zone not in suppliers:
            raise InputError(where, "zone", zone, f"a supplier zone: {', '.join(suppliers)}")
        month = int(number(frame, i, "month", IMPORT_FILE, 1, 12))
        if (zone, month) in values:
            raise InputError(where, "zone,month", f"{zone},{month}", "one row per zone and month")
        cap, low, high = (
            number(frame, i, col, IMPORT_FILE, 0.0, MAX_IMPORT_MW)
            for col in ("max_import_mw", "low_mw", "high_mw")
        )
        if not low <= cap <= high:
            raise InputError(where, "max_import_mw", cap, "a value within low_mw..high_mw")
        values[(zone, month)] = (cap, low, high)
    for zone in suppliers:
        for month in range(1, 13):
            if (zone, month) not in values:
                raise InputError(
                    f"seeds/{IMPORT_FILE}", "zone,month", f"{zone},{month}", "a row for every month"
                )

    def column(k: int) -> dict[str, tuple[float, ...]]:
        return {z: tuple(values[(z, m)][k] for m in range(1, 13)) for z in suppliers}

    return ImportCapabilitySeed(max_import_mw=column(0), low_mw=column(1), high_mw=column(2))


def import_capability_mw(
    seed: ImportCapabilitySeed, time: pd.DatetimeIndex, suppliers: Sequence[str]
) -> NDArray[np.float64]:
    """Return the import capability of each supplier in each hour.

    Parameters
    ----------
    seed
        Monthly capabilities.
    time
        Hourly timestamps (UTC+05:00).
    suppliers
        Supplier zones, in column order.

    Returns
    -------
    numpy.ndarray
        (hours, suppliers) [MW].

    Examples
    --------
    >>> seed = ImportCapabilitySeed(
    ...     max_import_mw={"KG": (1000.0,) * 12, "TJ": (300.0,) * 6 + (900.0,) * 6},
    ...     low_mw={}, high_mw={})
    >>> time = pd.DatetimeIndex(["2027-01-01 00:00", "2027-07-01 00:00"])
    >>> import_capability_mw(seed, time, ["KG", "TJ"]).tolist()
    [[1000.0, 300.0], [1000.0, 900.0]]
    """
    table = np.array([seed.max_import_mw[s] for s in suppliers], dtype=np.float64).T
    out: NDArray[np.float64] = table[month_index(time)]
    return out


def with_import_capability(ds: xr.Dataset, seed: ImportCapabilitySeed) -> xr.Dataset:
    """Return ``ds`` with ``import_capability_mw(time, supplier)`` from the seeds.

    Parameters
    ----------
    ds
        Profile dataset (its ``time`` and ``supplier`` coordinates are used).
    seed
        Monthly capabilities.

    Returns
    -------
    xarray.Dataset
        A copy with the variable added (or replaced).
    """
    # imported here: the dataset contract imports the seed tables, which import this module
    from casa1000.profiles.dataset import variable_attrs

    time = pd.DatetimeIndex(ds["time"].values)
    suppliers = [str(s) for s in ds["supplier"].values]
    values = import_capability_mw(seed, time, suppliers)
    return ds.assign(
        {
            IMPORT_CAPABILITY: (
                ("time", "supplier"),
                values,
                variable_attrs(IMPORT_CAPABILITY),
            )
        }
    )
