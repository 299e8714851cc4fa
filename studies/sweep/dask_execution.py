"""Where the scenarios of a sweep run: in-process, a local Dask cluster, or an existing one.

``scheduler`` chooses:

* ``synchronous`` -- one task after another in this process (Dask's
  synchronous scheduler); the easiest to debug;
* ``local`` (default) -- a :class:`distributed.LocalCluster` of ``workers``
  single-threaded worker processes, started and stopped with the sweep;
* ``tcp://HOST:PORT`` (any scheduler address) -- an existing cluster; for
  dask-jobqueue or Kubernetes start the cluster there and pass its scheduler
  address.  Its workers need casa1000 installed and must see the sweep's
  output folder (a shared file system): each task writes its own results there.

No scheduler runs two tasks as threads of one process: HDF5, under the
NetCDF-4 result files, is not thread-safe, and two studies writing or reading
their files from two threads crashed the interpreter (Dask's threaded scheduler,
a ``processes=False`` cluster).  Workers of an existing cluster should be
started with one thread each (``dask worker --nthreads 1``; a warning says when
they are not); the sweep's own reads and writes take a process-wide lock
(:data:`~.scenario_task.FILE_LOCK`), which makes several threads safer, not
safe.

Inside the session the same scheduler also runs the combination of the results
(:mod:`casa1000.studies.sweep.combine`), so on a cluster the chunks are read
and written by the workers, not by this process.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casa1000.errors import InputError
from casa1000.studies.sweep.scenario_task import (
    ScenarioOutcome,
    ScenarioTask,
    lost_outcome,
    run_scenario,
)

log = logging.getLogger("casa1000")

LOCAL_SCHEDULERS = ("synchronous", "local")
"""Scheduler names that start nothing outside this machine."""

CONNECT_TIMEOUT = "20s"
"""How long to try reaching an existing scheduler."""

SCHEDULER_HELP = "synchronous, local, or a scheduler address such as tcp://host:8786"

OnDone = Callable[[ScenarioOutcome], None]
"""Called in this process as each scenario finishes."""


@dataclass(frozen=True, kw_only=True)
class Session:
    """An open Dask scheduler that runs scenario tasks.

    Parameters
    ----------
    scheduler
        What was asked for (see the module docstring).
    workers
        Worker processes (on an existing cluster: how many it had at the start).
    description
        One line for the log, e.g. ``LocalCluster, 2 worker processes``.
    client
        The :class:`distributed.Client`, or None for the in-process schedulers.
    """

    scheduler: str
    workers: int
    description: str
    client: object | None = None

    def run(
        self, tasks: Sequence[ScenarioTask], on_done: OnDone | None = None
    ) -> list[ScenarioOutcome]:
        """Run every task; return their outcomes in the order of ``tasks``.

        A task whose worker dies (or that the cluster cannot run) is reported
        as failed with its parameters; the others complete.
        """
        report = on_done or _ignore
        if not tasks:
            return []
        if self.client is None:
            return self._run_local(tasks, report)
        return self._run_distributed(tasks, report)

    def _run_local(self, tasks: Sequence[ScenarioTask], report: OnDone) -> list[ScenarioOutcome]:
        dask = _module("dask")
        outcomes = []
        for task in tasks:  # one at a time, each through Dask's synchronous scheduler
            delayed = dask.delayed(run_scenario, pure=False)(
                task, dask_key_name=f"scenario-{task.key}"
            )
            (result,) = dask.compute(delayed, scheduler="synchronous")
            outcome = result if isinstance(result, ScenarioOutcome) else _not_outcome(task, result)
            report(outcome)
            outcomes.append(outcome)
        return outcomes

    def _run_distributed(
        self, tasks: Sequence[ScenarioTask], report: OnDone
    ) -> list[ScenarioOutcome]:
        distributed = _module("distributed")
        client: Any = self.client
        futures = client.map(
            run_scenario, tasks, key=[f"casa1000-scenario-{t.key}" for t in tasks], pure=False
        )
        task_of = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        outcomes: dict[str, ScenarioOutcome] = {}
        for future in distributed.as_completed(futures):
            task = task_of[future.key]
            try:
                result = future.result()
            except Exception as exc:  # a dead worker or an unpicklable task: this scenario only
                result = lost_outcome(task, exc)
            outcome = result if isinstance(result, ScenarioOutcome) else _not_outcome(task, result)
            outcomes[task.key] = outcome
            future.release()
            report(outcome)
        return [outcomes[t.key] for t in tasks]


@contextlib.contextmanager
def dask_session(
    scheduler: str = "local",
    workers: int = 2,
    *,
    folder: Path | None = None,
) -> Iterator[Session]:
    """Open the scheduler a sweep runs on, and close what it started.

    Parameters
    ----------
    scheduler
        ``synchronous``, ``local`` or a scheduler address.
    workers
        Worker processes of a local cluster; ignored for the others.
    folder
        The sweep's output folder; on an existing cluster a worker checks that
        it can write there before any task is sent.

    Yields
    ------
    Session
        Runs the tasks; the same scheduler is Dask's default inside the block.

    Raises
    ------
    InputError
        For an unknown scheduler, a bad worker count, an unreachable cluster,
        or workers that cannot write into ``folder``.
    """
    dask = _module("dask")

    if not 1 <= workers <= 1024:
        raise InputError("--workers", "workers", workers, "1 to 1024")
    if scheduler == "synchronous":
        with dask.config.set(scheduler="synchronous"):
            yield Session(
                scheduler=scheduler, workers=1, description="in-process, one task at a time"
            )
        return
    distributed = _module("distributed")
    if scheduler == "local":
        with (
            distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address="127.0.0.1:0",  # a free port, never 8787 (taken by others)
                silence_logs=logging.ERROR,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield Session(
                scheduler=scheduler,
                workers=workers,
                description=f"Dask LocalCluster, {workers} worker processes",
                client=client,
            )
        return
    if "://" not in scheduler:
        raise InputError("--scheduler", "scheduler", scheduler, SCHEDULER_HELP)
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise InputError(
            "--scheduler", "scheduler", scheduler, f"a reachable Dask scheduler ({exc})"
        ) from None
    with client:
        if folder is not None:
            _check_workers(client, scheduler, folder)
        workers_info = client.scheduler_info().get("workers", {})
        count = len(workers_info)
        threaded = sum(1 for w in workers_info.values() if int(w.get("nthreads", 1)) > 1)
        if threaded:
            log.warning(
                "%d of %d workers run several threads: HDF5 is not thread-safe, start them "
                "with --nthreads 1 (the sweep serialises its own file access per process)",
                threaded,
                count,
            )
        yield Session(
            scheduler=scheduler,
            workers=count,
            description=f"Dask cluster at {scheduler}, {count} workers now",
            client=client,
        )


def _check_workers(client: Any, scheduler: str, folder: Path) -> None:
    """Ask one worker whether it has casa1000 and can write the sweep folder."""
    try:
        future = client.submit(worker_probe, str(folder), pure=False)
        version, writable = future.result(timeout=120)
    except Exception as exc:
        raise InputError(
            "--scheduler",
            "scheduler",
            scheduler,
            f"workers with casa1000 installed ({type(exc).__name__}: {exc})",
        ) from None
    if not writable:
        raise InputError(
            "--out",
            "out",
            str(folder),
            f"a folder the workers of {scheduler} can write (a shared file system)",
        )
    import casa1000

    if version != casa1000.__version__:
        log.warning("workers run casa1000 %s, this process %s", version, casa1000.__version__)


def worker_probe(folder: str) -> tuple[str, bool]:
    """On a worker: the casa1000 version and whether ``folder`` is writable there."""
    import os

    import casa1000

    return casa1000.__version__, os.path.isdir(folder) and os.access(folder, os.W_OK)


def _module(name: str) -> Any:
    """Import a Dask module on first use (they are heavy, and only partly typed)."""
    return importlib.import_module(name)


def _not_outcome(task: ScenarioTask, result: object) -> ScenarioOutcome:
    return lost_outcome(task, TypeError(f"the task returned {type(result).__name__}"))


def _ignore(outcome: ScenarioOutcome) -> None:
    """Report nothing."""
