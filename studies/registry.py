"""Every study of casa1000, by name.

This is the one list the command line, the regression suite, the dashboards and
the sweeps read.

Adding a study means writing its module -- config, run, declared schema, tables
and a :class:`~casa1000.studies.spine.study.StudySpec` named ``SPEC`` -- and
adding that spec here.
"""

from __future__ import annotations

from typing import Any

from casa1000.errors import InputError
from casa1000.studies import contingency, seasonal, transfer_capability
from casa1000.studies.indicators import study as indicators
from casa1000.studies.spine.runner import execute
from casa1000.studies.spine.scenario import Scenario, StudyInputs
from casa1000.studies.spine.study import Progress, StudyResult, StudySpec

STUDIES: dict[str, StudySpec[Any]] = {
    spec.name: spec
    for spec in (seasonal.SPEC, contingency.SPEC, transfer_capability.SPEC, indicators.SPEC)
}
"""Study name -> its declaration, in the order a full run takes them."""


def study_spec(name: str) -> StudySpec[Any]:
    """Return the declaration of study ``name``.

    Raises
    ------
    InputError
        For a name that is not registered.
    """
    try:
        return STUDIES[name]
    except KeyError:
        raise InputError("study", "name", name, "one of " + ", ".join(STUDIES)) from None


def run_study(
    name: str,
    inputs: Scenario | StudyInputs | None = None,
    config: object | None = None,
    *,
    progress: Progress | None = None,
) -> StudyResult:
    """Run a registered study in Python, as the command line does.

    Parameters
    ----------
    name
        Study name (see :data:`STUDIES`).
    inputs
        A :class:`~casa1000.studies.spine.scenario.Scenario` (loaded here), ready
        :class:`~casa1000.studies.spine.scenario.StudyInputs`, or None for the
        reference scenario (as built, 2027, normal hydrology).
    config
        The study's settings; its defaults when None.
    progress
        Called with a stage name and the fraction done.

    Returns
    -------
    StudyResult
        The dataset and the facts of the run.

    Raises
    ------
    InputError
        For an unknown study, bad inputs or settings.

    Examples
    --------
    >>> from casa1000.studies.seasonal import SeasonalConfig
    >>> result = run_study("seasonal", config=SeasonalConfig(months=(7,)))
    >>> round(float(result.dataset.delivered_mw.sum()) / 1e3)  # GWh delivered in July
    947
    """
    spec = study_spec(name)
    if inputs is None:
        inputs = Scenario()
    loaded = inputs.load() if isinstance(inputs, Scenario) else inputs
    return execute(spec, loaded, config, progress=progress)
