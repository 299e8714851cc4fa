"""The HTML report of a regression suite run: one self-contained, offline file.

The page shows the verdict, one row per entry, the failed checks, every check
in a collapsible table, and for each series with a failed check its baseline
and current points with their difference.  plotly.js is embedded once (no
network when the page opens); every name and message is HTML-escaped, and the
figures' JSON is made safe to sit inside ``<script>``.
"""

from __future__ import annotations

import html
import json
import math
from datetime import UTC, datetime
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from casa1000.grid.atomic import atomic_output
from casa1000.studies.regression.compare import Check, Status
from casa1000.studies.regression.gate import EntryOutcome, SuiteReport
from casa1000.studies.regression.measure import SeriesValues

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
th { background: #f3f3f3; } td.text { text-align: left; }
.pass { color: #17692c; } .FAIL, .ERROR { color: #b00020; font-weight: bold; }
.verdict { font-size: 1.3em; }
"""


def figure_series(entry: str, name: str, baseline: SeriesValues, now: SeriesValues) -> go.Figure:
    """Plot a series against its baseline, with their difference below.

    Parameters
    ----------
    entry
        Suite entry the series belongs to.
    name
        Series name.
    baseline, now
        Stored and current points (time labels may differ; each is drawn on its own).

    Returns
    -------
    plotly.graph_objects.Figure
        Two rows sharing the time axis: the two series, then ``now - baseline``
        where their time labels agree.
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3])
    fig.add_trace(
        go.Scatter(x=list(baseline.time), y=_gaps(baseline.values), name="baseline", mode="lines"),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(x=list(now.time), y=_gaps(now.values), name="now", mode="lines"), row=1, col=1
    )
    if baseline.time == now.time:
        diff = [
            b - a if not (math.isnan(a) or math.isnan(b)) else None
            for a, b in zip(baseline.values, now.values, strict=True)
        ]
        fig.add_trace(
            go.Scatter(x=list(now.time), y=diff, name="now - baseline", mode="lines"), row=2, col=1
        )
    fig.update_yaxes(title_text=now.units, row=1, col=1)
    fig.update_yaxes(title_text=f"delta [{now.units}]", row=2, col=1)
    fig.update_layout(
        title_text=f"{entry}: {name} ({now.resample.value} points)",
        height=420,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
    )
    return fig


def _gaps(values: tuple[float, ...]) -> list[float | None]:
    """NaN (an hour that did not solve) as a gap in the line; JSON has no NaN."""
    return [None if math.isnan(v) or math.isinf(v) else v for v in values]


def _text_cell(text: str) -> str:
    return f'<td class="text">{html.escape(text)}</td>'


def _cell(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.6g}"


def _check_rows(checks: tuple[Check, ...]) -> str:
    rows = []
    for c in checks:
        rows.append(
            "<tr>"
            + "".join(_text_cell(t) for t in (c.entry, c.study, c.metric, c.units))
            + f"<td>{_cell(c.baseline)}</td><td>{_cell(c.now)}</td><td>{_cell(c.delta)}</td>"
            f"<td>{_cell(c.tolerance)}</td>"
            f'<td class="{c.status.value}">{html.escape(c.status.value)}</td>'
            f'<td class="text">{html.escape(c.note)}</td></tr>'
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("entry", "study", "metric", "units", "baseline", "now", "delta", "tolerance")
    )
    return f"<table><tr>{head}<th>status</th><th>note</th></tr>{''.join(rows)}</table>"


def _entry_rows(report: SuiteReport) -> str:
    rows = []
    for o in report.outcomes:
        failed = sum(c.status is not Status.PASS for c in o.checks)
        status = "pass" if o.passed else "FAIL"
        rows.append(
            "<tr>"
            + "".join(_text_cell(t) for t in (o.entry, o.study, o.title))
            + f"<td>{len(o.checks)}</td><td>{failed}</td>"
            f'<td>{o.wall_time_s:.1f}</td><td class="{status}">{status}</td></tr>'
        )
    head = "<tr><th>entry</th><th>study</th><th>what</th><th>checks</th><th>failed</th>"
    return f"<table>{head}<th>wall time [s]</th><th>status</th></tr>{''.join(rows)}</table>"


def _plotted(outcome: EntryOutcome, all_series: bool) -> list[str]:
    if outcome.baseline is None or outcome.now is None:
        return []
    failing = {c.metric.split(":")[0] for c in outcome.checks if c.status is not Status.PASS}
    return [
        name
        for name in outcome.now.series
        if name in outcome.baseline.series and (all_series or name in failing)
    ]


def _figure_html(fig: go.Figure, div_id: str) -> str:
    """Return a div and the script drawing ``fig``, with the JSON safe inside ``<script>``."""
    spec = fig.to_plotly_json()
    payload = json.dumps(
        {"data": spec["data"], "layout": spec["layout"]}, default=_json_default, allow_nan=False
    )
    # "</" would end the script element early; "<!--" would start a comment: escape "<"
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        f'<div id="{div_id}" class="figure"></div>\n'
        f"<script>(function () {{ var f = {payload}; "
        f"Plotly.newPlot({json.dumps(div_id)}, f.data, f.layout, {{responsive: true}}); }})();"
        "</script>"
    )


def _json_default(value: object) -> object:
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def regression_report_html(report: SuiteReport, *, all_series: bool = False) -> str:
    """Return the report page as text.

    Parameters
    ----------
    report
        The suite run.
    all_series
        Plot every series, not only those with a failed check.
    """
    verdict = "PASS" if not report.failures else "REGRESSION"
    css = "pass" if not report.failures else "FAIL"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>casa1000 regression: {html.escape(report.suite)}</title>",
        f"<style>{_STYLE}</style>",
        f"<script>{get_plotlyjs()}</script>",
        "</head><body>",
        f"<h1>Regression suite {html.escape(report.suite)}</h1>",
        f"<p>{html.escape(report.title)}</p>",
        f'<p class="verdict {css}">{verdict}: {len(report.checks) - len(report.failures)} of '
        f"{len(report.checks)} checks pass; wall time {report.wall_time_s:.1f} s; suite file "
        f"{html.escape(str(report.path))}; written "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}</p>",
        "<h2>Entries</h2>",
        _entry_rows(report),
    ]
    if report.failures:
        parts += ["<h2>Failed checks</h2>", _check_rows(report.failures)]
    figures: list[str] = []
    for outcome in report.outcomes:
        for name in _plotted(outcome, all_series):
            assert outcome.baseline is not None and outcome.now is not None
            fig = figure_series(
                outcome.entry, name, outcome.baseline.series[name], outcome.now.series[name]
            )
            figures.append(_figure_html(fig, f"fig{len(figures)}"))
    parts.append("<h2>Series</h2>")
    if figures:
        parts += figures
    else:
        parts.append("<p>No series differs beyond its tolerance.</p>")
    parts += [
        "<details><summary>Every check</summary>",
        _check_rows(report.checks),
        "</details>",
        "</body></html>",
    ]
    return "\n".join(parts)


def write_regression_report(report: SuiteReport, path: Path, *, all_series: bool = False) -> Path:
    """Write the report page to ``path``, atomically.

    Raises
    ------
    InputError
        If the file cannot be written.
    """
    with atomic_output(path) as tmp:
        tmp.write_text(regression_report_html(report, all_series=all_series), encoding="utf-8")
    return path
