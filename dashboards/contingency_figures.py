"""Figures and tables of the contingency screening: ranking, worst cases, severity, drill-down.

Pure functions of a contingency result (and of :class:`DrillDown` data for the
drill-down figure).  The ranking is that of
:func:`casa1000.studies.contingency_tables.ranking`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

from casa1000.dashboards.drilldown import DrillDown
from casa1000.dashboards.markup import Html, table
from casa1000.dashboards.theme import (
    OKABE_ITO,
    SEQUENTIAL,
    axis_title,
    plot_text,
    plot_texts,
    titled,
)
from casa1000.studies.contingency_tables import RANKING_COLUMNS, ranking

REMEDIAL_COLUMNS = ("remedial_restored_hours", "remedial_not_restored_hours", "load_shed_mwh")
"""Columns of the remedial actions shown in the ranking when the result has them."""
DAILY_ABOVE_HOURS = 24 * 40
"""Results longer than this (40 days) are shown by day in the severity map."""


def ranking_table(ds: xr.Dataset) -> Html:
    """List the contingencies from most to least severe, as a sortable table.

    Columns are those the command line shows
    (:data:`~casa1000.studies.contingency_tables.RANKING_COLUMNS`) plus the
    kind and description; click a heading to sort by it.
    """
    ranked = ranking(ds)
    # what the remedial actions could not restore, and the energy shed, next to the ranking
    extra = [c for c in REMEDIAL_COLUMNS if c in ranked.columns and c not in RANKING_COLUMNS]
    shown = ranked[[*RANKING_COLUMNS, *extra, "kind", "description"]]
    return table(
        shown,
        caption=(
            "Contingency ranking: hours without convergence, then insecure hours (a violation "
            "or lost load, after the remedial actions), then the worst performance index; "
            "loadings [%], voltages [pu], power [MW], energy [MWh], hours [h]"
        ),
    )


def figure_branch_worst(ds: xr.Dataset) -> go.Figure:
    """Worst loading of every branch over all hours and contingencies, with its cause.

    Returns
    -------
    plotly.graph_objects.Figure
        Horizontal bars [%], most loaded on top, branches above the thermal
        limit in vermillion; the limit as a dashed line; hover names the
        contingency and hour.
    """
    limit = float(ds.attrs.get("thermal_limit_percent", 100.0))
    values = ds.branch_worst_loading_percent.values
    order = np.argsort(np.nan_to_num(values, nan=-1.0), kind="stable")
    branch = ds.branch.values[order]
    when = pd.DatetimeIndex(ds.branch_worst_time.values[order]).strftime("%Y-%m-%d %H:00")
    cause = ds.branch_worst_contingency.values[order]
    v = values[order]
    fig = go.Figure(
        go.Bar(
            x=np.round(v, 2),
            y=plot_texts(branch),
            orientation="h",
            marker_color=[OKABE_ITO[3] if x > limit else OKABE_ITO[0] for x in v],
            customdata=np.column_stack([plot_texts(cause), np.asarray(when, dtype=str)]),
            hovertemplate="%{y}: %{x:.1f} %<br>after %{customdata[0]}<br>%{customdata[1]}"
            "<extra></extra>",
            name="worst loading",
        )
    )
    fig.add_vline(x=limit, line_dash="dash", line_color="#333")
    fig.update_xaxes(title=axis_title("worst post-contingency loading", "%"), rangemode="tozero")
    fig.update_yaxes(title=axis_title("branch", "circuit or transformer unit"), type="category")
    return titled(
        fig,
        f"Worst loading of each branch over all hours and contingencies (limit {limit:.0f} %)",
        height=max(420, 16 * len(v) + 120),
    )


def figure_bus_worst(ds: xr.Dataset) -> go.Figure:
    """Lowest and highest voltage of every bus over all hours and contingencies.

    Returns
    -------
    plotly.graph_objects.Figure
        One range per bus [pu] from its lowest to its highest voltage, with the
        voltage band as dashed lines; hover names the contingency and hour.
    """
    vmin_lim = float(ds.attrs.get("vmin_pu", 0.9))
    vmax_lim = float(ds.attrs.get("vmax_pu", 1.1))
    bus = plot_texts(ds.bus.values)
    lo, hi = ds.bus_worst_vm_min_pu.values, ds.bus_worst_vm_max_pu.values
    fig = go.Figure()
    lon: list[float | None] = []
    lat: list[str | None] = []
    for b, a, z in zip(bus, lo, hi, strict=True):
        lon += [float(a), float(z), None]
        lat += [b, b, None]
    fig.add_trace(
        go.Scatter(
            x=lon,
            y=lat,
            mode="lines",
            line={"color": "#bbb", "width": 3},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for values, cause, when, name, colour in (
        (lo, "bus_worst_vm_min_contingency", "bus_worst_vm_min_time", "lowest", OKABE_ITO[3]),
        (hi, "bus_worst_vm_max_contingency", "bus_worst_vm_max_time", "highest", OKABE_ITO[0]),
    ):
        stamps = pd.DatetimeIndex(ds[when].values).strftime("%Y-%m-%d %H:00")
        fig.add_trace(
            go.Scatter(
                x=np.round(values, 4),
                y=bus,
                mode="markers",
                marker={"color": colour, "size": 8},
                name=f"{name} voltage",
                customdata=np.column_stack(
                    [plot_texts(ds[cause].values), np.asarray(stamps, dtype=str)]
                ),
                hovertemplate="%{y}: %{x:.4f} pu<br>after %{customdata[0]}<br>%{customdata[1]}"
                f"<extra>{name}</extra>",
            )
        )
    for x in (vmin_lim, vmax_lim):
        fig.add_vline(x=x, line_dash="dash", line_color="#333")
    fig.update_xaxes(title=axis_title("post-contingency voltage", "pu"))
    fig.update_yaxes(title=axis_title("bus", "substation id"), type="category")
    return titled(
        fig,
        f"Voltage range of each bus over all hours and contingencies "
        f"(band {vmin_lim:.2f}-{vmax_lim:.2f} pu)",
        height=max(420, 18 * len(bus) + 120),
    )


def figure_severity(ds: xr.Dataset) -> go.Figure:
    """Severity of every contingency over time: hours, or days for long results.

    Returns
    -------
    plotly.graph_objects.Figure
        A heatmap of the performance index (log scale; daily maximum for
        results longer than 40 days), contingencies in ranking order (most
        severe on top); cells where the load flow did not converge overlaid in
        vermillion.
    """
    order = ["BASE", *[c for c in ranking(ds).index if c != "BASE"]][::-1]
    order = [c for c in order if c in set(ds.contingency.values.tolist())]
    sub = ds[["performance_index", "converged"]].sel(contingency=order)
    pi = sub.performance_index
    failed = (~sub.converged.astype(bool)).astype(float)
    daily = ds.sizes["time"] > DAILY_ABOVE_HOURS
    if daily:
        pi = pi.resample(time="1D").max()
        failed = failed.resample(time="1D").max()
        x = pd.DatetimeIndex(pi.time.values).strftime("%Y-%m-%d").tolist()
        x_title, step = axis_title("day", "date"), "daily maximum"
    else:
        x = pd.DatetimeIndex(pi.time.values).strftime("%Y-%m-%d %H:00").tolist()
        x_title, step = axis_title("hour", "date, UTC+05:00"), "hourly"
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log10(pi.transpose("contingency", "time").values)
    finite = z[np.isfinite(z)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
    ticks = np.arange(np.floor(lo), np.ceil(hi) + 1)
    y = plot_texts(order)
    fail = failed.transpose("contingency", "time").values
    fig = go.Figure(
        [
            go.Heatmap(
                x=x,
                y=y,
                z=np.round(z, 3),
                zmin=lo,
                zmax=hi,
                colorscale=SEQUENTIAL,
                colorbar={
                    "title": {"text": axis_title("performance index", "1, log scale")},
                    "tickvals": ticks.tolist(),
                    "ticktext": [f"{10**t:g}" for t in ticks],
                },
                hovertemplate="%{y}<br>%{x}<br>log10 PI %{z:.2f}<extra></extra>",
                name="performance index",
            ),
            go.Heatmap(
                x=x,
                y=y,
                z=np.where(fail > 0, 1.0, np.nan),
                colorscale=[[0, OKABE_ITO[3]], [1, OKABE_ITO[3]]],
                showscale=False,
                hovertemplate="%{y}<br>%{x}<br>did not converge<extra></extra>",
                name="did not converge",
            ),
        ]
    )
    fig.update_xaxes(title=x_title, type="date")
    fig.update_yaxes(title=axis_title("contingency", "ranked, most severe on top"))
    return titled(
        fig,
        f"Severity of each contingency over time ({step} performance index; "
        "vermillion: no convergence)",
        height=max(460, 12 * len(order) + 160),
    )


def figure_drilldown(
    drill: DrillDown, *, vmin_pu: float, vmax_pu: float, limit: float
) -> go.Figure:
    """Voltages and loadings before and after each drill-down case, one case at a time.

    Parameters
    ----------
    drill
        From :func:`casa1000.dashboards.drilldown.drill_down` (at least one case).
    vmin_pu, vmax_pu, limit
        Voltage band [pu] and thermal limit [%] drawn as dashed lines.

    Returns
    -------
    plotly.graph_objects.Figure
        Two panels -- bus voltages [pu] and branch loadings [%], before (grey)
        and after (colour) -- and a menu choosing the case.
    """
    fig = make_subplots(
        rows=2,
        cols=1,
        vertical_spacing=0.22,
        subplot_titles=("bus voltage", "branch loading"),
    )
    per_case = 4
    titles = []
    for k, case in enumerate(drill.cases):
        visible = k == 0
        bus, branch = plot_texts(case.bus), plot_texts(case.branch)
        for values, name, colour, row in (
            (case.vm_before_pu, "before (base case)", "#9a9a9a", 1),
            (case.vm_after_pu, "after the contingency", OKABE_ITO[3], 1),
            (case.loading_before_percent, "before (base case)", "#9a9a9a", 2),
            (case.loading_after_percent, "after the contingency", OKABE_ITO[0], 2),
        ):
            unit = "pu" if row == 1 else "%"
            fig.add_trace(
                go.Scatter(
                    x=bus if row == 1 else branch,
                    y=np.round(values, 4 if row == 1 else 2),
                    mode="markers",
                    marker={
                        "color": colour,
                        "size": 7 if "after" in name else 9,
                        "symbol": "circle" if "after" in name else "circle-open",
                    },
                    name=name,
                    legendgroup=name,
                    showlegend=row == 1,
                    visible=visible,
                    hovertemplate=f"%{{x}}: %{{y}} {unit}<extra>{name}</extra>",
                ),
                row=row,
                col=1,
            )
        stamp = pd.Timestamp(case.time).strftime("%Y-%m-%d %H:00")
        state = "" if case.converged else " - did not converge: no voltages after"
        remedial = f" ({case.remedial})" if case.remedial else ""
        titles.append(f"{plot_text(case.contingency)} at {stamp}{state}{remedial}")
    n = len(drill.cases)
    buttons = []
    for k in range(n):
        mask = [False] * (per_case * n)
        mask[per_case * k : per_case * (k + 1)] = [True] * per_case
        buttons.append({"label": titles[k], "method": "restyle", "args": [{"visible": mask}]})
    fig.update_layout(
        updatemenus=[
            {
                "buttons": buttons,
                "direction": "down",
                "x": 0.0,
                "xanchor": "left",
                "y": 1.09,
                "yanchor": "bottom",
                "showactive": True,
                "pad": {"t": 0, "b": 0},
            }
        ],
        margin={"t": 150},
    )
    for y in (vmin_pu, vmax_pu):
        fig.add_hline(y=y, line_dash="dash", line_color="#333", row=1, col=1)
    fig.add_hline(y=limit, line_dash="dash", line_color="#333", row=2, col=1)
    fig.update_xaxes(title=axis_title("bus", "substation id"), type="category", row=1, col=1)
    fig.update_xaxes(
        title=axis_title("branch", "circuit or unit id"), type="category", row=2, col=1
    )
    fig.update_yaxes(title=axis_title("voltage", "pu"), row=1, col=1)
    fig.update_yaxes(title=axis_title("loading", "%"), rangemode="tozero", row=2, col=1)
    return titled(
        fig,
        "Drill-down: every voltage and loading before and after a contingency (choose the case)",
        height=820,
    )
