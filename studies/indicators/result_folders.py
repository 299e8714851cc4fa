"""Read a results folder back into the inputs of the indicators study.

A folder written by ``casa1000 study seasonal|contingency|transfer --out DIR``
(or the main job) holds one scenario's results, each with its manifest.  The
scenario recorded in them is rebuilt (:meth:`Scenario.from_attrs`) for the
network and profiles the indicators need, and checked against the recorded
hashes, so indicators are never computed on a network or profiles other than
the ones the results came from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from casa1000.errors import InputError
from casa1000.studies import contingency, seasonal, transfer_capability
from casa1000.studies.spine.provenance import hash_dataset, params_hash
from casa1000.studies.spine.runner import read_result_set
from casa1000.studies.spine.scenario import Scenario, StudyInputs

UPSTREAM = (seasonal.SPEC, contingency.SPEC, transfer_capability.SPEC)
"""Studies whose results the indicators read from a folder (seasonal required)."""


def load_result_set(folder: Path, *, profile_file: Path | None = None) -> StudyInputs:
    """Read a folder's results and rebuild the network and profiles they ran on.

    Parameters
    ----------
    folder
        A results folder with at least a seasonal result.
    profile_file
        The profile file the results were made from, when they were not made
        from a built year.

    Returns
    -------
    StudyInputs
        Scenario, network, profiles and ``results`` (seasonal, and contingency
        and transfer when present).

    Raises
    ------
    InputError
        If the folder has no seasonal result, a result is incomplete or from
        another scenario, or the rebuilt network or profiles differ from the
        ones the results recorded (the seeds changed since: re-run the studies).
    """
    if not folder.is_dir():
        raise InputError(str(folder), "folder", str(folder), "an existing results folder")
    results = read_result_set(UPSTREAM, folder, required=False)
    if "seasonal" not in results:
        raise InputError(
            str(folder),
            "seasonal",
            "missing",
            "a folder with a seasonal result (casa1000 study seasonal --out FOLDER)",
        )
    attrs = results["seasonal"].attrs
    inputs = Scenario.from_attrs(attrs, profile_file=profile_file).load()
    for key, rebuilt, what in (
        ("parameter_hash", params_hash(inputs.params), "network"),
        ("profile_hash", hash_dataset(inputs.profiles), "profiles"),
    ):
        if str(attrs.get(key)) != rebuilt:
            raise InputError(
                str(folder / "seasonal.nc"),
                key,
                attrs.get(key),
                f"the {what} this casa1000 rebuilds from the recorded scenario ({rebuilt}); "
                "the seeds or the model changed since the run: re-run the studies",
            )
    return dataclasses.replace(inputs, results=results)


def set_labels(folders: Sequence[Path]) -> list[str]:
    """Label result folders uniquely: their names, numbered when two share one.

    Examples
    --------
    >>> set_labels([Path("a/dry"), Path("b/dry"), Path("wet")])
    ['dry', 'dry-2', 'wet']
    """
    out: list[str] = []
    for folder in folders:
        base = folder.resolve().name or "results"
        label, n = base, 1
        while label in out:
            n += 1
            label = f"{base}-{n}"
        out.append(label)
    return out
