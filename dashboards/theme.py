"""Colours, axis titles and escaping shared by every figure of the dashboards.

Colour-blind safety: categories take the Okabe-Ito palette [1]_, continuous
values the perceptually uniform viridis / cividis scales [2]_ (readable with
the common colour-vision deficiencies and in grey-scale print).

Text: element and scenario names are data.  plotly renders its text, hover
text, titles and category tick labels as a small subset of HTML (``<b>``,
``<br>``, ``<a>``), so every name that goes into a figure passes through
:func:`plot_text`, which escapes it; plotly turns the entities back into the
characters on screen.

References
----------
.. [1] M. Okabe and K. Ito, "Color Universal Design (CUD): how to make figures
   and presentations that are friendly to colorblind people", 2002.
.. [2] J. R. Nuñez, C. R. Anderton and R. S. Renslow, "Optimizing colormaps
   with consideration for color vision deficiency", PLOS ONE 13(7), 2018.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import plotly.graph_objects as go

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Categorical colours, most distinct first."""

SEQUENTIAL = "Viridis"
"""Continuous scale of magnitudes (flows, capabilities, severities)."""
LOADING_SCALE = "Cividis"
"""Continuous scale of loadings and voltages on the map."""
GRID_GREY = "#d0d0d0"
BORDER_GREY = "#9a9a9a"

TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": "Helvetica, Arial, sans-serif", "size": 12, "color": "#222"},
        "colorway": list(OKABE_ITO),
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 70, "r": 30, "t": 60, "b": 60},
        "xaxis": {"gridcolor": "#eeeeee", "linecolor": "#888", "zeroline": False},
        "yaxis": {"gridcolor": "#eeeeee", "linecolor": "#888", "zeroline": False},
        "legend": {"bgcolor": "rgba(255,255,255,0.8)"},
        "hoverlabel": {"namelength": -1},
    }
)
"""A small template (plotly's default one adds about 10 kB to every figure)."""


def plot_text(value: object) -> str:
    """Escape a name for any text plotly renders (text, hover, titles, tick labels).

    Examples
    --------
    >>> plot_text("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return html.escape(str(value), quote=True)


def plot_texts(values: Iterable[object]) -> list[str]:
    """Escape every name of a sequence (see :func:`plot_text`)."""
    return [plot_text(v) for v in values]


def axis_title(quantity: str, unit: str) -> str:
    """Return an axis title with its unit in brackets.

    Examples
    --------
    >>> axis_title("delivered energy", "GWh")
    'delivered energy [GWh]'
    """
    return f"{quantity} [{unit}]"


def titled(fig: go.Figure, title: str, *, height: int = 420) -> go.Figure:
    """Apply the template, a title (already escaped where it holds names) and a height."""
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "x": 0.01, "xanchor": "left"},
        height=height,
    )
    # long element names must push the plot aside, not be cut off
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig
