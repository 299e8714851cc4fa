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
from casa1000.studies.spine.study import StudySpec

STUDIES: dict[str, StudySpec[Any]] = {
    spec.name: spec for spec in (seasonal.SPEC, contingency.SPEC, transfer_capability.SPEC)
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
