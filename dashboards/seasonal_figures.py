"""Figures of the seasonal transfers: energy by month, day x hour maps, duration curves, deficits.

Pure functions of result datasets (a seasonal result; a transfer result for the
capability figures) returning plotly figures.  Monthly figures use the tables of
:mod:`casa1000.studies.seasonal_tables`, so the report shows the numbers the CSV
files hold.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

from casa1000.dashboards.theme import OKABE_ITO, SEQUENTIAL, axis_title, plot_text, titled
from casa1000.studies.seasonal_tables import monthly_summary

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WINTER_MONTHS = (10, 11, 12, 1, 2, 3)
"""October to March: the Kyrgyz and Tajik deficit season (no export contracted)."""
HOUR_AXIS = axis_title("hour of day", "h, UTC+05:00")
DAY_AXIS = axis_title("day", "date")


DURATION_POINTS = 800
"""Points drawn of a duration curve."""


def thinned(n: int, at_most: int) -> npt.NDArray[np.intp]:
    """Return about ``at_most`` evenly spaced indices of ``n`` items, first and last included.

    Examples
    --------
    >>> thinned(10, 4).tolist()
    [0, 4, 8, 9]
    >>> thinned(3, 10).tolist()
    [0, 1, 2]
    """
    if n <= at_most:
        return np.arange(n)
    step = -(-n // max(at_most - 1, 1))
    return np.unique(np.r_[np.arange(0, n, step), n - 1])


def _month_labels(months: pd.Index) -> list[str]:
    return [MONTH_NAMES[int(m) - 1] for m in months]


def figure_monthly_energy(ds: xr.Dataset) -> go.Figure:
    """Monthly delivered energy by offtaker (stacked) and losses by network part.

    Parameters
    ----------
    ds
        A seasonal result.

    Returns
    -------
    plotly.graph_objects.Figure
        Two bar panels [GWh]: delivered to Pakistan and Afghanistan (and to
        Tajikistan by reverse flow in winter, when there is any); HVDC losses
        (DC line and converters, on the power sent to the HVDC offtakers) and
        CAPS AC losses.
    """
    table = monthly_summary(ds)
    months = _month_labels(table.index)
    inverters = [str(t) for t in ds.terminal.values[1:]]
    hvdc_offtakers = "Pakistan and Afghanistan" if "KABUL" in inverters else "Pakistan"
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("delivered energy by offtaker", "losses by network part"),
        horizontal_spacing=0.1,
    )
    for col, name, colour in (
        ("delivered_pk_gwh", "delivered to Pakistan", OKABE_ITO[0]),
        ("delivered_af_gwh", "delivered to Afghanistan", OKABE_ITO[1]),
    ):
        fig.add_trace(
            go.Bar(
                x=months,
                y=table[col].round(3).to_numpy(),
                name=name,
                marker_color=colour,
                hovertemplate="%{x}: %{y:,.1f} GWh<extra>" + name + "</extra>",
            ),
            row=1,
            col=1,
        )
    if "reverse_delivered_mw" in ds and float(ds.reverse_delivered_mw.sum()) > 0:
        months_of = ds.time.dt.month.values
        reverse = [
            float(ds.reverse_delivered_mw.values[months_of == m].sum()) / 1000.0
            for m in table.index
        ]
        name = "reverse flow delivered to Tajikistan"
        fig.add_trace(
            go.Bar(
                x=months,
                y=np.round(reverse, 3),
                name=name,
                marker_color=OKABE_ITO[4],
                hovertemplate="%{x}: %{y:,.1f} GWh<extra>" + name + "</extra>",
            ),
            row=1,
            col=1,
        )
    for col, name, colour in (
        ("hvdc_loss_gwh", f"HVDC line and converters (to {hvdc_offtakers})", OKABE_ITO[2]),
        ("caps_ac_loss_gwh", "CAPS AC network (incl. Afghan corridor)", OKABE_ITO[3]),
    ):
        fig.add_trace(
            go.Bar(
                x=months,
                y=table[col].round(3).to_numpy(),
                name=name,
                marker_color=colour,
                hovertemplate="%{x}: %{y:,.1f} GWh<extra>" + name + "</extra>",
            ),
            row=1,
            col=2,
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=axis_title("month", "calendar month"))
    fig.update_yaxes(title=axis_title("energy", "GWh"))
    return titled(fig, "Monthly energy delivered to the offtakers and losses")


def _day_hour(values: xr.DataArray) -> tuple[list[str], list[int], np.ndarray]:
    """Reshape an hourly series into (hour of day, day) with NaN where an hour is missing."""
    index = pd.DatetimeIndex(values.time.values)
    frame = pd.DataFrame(
        {"day": index.strftime("%Y-%m-%d"), "hour": index.hour, "v": values.values}
    )
    grid = frame.pivot_table(index="hour", columns="day", values="v", aggfunc="mean", dropna=False)
    grid = grid.reindex(range(24))
    return [str(c) for c in grid.columns], list(range(24)), grid.to_numpy()


def figure_day_hour(values: xr.DataArray, *, title: str, quantity: str, unit: str) -> go.Figure:
    """Heatmap of an hourly series: day on the x axis, hour of the day on the y axis.

    Parameters
    ----------
    values
        An hourly variable (dim ``time``).
    title
        Figure title (escape names in it).
    quantity, unit
        What the colour shows and its unit.
    """
    days, hours, z = _day_hour(values)
    top = float(np.nanmax(z)) if np.isfinite(z).any() else 1.0
    fig = go.Figure(
        go.Heatmap(
            x=days,
            y=hours,
            z=np.round(z, 1),
            zmin=0.0,
            zmax=max(top, 1.0),
            colorscale=SEQUENTIAL,
            colorbar={"title": {"text": axis_title(quantity, unit)}},
            hovertemplate="%{x} %{y}:00<br>" + quantity + " %{z:,.0f} " + unit + "<extra></extra>",
        )
    )
    fig.update_xaxes(title=DAY_AXIS, type="date")
    fig.update_yaxes(title=HOUR_AXIS, dtick=3)
    return titled(fig, title, height=360)


def figure_casa_flow(ds: xr.Dataset) -> go.Figure:
    """Day x hour map of the CASA export sent (HVDC plus Afghan corridor, sending end)."""
    return figure_day_hour(
        ds.export_sent_mw,
        title="CASA export sent, by day and hour (HVDC plus Afghan corridor, sending end)",
        quantity="export sent",
        unit="MW",
    )


def figure_capability_map(tr: xr.Dataset) -> go.Figure:
    """Day x hour map of the N-1 secure transfer capability."""
    return figure_day_hour(
        tr.transfer_capability_mw,
        title="N-1 secure transfer capability, by day and hour (sending end)",
        quantity="secure capability",
        unit="MW",
    )


def limiter_names(tr: xr.Dataset) -> list[str]:
    """Name of the limiter of every hour (``thermal``, ``ceiling``, ...)."""
    meanings = str(tr.limiter.attrs.get("flag_meanings", "")).split()
    values = [int(v) for v in tr.limiter.attrs.get("flag_values", range(len(meanings)))]
    names = dict(zip(values, meanings, strict=False))
    return [names.get(int(v), str(int(v))).lower() for v in tr.limiter.values]


def figure_capability_duration(tr: xr.Dataset) -> go.Figure:
    """Duration curve of the secure transfer capability, each hour coloured by its limiter.

    Parameters
    ----------
    tr
        A transfer-capability result.

    Returns
    -------
    plotly.graph_objects.Figure
        The capability sorted from highest to lowest against the number of
        hours it is reached [MW vs h]; one marker trace per limiter; the export
        available sorted the same way for reference.  A year shows every
        fourth or fifth hour of the sorted curve (at most about
        :data:`DURATION_POINTS` points: 8,760 SVG markers take a second to
        draw, and a sorted curve looks the same).
    """
    cap = tr.transfer_capability_mw.values
    order = np.argsort(-cap, kind="stable")
    hours = np.arange(1, cap.size + 1)
    limiter = np.asarray(limiter_names(tr))[order]
    element = tr.limiting_element.values[order]
    contingency = tr.limiting_contingency.values[order]
    when = pd.DatetimeIndex(tr.time.values[order]).strftime("%Y-%m-%d %H:00")
    shown = thinned(cap.size, DURATION_POINTS)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=hours[shown],
            y=cap[order][shown],
            mode="lines",
            line={"color": "#555", "width": 1},
            name="secure capability",
            hoverinfo="skip",
        )
    )
    for k, name in enumerate(sorted(set(limiter.tolist()))):
        rows = np.flatnonzero(limiter == name)
        # each limiter keeps its share of the points, and at least a few
        rows = rows[thinned(rows.size, max(50, DURATION_POINTS * rows.size // cap.size))]
        fig.add_trace(
            go.Scatter(
                x=hours[rows],
                y=cap[order][rows],
                mode="markers",
                marker={"size": 4, "color": OKABE_ITO[k % len(OKABE_ITO)]},
                name=f"limited by {plot_text(name)}",
                customdata=np.column_stack(
                    [
                        [plot_text(e) for e in element[rows]],
                        [plot_text(c) for c in contingency[rows]],
                        when[rows],
                    ]
                ),
                hovertemplate=(
                    "%{y:,.0f} MW reached in %{x} h<br>%{customdata[2]}: "
                    "%{customdata[0]} after %{customdata[1]}<extra>" + plot_text(name) + "</extra>"
                ),
            )
        )
    avail = np.sort(tr.export_available_mw.values)[::-1]
    fig.add_trace(
        go.Scatter(
            x=hours[shown],
            y=avail[shown],
            mode="lines",
            line={"color": OKABE_ITO[4], "dash": "dash"},
            name="export available (profiles)",
            hovertemplate="%{y:,.0f} MW available in %{x} h<extra></extra>",
        )
    )
    fig.update_xaxes(title=axis_title("hours the value is reached or exceeded", "h"))
    fig.update_yaxes(title=axis_title("export, sending end", "MW"), rangemode="tozero")
    return titled(fig, "Duration curve of the N-1 secure transfer capability, by limiter")


def figure_unserved(ds: xr.Dataset) -> go.Figure:
    """Unserved energy and deficit imports per supplier zone and month [GWh].

    Winter (October to March) is the deficit season of Kyrgyzstan and
    Tajikistan; its months are shaded.
    """
    index = pd.Index(ds.time.dt.month.values, name="month")
    fig = go.Figure()
    zones = [str(z) for z in ds.zone.values]
    for k, zone in enumerate(zones):
        unserved = pd.Series(ds.unserved_mw.sel(zone=zone).values, index=index)
        imported = pd.Series(ds.import_mw.sel(zone=zone).values, index=index)
        monthly_u = unserved.groupby(level=0).sum() / 1000.0
        monthly_i = imported.groupby(level=0).sum() / 1000.0
        months = _month_labels(monthly_u.index)
        fig.add_trace(
            go.Bar(
                x=months,
                y=monthly_u.round(3).to_numpy(),
                name=f"unserved, {plot_text(zone)}",
                marker_color=OKABE_ITO[(2 * k + 3) % len(OKABE_ITO)],
                hovertemplate="%{x}: %{y:,.2f} GWh<extra>unserved " + plot_text(zone) + "</extra>",
            )
        )
        fig.add_trace(
            go.Bar(
                x=months,
                y=monthly_i.round(3).to_numpy(),
                name=f"imported over CAPS, {plot_text(zone)}",
                marker={
                    "color": OKABE_ITO[(2 * k + 3) % len(OKABE_ITO)],
                    "pattern": {"shape": "/"},
                    "opacity": 0.55,
                },
                hovertemplate="%{x}: %{y:,.2f} GWh<extra>imported " + plot_text(zone) + "</extra>",
            )
        )
    present = sorted(set(index.tolist()))
    for m in present:
        if m in WINTER_MONTHS:
            fig.add_vrect(
                x0=present.index(m) - 0.5,
                x1=present.index(m) + 0.5,
                fillcolor="#999",
                opacity=0.12,
                line_width=0,
                layer="below",
            )
    total = float(ds.unserved_mw.sum()) / 1000.0
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=axis_title("month", "calendar month (winter shaded)"))
    fig.update_yaxes(title=axis_title("energy", "GWh"), rangemode="tozero")
    return titled(
        fig,
        f"Winter deficit: unserved energy and imports per supplier zone "
        f"(unserved in total {total:,.1f} GWh)",
    )
