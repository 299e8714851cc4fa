"""The overview: headline cards of every study, the network map, the limit of each season.

Cards come from each registered study's own ``summary(ds, top).headline``
(:class:`~casa1000.studies.spine.study.StudySummary`), so a study added to the
registry shows up here without code.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from casa1000.dashboards.markup import Card, Html, cards, escape, table
from casa1000.dashboards.network_map import (
    figure_network_map,
    map_states,
    network_layout,
    params_for,
)
from casa1000.dashboards.results import ResultSet
from casa1000.dashboards.seasonal_figures import limiter_names
from casa1000.dashboards.theme import plot_text

SEASONS = {
    12: "winter (Dec-Feb)",
    1: "winter (Dec-Feb)",
    2: "winter (Dec-Feb)",
    3: "spring (Mar-May)",
    4: "spring (Mar-May)",
    5: "spring (Mar-May)",
    6: "summer (Jun-Aug)",
    7: "summer (Jun-Aug)",
    8: "summer (Jun-Aug)",
    9: "autumn (Sep-Nov)",
    10: "autumn (Sep-Nov)",
    11: "autumn (Sep-Nov)",
}
SEASON_ORDER = ("winter (Dec-Feb)", "spring (Mar-May)", "summer (Jun-Aug)", "autumn (Sep-Nov)")


def headline_cards(result_set: ResultSet) -> Html:
    """One card per study of a folder, with the study's own headline sentences."""
    from casa1000.studies.registry import STUDIES

    items = []
    for name, ds in result_set.results.items():
        spec = STUDIES[name]
        items.append(
            Card(
                title=f"{name}: {spec.title}",
                subtitle=result_set.label,
                lines=spec.summary(ds, 5).headline,
            )
        )
    return cards(items)


def map_figure(ds: xr.Dataset, label: str) -> go.Figure:
    """Draw the network map of a seasonal result, one frame per month (see :mod:`network_map`)."""
    params = params_for(ds.attrs)
    parents = dict(zip(ds.branch.values.tolist(), ds.branch_parent.values.tolist(), strict=True))
    layout = network_layout(params, parents)
    return figure_network_map(
        map_states(ds, layout),
        layout,
        title=(f"The interconnection on its geography: mean flow and loading, {plot_text(label)}"),
    )


def season_limits(tr: xr.Dataset) -> pd.DataFrame:
    """Find the limiting element of each season: the one that limits the most hours.

    Parameters
    ----------
    tr
        A transfer-capability result.

    Returns
    -------
    pandas.DataFrame
        One row per season present: hours, lowest and mean capability [MW],
        the most frequent limiting element, contingency and limiter, and the
        hours it limits.
    """
    frame = pd.DataFrame(
        {
            "season": [SEASONS[int(m)] for m in tr.time.dt.month.values],
            "capability_mw": tr.transfer_capability_mw.values,
            "element": tr.limiting_element.values.astype(str),
            "contingency": tr.limiting_contingency.values.astype(str),
            "limiter": limiter_names(tr),
        }
    )
    rows = []
    for season in SEASON_ORDER:
        part = frame[frame.season == season]
        if part.empty:
            continue
        counts = part.groupby(["element", "contingency", "limiter"]).size()
        top = counts.sort_values(ascending=False, kind="stable").index[0]
        element, contingency, limiter = (str(v) for v in top)
        hours = int(counts.max())
        rows.append(
            {
                "season": season,
                "hours": len(part),
                "min_capability_mw": float(part.capability_mw.min()),
                "mean_capability_mw": float(part.capability_mw.mean()),
                "limiting_element": element or "(none: ceiling)",
                "limiting_contingency": contingency or "-",
                "limiter": limiter,
                "hours_limited": hours,
            }
        )
    return pd.DataFrame(rows).set_index("season")


def season_limits_table(tr: xr.Dataset) -> Html:
    """:func:`season_limits` as an HTML table."""
    return table(
        season_limits(tr),
        caption=(
            "Limiting element of each season (N-1 secure transfer capability, sending end) [MW]"
        ),
        sortable=False,
    )


def overview_blocks(sets: Sequence[ResultSet]) -> list[Html | go.Figure]:
    """Cards of every folder (the first open), the map of the first folder, the season limits."""
    main = sets[0]
    blocks: list[Html | go.Figure] = [headline_cards(main)]
    for other in sets[1:]:
        # the other folders' headlines fold away: the comparison section has their numbers
        blocks.append(
            Html(
                f"<details><summary>Headlines of {escape(other.label)} "
                f"({escape(other.folder)})</summary>{headline_cards(other).markup}</details>"
            )
        )
    seasonal = main.get("seasonal")
    if seasonal is not None:
        blocks.append(map_figure(seasonal, main.label))
    transfer = main.get("transfer")
    if transfer is not None:
        blocks.append(season_limits_table(transfer))
    return blocks
