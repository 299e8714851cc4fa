"""The one way to run a study, write its files and read them back.

:func:`execute` runs a :class:`~casa1000.studies.spine.study.StudySpec` on
:class:`~casa1000.studies.spine.scenario.StudyInputs`, stamps the scenario and
settings on the result, validates it against the declared schema and keeps the
run facts apart.  :func:`write_result` writes the data, the tables and, last,
the manifest; :func:`read_result` reads them back only through that manifest,
and :func:`read_result_set` refuses results that come from different scenarios.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import xarray as xr

import casa1000
from casa1000.errors import InputError
from casa1000.profiles.dataset import validate_profiles
from casa1000.studies.spine.results_io import (
    read_netcdf,
    remove_stale_temporaries,
    sha256_of,
    write_json,
    write_netcdf,
    write_table,
)
from casa1000.studies.spine.run_facts import peak_memory_mb
from casa1000.studies.spine.scenario import StudyInputs
from casa1000.studies.spine.study import (
    RUN_FACT_PREFIX,
    ConfigT,
    Progress,
    RunFacts,
    StudyResult,
    StudySpec,
    config_json,
)

log = logging.getLogger("casa1000")

MANIFEST_VERSION = 1
SCENARIO_KEYS = ("parameter_hash", "profile_hash")
"""Attributes that must agree between the results of one set."""


def execute(
    spec: StudySpec[ConfigT],
    inputs: StudyInputs,
    config: ConfigT | None = None,
    *,
    progress: Progress | None = None,
) -> StudyResult:
    """Run one study.

    Parameters
    ----------
    spec
        The study.
    inputs
        Scenario, network, profiles and (for studies that need them) other results.
    config
        Settings; the spec's defaults when None.
    progress
        Called with a stage name and the fraction done.

    Returns
    -------
    StudyResult
        The result, validated against the spec's schema, with the scenario and
        settings in its attributes, and the run facts apart.

    Raises
    ------
    InputError
        For bad profiles, a missing upstream result or bad settings.
    """
    chosen = spec.config_type() if config is None else config
    if not isinstance(chosen, spec.config_type):
        raise TypeError(f"{spec.name} takes a {spec.config_type.__name__}")
    missing = [name for name in spec.needs if name not in inputs.results]
    if missing:
        raise InputError(
            f"study {spec.name}", "results", missing[0], f"a {missing[0]} result to build on"
        )
    # a Python caller may study chosen hours; files and builds are whole years
    validate_profiles(
        inputs.profiles,
        where=f"profiles of scenario {inputs.scenario.name!r}",
        whole_year=False,
    )
    created = datetime.now(UTC).isoformat(timespec="seconds")
    started = time.perf_counter()
    ds = spec.run(inputs, chosen, progress or _silent)
    wall = time.perf_counter() - started
    extra = {
        key[len(RUN_FACT_PREFIX) :]: ds.attrs.pop(key)
        for key in list(ds.attrs)
        if key.startswith(RUN_FACT_PREFIX)
    }
    ds.attrs.update(spec.schema.header())
    ds.attrs.update(inputs.scenario.attrs(inputs.params, inputs.profiles))
    ds.attrs["config"] = config_json(chosen)
    ds.attrs["casa1000_version"] = casa1000.__version__
    spec.schema.validate(ds)
    facts = RunFacts(
        created=created,
        wall_time_s=round(wall, 3),
        peak_memory_mb=round(peak_memory_mb(), 1),
        casa1000_version=casa1000.__version__,
        extra=extra,
    )
    return StudyResult(study=spec.name, dataset=ds, facts=facts)


def _silent(stage: str, done: float) -> None:
    """Progress callback that reports nothing."""


@dataclass(frozen=True, kw_only=True)
class Written:
    """The files one run wrote, the manifest last."""

    data: Path
    tables: Mapping[str, Path]
    manifest: Path


def write_result(spec: StudySpec[Any], result: StudyResult, folder: Path) -> Written:
    """Write a result's data, tables and manifest into ``folder``.

    The study's old manifest goes first, the manifest of this run last, so a run
    killed in between leaves files that :func:`read_result` refuses.

    Raises
    ------
    InputError
        If a file cannot be written (nothing half-written is left behind).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for path in remove_stale_temporaries(folder):
        log.warning("removed %s, left by a run that was killed", path)
    manifest = folder / f"{spec.name}.manifest.json"
    try:
        manifest.unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(str(manifest), "file", str(manifest), f"a writable file ({exc})") from None
    data = write_netcdf(result.dataset, folder / f"{spec.name}.nc")
    tables = {
        name: write_table(frame, folder / f"{spec.name}_{name}.csv")
        for name, frame in spec.tables(result.dataset).items()
    }
    ds = result.dataset
    files = {
        p.name: {"sha256": sha256_of(p), "bytes": p.stat().st_size}
        for p in (data, *tables.values())
    }
    write_json(
        {
            "manifest_version": MANIFEST_VERSION,
            "study": spec.name,
            "schema_version": spec.schema.version,
            "scenario": {
                k: ds.attrs[k]
                for k in (
                    "scenario",
                    "variant",
                    "overrides",
                    "parameter_hash",
                    "profile_hash",
                    "profile_year",
                    "profile_hydrology",
                    "profile_source",
                    "profile_export_rule",
                )
            },
            "config": json.loads(str(ds.attrs["config"])),
            "files": files,
            "run": result.facts.to_dict(),
        },
        manifest,
    )
    return Written(data=data, tables=tables, manifest=manifest)


def read_manifest(folder: Path, study: str) -> dict[str, object]:
    """Read and verify the manifest of ``study`` in ``folder``.

    Raises
    ------
    InputError
        If the manifest is missing or unreadable, or a file it lists is missing
        or differs from what the run wrote.
    """
    path = folder / f"{study}.manifest.json"
    if not path.is_file():
        raise InputError(
            str(path),
            "manifest",
            "missing",
            f"the manifest a complete run of {study} writes last (re-run the study)",
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(str(path), "manifest", "unreadable", "a casa1000 manifest") from None
    for name, entry in files.items():
        target = folder / name
        if not target.is_file():
            raise InputError(str(target), "file", "missing", f"the file listed in {path.name}")
        if sha256_of(target) != entry.get("sha256"):
            raise InputError(
                str(target),
                "sha256",
                "differs",
                f"the file written with {path.name} (it belongs to another run; re-run {study})",
            )
    manifest_dict: dict[str, object] = manifest
    return manifest_dict


def read_result(spec: StudySpec[Any], folder: Path) -> StudyResult:
    """Read the result of ``spec`` from ``folder``, through its manifest.

    Raises
    ------
    InputError
        If the manifest or a file is missing, corrupt, from another run, or the
        data do not follow the schema.
    """
    manifest = read_manifest(folder, spec.name)
    path = folder / f"{spec.name}.nc"
    ds = read_netcdf(path)
    spec.schema.validate(ds, where=str(path))
    run = manifest.get("run", {})
    facts_in = dict(run) if isinstance(run, dict) else {}
    base = {k: facts_in.pop(k, None) for k in ("created", "wall_time_s", "peak_memory_mb")}
    version = str(facts_in.pop("casa1000_version", ""))
    facts = RunFacts(
        created=str(base["created"]),
        wall_time_s=float(str(base["wall_time_s"] or "nan")),
        peak_memory_mb=float(str(base["peak_memory_mb"] or "nan")),
        casa1000_version=version,
        extra=facts_in,
    )
    return StudyResult(study=spec.name, dataset=ds, facts=facts)


def read_result_set(
    specs: Iterable[StudySpec[Any]], folder: Path, *, required: bool = True
) -> dict[str, xr.Dataset]:
    """Read several studies' results from one folder and check they belong together.

    Parameters
    ----------
    specs
        The studies to read.
    folder
        The results folder.
    required
        Raise when one is missing; otherwise skip it.

    Returns
    -------
    dict
        Study name -> dataset.

    Raises
    ------
    InputError
        If a result is missing (when required) or unreadable, or two results ran
        on different networks or profiles (a mixed set).
    """
    out: dict[str, xr.Dataset] = {}
    for spec in specs:
        manifest = folder / f"{spec.name}.manifest.json"
        if not required and not manifest.exists() and not (folder / f"{spec.name}.nc").exists():
            continue
        out[spec.name] = read_result(spec, folder).dataset
    names = list(out)
    for other in names[1:]:
        for key in SCENARIO_KEYS:
            if out[other].attrs.get(key) != out[names[0]].attrs.get(key):
                raise InputError(
                    str(folder / f"{other}.nc"),
                    key,
                    out[other].attrs.get(key),
                    f"the {key} of {names[0]}.nc ({out[names[0]].attrs.get(key)}): "
                    "results of one set must come from one scenario",
                )
    return out
