"""Cell-level reading of the profile seed CSVs: bytes, frames, checked numbers and keyed rows.

Every seed reader of :mod:`casa1000.profiles` uses these helpers, so a bad cell
is always reported the same way: the file and its spreadsheet row (header = row
1), the column, the value and the allowed range.
"""

from __future__ import annotations

import io
import math
from importlib import resources
from typing import Final

import pandas as pd

from casa1000.errors import InputError

MONTH_COLUMNS: Final[tuple[str, ...]] = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip


def read_seed_bytes(name: str) -> bytes:
    """Return the bytes of one file of the ``casa1000.seeds`` package.

    Parameters
    ----------
    name
        File name inside ``casa1000/seeds``.

    Returns
    -------
    bytes
        The file's content.
    """
    return resources.files("casa1000.seeds").joinpath(name).read_bytes()


def parse_csv(data: bytes) -> pd.DataFrame:
    """Parse a seed CSV, keeping empty cells as empty strings in text columns.

    Parameters
    ----------
    data
        The file's bytes.

    Returns
    -------
    pandas.DataFrame
        One row per data line.
    """
    return pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])


def number(frame: pd.DataFrame, row: int, column: str, name: str, low: float, high: float) -> float:
    """Return a numeric cell within ``[low, high]``.

    Parameters
    ----------
    frame
        The parsed seed table.
    row
        Position of the row (0 is the first data line).
    column
        Column name.
    name
        File name, for the error message.
    low, high
        Allowed range, inclusive.

    Returns
    -------
    float
        The cell's value.

    Raises
    ------
    InputError
        If the cell is not a finite number within the range.
    """
    value: object = frame.at[frame.index[row], column]
    try:
        parsed = float(str(value))
    except (TypeError, ValueError):
        parsed = math.nan
    if not (math.isfinite(parsed) and low <= parsed <= high):
        raise InputError(
            f"seeds/{name} row {row + 2}", column, value, f"a number from {low} to {high}"
        )
    return parsed


def text(frame: pd.DataFrame, row: int, column: str) -> str:
    """Return a text cell, ``""`` when it is empty.

    Parameters
    ----------
    frame
        The parsed seed table.
    row
        Position of the row.
    column
        Column name.

    Returns
    -------
    str
        The stripped cell text.
    """
    value = frame[column].iat[row]
    return "" if pd.isna(value) else str(value).strip()


def row_of(frame: pd.DataFrame, name: str, key_column: str, key: str) -> int:
    """Return the position of the one row whose key column equals ``key``.

    Parameters
    ----------
    frame
        The parsed seed table.
    name
        File name, for the error message.
    key_column
        Column holding the key.
    key
        Key wanted.

    Returns
    -------
    int
        Row position.

    Raises
    ------
    InputError
        If no row or several rows carry the key.
    """
    hits = [i for i, value in enumerate(frame[key_column].astype(str)) if value == key]
    if len(hits) != 1:
        raise InputError(f"seeds/{name}", key_column, key, "exactly one row per key")
    return hits[0]
