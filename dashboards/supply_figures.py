"""Figures of the water and supply balances a seasonal result carries from its profiles.

The reservoirs link summer export to winter security: water released for the
CASA export in summer is not in the reservoir in winter.  Afghanistan's whole
supply shows what CASA adds to its imports.  Both are optional variables of a
seasonal result (present when the profiles were built with them); each figure
function returns None when its variables are missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

from casa1000.dashboards.seasonal_figures import MONTH_NAMES
from casa1000.dashboards.theme import OKABE_ITO, axis_title, plot_text, titled

KM3 = "km³"


def figure_reservoirs(ds: xr.Dataset) -> go.Figure | None:
    """Volume of each reservoir at the end of every month, and the water released for CASA.

    Parameters
    ----------
    ds
        A seasonal result with the ``reservoir_*`` balances.

    Returns
    -------
    plotly.graph_objects.Figure or None
        Left: end-of-month volume [km³] per reservoir, months ending at dead
        storage marked with a vermillion cross.  Right: the part of the release
        made for the CASA export beyond the domestic rule [km³].  None without
        reservoir balances.
    """
    if "reservoir_volume_bcm" not in ds or "reservoir" not in ds.coords:
        return None
    months = [MONTH_NAMES[int(m) - 1] for m in ds.month.values]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("volume at the end of the month", "release for the CASA export"),
        horizontal_spacing=0.1,
    )
    dead = ds.get("reservoir_at_dead_storage")
    for k, reservoir in enumerate(str(r) for r in ds.reservoir.values):
        colour = OKABE_ITO[k % len(OKABE_ITO)]
        name = plot_text(reservoir)
        volume = ds.reservoir_volume_bcm.sel(reservoir=reservoir).values
        fig.add_trace(
            go.Scatter(
                x=months,
                y=np.round(volume, 3),
                mode="lines+markers",
                line={"color": colour},
                name=name,
                legendgroup=name,
                hovertemplate="%{x}: %{y:.2f} " + KM3 + "<extra>" + name + "</extra>",
            ),
            row=1,
            col=1,
        )
        if dead is not None:
            at_dead = dead.sel(reservoir=reservoir).values > 0
            if at_dead.any():
                fig.add_trace(
                    go.Scatter(
                        x=[m for m, d in zip(months, at_dead, strict=True) if d],
                        y=np.round(volume[at_dead], 3),
                        mode="markers",
                        marker={"symbol": "x", "size": 11, "color": OKABE_ITO[3]},
                        name=f"{name} at dead storage",
                        legendgroup=name,
                        hovertemplate="%{x}: dead storage<extra>" + name + "</extra>",
                    ),
                    row=1,
                    col=1,
                )
        if "reservoir_export_release_bcm" in ds:
            export = ds.reservoir_export_release_bcm.sel(reservoir=reservoir).values
            fig.add_trace(
                go.Bar(
                    x=months,
                    y=np.round(export, 4),
                    marker_color=colour,
                    name=name,
                    legendgroup=name,
                    showlegend=False,
                    hovertemplate="%{x}: %{y:.3f} " + KM3 + "<extra>" + name + "</extra>",
                ),
                row=1,
                col=2,
            )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=axis_title("month", "calendar month"))
    fig.update_yaxes(title=axis_title("volume", KM3), row=1, col=1)
    fig.update_yaxes(title=axis_title("release", KM3), rangemode="tozero", row=1, col=2)
    return titled(fig, "Reservoirs: what summer export takes from winter storage")


def figure_afghan_supply(ds: xr.Dataset) -> go.Figure | None:
    """Afghanistan's monthly supply by source, with what stays unserved [GWh].

    Returns
    -------
    plotly.graph_objects.Figure or None
        Stacked bars per source and the unserved energy on top; None without
        the Afghan balance.
    """
    if "af_supply_mw" not in ds or "af_source" not in ds.coords:
        return None
    index = pd.Index(ds.time.dt.month.values, name="month")
    fig = go.Figure()
    sources = [str(s) for s in ds.af_source.values]
    monthly = pd.DataFrame(ds.af_supply_mw.values, index=index, columns=sources)
    monthly = monthly.groupby(level=0).sum() / 1000.0
    months = [MONTH_NAMES[int(m) - 1] for m in monthly.index]
    for k, source in enumerate(sources):
        fig.add_trace(
            go.Bar(
                x=months,
                y=monthly[source].round(3).to_numpy(),
                name=plot_text(source),
                marker_color=OKABE_ITO[k % len(OKABE_ITO)],
                hovertemplate="%{x}: %{y:,.1f} GWh<extra>" + plot_text(source) + "</extra>",
            )
        )
    if "af_unserved_mw" in ds:
        unserved = pd.Series(ds.af_unserved_mw.values, index=index).groupby(level=0).sum() / 1e3
        fig.add_trace(
            go.Bar(
                x=months,
                y=unserved.round(3).to_numpy(),
                name="unserved",
                marker={"color": "#ffffff", "line": {"color": "#333", "width": 1}},
                hovertemplate="%{x}: %{y:,.1f} GWh<extra>unserved</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=axis_title("month", "calendar month"))
    fig.update_yaxes(title=axis_title("energy", "GWh"), rangemode="tozero")
    return titled(fig, "Afghanistan's supply by source, month by month (CASA is one source)")
