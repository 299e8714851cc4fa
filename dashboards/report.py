r"""The offline report: one self-contained HTML file of result folders, opened by any browser.

The page holds plotly.js once (the shipped cartesian bundle, 1.5 MB, when it
can draw every figure: see :func:`plotly_bundle`), then every figure as JSON in a
``<script type="application/json">`` block that one loader script draws.
Nothing is fetched when the page opens: no CDN script, no map tiles, no
topojson (the map's borders are line traces, see
:mod:`casa1000.dashboards.geography`); a Content-Security-Policy forbids any
connection so a future figure cannot start fetching unnoticed.

Sections: overview (headline cards of every study, network map, limiting
element of each season), seasonal transfers, contingencies (remedial actions and
the corridor's PV margin, see :mod:`casa1000.dashboards.corridor_figures`, and a
drill-down solved at report time, see :mod:`casa1000.dashboards.drilldown`) and, with two
or more folders, a comparison.  Every piece of data is escaped: HTML text with
:func:`~casa1000.dashboards.markup.escape`, figure text with
:func:`~casa1000.dashboards.theme.plot_text`, and the figure JSON has ``<``
and ``/`` written as ``\u003c`` and ``\u002f`` by plotly's encoder.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import TypeAlias

import plotly.graph_objects as go
import plotly.io as pio

import casa1000
from casa1000.dashboards.comparison import comparison_blocks
from casa1000.dashboards.contingency_figures import (
    figure_branch_worst,
    figure_bus_worst,
    figure_drilldown,
    figure_severity,
    ranking_table,
)
from casa1000.dashboards.corridor_figures import figure_corridor_margin, figure_remedial_actions
from casa1000.dashboards.drilldown import drill_down
from casa1000.dashboards.markup import Html, escape, paragraph
from casa1000.dashboards.overview import overview_blocks
from casa1000.dashboards.results import ResultSet, read_result_sets
from casa1000.dashboards.seasonal_figures import (
    figure_capability_duration,
    figure_capability_map,
    figure_casa_flow,
    figure_monthly_energy,
    figure_unserved,
)
from casa1000.dashboards.supply_figures import figure_afghan_supply, figure_reservoirs
from casa1000.errors import InputError

Block: TypeAlias = "Html | go.Figure"
DRILL_DOWN_CASES = 6
"""Contingencies whose worst hour the drill-down solves again, by default."""

PLOT_CONFIG = {"responsive": True, "displaylogo": False, "scrollZoom": False}
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'"
)
"""No request of any kind leaves the page; inline scripts and styles only."""


@dataclass(frozen=True, kw_only=True)
class Section:
    """A part of the report: an anchor, a title, an introduction and its blocks."""

    id: str
    title: str
    intro: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, kw_only=True)
class Report:
    """Everything the page shows, before it is written."""

    title: str
    folders: tuple[str, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True, kw_only=True)
class ReportFacts:
    """What writing a report produced.

    Parameters
    ----------
    path
        The HTML file.
    size_bytes
        Its size [B].
    figures
        Number of plotly figures in it.
    seconds
        Wall-clock time from reading the folders to the file written [s].
    drill_down_note
        How the drill-down was obtained, or why it is missing.
    """

    path: Path
    size_bytes: int
    figures: int
    seconds: float
    drill_down_note: str


def _seasonal_section(main: ResultSet) -> Section:
    blocks: list[Block] = []
    seasonal = main.get("seasonal")
    transfer = main.get("transfer")
    if seasonal is not None:
        blocks += [figure_monthly_energy(seasonal), figure_casa_flow(seasonal)]
    if transfer is not None:
        blocks += [figure_capability_map(transfer), figure_capability_duration(transfer)]
    if seasonal is not None:
        blocks.append(figure_unserved(seasonal))
        blocks += [
            fig
            for fig in (figure_reservoirs(seasonal), figure_afghan_supply(seasonal))
            if fig is not None
        ]
    if not blocks:
        blocks.append(paragraph("This folder holds no seasonal or transfer-capability result."))
    return Section(
        id="seasonal",
        title="Seasonal transfers",
        intro=(
            "Energy delivered and lost month by month, the CASA export and its N-1 secure "
            "capability hour by hour, the winter deficit of the supplier zones, the reservoirs "
            "that carry summer export into winter and Afghanistan's whole supply."
        ),
        blocks=tuple(blocks),
    )


def _contingency_section(main: ResultSet, drill_cases: int) -> tuple[Section, str]:
    ds = main.get("contingency")
    if ds is None:
        note = "no contingency result"
        blocks: list[Block] = [paragraph("This folder holds no contingency result.")]
    else:
        blocks = [ranking_table(ds), figure_branch_worst(ds), figure_bus_worst(ds)]
        blocks.append(figure_severity(ds))
        # results written before remedial actions and the PV margin existed have no such figure
        blocks += [
            fig
            for fig in (figure_remedial_actions(ds), figure_corridor_margin(ds))
            if fig is not None
        ]
        if drill_cases > 0:
            drill = drill_down(ds, drill_cases)
            note = drill.note
            blocks.append(paragraph(drill.note))
            if drill.cases:
                blocks.append(
                    figure_drilldown(
                        drill,
                        vmin_pu=float(ds.attrs.get("vmin_pu", 0.9)),
                        vmax_pu=float(ds.attrs.get("vmax_pu", 1.1)),
                        limit=float(ds.attrs.get("thermal_limit_percent", 100.0)),
                    )
                )
        else:
            note = "drill-down not asked for"
    return (
        Section(
            id="contingencies",
            title="Contingencies",
            intro=(
                "Every N-1 and named N-k contingency in every hour, in full AC: the ranking "
                "(click a column heading to sort), the worst case of every element, the "
                "severity over time, the remedial actions (Afghan import run back, load shed) "
                "each outage called for, the Afghan corridor's PV margin hour by hour and, for "
                "the worst cases, every voltage and loading before and after."
            ),
            blocks=tuple(blocks),
        ),
        note,
    )


def build_report(
    sets: Sequence[ResultSet],
    *,
    drill_cases: int = DRILL_DOWN_CASES,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[Report, str]:
    """Assemble the sections of a report (no file is written).

    Parameters
    ----------
    sets
        Result folders; the first is the reference.
    drill_cases
        Contingencies whose worst hour is solved again for the drill-down (0: none).
    progress
        Called with a stage name and the fraction done.

    Returns
    -------
    tuple
        The report and the drill-down note.
    """
    report = progress or (lambda stage, done: None)
    main = sets[0]
    report("overview", 0.1)
    sections = [
        Section(
            id="overview",
            title="Overview",
            intro=(
                "The headline of every study in every folder, the interconnection on its "
                "geography (choose the month with the slider), and what limits the secure "
                "transfer in each season."
            ),
            blocks=tuple(overview_blocks(sets)),
        )
    ]
    report("seasonal", 0.3)
    sections.append(_seasonal_section(main))
    report("contingencies", 0.5)
    contingency, note = _contingency_section(main, drill_cases)
    sections.append(contingency)
    if len(sets) > 1:
        report("comparison", 0.8)
        sections.append(
            Section(
                id="comparison",
                title="Comparison",
                intro=(
                    f"The {len(sets)} folders side by side; differences are each folder minus "
                    "the first."
                ),
                blocks=tuple(comparison_blocks(sets))
                or (paragraph("The folders share no study to compare."),),
            )
        )
    title = f"casa1000 report: {main.label}"
    return (
        Report(title=title, folders=tuple(str(s.folder) for s in sets), sections=tuple(sections)),
        note,
    )


STYLE = """
body{font-family:Helvetica,Arial,sans-serif;margin:0;color:#222;background:#f6f6f4}
header{background:#0b3954;color:#fff;padding:14px 24px}
header h1{font-size:20px;margin:0 0 4px 0;font-weight:600}
header .meta{font-size:12px;opacity:.85}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:8px 24px;z-index:9}
nav a{margin-right:18px;color:#0b3954;text-decoration:none;font-weight:600}
main{padding:8px 24px 40px 24px;max-width:1400px}
section{margin-top:26px}
h2{border-bottom:2px solid #0b3954;padding-bottom:4px}
.intro,.note{max-width:1000px;line-height:1.45}
.note{font-size:13px;color:#444}
.plot{background:#fff;border:1px solid #e2e2e2;margin:14px 0;min-height:300px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));
gap:12px;margin:12px 0}
.card{background:#fff;border:1px solid #e2e2e2;border-left:4px solid #0072B2;padding:10px 14px}
.card-title{font-weight:600}.card-subtitle{font-size:12px;color:#666;margin:2px 0 6px 0}
.card ul{margin:0;padding-left:18px;font-size:13px;line-height:1.4}
details{margin:6px 0}summary{cursor:pointer;color:#0b3954;font-weight:600}
.table-wrap{overflow-x:auto;background:#fff;border:1px solid #e2e2e2;margin:14px 0;max-height:560px}
table.data{border-collapse:collapse;font-size:12px;width:100%}
table.data caption{text-align:left;font-weight:600;padding:8px}
table.data th{position:sticky;top:0;background:#eef2f5;padding:4px 8px;text-align:right;
white-space:nowrap}
table.sortable th{cursor:pointer}
table.data td{padding:3px 8px;text-align:right;border-top:1px solid #eee;white-space:nowrap}
table.data td:first-child,table.data th:first-child{text-align:left}
"""

SORT_SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function (t) {
  t.querySelectorAll('th').forEach(function (th, i) {
    th.addEventListener('click', function () {
      var num = th.dataset.type === 'num';
      var asc = th.dataset.dir !== 'asc';
      t.querySelectorAll('th').forEach(function (o) { delete o.dataset.dir; });
      th.dataset.dir = asc ? 'asc' : 'desc';
      var body = t.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[i].dataset.v, y = b.cells[i].dataset.v;
        if (num) {
          x = x === '' ? -Infinity : parseFloat(x);
          y = y === '' ? -Infinity : parseFloat(y);
          return asc ? x - y : y - x;
        }
        return asc ? x.localeCompare(y) : y.localeCompare(x);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""

DRAW_SCRIPT = """
(function () {
  // Draw one figure per task, those on screen first, so the first screen shows
  // as soon as plotly.js is parsed and the page stays responsive meanwhile.
  var config = %s;
  var waiting = Array.prototype.slice.call(document.querySelectorAll('div.plot'));
  var seen = new Set();
  if ('IntersectionObserver' in window) {
    var watch = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) { seen.add(e.target); } });
    }, {rootMargin: '200px'});
    waiting.forEach(function (div) { watch.observe(div); });
  }
  function draw(div) {
    var fig = JSON.parse(document.getElementById(div.id + '-json').textContent);
    fig.config = config;
    Plotly.newPlot(div, fig);
  }
  function next() {
    if (!waiting.length) { document.body.dataset.drawn = 'all'; return; }
    var k = waiting.findIndex(function (d) { return seen.has(d); });
    draw(waiting.splice(k < 0 ? 0 : k, 1)[0]);
    setTimeout(next, 0);
  }
  next();
})();
"""


def _figure_json(fig: go.Figure) -> str:
    # plotly's encoder writes < and / as \\u003c and \\u002f: a name cannot close the script
    text = str(pio.to_json(fig, validate=False, pretty=False))
    return text.replace("</", "<\\/")


CARTESIAN_BUNDLE = "plotly-cartesian.min.js"
CARTESIAN_TRACES = frozenset(
    {
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    }
)
"""Trace types of the shipped cartesian bundle (``plotlyjs/SOURCE.md``)."""


def trace_types(figures: Sequence[go.Figure]) -> set[str]:
    """Every trace type of the figures, their animation frames included."""
    types: set[str] = set()
    for fig in figures:
        types.update(str(t.type or "scatter") for t in fig.data)
        for frame in fig.frames or ():
            types.update(str(t.type or "scatter") for t in frame.data)
    return types


def plotly_bundle(figures: Sequence[go.Figure]) -> tuple[str, str]:
    """Choose the plotly.js to embed: the shipped cartesian bundle when it can draw everything.

    It is used when every trace type is one it holds and its version is the
    plotly.js of the installed plotly package (whose JSON the figures are);
    otherwise the plotly package's full bundle is.

    Returns
    -------
    tuple of str
        ``("cartesian" or "full", the script)``.
    """
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    shipped = files("casa1000.dashboards").joinpath("plotlyjs", CARTESIAN_BUNDLE)
    script = shipped.read_text(encoding="utf-8")
    found = re.search(r"plotly\.js \(cartesian[^)]*\) v(\d+\.\d+\.\d+)", script[:300])
    same = found is not None and found.group(1) == str(get_plotlyjs_version())
    if same and trace_types(figures) <= CARTESIAN_TRACES:
        return "cartesian", script
    return "full", str(get_plotlyjs())


def render_html(report: Report) -> tuple[str, int]:
    """Return the page of a report and the number of figures in it."""
    import json

    parts: list[str] = []
    nav = "".join(f'<a href="#{escape(s.id)}">{escape(s.title)}</a>' for s in report.sections)
    figures = 0
    for section in report.sections:
        parts.append(
            f'<section id="{escape(section.id)}"><h2>{escape(section.title)}</h2>'
            f'<p class="intro">{escape(section.intro)}</p>'
        )
        for block in section.blocks:
            if isinstance(block, Html):
                parts.append(block.markup)
                continue
            figures += 1
            fid = f"fig-{figures}"
            parts.append(
                f'<div class="plot" id="{fid}"></div>'
                f'<script type="application/json" id="{fid}-json">{_figure_json(block)}</script>'
            )
        parts.append("</section>")
    figures_in = [b for sec in report.sections for b in sec.blocks if not isinstance(b, Html)]
    _, bundle = plotly_bundle(figures_in)
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    folders = ", ".join(report.folders)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(report.title)}</title><style>{STYLE}</style>"
        "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
        f"<script>{bundle}</script></head><body>"
        f'<header><h1>{escape(report.title)}</h1><div class="meta">casa1000 '
        f"{escape(casa1000.__version__)}, written {escape(created)}; folders: "
        f"{escape(folders)}</div></header><nav>{nav}</nav><main>{''.join(parts)}</main>"
        f"<script>{SORT_SCRIPT}</script>"
        f"<script>{DRAW_SCRIPT % json.dumps(PLOT_CONFIG)}</script></body></html>\n"
    )
    return page, figures


def _write_atomic(page: str, out: Path) -> None:
    from casa1000.grid.atomic import atomic_output

    try:
        with atomic_output(out) as tmp:
            tmp.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            str(out), "file", str(out), f"a writable file ({exc.strerror or exc})"
        ) from None


def write_report(
    folders: Sequence[Path],
    out: Path,
    *,
    drill_cases: int = DRILL_DOWN_CASES,
    progress: Callable[[str, float], None] | None = None,
) -> ReportFacts:
    """Read result folders through the runner and write the offline report.

    Parameters
    ----------
    folders
        Result folders (``casa1000 study ... --out FOLDER``); the first is the
        reference of the comparison.
    out
        The HTML file to write (atomically: a failed run leaves no half file).
    drill_cases
        Contingencies whose worst hour is solved again for the drill-down (0: none).
    progress
        Called with a stage name and the fraction done.

    Returns
    -------
    ReportFacts
        Size, number of figures and time taken.

    Raises
    ------
    InputError
        If a folder is missing, empty, half-written or mixes scenarios, or the
        file cannot be written.
    """
    if not 0 <= drill_cases <= 50:
        raise InputError("--drill-down", "drill_down", drill_cases, "0 to 50 cases")
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError("--out", "out", str(out), "a file name ending in .html")
    started = time.perf_counter()
    if progress:
        progress("read", 0.0)
    sets = read_result_sets(folders)
    report, note = build_report(sets, drill_cases=drill_cases, progress=progress)
    page, figures = render_html(report)
    _write_atomic(page, out)
    if progress:
        progress("written", 1.0)
    return ReportFacts(
        path=out,
        size_bytes=out.stat().st_size,
        figures=figures,
        seconds=round(time.perf_counter() - started, 3),
        drill_down_note=note,
    )
