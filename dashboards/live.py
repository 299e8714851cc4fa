"""The live what-if view: change the scenario, the seasonal study re-runs, the figures follow.

A small Dash app on a local web server.  The controls map one to one onto a
:class:`~casa1000.studies.spine.scenario.Scenario` -- variant, hydrology, and
``--set``-style overrides for the HVDC rating (``hvdc.rating_mw``), an outage for
the season (``line.<ID>.in_service=false`` or ``plant.<ID>.in_service=false``)
and the contract (``contract.pakistan_mw``, ``contract.afghanistan_mw``) -- and
every change re-runs the registered seasonal study through
:func:`casa1000.studies.registry.run_study` for the chosen month (about a second
after the first run; a whole year a few seconds).  Bad input shows its one-line
error instead of the figures changing.

The server binds to 127.0.0.1 unless told otherwise, takes port 0 for any free
port, and stops cleanly (:meth:`LiveServer.stop`, or Ctrl-C on the command line).
Dash serves its own scripts; the map is drawn from the shipped borders, so the
page fetches nothing from the internet.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from casa1000.dashboards.network_map import (
    figure_network_map,
    map_states,
    network_layout,
    params_for,
)
from casa1000.dashboards.theme import OKABE_ITO, axis_title, plot_text, plot_texts, titled
from casa1000.errors import Casa1000Error, InputError

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WHOLE_YEAR = 0
"""Month value of the "whole year" choice."""
STUDY_YEAR = 2027


@dataclass(frozen=True, kw_only=True)
class WhatIf:
    """One choice of the controls.

    Parameters
    ----------
    name
        Scenario label (free text, shown escaped).
    variant
        ``as_built`` or ``design_2014``.
    hydrology
        ``dry``, ``normal`` or ``wet``.
    hvdc_rating_mw
        Rating of the HVDC link [MW].
    outage
        ``line.<ID>`` or ``plant.<ID>`` out of service for the season, or ``""``.
    pakistan_mw, afghanistan_mw
        Contracted capacity of each offtaker [MW].
    month
        Month studied (1-12), or 0 for the whole year.
    """

    name: str = "what-if"
    variant: str = "as_built"
    hydrology: str = "normal"
    hvdc_rating_mw: float = 1300.0
    outage: str = ""
    pakistan_mw: float = 1000.0
    afghanistan_mw: float = 300.0
    month: int = 7

    def sets(self) -> tuple[str, ...]:
        """Return the ``--set`` overrides of this choice."""
        out = [
            f"hvdc.rating_mw={self.hvdc_rating_mw:g}",
            f"contract.pakistan_mw={self.pakistan_mw:g}",
            f"contract.afghanistan_mw={self.afghanistan_mw:g}",
        ]
        if self.outage:
            out.append(f"{self.outage}.in_service=false")
        return tuple(out)

    def run(self) -> xr.Dataset:
        """Run the seasonal study of this choice through the registry.

        Raises
        ------
        InputError
            For a value the model refuses (its one-line message is shown).
        """
        from casa1000.profiles.config import Hydrology, ProfileConfig
        from casa1000.studies.registry import run_study
        from casa1000.studies.seasonal import SeasonalConfig
        from casa1000.studies.spine.scenario import Scenario

        if not 0 <= self.month <= 12:
            raise InputError("what-if", "month", self.month, "1 to 12, or 0 for the whole year")
        scenario = Scenario(
            name=self.name,
            variant=self.variant,
            sets=self.sets(),
            profile_config=ProfileConfig(
                year=STUDY_YEAR, hydrology=Hydrology.parse(self.hydrology, where="what-if")
            ),
        )
        months = () if self.month == WHOLE_YEAR else (self.month,)
        return run_study("seasonal", scenario, SeasonalConfig(months=months)).dataset


def outage_choices() -> list[dict[str, str]]:
    """Lines and plants of both variants that can be taken out for the season."""
    from casa1000.grid.reference import load_reference

    lines: dict[str, str] = {}
    plants: dict[str, str] = {}
    for variant in ("as_built", "design_2014"):
        params = load_reference(variant)
        lines.update({ln.id: f"line {ln.id} out" for ln in params.lines})
        plants.update({p.id: f"plant {p.id} ({p.name}) out" for p in params.plants})
    return [
        {"label": "no outage", "value": ""},
        *({"label": text, "value": f"line.{key}"} for key, text in sorted(lines.items())),
        *({"label": text, "value": f"plant.{key}"} for key, text in sorted(plants.items())),
    ]


def figure_hourly(ds: xr.Dataset) -> go.Figure:
    """Draw export available, sent and delivered, and the Datka-Sughd flow, hour by hour [MW]."""
    time_ = pd.DatetimeIndex(ds.time.values)
    fig = go.Figure()
    series = (
        (ds.export_available_mw, "export available", OKABE_ITO[4], "dot"),
        (ds.export_sent_mw, "export sent", "#444444", "solid"),
        (ds.delivered_mw.sel(offtaker="PK"), "delivered to Pakistan", OKABE_ITO[0], "solid"),
        (ds.delivered_mw.sel(offtaker="AF"), "delivered to Afghanistan", OKABE_ITO[1], "solid"),
        (ds.datka_sughd_mw, "Datka-Sughd flow (KG to TJ)", OKABE_ITO[2], "dash"),
    )
    for values, name, colour, dash in series:
        fig.add_trace(
            go.Scatter(
                x=time_,
                y=np.round(values.values, 1),
                mode="lines",
                name=name,
                line={"color": colour, "dash": dash, "width": 1.5},
                hovertemplate="%{x}: %{y:,.0f} MW<extra>" + name + "</extra>",
            )
        )
    fig.update_xaxes(title=axis_title("hour", "date, UTC+05:00"))
    fig.update_yaxes(title=axis_title("power", "MW"))
    return titled(fig, "Hour by hour: export and deliveries", height=380)


def figure_peak_loadings(ds: xr.Dataset, top: int = 15) -> go.Figure:
    """Mean and peak loading of the most loaded branches [%]."""
    loading = ds.loading_percent
    with np.errstate(all="ignore"):
        peak = loading.max("time", skipna=True).values
        mean = loading.mean("time", skipna=True).values
    order = np.argsort(-np.nan_to_num(peak, nan=-1.0), kind="stable")[:top][::-1]
    names = plot_texts(ds.branch.values[order])
    fig = go.Figure(
        [
            go.Bar(
                x=np.round(peak[order], 1),
                y=names,
                orientation="h",
                name="peak loading",
                marker_color=OKABE_ITO[3],
                hovertemplate="%{y}: peak %{x:.1f} %<extra></extra>",
            ),
            go.Bar(
                x=np.round(mean[order], 1),
                y=names,
                orientation="h",
                name="mean loading",
                marker_color=OKABE_ITO[0],
                hovertemplate="%{y}: mean %{x:.1f} %<extra></extra>",
            ),
        ]
    )
    fig.add_vline(x=100.0, line_dash="dash", line_color="#333")
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title=axis_title("branch loading", "%"), rangemode="tozero")
    fig.update_yaxes(title=axis_title("branch", "circuit or unit id"), type="category")
    return titled(fig, f"The {len(order)} most loaded branches", height=460)


def figure_map(ds: xr.Dataset, label: str) -> go.Figure:
    """Draw the network map of one run (one frame: the period studied)."""
    params = params_for(ds.attrs)
    parents = dict(zip(ds.branch.values.tolist(), ds.branch_parent.values.tolist(), strict=True))
    layout = network_layout(params, parents)
    return figure_network_map(
        map_states(ds, layout, by_month=False),
        layout,
        title=f"Mean flow and loading, {plot_text(label)}",
    )


def headline(ds: xr.Dataset) -> list[str]:
    """Return the seasonal study's own headline sentences."""
    from casa1000.studies.seasonal_tables import summary

    return list(summary(ds).headline)


@dataclass(kw_only=True)
class _Runs:
    """Serialises study runs (callbacks arrive on server threads) and counts them."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    count: int = 0


def create_app(choices: Sequence[dict[str, str]] | None = None) -> Any:
    """Build the Dash app of the what-if view.

    Parameters
    ----------
    choices
        Outage choices (label, value); :func:`outage_choices` by default.

    Returns
    -------
    dash.Dash
        The app; its Flask server is ``app.server``.
    """
    import dash
    from dash import Input, Output, dcc, html

    app = dash.Dash(
        __name__,
        title="casa1000 what-if",
        assets_folder="no-assets",
        update_title="",
    )
    runs = _Runs()
    label = {"fontWeight": 600, "fontSize": "13px", "display": "block"}
    box = {"display": "inline-block", "marginRight": "18px", "verticalAlign": "top"}

    def control(text: str, widget: Any, width: str = "160px") -> Any:
        return html.Div([html.Label(text, style=label), widget], style={**box, "width": width})

    app.layout = html.Div(
        [
            html.H2("casa1000 what-if: the seasonal study, re-run on every change"),
            html.Div(
                [
                    control("scenario name", dcc.Input(id="name", value="what-if", debounce=True)),
                    control(
                        "variant",
                        dcc.Dropdown(
                            id="variant",
                            options=["as_built", "design_2014"],
                            value="as_built",
                            clearable=False,
                        ),
                    ),
                    control(
                        "hydrology",
                        dcc.RadioItems(
                            id="hydrology",
                            options=["dry", "normal", "wet"],
                            value="normal",
                            inline=True,
                        ),
                        "190px",
                    ),
                    control(
                        "HVDC rating [MW]",
                        dcc.Input(
                            id="hvdc", type="number", value=1300, min=0, step=50, debounce=True
                        ),
                    ),
                    control(
                        "outage for the season",
                        dcc.Dropdown(
                            id="outage",
                            options=list(choices or outage_choices()),
                            value="",
                            clearable=False,
                        ),
                        "300px",
                    ),
                    control(
                        "contract Pakistan [MW]",
                        dcc.Input(
                            id="pk", type="number", value=1000, min=0, step=50, debounce=True
                        ),
                    ),
                    control(
                        "contract Afghanistan [MW]",
                        dcc.Input(id="af", type="number", value=300, min=0, step=50, debounce=True),
                    ),
                    control(
                        "month",
                        dcc.Dropdown(
                            id="month",
                            options=[{"label": "whole year", "value": WHOLE_YEAR}]
                            + [{"label": m, "value": k + 1} for k, m in enumerate(MONTH_NAMES)],
                            value=7,
                            clearable=False,
                        ),
                    ),
                ]
            ),
            html.Div(id="status", style={"margin": "10px 0", "fontSize": "13px"}),
            html.Ul(id="headline", style={"fontSize": "14px"}),
            dcc.Graph(id="map", config={"displaylogo": False}),
            dcc.Graph(id="hourly", config={"displaylogo": False}),
            dcc.Graph(id="loadings", config={"displaylogo": False}),
        ],
        style={"fontFamily": "Helvetica, Arial, sans-serif", "margin": "10px 24px"},
    )

    @app.callback(
        Output("status", "children"),
        Output("headline", "children"),
        Output("map", "figure"),
        Output("hourly", "figure"),
        Output("loadings", "figure"),
        Input("name", "value"),
        Input("variant", "value"),
        Input("hydrology", "value"),
        Input("hvdc", "value"),
        Input("outage", "value"),
        Input("pk", "value"),
        Input("af", "value"),
        Input("month", "value"),
    )
    def update(
        name: str | None,
        variant: str,
        hydrology: str,
        hvdc: float | None,
        outage: str,
        pk: float | None,
        af: float | None,
        month: int,
    ) -> tuple[Any, ...]:
        choice = WhatIf(
            name=name or "",
            variant=variant,
            hydrology=hydrology,
            hvdc_rating_mw=float(hvdc if hvdc is not None else -1),
            outage=outage or "",
            pakistan_mw=float(pk if pk is not None else -1),
            afghanistan_mw=float(af if af is not None else -1),
            month=int(month),
        )
        started = time.perf_counter()
        try:
            with runs.lock:
                ds = choice.run()
                runs.count += 1
                count = runs.count
        except Casa1000Error as exc:
            message = html.Span(f"error: {exc}", style={"color": "#D55E00"})
            return (message, dash.no_update, dash.no_update, dash.no_update, dash.no_update)
        seconds = time.perf_counter() - started
        period = "whole year" if choice.month == WHOLE_YEAR else MONTH_NAMES[choice.month - 1]
        what = f"{choice.name} ({choice.variant}, {choice.hydrology} hydrology, {period})"
        status = html.Span(
            f"run {count}: {what}; sets {' '.join(choice.sets())}; solved in {seconds:.1f} s",
            id="run-facts",
        )
        return (
            status,
            [html.Li(line) for line in headline(ds)],
            figure_map(ds, what),
            figure_hourly(ds),
            figure_peak_loadings(ds),
        )

    return app


def _check_free(host: str, port: int) -> None:
    """Refuse a port that cannot be bound (werkzeug would print a paragraph and exit)."""
    import socket

    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(info[0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(info[4])
    except OSError as exc:
        raise InputError(
            "--port", "port", port, f"a free port on {host} ({exc.strerror or exc})"
        ) from None


class LiveServer:
    """The what-if app on a local WSGI server.

    Parameters
    ----------
    host
        Address to bind; 127.0.0.1 keeps the view on this machine.
    port
        TCP port; 0 picks a free one (see :attr:`port`).
    app
        The Dash app; :func:`create_app` by default.

    Raises
    ------
    InputError
        If the port is out of range or cannot be bound.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 8050, app: Any = None) -> None:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class _Quiet(WSGIRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                """Do not print a line per request."""

        if not 0 <= port <= 65535:
            raise InputError("--port", "port", port, "0 (any free port) to 65535")
        _check_free(host, port)
        self.app = app if app is not None else create_app()
        try:
            self._server = make_server(
                host, port, self.app.server, threaded=True, request_handler=_Quiet
            )
        except (OSError, SystemExit) as exc:
            # werkzeug exits when the port is taken
            raise InputError(
                "--port", "port", port, f"a free port on {host} ({exc or 'in use'})"
            ) from None
        self.host = host
        self.port = int(self._server.server_port)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Address of the view."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def serve_forever(self) -> None:
        """Serve until :meth:`stop` is called (or Ctrl-C)."""
        self._server.serve_forever()

    def start_in_background(self) -> LiveServer:
        """Serve on a daemon thread and return at once."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.server_close()
