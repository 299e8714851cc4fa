"""Result folders as the dashboards see them: read through the runner, labelled for display.

Every dataset comes from :func:`casa1000.studies.spine.runner.read_result_set`
over the registered studies (:data:`casa1000.studies.registry.STUDIES`), so a
folder with a missing manifest, a file from another run or results of
different scenarios is refused with the runner's one-line error, and a study
registered later (indicators, ...) is picked up without code here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import xarray as xr

from casa1000.errors import InputError


@dataclass(frozen=True, kw_only=True)
class ResultSet:
    """The results of one folder (one scenario).

    Parameters
    ----------
    folder
        Where they were read.
    results
        Study name -> dataset, in registry order.
    label
        Short text naming the scenario (raw text: escape it where it is shown).
    """

    folder: Path
    results: Mapping[str, xr.Dataset]
    label: str

    def get(self, study: str) -> xr.Dataset | None:
        """Return the dataset of ``study``, or None when the folder has none."""
        return self.results.get(study)

    @property
    def attrs(self) -> Mapping[str, object]:
        """The scenario attributes (those of the first result; the runner checked they agree)."""
        return next(iter(self.results.values())).attrs

    @property
    def scenario(self) -> str:
        """The scenario name recorded in the results (free text)."""
        return str(self.attrs.get("scenario", ""))


def scenario_label(attrs: Mapping[str, object]) -> str:
    """Return ``name (variant, hydrology hydrology)`` from a result's attributes.

    Examples
    --------
    >>> scenario_label({"scenario": "dry year", "variant": "as_built", "profile_hydrology": "dry"})
    'dry year (as_built, dry hydrology)'
    """
    name = str(attrs.get("scenario", "")) or "unnamed"
    variant = str(attrs.get("variant", ""))
    hydro = str(attrs.get("profile_hydrology", ""))
    details = ", ".join(x for x in (variant, f"{hydro} hydrology" if hydro else "") if x)
    return f"{name} ({details})" if details else name


def read_result_sets(folders: Sequence[Path]) -> tuple[ResultSet, ...]:
    """Read every folder's results through the runner.

    Parameters
    ----------
    folders
        Result folders written by ``casa1000 study ...`` (one scenario each).

    Returns
    -------
    tuple of ResultSet
        In the order given; labels made unique by the folder name when two
        scenarios carry the same label.

    Raises
    ------
    InputError
        If no folder is given, a folder does not exist or holds no result, or
        the runner refuses one (missing manifest, checksum mismatch, results of
        different scenarios, data not following the schema).
    """
    from casa1000.studies.registry import STUDIES
    from casa1000.studies.spine.runner import read_result_set

    if not folders:
        raise InputError("dashboard", "RESULTS_DIR", "none", "at least one results folder")
    sets: list[ResultSet] = []
    for folder in folders:
        if not folder.is_dir():
            raise InputError(str(folder), "RESULTS_DIR", str(folder), "an existing folder")
        results = read_result_set(STUDIES.values(), folder, required=False)
        if not results:
            raise InputError(
                str(folder),
                "results",
                "none",
                "a folder written by casa1000 study (" + ", ".join(STUDIES) + ")",
            )
        sets.append(
            ResultSet(folder=folder, results=results, label=scenario_label(_first(results).attrs))
        )
    labels = [s.label for s in sets]
    return tuple(
        ResultSet(folder=s.folder, results=s.results, label=f"{s.label} [{s.folder.name}]")
        if labels.count(s.label) > 1
        else s
        for s in sets
    )


def _first(results: Mapping[str, xr.Dataset]) -> xr.Dataset:
    return next(iter(results.values()))
