"""Studies on the grid model driven by profiles.

Rooms by role:

* :mod:`~casa1000.studies.engine` -- the numeric engine: batch AC load flow of
  many hours (:mod:`.engine.batch_ac`) and of hours x contingencies
  (:mod:`.engine.contingency_sweep`);
* :mod:`~casa1000.studies.security` -- the security model: limits, the
  contingency set, what the system does after an outage;
* :mod:`~casa1000.studies.spine` -- shared plumbing: scenario, hour selection,
  the profile-to-schedule bridge, declared schemas, the study declaration, the
  runner and result files;
* the studies, one module each with config, run, schema and a ``SPEC``
  (``seasonal``, ``contingency``, ``transfer_capability``) and their tables;
* :mod:`~casa1000.studies.registry` -- every study by name, and ``run_study``;
* :mod:`~casa1000.studies.benchmarks` -- apart; nothing imports them.
"""

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "STUDIES": "casa1000.studies.registry",
    "run_study": "casa1000.studies.registry",
    "study_spec": "casa1000.studies.registry",
    "Scenario": "casa1000.studies.spine.scenario",
    "StudyInputs": "casa1000.studies.spine.scenario",
    "StudyResult": "casa1000.studies.spine.study",
    "StudySpec": "casa1000.studies.spine.study",
    "execute": "casa1000.studies.spine.runner",
    "write_result": "casa1000.studies.spine.runner",
    "read_result": "casa1000.studies.spine.runner",
    "read_result_set": "casa1000.studies.spine.runner",
    "SeasonalConfig": "casa1000.studies.seasonal",
    "ContingencyConfig": "casa1000.studies.contingency",
    "TransferConfig": "casa1000.studies.transfer_capability",
    "Limits": "casa1000.studies.security.limits",
}
__all__ = [
    "STUDIES",
    "ContingencyConfig",
    "Limits",
    "Scenario",
    "SeasonalConfig",
    "StudyInputs",
    "StudyResult",
    "StudySpec",
    "TransferConfig",
    "execute",
    "read_result",
    "read_result_set",
    "run_study",
    "study_spec",
    "write_result",
]

if TYPE_CHECKING:
    from casa1000.studies.contingency import ContingencyConfig
    from casa1000.studies.registry import STUDIES, run_study, study_spec
    from casa1000.studies.seasonal import SeasonalConfig
    from casa1000.studies.security.limits import Limits
    from casa1000.studies.spine.runner import execute, read_result, read_result_set, write_result
    from casa1000.studies.spine.scenario import Scenario, StudyInputs
    from casa1000.studies.spine.study import StudyResult, StudySpec
    from casa1000.studies.transfer_capability import TransferConfig


def __getattr__(name: str) -> object:
    """Load a public name from its module on first use (PEP 562)."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'casa1000.studies' has no attribute {name!r}")
