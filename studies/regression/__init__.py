"""Automated regression studies: a named suite, baselines, tolerances and a gate.

Teams change the model, the data and the code; the suite says what moved and
whether it was meant to.  Pieces, each a module:

* :mod:`.suite` -- the suite file (TOML): entries naming a scenario, a
  registered study, its settings, and the metrics and series compared with
  their tolerances; validated against the registry and each study's schema;
* :mod:`.settings` -- an entry's settings onto the study's config dataclass;
* :mod:`.expressions` -- the small, safe metric language over a result;
* :mod:`.measure` -- runs an entry through the study runner and measures it;
* :mod:`.baselines` -- one compact, text-diffable JSON file per entry;
* :mod:`.compare` -- checks with absolute and relative tolerances;
* :mod:`.gate` -- :func:`run_suite` and :func:`update_suite`;
* :mod:`.changelog` -- what moved, why, on which code and data;
* :mod:`.junit` -- JUnit XML for CI.

The HTML report is :mod:`casa1000.dashboards.regression_report` (plotly lives in
``dashboards``); the commands are ``casa1000 regress run|update|list``.
"""

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "DEFAULT_SUITE": "casa1000.studies.regression.suite",
    "Suite": "casa1000.studies.regression.suite",
    "SuiteEntry": "casa1000.studies.regression.suite",
    "Tolerance": "casa1000.studies.regression.suite",
    "read_suite": "casa1000.studies.regression.suite",
    "Measurement": "casa1000.studies.regression.measure",
    "Check": "casa1000.studies.regression.compare",
    "Status": "casa1000.studies.regression.compare",
    "SuiteReport": "casa1000.studies.regression.gate",
    "UpdateReport": "casa1000.studies.regression.gate",
    "run_suite": "casa1000.studies.regression.gate",
    "update_suite": "casa1000.studies.regression.gate",
    "write_junit": "casa1000.studies.regression.junit",
}
__all__ = [
    "DEFAULT_SUITE",
    "Check",
    "Measurement",
    "Status",
    "Suite",
    "SuiteEntry",
    "SuiteReport",
    "Tolerance",
    "UpdateReport",
    "read_suite",
    "run_suite",
    "update_suite",
    "write_junit",
]

if TYPE_CHECKING:
    from casa1000.studies.regression.compare import Check, Status
    from casa1000.studies.regression.gate import (
        SuiteReport,
        UpdateReport,
        run_suite,
        update_suite,
    )
    from casa1000.studies.regression.junit import write_junit
    from casa1000.studies.regression.measure import Measurement
    from casa1000.studies.regression.suite import (
        DEFAULT_SUITE,
        Suite,
        SuiteEntry,
        Tolerance,
        read_suite,
    )


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
