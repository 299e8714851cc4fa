"""casa1000: planning studies of the CASA-1000 interconnection.

The package answers how much of the Kyrgyz and Tajik summer surplus the CASA-1000
interconnection can deliver to Pakistan and Afghanistan, hour by hour, what one
outage does to it, and how secure the corridor is.  Layers, from data to users:
``seeds`` (cited reference data) -> ``grid`` (parameter model and pandapower
builder) -> ``profiles`` (hourly inputs) -> ``studies`` -> ``dashboards``;
``cli`` drives them.

The names below are importable from the top level; they load on first use, so
``import casa1000`` stays instant::

    from casa1000 import Scenario, run_study
    result = run_study("seasonal", Scenario(sets=("hvdc.rating_mw=1000",)))
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

try:
    __version__ = version("casa1000")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

_EXPORTS = {
    "InputError": "casa1000.errors",
    "StudyError": "casa1000.errors",
    "GridParams": "casa1000.grid.params",
    "load_reference": "casa1000.grid.reference",
    "load_params": "casa1000.grid.overrides",
    "apply_overrides": "casa1000.grid.overrides",
    "build_net": "casa1000.grid.builder",
    "solve_base_case": "casa1000.grid.solve",
    "ProfileConfig": "casa1000.profiles.config",
    "Hydrology": "casa1000.profiles.config",
    "build_profiles": "casa1000.profiles.build",
    "Scenario": "casa1000.studies.spine.scenario",
    "StudyInputs": "casa1000.studies.spine.scenario",
    "STUDIES": "casa1000.studies.registry",
    "run_study": "casa1000.studies.registry",
    "write_result": "casa1000.studies.spine.runner",
    "read_result": "casa1000.studies.spine.runner",
    "read_result_set": "casa1000.studies.spine.runner",
}
"""Public name -> module that defines it."""

__all__ = [
    "STUDIES",
    "GridParams",
    "Hydrology",
    "InputError",
    "ProfileConfig",
    "Scenario",
    "StudyError",
    "StudyInputs",
    "__version__",
    "apply_overrides",
    "build_net",
    "build_profiles",
    "load_params",
    "load_reference",
    "read_result",
    "read_result_set",
    "run_study",
    "solve_base_case",
    "write_result",
]

if TYPE_CHECKING:
    from casa1000.errors import InputError, StudyError
    from casa1000.grid.builder import build_net
    from casa1000.grid.overrides import apply_overrides, load_params
    from casa1000.grid.params import GridParams
    from casa1000.grid.reference import load_reference
    from casa1000.grid.solve import solve_base_case
    from casa1000.profiles.build import build_profiles
    from casa1000.profiles.config import Hydrology, ProfileConfig
    from casa1000.studies.registry import STUDIES, run_study
    from casa1000.studies.spine.runner import read_result, read_result_set, write_result
    from casa1000.studies.spine.scenario import Scenario, StudyInputs


def __getattr__(name: str) -> object:
    """Load a public name from its module on first use (PEP 562)."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'casa1000' has no attribute {name!r}")
