"""Choosing the hours a study runs on."""

from __future__ import annotations

import xarray as xr

from casa1000.errors import InputError


def select_hours(profiles: xr.Dataset, months: tuple[int, ...]) -> xr.Dataset:
    """Keep the hours of ``months`` (all when empty).

    Parameters
    ----------
    profiles
        Hourly profiles (or any dataset with a ``time`` dimension).
    months
        Calendar months 1-12.

    Returns
    -------
    xarray.Dataset
        The selected hours.

    Raises
    ------
    InputError
        For a month outside 1-12 or one absent from the profiles.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = xr.Dataset(coords={"time": pd.date_range("2027-01-01", periods=24 * 59, freq="h")})
    >>> select_hours(ds, (2,)).sizes["time"]
    672
    """
    if not months:
        return profiles
    bad = [m for m in months if not 1 <= m <= 12]
    if bad:
        raise InputError("--months", "months", bad[0], "month numbers 1 to 12")
    selected = profiles.sel(time=profiles.time.dt.month.isin(list(months)))
    if selected.sizes["time"] == 0:
        raise InputError("--months", "months", list(months), "months present in the profiles")
    return selected
