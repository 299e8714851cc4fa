"""The same indicators across result sets: one table with a ``scenario`` dimension and differences.

Built on the key figures of each set (:func:`~.tables.key_figures`): dry, normal
and wet years, the as-built network against the 2014 design, or any other
sets.  Differences are taken against the first set.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import xarray as xr

from casa1000.errors import InputError
from casa1000.studies.indicators.tables import key_figures
from casa1000.studies.spine.results_io import write_netcdf, write_table

SCENARIO_ATTRS: Final = ("variant", "profile_hydrology", "profile_year", "scenario", "overrides")
"""Scenario attributes of each set carried into the comparison."""


def compare(sets: Mapping[str, xr.Dataset]) -> xr.Dataset:
    """Line up the key figures of several indicators results.

    Parameters
    ----------
    sets
        Label -> indicators result, the reference (difference base) first.

    Returns
    -------
    xarray.Dataset
        ``value`` and ``difference`` (value minus the first set's), dims
        (indicator, scenario); coordinates ``unit`` and ``label`` per indicator
        and the scenario attributes (variant, hydrology, ...) per set.

    Raises
    ------
    InputError
        For no sets.

    Examples
    --------
    >>> import pandas as pd
    >>> def fake(v):
    ...     return pd.DataFrame({"indicator": ["x"], "value": [v], "unit": ["GWh"],
    ...                          "label": ["x"], "note": [""]})
    >>> ds = compare_figures({"dry": fake(1.0), "wet": fake(3.0)})
    >>> ds.difference.sel(scenario="wet").values.tolist()
    [2.0]
    """
    if not sets:
        raise InputError("comparison", "sets", 0, "at least one indicators result")
    out = compare_figures({label: key_figures(ds) for label, ds in sets.items()})
    for key in SCENARIO_ATTRS:
        out = out.assign_coords(
            {f"scenario_{key}": ("scenario", [str(ds.attrs.get(key, "")) for ds in sets.values()])}
        )
    return out


def compare_figures(figures: Mapping[str, pd.DataFrame]) -> xr.Dataset:
    """Line up key-figure tables (see :func:`compare`); indicators in first-seen order."""
    order: list[str] = []
    units: dict[str, str] = {}
    labels: dict[str, str] = {}
    for frame in figures.values():
        for row in frame.itertuples(index=False):
            key = str(row.indicator)
            if key not in units:
                order.append(key)
                units[key] = str(row.unit)
                labels[key] = str(row.label)
    values = np.full((len(order), len(figures)), np.nan)
    for j, frame in enumerate(figures.values()):
        lookup = dict(zip(frame.indicator.astype(str), frame.value.astype(float), strict=True))
        for i, key in enumerate(order):
            values[i, j] = lookup.get(key, np.nan)
    value = xr.DataArray(
        values,
        dims=("indicator", "scenario"),
        attrs={"long_name": "indicator value", "units": "see the unit coordinate"},
    )
    difference = (value - value.isel(scenario=0)).assign_attrs(
        long_name="value minus the first scenario's", units="see the unit coordinate"
    )
    return xr.Dataset(
        {"value": value, "difference": difference},
        coords={
            "indicator": order,
            "scenario": list(figures),
            "unit": ("indicator", [units[k] for k in order]),
            "label": ("indicator", [labels[k] for k in order]),
        },
        attrs={
            "title": "casa1000 indicators compared across result sets",
            "Conventions": "CF-1.10",
        },
    )


def comparison_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per indicator: unit, label, each set's value, then each difference to the first."""
    frame = pd.DataFrame(
        {"unit": ds.unit.values, "label": ds.label.values},
        index=pd.Index(ds.indicator.values.astype(str), name="indicator"),
    )
    scenarios = [str(s) for s in ds.scenario.values]
    for s in scenarios:
        frame[s] = ds["value"].sel(scenario=s).values
    for s in scenarios[1:]:
        frame[f"{s} - {scenarios[0]}"] = ds["difference"].sel(scenario=s).values
    return frame


def write_comparison(ds: xr.Dataset, folder: Path) -> list[Path]:
    """Write ``comparison.nc`` and ``comparison.csv`` into ``folder`` (atomically).

    Raises
    ------
    InputError
        If a file cannot be written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    table = comparison_table(ds).round(3)
    return [
        write_netcdf(ds, folder / "comparison.nc"),
        write_table(table, folder / "comparison.csv"),
    ]
