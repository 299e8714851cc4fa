"""HTML fragments of the report: text, tables and cards, with every value escaped.

:class:`Html` marks markup that is safe to insert into a page; only the
functions here (and the report writer) make it, and they escape every piece of
data they are given -- element names, scenario names, numbers alike.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Html:
    """A fragment of markup built from escaped values (safe to insert as is)."""

    markup: str


def escape(value: object) -> str:
    """Escape any value for HTML text or attribute content.

    Examples
    --------
    >>> escape('<script>alert("1")</script>')
    '&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;'
    """
    return html.escape(str(value), quote=True)


def paragraph(text: str, *, css: str = "note") -> Html:
    """Return a paragraph of plain text."""
    return Html(f'<p class="{escape(css)}">{escape(text)}</p>')


def heading(text: str, level: int = 3) -> Html:
    """Return a heading of plain text (level 2 to 4)."""
    level = min(max(level, 2), 4)
    return Html(f"<h{level}>{escape(text)}</h{level}>")


def format_cell(column: str, value: object) -> tuple[str, str]:
    """Return (shown text, sort key) of a table cell; numbers sort numerically.

    Examples
    --------
    >>> format_cell("vm_min_pu", 0.912345)
    ('0.9123', '0.912345')
    >>> format_cell("worst_loading_percent", float("nan"))
    ('-', '')
    """
    if isinstance(value, bool | np.bool_):
        return ("yes" if value else "no"), ("1" if value else "0")
    if isinstance(value, int | np.integer):
        return f"{int(value):,}", str(int(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        if not math.isfinite(v):
            return "-", ""
        digits = 4 if column.endswith("_pu") else 2 if column.endswith("_index") else 1
        return f"{v:,.{digits}f}", repr(v)
    if isinstance(value, pd.Timestamp | np.datetime64):
        stamp = pd.Timestamp(value)
        return (
            ("-", "") if pd.isna(stamp) else (stamp.strftime("%Y-%m-%d %H:00"), stamp.isoformat())
        )
    return str(value), str(value)


def table(
    frame: pd.DataFrame,
    *,
    caption: str,
    sortable: bool = True,
    index: bool = True,
    css: str = "data",
) -> Html:
    """Render a frame as an HTML table; a sortable one sorts by any column on a click.

    Parameters
    ----------
    frame
        The values; column names carry their units (``_mw``, ``_percent``, ``_pu``).
    caption
        Shown above the table.
    sortable
        Mark the table for the page's sorting script (click a heading).
    index
        Show the index as the first column.
    css
        CSS class of the table.
    """
    shown = frame.reset_index() if index else frame
    columns = [str(c) for c in shown.columns]
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) for c in shown.columns]
    head = "".join(
        f'<th data-type="{"num" if num else "text"}" title="click to sort">{escape(c)}</th>'
        if sortable
        else f"<th>{escape(c)}</th>"
        for c, num in zip(columns, numeric, strict=True)
    )
    rows = []
    for values in shown.itertuples(index=False):
        cells = []
        for col, value in zip(columns, values, strict=True):
            text, key = format_cell(col, value)
            cells.append(f'<td data-v="{escape(key)}">{escape(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    klass = f"{escape(css)} sortable" if sortable else escape(css)
    return Html(
        f'<div class="table-wrap"><table class="{klass}"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


@dataclass(frozen=True, kw_only=True)
class Card:
    """A headline card: a title, a subtitle and a few sentences (plain text)."""

    title: str
    subtitle: str
    lines: Sequence[str]


def cards(items: Iterable[Card]) -> Html:
    """Render headline cards in a responsive grid."""
    parts = []
    for card in items:
        lines = "".join(f"<li>{escape(line)}</li>" for line in card.lines)
        parts.append(
            f'<div class="card"><div class="card-title">{escape(card.title)}</div>'
            f'<div class="card-subtitle">{escape(card.subtitle)}</div><ul>{lines}</ul></div>'
        )
    return Html('<div class="cards">' + "".join(parts) + "</div>")
