"""Read and write profile datasets as NetCDF or CSV.

NetCDF
    The dataset as built, every variable and attribute included.  Written
    atomically: to a temporary file in the target folder, then renamed.

CSV
    One row per hour of one calendar year, in time order::

        time,demand_mw:KG,demand_mw:TJ,demand_mw:AF,demand_mw:PK,available_mw:TOKTOGUL,...,contract_mw:PK,contract_mw:AF
        2027-01-01T00:00:00+05:00,2385.2,2430.7,0.0,12023.9,1017.4,...,0.0,0.0

    ``time`` is the ISO local time on the UTC+05:00 clock (the ``+05:00``
    suffix may be left out; no other offset is accepted).  Every other column
    is named ``<variable>:<label>`` where the variable is one of
    ``demand_mw`` (labels: zones KG, TJ, AF, PK), ``available_mw`` (labels:
    plant ids of ``seeds/plants.csv``) or ``contract_mw`` (labels: offtakers
    PK, AF); the ``_mw`` suffix states the unit, MW.  Every such column must
    be present exactly once.  Two optional inputs may follow:
    ``export_release_mw:KG`` and ``export_release_mw:TJ`` (both or neither:
    output from reservoir water released for the export, see
    :mod:`casa1000.profiles.exports`) and ``reverse_contract_mw`` (no label:
    the reverse-flow contract, Pakistan to Tajikistan); absent, they are zero.
    The derived variables (``reserve_mw``, ``export_available_mw``,
    ``export_available_total_mw``) are not stored: reading recomputes them
    with :func:`casa1000.profiles.exports.derive_exports`, and recomputes the
    Afghan balance (:mod:`casa1000.profiles.afghan_balance`) from the CSV's
    Afghan offtake.  The monthly reservoir balance is a result of a build and
    is kept only in NetCDF.
    A file is refused, with the file, row or column, the value and what is
    allowed named in the :class:`~casa1000.errors.InputError`, for: an unknown
    column or variable (wrong units), an unknown zone, plant or offtaker, a
    missing or repeated column, an unreadable, repeated, off-the-hour or
    out-of-year time, missing hours or a wrong number of hours for the year,
    an empty or non-numeric cell, NaN, a negative value, or an available
    generation above the plant's capacity.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import xarray as xr

import casa1000
from casa1000.errors import InputError
from casa1000.grid.atomic import atomic_output
from casa1000.profiles.afghan_balance import SOURCES, afghan_balance
from casa1000.profiles.dataset import (
    INPUT_VARIABLES,
    OFFTAKERS,
    SUPPLIERS,
    ZONES,
    new_profiles_dataset,
    validate_profiles,
    variable_attrs,
)
from casa1000.profiles.exports import derive_exports
from casa1000.profiles.seed_tables import ProfileSeeds, load_profile_seeds
from casa1000.profiles.timeline import (
    FIRST_YEAR,
    LAST_YEAR,
    TIMEZONE,
    from_cf_time,
    hourly_index,
    to_cf_time,
)

CSV_SUFFIX: Final = "+05:00"
EXPORT_RELEASE: Final = "export_release_mw"
REVERSE: Final = "reverse_contract_mw"
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def write_profiles_netcdf(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write a profile dataset to a NetCDF file, atomically.

    Parameters
    ----------
    ds
        Profile dataset; it is validated first.
    path
        Target file; missing folders are created.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    InputError
        If ``ds`` breaks the profile contract; nothing is written then.
    """
    validate_profiles(ds)
    target = Path(path)
    encoding = {name: {"zlib": True, "complevel": 4} for name in ds.data_vars}
    with atomic_output(target) as temporary:
        to_cf_time(ds).to_netcdf(temporary, engine="netcdf4", encoding=encoding)
    return target


def read_profiles_netcdf(path: str | os.PathLike[str]) -> xr.Dataset:
    """Read and validate a profile dataset written by :func:`write_profiles_netcdf`.

    Parameters
    ----------
    path
        NetCDF file.

    Returns
    -------
    xarray.Dataset
        The dataset, loaded into memory (the file is closed).

    Raises
    ------
    InputError
        If the file is missing, unreadable or breaks the profile contract.
    """
    source = Path(path)
    if not source.is_file():
        raise InputError(str(source), "file", str(source), "an existing NetCDF file")
    try:
        with xr.open_dataset(source, engine="netcdf4") as stored:
            ds = from_cf_time(stored.load())
    except (OSError, ValueError) as error:
        raise InputError(
            str(source), "file", type(error).__name__, "a NetCDF profile file"
        ) from None
    validate_profiles(ds, where=str(source))
    return ds


def write_profiles_csv(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write the input variables of a profile dataset to a CSV file, atomically.

    Parameters
    ----------
    ds
        Profile dataset; it is validated first.
    path
        Target file; missing folders are created.

    Returns
    -------
    pathlib.Path
        The written file, in the format of this module's docstring.

    Raises
    ------
    InputError
        If ``ds`` breaks the profile contract; nothing is written then.
    """
    validate_profiles(ds)
    columns: dict[str, np.ndarray] = {}
    for name, spec in INPUT_VARIABLES.items():
        label_dim = spec.dims[1]
        values = ds[name].transpose(*spec.dims).values
        for j, label in enumerate(ds[label_dim].values):
            columns[f"{name}:{label}"] = values[:, j]
    if EXPORT_RELEASE in ds.data_vars:
        released = ds[EXPORT_RELEASE].transpose("time", "supplier")
        for supplier in SUPPLIERS:
            columns[f"{EXPORT_RELEASE}:{supplier}"] = released.sel(supplier=supplier).values
    if REVERSE in ds.data_vars:
        columns[REVERSE] = ds[REVERSE].values
    frame = pd.DataFrame(columns)
    stamps = pd.DatetimeIndex(ds["time"].values).strftime("%Y-%m-%dT%H:%M:%S")
    frame.insert(0, "time", [stamp + CSV_SUFFIX for stamp in stamps])
    target = Path(path)
    with atomic_output(target) as temporary:
        frame.to_csv(temporary, index=False, lineterminator="\n")
    return target


def read_profiles_csv(
    path: str | os.PathLike[str],
    *,
    converter_limit_mw: float | None = None,
) -> xr.Dataset:
    """Read, check and complete a profile CSV file.

    Parameters
    ----------
    path
        CSV file in the format of this module's docstring.
    converter_limit_mw
        Cap on the total export available [MW]; ``None`` uses the link rating
        of ``seeds/hvdc.toml``.

    Returns
    -------
    xarray.Dataset
        Profile dataset with the derived export variables recomputed.

    Raises
    ------
    InputError
        On the first problem found, naming the file, the row or column, the
        value and what is allowed.
    """
    source = Path(path)
    where = str(source)
    if not source.is_file():
        raise InputError(where, "file", where, "an existing CSV file")
    seeds = load_profile_seeds()
    try:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise InputError(
            where, "file", type(error).__name__, "a comma-separated profile file"
        ) from None
    labels = _expected_labels(seeds)
    optional = _optional_columns(frame, where)
    columns = _check_header(frame.drop(columns=optional), where, labels)
    time = _parse_time(frame["time"], where)
    values = {name: _numbers(frame, cols, where) for name, cols in columns.items()}
    extra = {name: _numbers(frame, [name], where)[:, 0] for name in optional}
    order = np.argsort(time.to_numpy(), kind="stable")
    ds = new_profiles_dataset(
        time=pd.DatetimeIndex(time.to_numpy()[order]),
        plants=seeds.plants,
        demand_mw=values["demand_mw"][order],
        available_mw=values["available_mw"][order],
        contract_mw=values["contract_mw"][order],
        attrs=_csv_attrs(source, int(time[0].year), seeds, converter_limit_mw),
    )
    if f"{EXPORT_RELEASE}:KG" in extra:
        released = np.column_stack([extra[f"{EXPORT_RELEASE}:{s}"] for s in SUPPLIERS])
        ds[EXPORT_RELEASE] = (("time", "supplier"), released[order], variable_attrs(EXPORT_RELEASE))
    if REVERSE in extra:
        ds[REVERSE] = (("time",), extra[REVERSE][order], variable_attrs(REVERSE))
    limit = float(ds.attrs["converter_limit_mw"])
    ds = derive_exports(
        ds,
        reserve_share=seeds.reserve_share,
        supplier_share=seeds.contract.supplier_share,
        converter_limit_mw=limit,
    )
    ds = ds.assign_coords(af_source=list(SOURCES))
    balance = afghan_balance(
        seeds.afghan,
        pd.DatetimeIndex(ds["time"].values),
        ds["demand_mw"].sel(zone="AF").values.astype(np.float64),
        seeds.demand["TJ"].daily_shape,
    )
    for name, array in balance.items():
        dims = ("time", "af_source") if np.ndim(array) == 2 else ("time",)
        ds[name] = (dims, array, variable_attrs(name))
    validate_profiles(ds, where=where, plants=seeds.plants)
    return ds


def _optional_columns(frame: pd.DataFrame, where: str) -> list[str]:
    """Return the optional input columns present; refuse half a pair of export columns."""
    names = [str(name) for name in frame.columns]
    released = [f"{EXPORT_RELEASE}:{s}" for s in SUPPLIERS]
    present = [name for name in released if name in names]
    if present and len(present) != len(released):
        missing = next(name for name in released if name not in names)
        raise InputError(where, "columns", f"{missing} missing", f"both or neither of {released}")
    return present + ([REVERSE] if REVERSE in names else [])


def _expected_labels(seeds: ProfileSeeds) -> dict[str, list[str]]:
    """Return the labels each input variable must carry, in dataset order."""
    return {
        "demand_mw": list(ZONES),
        "available_mw": [plant.id for plant in seeds.plants],
        "contract_mw": list(OFFTAKERS),
    }


def _check_header(
    frame: pd.DataFrame, where: str, labels: dict[str, list[str]]
) -> dict[str, list[str]]:
    """Check the column names; return the column names of each variable in dataset order."""
    names = [str(name) for name in frame.columns]
    if not names or names[0] != "time":
        raise InputError(
            where, "column 1", names[0] if names else None, "'time' as the first column"
        )
    variables = ", ".join(INPUT_VARIABLES)
    seen: set[str] = set()
    for name in names[1:]:
        variable, _, label = name.partition(":")
        if variable not in INPUT_VARIABLES or not label:
            raise InputError(
                where,
                f"column {name!r}",
                name,
                f"<variable>:<label> with a variable in MW: {variables}",
            )
        if label not in labels[variable]:
            kind = {"demand_mw": "zone", "available_mw": "plant", "contract_mw": "offtaker"}[
                variable
            ]
            raise InputError(
                where, f"column {name!r}", label, f"a {kind} of {', '.join(labels[variable])}"
            )
        if name in seen:
            raise InputError(where, f"column {name!r}", name, "each column once")
        seen.add(name)
    for variable, wanted in labels.items():
        for label in wanted:
            if f"{variable}:{label}" not in seen:
                raise InputError(
                    where,
                    "columns",
                    f"{variable}:{label} missing",
                    f"one column per {variable} label",
                )
    return {
        variable: [f"{variable}:{label}" for label in wanted] for variable, wanted in labels.items()
    }


def _parse_time(column: pd.Series, where: str) -> pd.DatetimeIndex:
    """Parse, and check, the ``time`` column: one complete year of whole hours."""
    text = column.astype(str).str.strip()
    naive = text.str.removesuffix(CSV_SUFFIX)
    for row, stamp in enumerate(naive):
        if _OFFSET.search(stamp):
            raise InputError(
                where,
                f"row {row + 2} column 'time'",
                text.iat[row],
                f"a local time on the {TIMEZONE} clock (suffix {CSV_SUFFIX} or none)",
            )
    parsed = pd.to_datetime(naive, format="ISO8601", errors="coerce")
    time = pd.DatetimeIndex(parsed)
    for row in _first_row(np.asarray(time.isna())):
        raise InputError(
            where,
            f"row {row + 2} column 'time'",
            text.iat[row],
            "an ISO date and hour such as 2027-01-01T00:00:00+05:00",
        )
    if len(time) == 0:
        raise InputError(where, "rows", 0, "one row per hour of a calendar year")
    duplicated = np.asarray(time.duplicated())
    for row in _first_row(duplicated):
        raise InputError(
            where, f"row {row + 2} column 'time'", text.iat[row], "each hour once (duplicate hour)"
        )
    year = int(time[0].year)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            where, "row 2 column 'time'", text.iat[0], f"a year from {FIRST_YEAR} to {LAST_YEAR}"
        )
    expected = hourly_index(year)
    stray = ~np.asarray(time.isin(expected))
    for row in _first_row(stray):
        raise InputError(
            where,
            f"row {row + 2} column 'time'",
            text.iat[row],
            f"a whole hour of {year}, the year of the first row",
        )
    if len(time) != len(expected):
        missing = expected[~expected.isin(time)]
        raise InputError(
            where,
            "rows",
            f"{len(time)} hours, first missing {missing[0].isoformat()}",
            f"{len(expected)} hourly rows for {year}",
        )
    return time


def _numbers(frame: pd.DataFrame, columns: list[str], where: str) -> np.ndarray:
    """Return the cells of ``columns`` as floats, refusing text, NaN and negatives."""
    out = np.empty((len(frame), len(columns)))
    for j, name in enumerate(columns):
        cells = frame[name]
        try:
            out[:, j] = np.asarray(cells, dtype=np.float64)
        except ValueError:
            for row, cell in enumerate(cells):
                try:
                    float(cell)
                except ValueError:
                    raise InputError(
                        where, f"row {row + 2} column {name!r}", cell, "a number of MW"
                    ) from None
        for row in _first_row(~np.isfinite(out[:, j])):
            raise InputError(
                where,
                f"row {row + 2} column {name!r}",
                cells.iat[row],
                "a finite number of MW (no NaN or empty cells)",
            )
        for row in _first_row(out[:, j] < 0.0):
            raise InputError(
                where, f"row {row + 2} column {name!r}", cells.iat[row], "a number of MW >= 0"
            )
    return out


def _csv_attrs(
    source: Path, year: int, seeds: ProfileSeeds, converter_limit_mw: float | None
) -> dict[str, str | int | float]:
    """Return the provenance attributes of a dataset read from CSV."""
    limit = seeds.contract.link_rating_mw if converter_limit_mw is None else converter_limit_mw
    if not np.isfinite(limit) or limit < 0:
        raise InputError(
            "read_profiles_csv", "converter_limit_mw", limit, "a non-negative number of MW"
        )
    return {
        "title": "casa1000 hourly profiles",
        "casa1000_version": casa1000.__version__,
        "source_file": source.name,
        "year": year,
        "converter_limit_mw": float(limit),
        "seed_hash": seeds.seed_hash,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "timezone": TIMEZONE,
    }


def _first_row(mask: np.ndarray) -> list[int]:
    """Return the position of the first true entry of ``mask`` as a list of at most one."""
    hits = np.flatnonzero(mask)
    return [int(hits[0])] if hits.size else []
