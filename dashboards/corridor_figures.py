"""Figures of the Afghan corridor's security: its PV margin hour by hour, the remedial actions.

Pure functions of a contingency result (schema version 3: see
:mod:`casa1000.studies.contingency`).  They read ``corridor_margin_mw`` and
``corridor_margin_n1_mw`` (MW of Afghan offtake from the hour's own to the nose
of the PV curve, both circuits in and the first corridor circuit out) and
``afghan_runback_mw``, ``load_shed_mw`` and ``remedial_outcome`` (the actions
after each outage).  A result without them (written before they existed, or run
with the PV margin off) gives no figure: each function returns None.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from casa1000.dashboards.theme import OKABE_ITO, axis_title, plot_texts, titled

MARGIN_VARIABLES = ("corridor_margin_mw", "corridor_margin_n1_mw")
REMEDIAL_VARIABLES = ("afghan_runback_mw", "load_shed_mw", "remedial_outcome")
RESTORED, NOT_RESTORED = 1, 2
"""Codes of :class:`~casa1000.studies.security.remedial.RemedialOutcome` (kept as plain
numbers: the dashboards read results, they do not import the security rules)."""
TOP_CONTINGENCIES = 15
"""Contingencies shown in the remedial-action ranking."""


def _has(ds: xr.Dataset, names: tuple[str, ...]) -> bool:
    return all(n in ds.data_vars for n in names)


def figure_corridor_margin(ds: xr.Dataset) -> go.Figure | None:
    """Plot the corridor's PV margin hour by hour, both circuits in and the first circuit out.

    Parameters
    ----------
    ds
        A contingency result.

    Returns
    -------
    plotly.graph_objects.Figure or None
        Two lines [MW] over the hours (gaps where no margin was computed: hours
        without an Afghan offtake) and a zero line: below it the hour is past
        the nose.  None when the result has no PV margin.
    """
    if not _has(ds, MARGIN_VARIABLES):
        return None
    x = pd.DatetimeIndex(ds.time.values).strftime("%Y-%m-%d %H:00").tolist()
    fig = go.Figure()
    n1 = ds["corridor_margin_n1_mw"].values.astype(float)
    for name, label, colour in (
        ("corridor_margin_mw", "both circuits in", OKABE_ITO[0]),
        ("corridor_margin_n1_mw", "first circuit out (N-1)", OKABE_ITO[3]),
    ):
        values = ds[name].values.astype(float)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=np.round(values, 1),
                mode="lines",
                line={"color": colour, "width": 1.2},
                name=label,
                hovertemplate="%{x}: %{y:.0f} MW to the nose<extra>" + label + "</extra>",
            )
        )
    fig.add_hline(y=0.0, line_dash="dash", line_color="#333")
    fig.update_xaxes(title=axis_title("hour", "date, UTC+05:00"), type="date")
    fig.update_yaxes(title=axis_title("Afghan offtake to the nose of the PV curve", "MW"))
    past = int((n1 < 0).sum())
    with_margin = int(np.isfinite(n1).sum())
    return titled(
        fig,
        f"PV margin of the Afghan corridor hour by hour (below zero: past the nose; "
        f"{past} of {with_margin} hours with the first circuit out)",
        height=440,
    )


def remedial_by_contingency(ds: xr.Dataset) -> pd.DataFrame:
    """Energy run back and shed by each contingency over the hours, largest first.

    Returns
    -------
    pandas.DataFrame
        Indexed by contingency (the base case left out): ``runback_mwh`` and
        ``shed_mwh`` [MWh], ``restored_h`` and ``not_restored_h`` (hours the
        actions restored the case, and hours they could not) [h]; sorted by
        run-back plus shed energy, then hours not restored.
    """
    outages = ds.contingency.values != "BASE"
    sub = ds[list(REMEDIAL_VARIABLES)].isel(contingency=np.flatnonzero(outages))
    outcome = sub["remedial_outcome"]
    frame = pd.DataFrame(
        {
            "runback_mwh": sub["afghan_runback_mw"].fillna(0.0).sum("time").values,
            "shed_mwh": sub["load_shed_mw"].fillna(0.0).sum("time").values,
            "restored_h": (outcome == RESTORED).sum("time").values,
            "not_restored_h": (outcome == NOT_RESTORED).sum("time").values,
        },
        index=pd.Index(sub.contingency.values.astype(str), name="contingency"),
    )
    frame["total"] = frame.runback_mwh + frame.shed_mwh
    frame = frame.sort_values(["total", "not_restored_h"], ascending=False, kind="stable")
    return frame.drop(columns="total")


def figure_remedial_actions(ds: xr.Dataset, top: int = TOP_CONTINGENCIES) -> go.Figure | None:
    """Afghan import run back and load shed by each contingency over the hours, ranked.

    Parameters
    ----------
    ds
        A contingency result.
    top
        Contingencies shown (those with the most run-back plus shed energy).

    Returns
    -------
    plotly.graph_objects.Figure or None
        Stacked horizontal bars [MWh] per contingency, largest on top; hover
        gives the hours the actions restored and the hours they could not.
        None when the result has no remedial actions.
    """
    if not _has(ds, REMEDIAL_VARIABLES):
        return None
    frame = remedial_by_contingency(ds)
    acted = frame[(frame.runback_mwh > 0) | (frame.shed_mwh > 0) | (frame.not_restored_h > 0)]
    shown = acted.head(top).iloc[::-1]
    y = plot_texts(shown.index)
    hours = shown[["restored_h", "not_restored_h"]].to_numpy(dtype=np.int64)
    fig = go.Figure()
    for column, label, colour in (
        ("runback_mwh", "Afghan import run back", OKABE_ITO[1]),
        ("shed_mwh", "load shed", OKABE_ITO[3]),
    ):
        fig.add_trace(
            go.Bar(
                x=np.round(shown[column].to_numpy(dtype=float), 1),
                y=y,
                orientation="h",
                marker_color=colour,
                name=label,
                customdata=hours,
                hovertemplate="%{y}: %{x:,.0f} MWh<br>restored in %{customdata[0]} h, "
                "not restored in %{customdata[1]} h<extra>" + label + "</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=axis_title("energy over the hours", "MWh"), rangemode="tozero")
    fig.update_yaxes(title=axis_title("contingency", "ranked, most on top"), type="category")
    if acted.empty:
        fig.add_annotation(
            text="no remedial action was needed in any hour",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
        )
    return titled(
        fig,
        f"Remedial actions after each outage: Afghan import run back and load shed "
        f"({len(acted)} contingencies acted on, {min(top, len(acted))} shown)",
        height=max(360, 22 * len(shown) + 160),
    )
