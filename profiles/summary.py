"""Monthly summary of a profile dataset: energy, peaks and export available per month."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from casa1000.profiles.dataset import SUPPLIERS, ZONES

MWH_PER_GWH = 1e3


def monthly_summary(ds: xr.Dataset) -> pd.DataFrame:
    """Return monthly energies and peaks of a profile dataset.

    Parameters
    ----------
    ds
        Profile dataset (see :mod:`casa1000.profiles.dataset`).

    Returns
    -------
    pandas.DataFrame
        One row per month (index ``"2027-01"`` ...) plus a ``"year"`` row, with
        columns ``demand_gwh:<zone>`` [GWh], ``peak_demand_mw:<zone>`` [MW],
        ``available_gwh:<supplier>`` (all plants of the zone) [GWh],
        ``contract_gwh`` [GWh], ``export_available_gwh:<supplier>`` [GWh] and
        ``export_available_total_gwh`` [GWh].  Hourly MW summed over hours is
        MWh; the year row sums the energies and takes the largest peak.
    """
    time = pd.DatetimeIndex(ds["time"].values)
    month = pd.Index(time.strftime("%Y-%m"), name="month")
    demand = pd.DataFrame(ds["demand_mw"].transpose("time", "zone").values, columns=list(ZONES))
    plant_zone = ds["plant_zone"].values
    available = ds["available_mw"].transpose("time", "plant").values
    export = ds["export_available_mw"].transpose("time", "supplier").values
    energy = pd.DataFrame(index=range(len(time)))
    for zone in ZONES:
        energy[f"demand_gwh:{zone}"] = demand[zone] / MWH_PER_GWH
    for supplier in SUPPLIERS:
        energy[f"available_gwh:{supplier}"] = (
            available[:, plant_zone == supplier].sum(axis=1) / MWH_PER_GWH
        )
    energy["contract_gwh"] = ds["contract_mw"].sum("offtaker").values / MWH_PER_GWH
    for j, supplier in enumerate(SUPPLIERS):
        energy[f"export_available_gwh:{supplier}"] = export[:, j] / MWH_PER_GWH
    energy["export_available_total_gwh"] = ds["export_available_total_mw"].values / MWH_PER_GWH
    energy.index = month
    demand.index = month
    sums = energy.groupby(level="month").sum()
    peaks = demand.groupby(level="month").max().add_prefix("peak_demand_mw:")
    table = pd.concat([sums, peaks], axis=1)
    year = pd.concat([sums.sum(), peaks.max()]).to_frame("year").T
    table = pd.concat([table, year])
    table.index.name = "month"
    ordered = (
        [f"demand_gwh:{zone}" for zone in ZONES]
        + [f"peak_demand_mw:{zone}" for zone in ZONES]
        + [f"available_gwh:{supplier}" for supplier in SUPPLIERS]
        + ["contract_gwh"]
        + [f"export_available_gwh:{supplier}" for supplier in SUPPLIERS]
        + ["export_available_total_gwh"]
    )
    return table[ordered]


def summary_rows(ds: xr.Dataset) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Return the monthly summary as text cells, ready for a plain or rich table.

    Parameters
    ----------
    ds
        Profile dataset.

    Returns
    -------
    tuple
        The header (``"month"`` then the column names of
        :func:`monthly_summary`) and one tuple of cells per row, numbers rounded
        to whole GWh or MW with thousands separators.
    """
    table = monthly_summary(ds)
    header = ("month", *map(str, table.columns))
    rows = [
        (str(label), *(f"{value:,.0f}" for value in values))
        for label, values in zip(table.index, table.to_numpy(), strict=True)
    ]
    return header, rows


def format_summary(ds: xr.Dataset) -> str:
    """Return the monthly summary as a fixed-width text table.

    Parameters
    ----------
    ds
        Profile dataset.

    Returns
    -------
    str
        A header line, a rule and one line per month and the year, with the
        dataset's year, hydrology and timezone on a first line.
    """
    header, rows = summary_rows(ds)
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [
        f"casa1000 profiles {ds.attrs.get('year', '')}"
        f" hydrology={ds.attrs.get('hydrology', 'n/a')} timezone={ds.attrs.get('timezone', '')}",
        "  ".join(cell.rjust(width) for cell, width in zip(header, widths, strict=True)),
        "  ".join("-" * width for width in widths),
    ]
    lines += ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def reservoir_summary(ds: xr.Dataset) -> pd.DataFrame:
    """Return the monthly water balance of every reservoir of a built profile dataset.

    Parameters
    ----------
    ds
        Profile dataset with the ``reservoir_*`` variables of a build.

    Returns
    -------
    pandas.DataFrame
        Rows indexed by (reservoir, month 1-12); columns ``start_bcm``,
        ``inflow_bcm``, ``planned_release_bcm``, ``release_bcm``,
        ``export_release_bcm``, ``spill_bcm``, ``volume_bcm`` (end of month)
        [km3], ``energy_gwh`` (the dam plant) [GWh] and ``at_dead_storage``.
        ``start + inflow - release - spill = volume`` row by row.
    """
    names = {
        "inflow_bcm": "reservoir_inflow_bcm",
        "planned_release_bcm": "reservoir_planned_release_bcm",
        "release_bcm": "reservoir_release_bcm",
        "export_release_bcm": "reservoir_export_release_bcm",
        "spill_bcm": "reservoir_spill_bcm",
        "volume_bcm": "reservoir_volume_bcm",
        "energy_gwh": "reservoir_energy_gwh",
        "at_dead_storage": "reservoir_at_dead_storage",
    }
    frames = []
    for reservoir in ds["reservoir"].values:
        table = pd.DataFrame(
            {column: ds[name].sel(reservoir=reservoir).values for column, name in names.items()},
            index=pd.Index(ds["month"].values, name="month"),
        )
        volume = table["volume_bcm"].to_numpy()
        initial = float(ds["reservoir_initial_volume_bcm"].sel(reservoir=reservoir))
        table.insert(0, "start_bcm", [initial, *volume[:-1]])
        table["at_dead_storage"] = table["at_dead_storage"].astype(bool)
        frames.append(table.assign(reservoir=str(reservoir)).set_index("reservoir", append=True))
    return pd.concat(frames).reorder_levels(["reservoir", "month"])
