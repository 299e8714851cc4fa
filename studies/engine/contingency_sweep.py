"""The hour x contingency screen: every row AC-solved (or an exact copy), reduced as it streams.

The rows of each contingency are solved by the
:class:`~casa1000.studies.engine.row_solver.RowSolver` (area by area, the areas
that an outage leaves unchanged copied from the base case) and reduced at once to
per-row envelopes and per-element worst cases.  :meth:`ContingencySweep.stream`
hands each finished part of the hours to a sink (the contingency study writes it
to a scratch file, :mod:`casa1000.studies.spine.spill`), so the memory held is
bounded by ``chunk_rows`` (rows solved at once), whatever the number of hours;
:meth:`ContingencySweep.run` keeps every part in memory.  The hours are taken in
parts of whole start-voltage blocks
(:func:`~casa1000.studies.engine.row_solver.v0_block` of the study), so every row
starts from the voltage it would start from in one part: the results do not
depend on ``chunk_rows`` (beyond round-off of about 1e-13, where a C++ batch
holds other rows beside a row).  One more exact saving: the outage of one of
several identical parallel circuits or transformer units is solved once -- the
sister outage gives the same solution with the two circuits' results swapped
(:data:`Twin`).

Ties pick the first element (and hour) in pandapower's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.studies.engine.batch_ac import BatchAC
from casa1000.studies.engine.row_solver import (
    Level,
    RowSolver,
    SolvedRows,
    Status,
    prefetch,
    v0_block,
)
from casa1000.studies.security.limits import Limits
from casa1000.studies.security.post_contingency import PostState

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Remedy = Callable[[Level, int, slice, PostState, SolvedRows], SolvedRows]
"""``remedy(level, j, hours, state, rows)``: the final state of contingency ``j``'s rows
after any remedial action (see :mod:`casa1000.studies.security.remedial`)."""
CodeArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
PI_EXPONENT = 2
"""``n`` of the performance index: terms are raised to ``2n`` = 4."""
MARGIN = 1e-9
"""A value counts as a violation only beyond its limit by more than this ([%] or [pu])."""

Twin = tuple[int, IntArray]
"""(index of the contingency solved instead, branch permutation from it to this one)."""


@dataclass(frozen=True, kw_only=True)
class ElementWorst:
    """Worst value of every element under every contingency, over the hours."""

    value: FloatArray
    """(contingencies, elements) worst value; NaN where the element was never energised."""
    hour: CodeArray
    """(contingencies, elements) row (hour) index of the worst value; -1 where none."""


@dataclass(frozen=True, kw_only=True)
class SweepResult:
    """Per-row envelopes (hours x contingencies) and per-element worst cases.

    Element codes index the pandapower branch (lines, then trafos) or bus order;
    ``-1`` means none (the row did not converge).
    """

    status: npt.NDArray[np.int8]
    solved: BoolArray
    """(hours, contingencies) row AC-solved (False: identical to an AC-solved row, copied)."""
    max_loading_percent: FloatArray
    max_loading_branch: CodeArray
    vm_min_pu: FloatArray
    vm_min_bus: CodeArray
    vm_max_pu: FloatArray
    vm_max_bus: CodeArray
    thermal_violations: npt.NDArray[np.int16]
    undervoltage_violations: npt.NDArray[np.int16]
    overvoltage_violations: npt.NDArray[np.int16]
    pi_thermal: FloatArray
    pi_voltage: FloatArray
    worst_loading: ElementWorst
    """Highest loading [%] of each branch."""
    worst_vm_min: ElementWorst
    """Lowest voltage [pu] of each bus."""
    worst_vm_max: ElementWorst
    """Highest voltage [pu] of each bus."""
    loading: FloatArray | None = None
    """(hours, contingencies, branches) when elements were kept."""
    vm: FloatArray | None = None
    """(hours, contingencies, buses) when elements were kept."""
    p_from_mw: FloatArray | None = None
    """(hours, contingencies, branches) active power at the from/hv end when kept [MW]."""
    rows_solved: int = 0
    """Area rows handed to the AC solver."""


class RowEnvelopes:
    """The (hours, contingencies) arrays of a part of the hours, filled column by column.

    Element codes index the pandapower branch (lines, then trafos) or bus order;
    ``-1`` means none (the row did not converge).
    """

    ROW_FIELDS = (
        "status",
        "solved",
        "lmax",
        "lbr",
        "vmin",
        "vminb",
        "vmax",
        "vmaxb",
        "nth",
        "nuv",
        "nov",
        "pit",
        "piv",
    )
    """The (hours, contingencies) arrays, in :class:`SweepResult` order."""

    def __init__(self, hours: int, n_c: int, n_branch: int, n_bus: int, keep: bool) -> None:
        shape = (hours, n_c)
        self.status = np.zeros(shape, np.int8)
        self.solved = np.zeros(shape, bool)
        """Row AC-solved (False: identical to an AC-solved row, copied)."""
        self.lmax = np.full(shape, np.nan)
        """Highest branch loading [%]."""
        self.lbr = np.full(shape, -1, np.int32)
        self.vmin = np.full(shape, np.nan)
        self.vminb = np.full(shape, -1, np.int32)
        self.vmax = np.full(shape, np.nan)
        self.vmaxb = np.full(shape, -1, np.int32)
        self.nth = np.zeros(shape, np.int16)
        """Thermal violations."""
        self.nuv = np.zeros(shape, np.int16)
        self.nov = np.zeros(shape, np.int16)
        self.pit = np.full(shape, np.nan)
        """Thermal part of the performance index."""
        self.piv = np.full(shape, np.nan)
        self.loading = np.full((*shape, n_branch), np.nan) if keep else None
        self.vm = np.full((*shape, n_bus), np.nan) if keep else None
        self.p_from = np.full((*shape, n_branch), np.nan) if keep else None

    def copy_twin(self, j: int, j0: int, perm: IntArray) -> None:
        """Make contingency ``j``'s rows those of ``j0`` with the branches permuted."""
        for name in self.ROW_FIELDS:
            arr = getattr(self, name)
            arr[:, j] = arr[:, j0]
        self.solved[:, j] = False
        lbr = self.lbr[:, j0]
        self.lbr[:, j] = np.where(lbr >= 0, perm[np.maximum(lbr, 0)], -1)
        if self.loading is not None and self.vm is not None and self.p_from is not None:
            self.loading[:, j, :] = self.loading[:, j0, :][:, perm]
            self.vm[:, j, :] = self.vm[:, j0, :]
            self.p_from[:, j, :] = self.p_from[:, j0, :][:, perm]

    def put(self, rows: slice, part: RowEnvelopes) -> None:
        """Copy a part's rows into ``rows`` of these (whole-study) arrays."""
        for name in self.ROW_FIELDS:
            getattr(self, name)[rows] = getattr(part, name)
        for name in ("loading", "vm", "p_from"):
            mine = getattr(self, name)
            if mine is not None:
                mine[rows] = getattr(part, name)


Sink = Callable[[slice, RowEnvelopes], None]
"""``sink(hours, part)``: takes the finished rows of a part of the hours (twins copied)."""


@dataclass(frozen=True, kw_only=True)
class SweepTotals:
    """What a streamed sweep keeps over all hours: per-element worst cases and work done."""

    worst_loading: ElementWorst
    """Highest loading [%] of each branch."""
    worst_vm_min: ElementWorst
    """Lowest voltage [pu] of each bus."""
    worst_vm_max: ElementWorst
    """Highest voltage [pu] of each bus."""
    rows_solved: int
    """Area rows handed to the AC solver."""


class _WorstCases:
    def __init__(self, n_c: int, n_branch: int, n_bus: int) -> None:
        self.loading = _Worst(n_c, n_branch, largest=True)
        self.vm_min = _Worst(n_c, n_bus, largest=False)
        self.vm_max = _Worst(n_c, n_bus, largest=True)

    def copy_twin(self, j: int, j0: int, perm: IntArray) -> None:
        self.loading.copy(j, j0, perm)
        self.vm_min.copy(j, j0, None)
        self.vm_max.copy(j, j0, None)


class _Worst:
    """Running worst value of each element under each contingency, with its hour."""

    def __init__(self, n_c: int, n_elem: int, *, largest: bool) -> None:
        self.largest = largest
        self.value = np.full((n_c, n_elem), -np.inf if largest else np.inf)
        self.hour = np.full((n_c, n_elem), -1, np.int32)

    def update(self, j: int, values: FloatArray, offset: int) -> None:
        """Fold (rows, elements) ``values`` (NaN: not energised) of hours ``offset + row``."""
        if not values.shape[0]:
            return
        fill = -np.inf if self.largest else np.inf
        clean = np.where(np.isnan(values), fill, values)
        r = clean.argmax(axis=0) if self.largest else clean.argmin(axis=0)
        val = clean[r, np.arange(clean.shape[1])]
        better = val > self.value[j] if self.largest else val < self.value[j]
        self.value[j] = np.where(better, val, self.value[j])
        self.hour[j] = np.where(better, r + offset, self.hour[j])

    def copy(self, j: int, j0: int, perm: IntArray | None) -> None:
        self.value[j] = self.value[j0] if perm is None else self.value[j0][perm]
        self.hour[j] = self.hour[j0] if perm is None else self.hour[j0][perm]

    def result(self) -> ElementWorst:
        found = np.isfinite(self.value)
        return ElementWorst(
            value=np.where(found, self.value, np.nan),
            hour=np.where(found, self.hour, -1).astype(np.int32),
        )


class ContingencySweep:
    """Solve and reduce every (hour, contingency) row of a network.

    Parameters
    ----------
    batch
        The batch solver of the network (its area models and start voltages).
    limits
        Security limits.
    threads
        Worker threads of the C++ batch.
    chunk_rows
        Rows solved and held at once (bounds memory; about 2 kB a row, twice over
        as the next rows are solved while these are reduced); hours are taken
        in parts of whole start-voltage blocks, at least one block a part.
    """

    def __init__(
        self, batch: BatchAC, limits: Limits, *, threads: int = 2, chunk_rows: int = 2_920
    ) -> None:
        self.batch = batch
        self.limits = limits
        self.threads = threads
        self.chunk_rows = chunk_rows
        self.n_branch = batch.n_line + batch.n_trafo
        self.n_bus = batch.n_bus
        self.solver_s = 0.0
        """Time spent inside the C++ Newton-Raphson batches [s]."""

    def run(
        self,
        state: Callable[[int, slice], PostState],
        hours: int,
        n_contingencies: int,
        *,
        twins: dict[int, Twin] | None = None,
        keep_elements: bool = False,
        progress: Callable[[float], None] | None = None,
        remedy: Remedy | None = None,
    ) -> SweepResult:
        """Solve every hour of every contingency (index 0 must be the base case), in memory.

        Parameters
        ----------
        state
            ``state(j, hours)``: post-contingency state of contingency ``j`` over
            a slice of the hours.
        hours
            Number of hours.
        n_contingencies
            Number of contingencies.
        twins
            Contingencies not solved but copied from an identical one (see :data:`Twin`).
        keep_elements
            Also return every branch loading and bus voltage (memory grows as
            hours x contingencies x elements).
        progress
            Called with the fraction of rows done.
        remedy
            Turns each contingency's rows into their state after remedial actions
            (the envelopes describe that state); none by default.

        Returns
        -------
        SweepResult
            Envelopes, counts, performance index and worst cases.
        """
        env = RowEnvelopes(hours, n_contingencies, self.n_branch, self.n_bus, keep_elements)
        totals = self.stream(
            state,
            hours,
            n_contingencies,
            env.put,
            twins=twins,
            keep_elements=keep_elements,
            progress=progress,
            remedy=remedy,
        )
        return SweepResult(
            status=env.status,
            solved=env.solved,
            max_loading_percent=env.lmax,
            max_loading_branch=env.lbr,
            vm_min_pu=env.vmin,
            vm_min_bus=env.vminb,
            vm_max_pu=env.vmax,
            vm_max_bus=env.vmaxb,
            thermal_violations=env.nth,
            undervoltage_violations=env.nuv,
            overvoltage_violations=env.nov,
            pi_thermal=env.pit,
            pi_voltage=env.piv,
            worst_loading=totals.worst_loading,
            worst_vm_min=totals.worst_vm_min,
            worst_vm_max=totals.worst_vm_max,
            loading=env.loading,
            vm=env.vm,
            p_from_mw=env.p_from,
            rows_solved=totals.rows_solved,
        )

    def stream(
        self,
        state: Callable[[int, slice], PostState],
        hours: int,
        n_contingencies: int,
        sink: Sink,
        *,
        twins: dict[int, Twin] | None = None,
        keep_elements: bool = False,
        progress: Callable[[float], None] | None = None,
        remedy: Remedy | None = None,
    ) -> SweepTotals:
        """Solve like :meth:`run`, handing each finished part of the hours to ``sink``.

        Only one part's rows are held at a time: what ``sink`` does with them
        (writes them to disk, say) decides the memory of the study.

        Returns
        -------
        SweepTotals
            Per-element worst cases over every hour, and the rows solved.
        """
        twins = twins or {}
        n_c = n_contingencies
        solver = RowSolver(self.batch, threads=self.threads, keep_p_from=keep_elements)
        worst = _WorstCases(n_c, self.n_branch, self.n_bus)
        # parts of whole start-voltage blocks of the study: a row starts from the same
        # voltage (so gets the same result) whatever the part it is solved in
        block = v0_block(hours)
        step = max(1, min(hours, block * max(1, self.chunk_rows // block)))
        own = [j for j in range(1, n_c) if j not in twins]
        for lo in range(0, hours, step):
            part = slice(lo, min(hours, lo + step))
            n = part.stop - part.start
            env = RowEnvelopes(n, n_c, self.n_branch, self.n_bus, keep_elements)
            level = solver.level(state(0, part), block=block)
            self._reduce(env, worst, 0, part, level.base, solved=True)
            per_call = max(1, self.chunk_rows // n)
            groups = [own[g : g + per_call] for g in range(0, len(own), per_call)]
            every = np.arange(n)
            # states are made one group ahead; the next group is solved while this one reduces
            work = ([(state(j, part), every) for j in cols] for cols in groups)

            def solve(
                requests: list[tuple[PostState, IntArray]], level: Level = level
            ) -> tuple[list[tuple[PostState, IntArray]], list[SolvedRows]]:
                return requests, level.solve(requests)

            for k, (cols, (requests, results)) in enumerate(
                zip(groups, prefetch(solve, work), strict=True), start=1
            ):
                for j, (st, _), res in zip(cols, requests, results, strict=True):
                    final = res if remedy is None else remedy(level, j, part, st, res)
                    self._reduce(env, worst, j, part, final, solved=False)
                if progress is not None:
                    progress((part.start + n * k / len(groups)) / hours)
            for j, (j0, perm) in sorted(twins.items()):
                env.copy_twin(j, j0, perm)
            sink(part, env)
        for j, (j0, perm) in sorted(twins.items()):
            worst.copy_twin(j, j0, perm)
        self.solver_s += solver.solver_s
        return SweepTotals(
            worst_loading=worst.loading.result(),
            worst_vm_min=worst.vm_min.result(),
            worst_vm_max=worst.vm_max.result(),
            rows_solved=solver.rows_solved,
        )

    def _reduce(
        self,
        env: RowEnvelopes,
        worst: _WorstCases,
        j: int,
        part: slice,
        res: SolvedRows,
        *,
        solved: bool,
    ) -> None:
        """Write the envelopes of contingency ``j`` over the hours ``part`` (all of ``env``)."""
        lim = self.limits
        good = res.converged
        loading, vm = res.loading_percent, res.vm_pu
        rows = np.arange(loading.shape[0])
        env.status[:, j] = res.status
        env.solved[:, j] = True if solved else res.ac_solved
        lfill = np.where(np.isnan(loading), -np.inf, loading)
        arg = lfill.argmax(axis=1)
        env.lmax[:, j] = np.where(good, lfill[rows, arg], np.nan)
        env.lbr[:, j] = np.where(good, arg, -1)
        vlow = np.where(np.isnan(vm), np.inf, vm)
        vhigh = np.where(np.isnan(vm), -np.inf, vm)
        amin, amax = vlow.argmin(axis=1), vhigh.argmax(axis=1)
        any_v = good & np.isfinite(vlow[rows, amin])
        env.vmin[:, j] = np.where(any_v, vlow[rows, amin], np.nan)
        env.vmax[:, j] = np.where(any_v, vhigh[rows, amax], np.nan)
        env.vminb[:, j] = np.where(any_v, amin, -1)
        env.vmaxb[:, j] = np.where(any_v, amax, -1)
        with np.errstate(invalid="ignore"):
            env.nth[:, j] = np.where(good, (loading > lim.thermal_percent + MARGIN).sum(1), 0)
            env.nuv[:, j] = np.where(good, (vm < lim.vmin_pu - MARGIN).sum(1), 0)
            env.nov[:, j] = np.where(good, (vm > lim.vmax_pu + MARGIN).sum(1), 0)
        two_n = 2 * PI_EXPONENT
        mid = 0.5 * (lim.vmax_pu + lim.vmin_pu)
        half = 0.5 * (lim.vmax_pu - lim.vmin_pu)
        ratio = loading / lim.thermal_percent
        ratio *= ratio
        dev = (vm - mid) / half
        dev *= dev
        env.pit[:, j] = np.where(good, np.nansum(ratio * ratio, axis=1) / two_n, np.nan)
        env.piv[:, j] = np.where(good, np.nansum(dev * dev, axis=1) / two_n, np.nan)
        worst.loading.update(j, loading, part.start)
        worst.vm_min.update(j, vm, part.start)
        worst.vm_max.update(j, vm, part.start)
        if env.loading is not None and env.vm is not None and env.p_from is not None:
            env.loading[:, j, :] = loading
            env.vm[:, j, :] = vm
            if res.p_from_mw is not None:
                env.p_from[:, j, :] = res.p_from_mw


__all__ = [
    "ContingencySweep",
    "ElementWorst",
    "Level",
    "RowEnvelopes",
    "Sink",
    "Status",
    "SweepResult",
    "SweepTotals",
    "Twin",
]
