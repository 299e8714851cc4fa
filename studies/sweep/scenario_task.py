"""One scenario of a sweep as one task: run its studies, write its files, never raise.

A task runs on a Dask worker (or in-process).  It loads its scenario, runs each
study through the runner (:func:`~casa1000.studies.spine.runner.execute`, with
upstream results in memory for studies that need them) and writes each result
with :func:`~casa1000.studies.spine.runner.write_result` into its own folder
``scenarios/<key>/``.  Nothing hourly travels back to the client: the task
returns a :class:`ScenarioOutcome` of a few hundred bytes.

Last, the task writes ``scenario.json``, the scenario's marker: its status, its
parameters, the SHA-256 of every study manifest and the run facts.  A scenario
that fails -- a combination the network refuses, a value out of range, a solver
that raises -- writes a marker with status ``failed``, its parameters and the
error, and returns; the other scenarios are not affected.  A resumed sweep
trusts a scenario only through a ``done`` marker whose manifests are unchanged
(:func:`finished`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import xarray as xr
from xarray.backends.locks import SerializableLock

from casa1000.studies.spine.results_io import sha256_of, write_json
from casa1000.studies.spine.run_facts import peak_memory_mb
from casa1000.studies.sweep.axes import SweepBase, SweepPoint

MARKER = "scenario.json"
"""The file a task writes last in its scenario folder."""

FILE_LOCK = SerializableLock(token="casa1000-sweep-netcdf")
"""Serialises every NetCDF read and write of the sweep within one process.

HDF5, under NetCDF-4, is not safe to use from two threads at once: two tasks
writing their results concurrently, or two files opened at once, crash the
interpreter (seen with the ``threads`` scheduler).  Threads of one process --
the threaded scheduler, a multi-threaded Dask worker -- take turns; processes
do not share it.  A serialisable lock with a fixed token, so that the copy a
worker unpickles from a task graph is the same lock as its own."""


class ScenarioStatus(StrEnum):
    """How a scenario of a sweep ended."""

    DONE = "done"
    FAILED = "failed"
    RESUMED = "resumed"
    """Finished by an earlier run of the sweep; not run again."""


@dataclass(frozen=True, kw_only=True)
class ScenarioTask:
    """What one task needs: small and picklable, shipped to a worker.

    Parameters
    ----------
    key
        Identity of the scenario's results (:meth:`SweepPlan.key`).
    point
        The scenario's name and axis values.
    base
        What every scenario of the sweep shares.
    studies
        Studies to run, upstream studies first.
    configs
        Settings of each study, by name.
    folder
        Where the task writes (``<sweep>/scenarios/<key>``); on a shared file
        system when the workers run on other machines.
    """

    key: str
    point: SweepPoint
    base: SweepBase
    studies: tuple[str, ...]
    configs: Mapping[str, object]
    folder: Path


@dataclass(frozen=True, kw_only=True)
class ScenarioOutcome:
    """What a task reports back (no hourly data).

    Parameters
    ----------
    key, name, values
        The scenario.
    status
        How it ended.
    error
        For a failed scenario, the error in one line.
    wall_time_s
        Time of the task [s].
    peak_memory_mb
        Peak resident memory of the worker process at the end of the task [MB].
    worker
        ``host:pid`` of the process that ran it.
    """

    key: str
    name: str
    values: tuple[tuple[str, str], ...]
    status: ScenarioStatus
    error: str = ""
    wall_time_s: float = 0.0
    peak_memory_mb: float = 0.0
    worker: str = ""

    @property
    def ok(self) -> bool:
        """Whether the scenario has results (run now or earlier)."""
        return self.status is not ScenarioStatus.FAILED

    def describe(self) -> str:
        """One line: the scenario, its parameters and how it ended."""
        params = ", ".join(f"{k}={v}" for k, v in self.values) or "no axes"
        text = f"{self.name!r} ({params}): {self.status.value}"
        return f"{text}: {self.error}" if self.error else text


def run_scenario(task: ScenarioTask) -> ScenarioOutcome:
    """Run every study of one scenario and write its files; report failure, never raise.

    Parameters
    ----------
    task
        The scenario and its studies.

    Returns
    -------
    ScenarioOutcome
        ``done``, or ``failed`` with the error.
    """
    from casa1000.studies.registry import study_spec
    from casa1000.studies.spine.runner import execute, write_result

    started = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    marker = task.folder / MARKER
    manifests: dict[str, str] = {}
    try:
        task.folder.mkdir(parents=True, exist_ok=True)
        marker.unlink(missing_ok=True)  # a killed re-run must not leave the old verdict
        inputs = task.point.scenario(task.base).load()
        results: dict[str, xr.Dataset] = {}
        for name in task.studies:
            spec = study_spec(name)
            # every earlier result: a study may use optional ones besides those it needs
            result = execute(
                spec, dataclasses.replace(inputs, results=dict(results)), task.configs[name]
            )
            with FILE_LOCK:
                written = write_result(spec, result, task.folder)
            manifests[name] = sha256_of(written.manifest)
            results[name] = result.dataset
    except Exception as exc:  # isolation: any failure belongs to this scenario alone
        outcome = _outcome(task, ScenarioStatus.FAILED, started, worker, error=_one_line(exc))
        _write_marker(task, outcome, manifests, traceback.format_exc(limit=6))
        return outcome
    outcome = _outcome(task, ScenarioStatus.DONE, started, worker)
    _write_marker(task, outcome, manifests, "")
    return outcome


def finished(task: ScenarioTask) -> bool:
    """Whether an earlier run left complete, unchanged results of this task.

    The marker must say ``done`` for this key and these studies, each study's
    manifest must be the one the marker recorded, and every file a manifest lists
    must exist with its recorded size.  (Checksums of the data files are not
    recomputed: that would read every result of a large sweep again.)
    """
    marker = task.folder / MARKER
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
        if record.get("status") != ScenarioStatus.DONE or record.get("key") != task.key:
            return False
        recorded = record["manifests"]
        if set(recorded) != set(task.studies):
            return False
        for name, digest in recorded.items():
            manifest = task.folder / f"{name}.manifest.json"
            if sha256_of(manifest) != digest:
                return False
            files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
            for file_name, entry in files.items():
                if (task.folder / file_name).stat().st_size != entry["bytes"]:
                    return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


def resumed_outcome(task: ScenarioTask) -> ScenarioOutcome:
    """Return the outcome of a task finished by an earlier run (its recorded facts)."""
    try:
        run = json.loads((task.folder / MARKER).read_text(encoding="utf-8")).get("run", {})
    except (OSError, ValueError):
        run = {}
    return ScenarioOutcome(
        key=task.key,
        name=task.point.name,
        values=task.point.values,
        status=ScenarioStatus.RESUMED,
        wall_time_s=float(run.get("wall_time_s", 0.0)),
        peak_memory_mb=float(run.get("peak_memory_mb", 0.0)),
        worker=str(run.get("worker", "")),
    )


def lost_outcome(task: ScenarioTask, exc: BaseException) -> ScenarioOutcome:
    """Return the outcome of a task whose worker died or could not run it."""
    return ScenarioOutcome(
        key=task.key,
        name=task.point.name,
        values=task.point.values,
        status=ScenarioStatus.FAILED,
        error=f"the task did not complete on its worker ({_one_line(exc)})",
    )


def _outcome(
    task: ScenarioTask, status: ScenarioStatus, started: float, worker: str, *, error: str = ""
) -> ScenarioOutcome:
    return ScenarioOutcome(
        key=task.key,
        name=task.point.name,
        values=task.point.values,
        status=status,
        error=error,
        wall_time_s=round(time.perf_counter() - started, 3),
        peak_memory_mb=round(peak_memory_mb(), 1),
        worker=worker,
    )


def _write_marker(
    task: ScenarioTask, outcome: ScenarioOutcome, manifests: Mapping[str, str], trace: str
) -> None:
    from casa1000.studies.spine.study import config_json

    record = {
        "key": task.key,
        "name": task.point.name,
        "values": dict(task.point.values),
        "status": outcome.status.value,
        "error": outcome.error,
        "traceback": trace,
        "studies": {n: json.loads(config_json(task.configs[n])) for n in task.studies},
        "manifests": dict(manifests),
        "run": {
            "wall_time_s": outcome.wall_time_s,
            "peak_memory_mb": outcome.peak_memory_mb,
            "worker": outcome.worker,
        },
    }
    try:
        write_json(record, task.folder / MARKER)
    except Exception:  # a marker that cannot be written leaves the scenario unfinished
        return


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "no message"
    return f"{type(exc).__name__}: {text}"
