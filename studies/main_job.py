"""The main job: one scenario through every study, into one folder, in one call.

``casa1000 run`` calls :func:`run_main_job`: it builds (or reads) the profiles
and writes them as ``profiles.nc``, then runs every registered study in the
order of :data:`~casa1000.studies.registry.STUDIES` through the runner
(:func:`~casa1000.studies.spine.runner.execute` and
:func:`~casa1000.studies.spine.runner.write_result`), giving the studies that
need other results those results from memory, then the offline dashboard of the folder
(``dashboard.html``, :mod:`casa1000.dashboards.report`).  Last it writes
``run.manifest.json``: the scenario, each step's time, the SHA-256 of the
profiles and of every study manifest, and the dashboard files.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import xarray as xr

import casa1000
from casa1000.studies.spine.results_io import ensure_writable, sha256_of, write_json
from casa1000.studies.spine.run_facts import peak_memory_mb
from casa1000.studies.spine.runner import Written, execute, write_result
from casa1000.studies.spine.scenario import Scenario, StudyInputs
from casa1000.studies.spine.study import Progress, StudyResult, StudySummary
from casa1000.studies.sweep.axes import with_fields
from casa1000.studies.sweep.dashboard_hook import main_job_dashboard

log = logging.getLogger("casa1000")

PROFILES_FILE = "profiles.nc"
MANIFEST = "run.manifest.json"
HEADLINE_FIRST = "indicators"
"""The study whose headline leads the main job's summary, when registered."""

WEIGHTS = {"inputs": 1.0, "seasonal": 1.0, "contingency": 3.0, "transfer": 5.0, "dashboard": 1.0}
"""Rough share of the job's time per step, for the progress fraction (others: 1)."""


@dataclass(frozen=True, kw_only=True)
class MainJobOptions:
    """What the main job runs.

    Parameters
    ----------
    months
        Months studied by every study (all when empty).
    studies
        Studies to run with their upstream studies; every registered study when None.
    dashboard
        Write the offline dashboard (``dashboard.html``).
    """

    months: tuple[int, ...] = ()
    studies: tuple[str, ...] | None = None
    dashboard: bool = True


@dataclass(frozen=True, kw_only=True)
class MainJobReport:
    """What the main job ran and wrote.

    Parameters
    ----------
    folder
        The results folder.
    profiles
        ``profiles.nc``.
    results
        Study -> result, in run order.
    written
        Study -> its files.
    skipped
        Study -> why it did not run.
    dashboards
        Dashboard files; None when not asked for.
    manifest
        ``run.manifest.json``.
    step_times_s
        Step (``inputs``, each study, ``dashboard``) -> wall time [s].
    wall_time_s
        The whole job [s].
    """

    folder: Path
    profiles: Path
    results: Mapping[str, StudyResult]
    written: Mapping[str, Written]
    skipped: Mapping[str, str]
    dashboards: tuple[Path, ...] | None
    manifest: Path
    step_times_s: Mapping[str, float]
    wall_time_s: float

    def summaries(self, top: int = 5) -> dict[str, StudySummary]:
        """Each study's summary, the indicators' first."""
        from casa1000.studies.registry import study_spec

        names = sorted(self.results, key=lambda n: n != HEADLINE_FIRST)
        return {n: study_spec(n).summary(self.results[n].dataset, top) for n in names}

    def files(self) -> list[Path]:
        """Every file written, the job's manifest last."""
        out = [self.profiles]
        for written in self.written.values():
            out += [written.data, *written.tables.values(), written.manifest]
        return [*out, *(self.dashboards or ()), self.manifest]


def run_main_job(
    scenario: Scenario | None = None,
    folder: Path = Path("casa1000-results"),
    options: MainJobOptions | None = None,
    *,
    progress: Progress | None = None,
) -> MainJobReport:
    """Run every registered study on one scenario and write everything into ``folder``.

    Parameters
    ----------
    scenario
        The scenario; the reference (as built, 2027, normal hydrology) when None.
    folder
        Results folder (created; checked for writing before any work).
    options
        Months, studies, dashboard.
    progress
        Called with ``"<step>: <stage>"`` and the fraction of the job done.

    Returns
    -------
    MainJobReport
        Results, files and times.

    Raises
    ------
    InputError
        For bad inputs or an unwritable folder (before the long work).
    """
    from casa1000.profiles.io import write_profiles_netcdf
    from casa1000.studies.registry import STUDIES
    from casa1000.studies.sweep.plan import with_upstream

    chosen = options or MainJobOptions()
    report = progress or _silent
    scen = scenario or Scenario()
    started = time.perf_counter()
    ensure_writable(folder)
    names = list(STUDIES) if chosen.studies is None else list(with_upstream(chosen.studies))
    steps = ["inputs", *names, *(["dashboard"] if chosen.dashboard else [])]
    meter = _Meter(steps, report)
    times: dict[str, float] = {}

    meter.start("inputs")
    t0 = time.perf_counter()
    inputs = scen.load()
    profiles_file = write_profiles_netcdf(inputs.profiles, folder / PROFILES_FILE)
    times["inputs"] = round(time.perf_counter() - t0, 3)
    log.info("profiles: %d hours -> %s", inputs.profiles.sizes["time"], profiles_file)

    results: dict[str, StudyResult] = {}
    written: dict[str, Written] = {}
    skipped: dict[str, str] = {}
    for name in names:
        spec = STUDIES[name]
        missing = [n for n in spec.needs if n not in results]
        if missing:
            skipped[name] = f"needs {', '.join(missing)}, which did not run"
            log.warning("%s skipped: %s", name, skipped[name])
            meter.skip(name)
            continue
        meter.start(name)
        # every earlier result, not only the required ones: a study may use optional
        # upstream results (the indicators use contingency and transfer when present)
        upstream: dict[str, xr.Dataset] = {n: r.dataset for n, r in results.items()}
        config = with_fields(spec.config_type(), months=chosen.months)
        t0 = time.perf_counter()
        result = execute(
            spec,
            dataclasses.replace(inputs, results=upstream),
            config,
            progress=meter.within(name),
        )
        written[name] = write_result(spec, result, folder)
        results[name] = result
        times[name] = round(time.perf_counter() - t0, 3)
        log.info("%s: %.1f s -> %s", name, times[name], written[name].manifest)

    dashboards: tuple[Path, ...] | None = None
    if chosen.dashboard:
        meter.start("dashboard")
        t0 = time.perf_counter()
        dashboards = (main_job_dashboard(folder, meter.within("dashboard")),)
        times["dashboard"] = round(time.perf_counter() - t0, 3)
        log.info("dashboard: %.1f s -> %s", times["dashboard"], dashboards[0])
    meter.start("done")
    wall = round(time.perf_counter() - started, 3)
    manifest = _write_manifest(
        folder, scen, inputs, profiles_file, written, skipped, dashboards, times, wall
    )
    report("done", 1.0)
    return MainJobReport(
        folder=folder,
        profiles=profiles_file,
        results=results,
        written=written,
        skipped=skipped,
        dashboards=dashboards,
        manifest=manifest,
        step_times_s=times,
        wall_time_s=wall,
    )


class _Meter:
    """Turns per-step progress into the fraction of the whole job."""

    def __init__(self, steps: list[str], report: Progress) -> None:
        self.report = report
        weights = [WEIGHTS.get(s, 1.0) for s in steps]
        total = sum(weights)
        self.start_of: dict[str, float] = {}
        self.share: dict[str, float] = {}
        acc = 0.0
        for step, weight in zip(steps, weights, strict=True):
            self.start_of[step] = acc / total
            self.share[step] = weight / total
            acc += weight

    def start(self, step: str) -> None:
        self.report(step, self.start_of.get(step, 1.0))

    def skip(self, step: str) -> None:
        self.report(f"{step} skipped", self.start_of.get(step, 1.0))

    def within(self, step: str) -> Progress:
        first, share = self.start_of[step], self.share[step]

        def stage(name: str, done: float) -> None:
            self.report(f"{step}: {name}", first + share * min(max(done, 0.0), 1.0))

        return stage


def _write_manifest(
    folder: Path,
    scenario: Scenario,
    inputs: StudyInputs,
    profiles_file: Path,
    written: Mapping[str, Written],
    skipped: Mapping[str, str],
    dashboards: tuple[Path, ...] | None,
    times: Mapping[str, float],
    wall: float,
) -> Path:
    return write_json(
        {
            "manifest_version": 1,
            "kind": "main_job",
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "casa1000_version": casa1000.__version__,
            "scenario": scenario.attrs(inputs.params, inputs.profiles),
            "profiles": {"file": profiles_file.name, "sha256": sha256_of(profiles_file)},
            "studies": {
                name: {"manifest": w.manifest.name, "sha256": sha256_of(w.manifest)}
                for name, w in written.items()
            },
            "skipped": dict(skipped),
            "dashboards": None
            if dashboards is None
            else [
                str(p.relative_to(folder)) if p.is_relative_to(folder) else str(p)
                for p in dashboards
            ],
            "step_times_s": dict(times),
            "wall_time_s": wall,
            "peak_memory_mb": round(peak_memory_mb(), 1),
        },
        folder / MANIFEST,
    )


def _silent(stage: str, done: float) -> None:
    """Report nothing."""
