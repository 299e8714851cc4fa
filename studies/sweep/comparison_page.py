"""A static page of a sweep's comparison table: every scenario, however many.

One self-contained HTML file, no script and no network: the scenarios, their
axis values, status and the per-scenario figures of ``sweep_scenarios.csv``
(the dashboards' interactive comparison holds only the first few scenarios).
Scenario names, axis values and error texts are data typed by users: every cell
is escaped.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from casa1000.grid.atomic import atomic_output

STYLE = (
    "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;font-size:13px}"
    "th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#eee}"
    "td.text{text-align:left}tr.failed td{background:#fde2e2}"
)


def write_comparison_page(table: pd.DataFrame, path: Path, *, title: str) -> Path:
    """Write ``table`` (one row per scenario) as a static HTML page.

    Parameters
    ----------
    table
        The comparison table; a ``status`` column marks failed rows.
    path
        The ``.html`` file to write.
    title
        Page title (escaped).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> frame = pd.DataFrame({"scenario": ["<script>x</script>"], "status": ["done"]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     text = write_comparison_page(frame, Path(d) / "p.html", title="t").read_text()
    >>> "<script>" in text, "&lt;script&gt;x&lt;/script&gt;" in text
    (False, True)
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    rows = []
    for record in table.itertuples(index=False):
        status = str(getattr(record, "status", ""))
        css = ' class="failed"' if status == "failed" else ""
        cells = "".join(_cell(v) for v in record)
        rows.append(f"<tr{css}>{cells}</tr>")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>\n"
    )
    with atomic_output(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


def _cell(value: object) -> str:
    if isinstance(value, float):
        text = "" if math.isnan(value) else f"{value:,.3f}".rstrip("0").rstrip(".")
        return f"<td>{text}</td>"
    if isinstance(value, int | bool):
        return f"<td>{value}</td>"
    return f'<td class="text">{html.escape(str(value))}</td>'
