"""Two or more result folders side by side (dry/normal/wet, as built vs the 2014 design).

The first folder is the reference; differences are "other minus reference".
Each figure uses only the studies every compared folder holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from casa1000.dashboards.markup import Html, table
from casa1000.dashboards.results import ResultSet
from casa1000.dashboards.seasonal_figures import MONTH_NAMES
from casa1000.dashboards.theme import OKABE_ITO, axis_title, plot_text, titled
from casa1000.studies.seasonal_tables import monthly_summary, totals

TOTAL_ROWS = {
    "hours": "hours studied [h]",
    "delivered_pk_gwh": "delivered to Pakistan [GWh]",
    "delivered_af_gwh": "delivered to Afghanistan [GWh]",
    "sent_gwh": "export sent [GWh]",
    "curtailed_gwh": "export curtailed [GWh]",
    "hvdc_loss_gwh": "HVDC losses [GWh]",
    "caps_ac_loss_gwh": "CAPS AC losses [GWh]",
    "hvdc_loss_percent": "HVDC loss share [%]",
    "hvdc_util_percent": "HVDC mean utilisation [%]",
    "violation_h": "hours with a violation [h]",
    "not_converged_h": "hours not converged [h]",
}
"""Seasonal totals compared, with their units."""


def _colour(k: int) -> str:
    return OKABE_ITO[k % len(OKABE_ITO)]


def _with(sets: Sequence[ResultSet], study: str) -> list[ResultSet]:
    return [s for s in sets if s.get(study) is not None]


def totals_table(sets: Sequence[ResultSet]) -> Html | None:
    """Seasonal totals of every folder side by side, and each one's difference to the first."""
    have = _with(sets, "seasonal")
    if len(have) < 2:
        return None
    columns = {}
    for s in have:
        ds = s.get("seasonal")
        assert ds is not None
        row = totals(ds).iloc[0]
        columns[s.label] = [float(row[k]) for k in TOTAL_ROWS]
    frame = pd.DataFrame(columns, index=pd.Index(list(TOTAL_ROWS.values()), name="quantity"))
    reference = frame.columns[0]
    for name in frame.columns[1 : len(have)]:
        frame[f"difference: {name} minus {reference}"] = frame[name] - frame[reference]
    return table(
        frame,
        caption="Seasonal totals side by side (first folder is the reference)",
        sortable=False,
    )


def figure_monthly_comparison(sets: Sequence[ResultSet]) -> go.Figure | None:
    """Monthly energy delivered (both offtakers) per folder, and the difference to the first.

    Returns
    -------
    plotly.graph_objects.Figure or None
        Two panels [GWh]: delivered energy per folder; other minus reference.
        None with fewer than two seasonal results.
    """
    have = _with(sets, "seasonal")
    if len(have) < 2:
        return None
    tables = []
    for s in have:
        ds = s.get("seasonal")
        assert ds is not None
        tables.append(monthly_summary(ds))
    months = sorted(set().union(*(t.index for t in tables)))
    labels = [MONTH_NAMES[m - 1] for m in months]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("delivered energy (Pakistan plus Afghanistan)", "difference to the first"),
        horizontal_spacing=0.1,
    )
    delivered = []
    for k, (s, t) in enumerate(zip(have, tables, strict=True)):
        values = (t.delivered_pk_gwh + t.delivered_af_gwh).reindex(months).to_numpy()
        delivered.append(values)
        fig.add_trace(
            go.Bar(
                x=labels,
                y=np.round(values, 3),
                name=plot_text(s.label),
                marker_color=_colour(k),
                legendgroup=str(k),
                hovertemplate="%{x}: %{y:,.1f} GWh<extra>" + plot_text(s.label) + "</extra>",
            ),
            row=1,
            col=1,
        )
    for k in range(1, len(have)):
        diff = delivered[k] - delivered[0]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=np.round(diff, 3),
                name=f"{plot_text(have[k].label)} minus {plot_text(have[0].label)}",
                marker_color=_colour(k),
                legendgroup=str(k),
                showlegend=False,
                hovertemplate="%{x}: %{y:+,.1f} GWh<extra>" + plot_text(have[k].label) + "</extra>",
            ),
            row=1,
            col=2,
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=axis_title("month", "calendar month"))
    fig.update_yaxes(title=axis_title("energy", "GWh"), row=1, col=1)
    fig.update_yaxes(title=axis_title("difference", "GWh"), row=1, col=2)
    return titled(fig, "Monthly energy delivered, folder by folder")


def figure_capability_comparison(sets: Sequence[ResultSet]) -> go.Figure | None:
    """Duration curves of the secure transfer capability, one per folder [MW vs h]."""
    have = _with(sets, "transfer")
    if len(have) < 2:
        return None
    fig = go.Figure()
    for k, s in enumerate(have):
        tr = s.get("transfer")
        assert tr is not None
        cap = np.sort(tr.transfer_capability_mw.values)[::-1]
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, cap.size + 1),
                y=cap,
                mode="lines",
                line={"color": _colour(k)},
                name=plot_text(s.label),
                hovertemplate="%{y:,.0f} MW in %{x} h<extra>" + plot_text(s.label) + "</extra>",
            )
        )
    fig.update_xaxes(title=axis_title("hours the value is reached or exceeded", "h"))
    fig.update_yaxes(title=axis_title("secure capability, sending end", "MW"), rangemode="tozero")
    return titled(fig, "N-1 secure transfer capability, folder by folder (duration curves)")


def figure_contingency_comparison(sets: Sequence[ResultSet], top: int = 15) -> go.Figure | None:
    """Insecure hours of the most severe contingencies, folder by folder [h].

    The contingencies are the ``top`` with the most insecure hours in any folder.
    """
    have = _with(sets, "contingency")
    if len(have) < 2:
        return None
    counts = {}
    for s in have:
        ds = s.get("contingency")
        assert ds is not None
        insecure = (~ds.secure.astype(bool)).sum("time").to_series()
        counts[s.label] = insecure.drop(index="BASE", errors="ignore")
    frame = pd.DataFrame(counts).fillna(0)
    chosen = frame.max(axis=1).sort_values(ascending=False).index[:top]
    fig = go.Figure()
    for k, s in enumerate(have):
        fig.add_trace(
            go.Bar(
                x=[plot_text(c) for c in chosen],
                y=frame.loc[chosen, s.label].to_numpy(),
                name=plot_text(s.label),
                marker_color=_colour(k),
                hovertemplate="%{x}: %{y} h<extra>" + plot_text(s.label) + "</extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=axis_title("contingency", "id"), type="category", tickangle=-35)
    fig.update_yaxes(title=axis_title("insecure hours", "h"), rangemode="tozero")
    return titled(fig, f"Insecure hours of the {len(chosen)} most severe contingencies, by folder")


def comparison_blocks(sets: Sequence[ResultSet]) -> list[Html | go.Figure]:
    """Everything the comparison section shows (empty with one folder)."""
    out: list[Html | go.Figure | None] = [
        totals_table(sets),
        figure_monthly_comparison(sets),
        figure_capability_comparison(sets),
        figure_contingency_comparison(sets),
    ]
    return [b for b in out if b is not None]
