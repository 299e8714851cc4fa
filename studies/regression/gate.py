"""The regression gate: run a suite against its baselines, or re-baseline it.

:func:`run_suite` first reads every baseline it needs and checks every
scenario's network -- so a missing, corrupt, out-of-date baseline or a bad
override stops it before any study runs (exit code 2 at the command line) --
then runs each entry through the study runner and compares it
(:mod:`~casa1000.studies.regression.compare`).  An entry whose study crashes is
an error row, a regression like a failed check (exit code 1); the other
entries still run, and one entry's change never fails another: each is
compared only with its own baseline.

:func:`update_suite` runs the entries, writes their baselines and records what
moved, why, and on which code and data in the changelog.  It writes nothing
unless every entry ran.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from casa1000.errors import InputError
from casa1000.studies.regression.baselines import (
    baseline_path,
    definition_changes,
    read_baseline,
    write_baseline,
)
from casa1000.studies.regression.changelog import (
    EntryChange,
    ValueChange,
    code_version,
    data_version,
    prepend_section,
    render_section,
)
from casa1000.studies.regression.compare import Check, Status, compare, series_norm
from casa1000.studies.regression.measure import Measurement, measure, run_entry
from casa1000.studies.regression.suite import LEVEL_STATS, Suite, SuiteEntry
from casa1000.studies.spine.study import Progress

log = logging.getLogger("casa1000")

TABLE_COLUMNS = (
    "entry",
    "study",
    "metric",
    "units",
    "baseline",
    "now",
    "delta",
    "tolerance",
    "status",
    "note",
)


@dataclass(frozen=True, kw_only=True)
class EntryOutcome:
    """How one entry compared with its baseline.

    Parameters
    ----------
    entry, study, title
        The entry.
    checks
        Its checks (one ``ERROR`` check when the study did not run).
    wall_time_s
        Time to run and measure it [s].
    baseline, now
        Stored and current values (None when the study did not run).
    """

    entry: str
    study: str
    title: str
    checks: tuple[Check, ...]
    wall_time_s: float
    baseline: Measurement | None = None
    now: Measurement | None = None

    @property
    def passed(self) -> bool:
        """Every check passed."""
        return all(c.status is Status.PASS for c in self.checks)


@dataclass(frozen=True, kw_only=True)
class SuiteReport:
    """The result of a suite run.

    Parameters
    ----------
    suite, title, path
        The suite.
    outcomes
        One per entry run, in suite order.
    wall_time_s
        Time of the whole run [s].
    orphans
        Baseline files of no entry of the suite.
    """

    suite: str
    title: str
    path: Path
    outcomes: tuple[EntryOutcome, ...]
    wall_time_s: float
    orphans: tuple[Path, ...] = ()

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every check, entry by entry."""
        return tuple(c for o in self.outcomes for c in o.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """Checks that failed or errored."""
        return tuple(c for c in self.checks if c.status is not Status.PASS)

    @property
    def exit_code(self) -> int:
        """0 when every check passed, 1 on a regression."""
        return 1 if self.failures else 0

    def table(self) -> pd.DataFrame:
        """Return every check as a table (columns :data:`TABLE_COLUMNS`)."""
        rows = [{k: getattr(c, k) for k in TABLE_COLUMNS} for c in self.checks]
        frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
        frame["status"] = frame["status"].astype(str)
        return frame

    def headline(self) -> tuple[str, ...]:
        """Return the summary lines: counts, wall time, then one line per failure."""
        failed_entries = [o.entry for o in self.outcomes if not o.passed]
        lines = [
            f"regression suite {self.suite}: {len(self.outcomes)} entries, "
            f"{len(self.checks)} checks, {len(self.checks) - len(self.failures)} pass, "
            f"{len(self.failures)} fail; wall time {self.wall_time_s:.1f} s",
            "result: PASS"
            if not failed_entries
            else f"result: REGRESSION in {', '.join(failed_entries)}",
        ]
        for c in self.failures:
            lines.append(f"{c.status.value} {c.entry} {c.metric}: {c.note}")
        return tuple(lines)


def _where(suite: Suite, entry: SuiteEntry) -> str:
    return f"{suite.path} entry {entry.name!r}"


def preflight(suite: Suite, entries: Sequence[SuiteEntry]) -> dict[str, Measurement]:
    """Read every entry's baseline and check its network, before anything runs.

    Returns
    -------
    dict
        Entry name -> its baseline.

    Raises
    ------
    InputError
        For a missing, corrupt, schema-mismatched or out-of-date baseline, or a
        bad override.
    """
    base_dir = suite.path.parent
    baselines = {}
    for entry in entries:
        _check_network(suite, entry)
        path = baseline_path(suite.baselines_dir, entry.name)
        baselines[entry.name] = read_baseline(path, entry, entry.definition(base_dir))
    return baselines


def _check_network(suite: Suite, entry: SuiteEntry) -> None:
    try:
        entry.scenario.scenario(entry.name).params()
    except InputError as exc:
        where = f"{_where(suite, entry)} scenario ({exc.where})"
        raise InputError(where, exc.key, exc.value, exc.allowed) from None


def run_suite(
    suite: Suite,
    only: Iterable[str] = (),
    *,
    progress: Progress | None = None,
    results_dir: Path | None = None,
) -> SuiteReport:
    """Run the entries of ``suite`` and compare each with its baseline.

    Parameters
    ----------
    suite
        The suite.
    only
        Entry names to run (all when empty).
    progress
        Called with ``"<entry>"`` and the fraction of entries done.
    results_dir
        When given, each entry's full result is written to ``<results_dir>/<entry>/``
        through the runner (for looking into a regression).

    Returns
    -------
    SuiteReport
        Checks of every entry; ``exit_code`` 1 when any failed.

    Raises
    ------
    InputError
        Before any study runs, for a bad baseline or override (see :func:`preflight`);
        or for an expression naming a label the result lacks.
    """
    entries = suite.select(only)
    baselines = preflight(suite, entries)
    started = time.perf_counter()
    outcomes = []
    for k, entry in enumerate(entries):
        if progress is not None:
            progress(entry.name, k / len(entries))
        outcomes.append(_run_one(suite, entry, baselines[entry.name], results_dir))
    if progress is not None:
        progress("done", 1.0)
    orphans = orphan_baselines(suite)
    for path in orphans:
        log.warning("baseline %s belongs to no entry of %s", path, suite.path)
    return SuiteReport(
        suite=suite.name,
        title=suite.title,
        path=suite.path,
        outcomes=tuple(outcomes),
        wall_time_s=round(time.perf_counter() - started, 3),
        orphans=orphans,
    )


def _run_one(
    suite: Suite, entry: SuiteEntry, baseline: Measurement, results_dir: Path | None
) -> EntryOutcome:
    where = _where(suite, entry)
    started = time.perf_counter()
    try:
        result = run_entry(entry, where=where)
    except InputError:
        raise
    except Exception as exc:  # a crash is a regression to report, not a reason to stop
        log.debug("entry %s crashed", entry.name, exc_info=True)
        check = Check(
            entry=entry.name,
            study=entry.study,
            metric="run",
            units="",
            baseline=math.nan,
            now=math.nan,
            delta=math.nan,
            tolerance=math.nan,
            status=Status.ERROR,
            note=f"the study failed: {type(exc).__name__}: {exc}",
        )
        return EntryOutcome(
            entry=entry.name,
            study=entry.study,
            title=entry.title,
            checks=(check,),
            wall_time_s=round(time.perf_counter() - started, 3),
            baseline=baseline,
        )
    if results_dir is not None:
        from casa1000.studies.registry import study_spec
        from casa1000.studies.spine.runner import write_result

        write_result(study_spec(entry.study), result, results_dir / entry.name)
    now = measure(entry, result.dataset, where=where, definition=baseline.definition)
    return EntryOutcome(
        entry=entry.name,
        study=entry.study,
        title=entry.title,
        checks=compare(entry, baseline, now),
        wall_time_s=round(time.perf_counter() - started, 3),
        baseline=baseline,
        now=now,
    )


def orphan_baselines(suite: Suite) -> tuple[Path, ...]:
    """Return baseline files that belong to no entry of ``suite``."""
    if not suite.baselines_dir.is_dir():
        return ()
    names = {e.name for e in suite.entries}
    return tuple(p for p in sorted(suite.baselines_dir.glob("*.json")) if p.stem not in names)


@dataclass(frozen=True, kw_only=True)
class UpdateReport:
    """The result of re-baselining.

    Parameters
    ----------
    changes
        Per entry, what moved (or ``failed`` with why, when nothing was written).
    written
        Baseline files written (none when an entry failed).
    removed
        Orphan baseline files removed (only by an update of the whole suite).
    changelog
        The changelog file, or None when nothing was written.
    section
        The changelog section of this update.
    failed
        Entry name -> why its study failed.
    wall_time_s
        Time of the update [s].
    """

    changes: tuple[EntryChange, ...]
    written: tuple[Path, ...]
    removed: tuple[Path, ...] = ()
    changelog: Path | None = None
    section: str = ""
    failed: dict[str, str] = field(default_factory=dict)
    wall_time_s: float = 0.0

    def table(self) -> pd.DataFrame:
        """Return one row per moved value (and one per entry without moves)."""
        rows: list[dict[str, object]] = []
        for change in self.changes:
            for v in change.values:
                rows.append(
                    {
                        "entry": change.entry,
                        "status": change.status,
                        "metric": v.metric,
                        "units": v.units,
                        "old": v.old,
                        "new": v.new,
                        "delta": v.new - v.old,
                    }
                )
            if not change.values:
                rows.append(
                    {
                        "entry": change.entry,
                        "status": change.status,
                        "metric": "; ".join(change.notes) or "-",
                        "units": "",
                        "old": math.nan,
                        "new": math.nan,
                        "delta": math.nan,
                    }
                )
        return pd.DataFrame(
            rows, columns=["entry", "status", "metric", "units", "old", "new", "delta"]
        )


def update_suite(
    suite: Suite,
    *,
    reason: str,
    only: Iterable[str] = (),
    progress: Progress | None = None,
    when: str | None = None,
) -> UpdateReport:
    """Re-baseline entries of ``suite`` and record the change in its changelog.

    Parameters
    ----------
    suite
        The suite.
    reason
        Why the baselines move (one line in the changelog; required).
    only
        Entries to re-baseline (all when empty; then orphan baselines are removed).
    progress
        Called with ``"<entry>"`` and the fraction of entries done.
    when
        Date of the changelog section; now (UTC) by default.

    Returns
    -------
    UpdateReport
        What moved; nothing is written when an entry's study failed.

    Raises
    ------
    InputError
        For an empty reason, an unknown entry, a bad override, or a file that
        cannot be written.
    """
    if not reason.strip():
        raise InputError("--reason", "reason", reason, "a few words on why the baselines move")
    wanted = list(only)
    entries = suite.select(wanted)
    for entry in entries:
        _check_network(suite, entry)
    # before anything is written: the new baselines must not count as uncommitted changes
    code, data = code_version(), data_version()
    started = time.perf_counter()
    base_dir = suite.path.parent
    measured: dict[str, Measurement] = {}
    failed: dict[str, str] = {}
    for k, entry in enumerate(entries):
        if progress is not None:
            progress(entry.name, k / len(entries))
        where = _where(suite, entry)
        definition = entry.definition(base_dir)
        try:
            result = run_entry(entry, where=where)
        except InputError:
            raise
        except Exception as exc:
            log.debug("entry %s crashed", entry.name, exc_info=True)
            failed[entry.name] = f"{type(exc).__name__}: {exc}"
            continue
        measured[entry.name] = measure(entry, result.dataset, where=where, definition=definition)
    if progress is not None:
        progress("done", 1.0)
    elapsed = round(time.perf_counter() - started, 3)
    if failed:
        return UpdateReport(
            changes=tuple(
                EntryChange(entry=name, status="failed", notes=(why,))
                for name, why in failed.items()
            ),
            written=(),
            failed=failed,
            wall_time_s=elapsed,
        )
    changes: list[EntryChange] = [_entry_change(suite, e, measured[e.name]) for e in entries]
    written = tuple(
        write_baseline(measured[e.name], baseline_path(suite.baselines_dir, e.name))
        for e in entries
    )
    removed: tuple[Path, ...] = ()
    if not wanted:
        removed = orphan_baselines(suite)
        for path in removed:
            path.unlink()
            changes.append(
                EntryChange(entry=path.stem, status="removed", notes=("no longer in the suite",))
            )
    section = render_section(
        when=when or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        reason=reason,
        code=code,
        data=data,
        changes=changes,
    )
    changelog = prepend_section(suite.changelog, section)
    return UpdateReport(
        changes=tuple(changes),
        written=written,
        removed=removed,
        changelog=changelog,
        section=section,
        wall_time_s=elapsed,
    )


def _entry_change(suite: Suite, entry: SuiteEntry, new: Measurement) -> EntryChange:
    """Compare the old baseline (if any, read leniently) with the new values."""
    path = baseline_path(suite.baselines_dir, entry.name)
    compared = len(new.metrics) + len(LEVEL_STATS) * len(new.series)
    first = tuple(
        ValueChange(metric=name, old=math.nan, new=value, units=new.units.get(name, ""))
        for name, value in new.metrics.items()
    )
    if not path.exists():
        return EntryChange(entry=entry.name, status="new", values=first, compared=compared)
    try:
        old = read_baseline(path, entry, None)
    except InputError as exc:
        return EntryChange(
            entry=entry.name,
            status="new",
            values=first,
            notes=(f"replaced an unreadable baseline ({exc.key} = {exc.value!r})",),
            compared=compared,
        )
    notes = list(definition_changes(old.definition, new.definition))
    values = [
        ValueChange(
            metric=name,
            old=old.metrics.get(name, math.nan),
            new=value,
            units=new.units.get(name, ""),
        )
        for name, value in new.metrics.items()
        if not _same(old.metrics.get(name, math.nan), value)
    ]
    notes += [f"metric `{name}` removed" for name in old.metrics if name not in new.metrics]
    for name, series in new.series.items():
        before = old.series.get(name)
        if before is None:
            notes.append(f"series `{name}` added")
            continue
        values += [
            ValueChange(
                metric=f"{name}:{stat}",
                old=before.stats.get(stat, math.nan),
                new=value,
                units=series.units,
            )
            for stat, value in series.stats.items()
            if not _same(before.stats.get(stat, math.nan), value)
        ]
        if before.values != series.values or before.time != series.time:
            largest, _, why = series_norm(before, series, "max_abs")
            rms, _, _ = series_norm(before, series, "rms")
            notes.append(
                f"series `{name}`: {why}"
                if why
                else f"series `{name}` points moved: max |change| {largest:.6g} {series.units}, "
                f"rms {rms:.6g} {series.units}"
            )
    notes += [f"series `{name}` removed" for name in old.series if name not in new.series]
    status = "changed" if values or notes else "unchanged"
    return EntryChange(
        entry=entry.name, status=status, values=tuple(values), notes=tuple(notes), compared=compared
    )


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b
