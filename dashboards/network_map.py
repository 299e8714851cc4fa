"""The interconnection on its geography, coloured by flow and loading, month by month.

Substations sit at the coordinates of ``seeds/buses.csv`` (taken from the
network parameters the result ran on); country borders come from
:mod:`casa1000.dashboards.geography`.  Each line is drawn once per line (its
circuits summed), the HVDC as dashed segments between converter stations.

What a frame shows (one frame for the whole period, one per month studied):

* line colour and the colour of its mid-point arrow: mean loading [%] (of the
  most loaded circuit), on the cividis scale;
* line width: mean absolute flow [MW]; the arrow points along the mean flow;
* hover: mean flow, mean and peak loading; buses: mean and lowest voltage.

HVDC segment flow is the AC power delivered by the converters downstream of the
segment, or drawn by them when the link runs in reverse (its DC losses are not
shown), and its loading is that flow over the link rating.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go
import xarray as xr
from plotly.colors import sample_colorscale

from casa1000.dashboards.geography import CASA_REGION, country_borders
from casa1000.dashboards.theme import (
    BORDER_GREY,
    LOADING_SCALE,
    OKABE_ITO,
    axis_title,
    plot_text,
    titled,
)
from casa1000.errors import InputError
from casa1000.grid.params import GridParams

FloatArray = npt.NDArray[np.float64]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LOADING_MAX_PERCENT = 100.0
"""Top of the colour scale; anything above shows in its top colour (and in the hover)."""
LABELLED_BUSES = ("DATKA", "SUGHD", "SANGTUDA", "NOWSHERA", "KABUL_220", "TOKTOGUL", "DUSHANBE")
"""Buses named on the map (the rest on hover), when they exist."""


class EdgeKind(StrEnum):
    """How an edge of the map is drawn."""

    AC_500 = "500 kV AC"
    AC_220 = "220 kV AC"
    HVDC = "HVDC"
    EQUIVALENT = "equivalent tie"


@dataclass(frozen=True, kw_only=True)
class MapEdge:
    """One line, HVDC segment or equivalent tie between two buses on the map."""

    id: str
    kind: EdgeKind
    from_bus: str
    to_bus: str
    lon: tuple[float, float]
    lat: tuple[float, float]
    branches: tuple[str, ...] = ()
    """Result branch ids (circuits) of an AC line."""
    downstream: tuple[str, ...] = ()
    """HVDC terminals fed through the segment."""


@dataclass(frozen=True, kw_only=True)
class MapBus:
    """A bus at its coordinates [degree]."""

    id: str
    name: str
    zone: str
    lon: float
    lat: float


@dataclass(frozen=True, kw_only=True)
class NetworkLayout:
    """Buses and edges of one network, placed on the map."""

    buses: tuple[MapBus, ...]
    edges: tuple[MapEdge, ...]
    hvdc_rating_mw: float


def params_for(attrs: Mapping[str, object]) -> GridParams:
    """Return the network a result ran on, from its recorded variant and overrides.

    Falls back to the reference network of the variant when the overrides no
    longer load (the map only needs coordinates and topology).

    Raises
    ------
    InputError
        If even the variant is unknown.
    """
    from casa1000.grid.overrides import load_params
    from casa1000.grid.reference import load_reference

    variant = str(attrs.get("variant", "as_built"))
    try:
        overrides = json.loads(str(attrs.get("overrides", "{}")))
        sets = tuple(f"{k}={v}" for k, v in dict(overrides).items())
        return load_params(variant=variant, sets=sets)
    except (InputError, ValueError, TypeError):
        return load_reference(variant)


def network_layout(params: GridParams, branch_parent: Mapping[str, str]) -> NetworkLayout:
    """Place the lines and HVDC segments of ``params`` on the map.

    Parameters
    ----------
    params
        The network (coordinates, lines, HVDC).
    branch_parent
        Result branch id -> line or transformer id (the ``branch_parent``
        coordinate of a seasonal result).
    """
    buses = {b.id: b for b in params.buses if b.in_service}
    kind_of = {b.id: b.kind for b in params.buses}
    circuits: dict[str, list[str]] = {}
    for branch, parent in branch_parent.items():
        circuits.setdefault(parent, []).append(branch)
    edges: list[MapEdge] = []
    for line in params.lines:
        if line.id not in circuits or line.from_bus not in buses or line.to_bus not in buses:
            continue
        a, b = buses[line.from_bus], buses[line.to_bus]
        if "external" in (kind_of[a.id], kind_of[b.id]):
            kind = EdgeKind.EQUIVALENT
        else:
            kind = EdgeKind.AC_500 if min(a.vn_kv, b.vn_kv) >= 400 else EdgeKind.AC_220
        edges.append(
            MapEdge(
                id=line.id,
                kind=kind,
                from_bus=a.id,
                to_bus=b.id,
                lon=(a.lon, b.lon),
                lat=(a.lat, b.lat),
                branches=tuple(circuits[line.id]),
            )
        )
    bus_of = {t.id: t.bus for t in params.hvdc.terminals}
    for seg in params.hvdc.segments:
        a, b = buses[bus_of[seg.from_terminal]], buses[bus_of[seg.to_terminal]]
        edges.append(
            MapEdge(
                id=seg.id,
                kind=EdgeKind.HVDC,
                from_bus=a.id,
                to_bus=b.id,
                lon=(a.lon, b.lon),
                lat=(a.lat, b.lat),
                downstream=_downstream(params, seg.to_terminal),
            )
        )
    map_buses = tuple(
        MapBus(id=b.id, name=b.name, zone=b.zone, lon=b.lon, lat=b.lat) for b in buses.values()
    )
    return NetworkLayout(buses=map_buses, edges=tuple(edges), hvdc_rating_mw=params.hvdc.rating_mw)


def _downstream(params: GridParams, terminal: str) -> tuple[str, ...]:
    out = [terminal]
    for seg in params.hvdc.segments:
        if seg.from_terminal == terminal:
            out += _downstream(params, seg.to_terminal)
    return tuple(out)


@dataclass(frozen=True, kw_only=True)
class MapState:
    """What one frame shows, per edge and per bus."""

    label: str
    flow_mw: FloatArray
    """(edges,) mean flow, positive from ``from_bus`` to ``to_bus`` [MW]."""
    loading_mean_percent: FloatArray
    loading_peak_percent: FloatArray
    vm_mean_pu: FloatArray
    """(buses,) mean voltage; NaN for a bus the result does not hold [pu]."""
    vm_min_pu: FloatArray


def _hourly(ds: xr.Dataset, layout: NetworkLayout) -> tuple[FloatArray, FloatArray]:
    """(hours, edges) flow [MW] and loading [%] of every edge, NaN where not solved."""
    hours, n = ds.sizes["time"], len(layout.edges)
    flow, loading = np.full((hours, n), np.nan), np.full((hours, n), np.nan)
    column = {str(b): i for i, b in enumerate(ds.branch.values)}
    terminal = {str(t): i for i, t in enumerate(ds.terminal.values)}
    p_from, load = ds.p_from_mw.values, ds.loading_percent.values
    converter = ds.converter_p_mw.values
    for k, edge in enumerate(layout.edges):
        if edge.kind is EdgeKind.HVDC:
            cols = [terminal[t] for t in edge.downstream if t in terminal]
            # converters draw power from the AC bus (delivered power is negative): what the
            # terminals beyond the segment deliver flows forwards, what they draw (reverse
            # flow in winter) flows backwards
            flow[:, k] = -converter[:, cols].sum(axis=1)
            loading[:, k] = 100.0 * np.abs(flow[:, k]) / layout.hvdc_rating_mw
            continue
        cols = [column[b] for b in edge.branches if b in column]
        if cols:
            flow[:, k] = p_from[:, cols].sum(axis=1)
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN hours stay NaN
                loading[:, k] = np.nanmax(load[:, cols], axis=1)
    return flow, loading


def map_states(ds: xr.Dataset, layout: NetworkLayout, *, by_month: bool = True) -> list[MapState]:
    """Average a seasonal result onto the map: the whole period, then each month studied.

    Parameters
    ----------
    ds
        A seasonal result.
    layout
        From :func:`network_layout`.
    by_month
        Add one state per month when the result spans several.

    Returns
    -------
    list of MapState
        ``"whole period"`` first, then ``"Jan"``, ``"Feb"``, ... for the months present.
    """
    flow, loading = _hourly(ds, layout)
    index = {str(b): i for i, b in enumerate(ds.bus.values)}
    cols = [index.get(b.id, -1) for b in layout.buses]
    vm = ds.vm_pu.values
    vm_buses = np.where(np.asarray(cols)[None, :] >= 0, vm[:, np.maximum(cols, 0)], np.nan)
    month = ds.time.dt.month.values
    groups: list[tuple[str, npt.NDArray[np.bool_]]] = [("whole period", np.ones(month.size, bool))]
    if by_month and np.unique(month).size > 1:
        groups += [(MONTHS[m - 1], month == m) for m in np.unique(month)]
    states = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an edge never solved stays NaN
        for label, rows in groups:
            states.append(
                MapState(
                    label=label,
                    flow_mw=np.nanmean(flow[rows], axis=0),
                    loading_mean_percent=np.nanmean(loading[rows], axis=0),
                    loading_peak_percent=np.nanmax(loading[rows], axis=0),
                    vm_mean_pu=np.nanmean(vm_buses[rows], axis=0),
                    vm_min_pu=np.nanmin(vm_buses[rows], axis=0),
                )
            )
    return states


_CIVIDIS = tuple(str(c) for c in sample_colorscale(LOADING_SCALE, list(np.linspace(0.0, 1.0, 101))))
"""The loading scale at every whole per cent (sampling it per edge and frame is slow)."""


def _colour(loading: float) -> str:
    if not math.isfinite(loading):
        return BORDER_GREY
    return _CIVIDIS[round(min(max(loading, 0.0), LOADING_MAX_PERCENT))]


def _width(flow: float, biggest: float) -> float:
    if not math.isfinite(flow) or biggest <= 0:
        return 1.5
    return 1.5 + 7.0 * abs(flow) / biggest


DASH = {
    EdgeKind.AC_500: "solid",
    EdgeKind.AC_220: "solid",
    EdgeKind.HVDC: "dash",
    EdgeKind.EQUIVALENT: "dot",
}
ASPECT = 1.0 / math.cos(math.radians(38.5))
"""Latitude degrees are this much longer than longitude degrees at the map's middle."""


Trace = dict[str, object]
"""A trace as a plain dict: the map has a trace per edge and frame, and validating each
through ``go.Scatter`` takes seconds for a year of months."""


def _scatter(**fields: object) -> Trace:
    return {"type": "scatter", **fields}


def _edge_traces(layout: NetworkLayout, state: MapState, biggest: float) -> list[Trace]:
    return [
        _scatter(
            x=list(e.lon),
            y=list(e.lat),
            mode="lines",
            line={
                "color": _colour(float(state.loading_mean_percent[k])),
                "width": _width(float(state.flow_mw[k]), biggest),
                "dash": DASH[e.kind],
            },
            hoverinfo="skip",
            showlegend=False,
            name=plot_text(e.id),
        )
        for k, e in enumerate(layout.edges)
    ]


def _arrow_trace(layout: NetworkLayout, state: MapState) -> Trace:
    mid_lon = [0.5 * sum(e.lon) for e in layout.edges]
    mid_lat = [0.5 * sum(e.lat) for e in layout.edges]
    angles, texts = [], []
    for k, e in enumerate(layout.edges):
        dx = (e.lon[1] - e.lon[0]) * math.cos(math.radians(0.5 * sum(e.lat)))
        dy = e.lat[1] - e.lat[0]
        flow = float(state.flow_mw[k])
        bearing = math.degrees(math.atan2(dx, dy)) + (180.0 if flow < 0 else 0.0)
        angles.append(round(bearing % 360.0, 1))
        a, b = (e.from_bus, e.to_bus) if flow >= 0 else (e.to_bus, e.from_bus)
        texts.append(
            f"<b>{plot_text(e.id)}</b> ({e.kind.value})<br>"
            f"mean flow {abs(flow):,.0f} MW, {plot_text(a)} → {plot_text(b)}<br>"
            f"mean loading {state.loading_mean_percent[k]:.1f} %, "
            f"peak {state.loading_peak_percent[k]:.1f} %<br>period: {plot_text(state.label)}"
        )
    loading = np.nan_to_num(state.loading_mean_percent, nan=0.0)
    return _scatter(
        x=mid_lon,
        y=mid_lat,
        mode="markers",
        marker={
            "symbol": "arrow",
            "size": 13,
            "angle": angles,
            "color": loading.round(2).tolist(),
            "colorscale": LOADING_SCALE,
            "cmin": 0.0,
            "cmax": LOADING_MAX_PERCENT,
            "line": {"width": 0.5, "color": "#333"},
            "colorbar": {
                "title": {"text": axis_title("mean loading", "%")},
                "x": 1.02,
                "y": 1.0,
                "yanchor": "top",
                "len": 0.45,
            },
        },
        hovertext=texts,
        hoverinfo="text",
        name="flow",
        showlegend=False,
    )


def _bus_trace(layout: NetworkLayout, state: MapState) -> Trace:
    zones = sorted({b.zone for b in layout.buses})
    colour = {z: OKABE_ITO[i % len(OKABE_ITO)] for i, z in enumerate(zones)}
    texts = [
        f"<b>{plot_text(b.name)}</b> ({plot_text(b.id)}, {plot_text(b.zone)})<br>"
        f"mean voltage {state.vm_mean_pu[i]:.3f} pu, lowest {state.vm_min_pu[i]:.3f} pu"
        for i, b in enumerate(layout.buses)
    ]
    return _scatter(
        x=[b.lon for b in layout.buses],
        y=[b.lat for b in layout.buses],
        mode="markers+text",
        marker={
            "size": 9,
            "color": [colour[b.zone] for b in layout.buses],
            "line": {"width": 1, "color": "#fff"},
        },
        text=[plot_text(b.id) if b.id in LABELLED_BUSES else "" for b in layout.buses],
        textposition="top right",
        textfont={"size": 10},
        hovertext=texts,
        hoverinfo="text",
        name="substations",
        showlegend=False,
    )


def _legend_traces(layout: NetworkLayout) -> list[Trace]:
    """Legend entries only: how each kind of edge is drawn and the colour of each zone."""
    kinds = [k for k in EdgeKind if any(e.kind is k for e in layout.edges)]
    zones = sorted({b.zone for b in layout.buses})
    out: list[Trace] = []
    for i, kind in enumerate(kinds):
        entry = _scatter(
            x=[None],
            y=[None],
            mode="lines",
            line={"color": "#555", "dash": DASH[kind], "width": 2},
            name=kind.value,
            legendgroup="edges",
            hoverinfo="skip",
        )
        if i == 0:
            entry["legendgrouptitle"] = {"text": "lines (width: mean flow)"}
        out.append(entry)
    for i, zone in enumerate(zones):
        entry = _scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"size": 9, "color": OKABE_ITO[i % len(OKABE_ITO)]},
            name=plot_text(zone),
            legendgroup="zones",
            hoverinfo="skip",
        )
        if i == 0:
            entry["legendgrouptitle"] = {"text": "substations by zone"}
        out.append(entry)
    return out


def figure_network_map(
    states: Sequence[MapState], layout: NetworkLayout, *, title: str
) -> go.Figure:
    """Draw the network on its geography, one frame per state with a slider to choose it.

    Parameters
    ----------
    states
        From :func:`map_states`; the first is shown on opening.
    layout
        From :func:`network_layout`.
    title
        Figure title (escape names in it).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: borders, country names, one line per edge, the flow arrows
        (with the loading colour bar), the buses; frames update the edges,
        arrows and buses.
    """
    borders = country_borders(CASA_REGION)
    flows = np.concatenate([np.abs(s.flow_mw) for s in states])
    biggest = float(np.nanmax(flows)) if np.isfinite(flows).any() else 0.0
    first = states[0]
    traces: list[Trace] = [
        _scatter(
            x=list(borders.lon),
            y=list(borders.lat),
            mode="lines",
            line={"color": BORDER_GREY, "width": 1},
            hoverinfo="skip",
            showlegend=False,
            name="borders",
        ),
        _scatter(
            x=[x for _, x, _ in borders.labels],
            y=[y for _, _, y in borders.labels],
            mode="text",
            text=[plot_text(n) for n, _, _ in borders.labels],
            textfont={"size": 13, "color": "#8a8a8a"},
            hoverinfo="skip",
            showlegend=False,
            name="countries",
        ),
        *_edge_traces(layout, first, biggest),
        _arrow_trace(layout, first),
        _bus_trace(layout, first),
    ]
    moving = list(range(2, len(traces)))
    traces += _legend_traces(layout)
    frames = [
        {
            "name": s.label,
            "data": [
                *_edge_traces(layout, s, biggest),
                _arrow_trace(layout, s),
                _bus_trace(layout, s),
            ],
            "traces": moving,
        }
        for s in states
    ]
    fig = go.Figure(data=traces, frames=frames if len(states) > 1 else None, _validate=False)
    if len(states) > 1:
        fig.update_layout(
            sliders=[
                {
                    "active": 0,
                    "currentvalue": {"prefix": "period: "},
                    "pad": {"t": 40},
                    "steps": [
                        {
                            "label": s.label,
                            "method": "animate",
                            "args": [
                                [s.label],
                                {
                                    "mode": "immediate",
                                    "frame": {"duration": 0, "redraw": True},
                                    "transition": {"duration": 0},
                                },
                            ],
                        }
                        for s in states
                    ],
                }
            ]
        )
    # colour bar in the upper half of the right margin, legend in the lower half
    fig.update_layout(legend={"x": 1.02, "y": 0.0, "yanchor": "bottom", "tracegroupgap": 6})
    box = CASA_REGION
    fig.update_xaxes(
        range=[box.lon_min, box.lon_max],
        title=axis_title("longitude", "°E"),
        showgrid=False,
        constrain="domain",
    )
    fig.update_yaxes(
        range=[box.lat_min, box.lat_max],
        title=axis_title("latitude", "°N"),
        scaleanchor="x",
        scaleratio=ASPECT,
        showgrid=False,
        constrain="domain",
    )
    return titled(fig, title, height=640)
