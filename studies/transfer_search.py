"""The search for the secure transfer capability of every hour of a run (tiers 1 to 3).

1. **Zero export, ceiling and linear estimate** -- every contingency is AC-solved
   at zero export (the violations already present there) and at the ceiling.
   Each loading and voltage is interpolated linearly between the two to find the
   export at which it first crosses its limit; the smallest crossing is the
   estimate ``E`` (FCITC-style).  The contingencies insecure at the ceiling are
   the hour's *suspects*; those already beyond a limit at zero export are
   *watched* (see below).
2. **AC verification of the estimate** -- ``E`` is tried; where it passes, one
   ``resolution_mw`` above it.  Secure at ``E`` and insecure one step above: done.
3. **Refinement** -- an hour that fails at ``E`` is bisected downwards, one still
   secure above it upwards (to the ceiling), until the interval is at most
   ``resolution_mw`` wide; the limiting element and contingency are the most
   severe of the last insecure export (the linear ones where no export was
   insecure).

Tiers 2 and 3 follow the plain method's path (:func:`~casa1000.studies.transfer_walk.walk`),
but decide its exports from what AC has shown (:class:`~casa1000.studies.transfer_walk.Knowledge`).
Every :data:`SEED_EVERY`-th hour is searched first; each other hour starts from
its nearest searched hour: a full AC N-1 at that hour's capability and the
suspects at the export it found insecure above it.  When every contingency's security is
monotone in the export, these two solves settle the whole path, and the hours
whose capability lies elsewhere solve what is left undecided.  A watched
(hour, contingency) -- beyond a limit at zero export, so the rule's limit is its
zero-export value and the first MW of export may cross it while larger exports
relieve it -- is decided by AC at every export of the path, never inferred.  At
the end:

* every capability is verified by a full AC N-1 at that export (if the seed did
  not already); an insecure contingency found there becomes a suspect and the
  hour is searched again;
* the suspects are AC-solved at the export the path found insecure above the
  capability (the limiter is the most severe of them there), which is so
  AC-insecure;
* an hour whose AC results contradict monotonicity (a contingency AC-secure above
  an export where it was AC-insecure) is searched again as the plain method
  would: every contingency decided by AC at every export of its path.

So every reported capability is AC N-1 secure, and the export the path found
insecure above it is AC-insecure (or the capability is within ``resolution_mw``
of the ceiling).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from casa1000.studies.engine.row_solver import SolvedRows, StartVoltage
from casa1000.studies.transfer_levels import ExportLevel, Network, References, take_rows
from casa1000.studies.transfer_rules import Limiter, Verdicts
from casa1000.studies.transfer_walk import Knowledge, PathResult, walk

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
KindArray = npt.NDArray[np.int8]
SEED_EVERY = 24
"""Searched without a seed: every this many hours of a run (the others start from them)."""


MAX_SETTLE_ROUNDS = 6
"""Searches of an hour after its first verification.  Decided by AC alone it settles in
one more; only verdicts that change between solves (a reactive-limit state reached by
another path) could send it round for ever."""


@dataclass(kw_only=True)
class SearchResult:
    """The capability of every hour of a run and how it was found."""

    capability_mw: FloatArray
    insecure_above_mw: FloatArray
    """The export above the capability found AC-insecure; NaN if none."""
    estimate_mw: FloatArray
    limiting_contingency: IntArray
    limiting_element: IntArray
    """Branch position, or ``branches`` + bus position; -1: none."""
    limiter: KindArray
    tier: KindArray
    diverges_at_ceiling: BoolArray
    crossing_mw: FloatArray
    """(hours, contingencies) linear crossing export, at most the ceiling [MW]."""
    preexisting: npt.NDArray[np.int16]
    """(hours, contingencies) violations at zero export; -1 where not needed."""
    cases: dict[str, int] = field(default_factory=dict)
    """AC-solved (hour, contingency) rows per stage."""
    steps: int = 0
    searched_again: int = 0
    unsettled: int = 0
    """Hours whose AC verdicts still disagreed after :data:`MAX_SETTLE_ROUNDS` searches
    (reactive-limit states that depend on the solver's path); they keep the last search's
    capability."""
    """Hours searched again (a new suspect at the capability, or a contradiction)."""


class TransferSearch:
    """Runs the tiers on the hours of one run.

    Parameters
    ----------
    net
        The run.
    ceiling_mw
        Largest export tried [MW].
    resolution_mw
        Width of the final interval [MW].
    progress
        Called with a stage name and the fraction done.
    zero_export_n1
        Solve every contingency at zero export (see :class:`TransferConfig`).
    """

    def __init__(
        self,
        net: Network,
        ceiling_mw: float,
        resolution_mw: float,
        progress: Callable[[str, float], None],
        *,
        zero_export_n1: bool = True,
    ) -> None:
        self.net = net
        self.zero_export_n1 = zero_export_n1
        self.ceiling = ceiling_mw
        self.resolution = resolution_mw
        self.progress = progress
        self.n_c = len(net.contingencies)
        self.own = [j for j in range(self.n_c) if net.representative[j] == j]
        every = np.arange(net.hours)
        self.top = ExportLevel(net, every, np.full(net.hours, ceiling_mw), keep_voltage=True)
        self.zero = ExportLevel(net, every, np.zeros(net.hours), keep_voltage=True)
        self.refs = References(net, self.zero, self.top)
        self.cases = {"zero_export": 0, "ceiling": 0, "search": 0, "verification": 0}

    def run(self) -> SearchResult:
        """Search every hour of the run."""
        hours = self.net.hours
        every = np.arange(hours)
        suspects, watch, lin = self._ceiling()
        c_lin = lin.crossing.argmin(axis=1)
        first = lin.crossing[every, c_lin]
        estimate = np.floor(np.clip(np.minimum(first, self.ceiling), 0.0, self.ceiling))
        know = Knowledge(suspects, self.ceiling)
        know.watch(watch)
        paths = _Paths.start(estimate)
        verified = np.full(hours, np.nan)
        """The export of each hour checked by a full AC N-1 so far."""
        seeds = every[every % SEED_EVERY == 0]
        self.progress("search", 0.0)
        paths.put(seeds, self._walk(seeds, estimate, know))
        others = every[every % SEED_EVERY != 0]
        if others.size:
            # each other hour starts from the seed nearest in time
            near = seeds[np.minimum(np.round(others / SEED_EVERY).astype(np.int64), seeds.size - 1)]
            self.progress("seed", 0.0)
            self._full_n1(others, paths.capability[near], know, verified)
            bad = np.isfinite(paths.above[near])
            self._suspects_at(others[bad], paths.above[near][bad], know)
            self.progress("search", 0.5)
            paths.put(others, self._walk(others, estimate, know))
        again: set[int] = set()
        todo = self._settle(every, paths, know, verified)
        rounds = 0
        while todo.size and rounds < MAX_SETTLE_ROUNDS:
            rounds += 1
            # an hour whose AC verdicts contradict monotonicity is searched again as the
            # plain method would: every contingency, decided at each export by AC there;
            # so is an hour that comes back a second time for any reason (where security is
            # not monotone in the export, inferred verdicts could send it round for ever;
            # decided by AC alone it settles: its capability is then AC-secure and the step
            # above AC-insecure)
            returning = np.isin(todo, np.fromiter(again, dtype=np.int64, count=len(again)))
            again.update(todo.tolist())
            pairs = np.zeros_like(know.exact)
            exact = todo[know.contradicted(todo) | returning]
            pairs[np.ix_(exact, np.asarray(self.own, dtype=np.int64))] = True
            know.watch(pairs)
            paths.put(todo, self._walk(todo, estimate, know))
            todo = self._settle(todo, paths, know, verified)
        limits = self._limiters(paths, know, lin, c_lin, first)
        self.progress("done", 1.0)
        self.cases["zero_export"] += self.refs.rows_solved
        return SearchResult(
            capability_mw=paths.capability,
            insecure_above_mw=paths.above,
            estimate_mw=estimate,
            limiting_contingency=limits[0],
            limiting_element=limits[1],
            limiter=limits[2],
            tier=paths.tier,
            diverges_at_ceiling=(lin.kind == Limiter.NONCONVERGENCE).any(axis=1),
            crossing_mw=np.minimum(lin.crossing, self.ceiling),
            preexisting=lin.preexisting,
            cases=dict(self.cases),
            steps=paths.steps,
            searched_again=len(again),
            unsettled=int(todo.size),
        )

    def _start(self, hours: IntArray, export: FloatArray) -> StartVoltage:
        """Return the start voltages of rows at ``export``.

        The base cases at zero export and at the ceiling, interpolated linearly
        in the export and averaged over a block of rows.
        """
        zero, top = self.zero.level, self.top.level
        batch = self.net.solver.batch

        def start(k: int, rows: IntArray) -> npt.NDArray[np.complex128]:
            area = batch.areas[k]
            v0 = area.v0.copy()
            h = hours[rows]
            low, high = zero.base_voltage[k][h], top.base_voltage[k][h]
            good = (np.abs(low).min(axis=1) > 0) & (np.abs(high).min(axis=1) > 0)
            if good.any():
                frac = (export[rows] / self.ceiling)[good, None]
                v0[area.bus] = (low[good] + frac * (high[good] - low[good])).mean(axis=0)
            return v0

        return start

    # -- tier 1 ---------------------------------------------------------------

    def _ceiling(self) -> tuple[BoolArray, BoolArray, _Linear]:
        """Solve every contingency at the ceiling and at zero export.

        Returns
        -------
        tuple
            (hours, contingencies) suspects (insecure at the ceiling), pairs to
            watch (already beyond a limit at zero export on an element the export
            moves: their security need not be monotone in the export), and the
            tier-1 crossings.
        """
        net, rule = self.net, self.net.rule
        hours, n_c = net.hours, self.n_c
        every = np.arange(hours)
        rep = net.representative
        own = self.own
        lin = _Linear.empty(hours, n_c)
        need: dict[int, IntArray] = {}
        top_rows: dict[int, tuple[IntArray, SolvedRows]] = {}
        for done, (j, _, res) in enumerate(self.top.solve({j: every for j in own}), start=1):
            self.progress("ceiling", done / len(own))
            if j:
                self.cases["ceiling"] += int(res.ac_solved.sum())
            need[j] = np.flatnonzero(rule.needs_reference(res))
            top_rows[j] = (need[j], take_rows(res, need[j]))
            self.refs.keep_ceiling(j, *top_rows[j])
        candidates: dict[int, IntArray] = {}
        if not self.zero_export_n1:
            lin.preexisting[:] = -1  # known only where a verdict needs the zero-export state
        every_own = {j: every for j in own} if self.zero_export_n1 else {}
        for done, (j, _, res) in enumerate(self.zero.solve(every_own), start=1):
            self.progress("zero export", done / len(own))
            if j:
                self.cases["zero_export"] += int(res.ac_solved.sum())
            lin.preexisting[:, j] = rule.preexisting(res)
            candidates[j] = np.flatnonzero(res.converged & (lin.preexisting[:, j] > 0))
            keep = np.union1d(need[j], candidates[j])
            self.refs.keep_zero(j, keep, take_rows(res, keep))
        self.refs.fetch({j: np.union1d(need[j], candidates.get(j, need[j][:0])) for j in own})
        self.refs.release_kept()
        # a converged case beyond a limit at zero export, on a branch the export moves
        # or at a bus: the first MW may cross its (widened) limit while larger exports
        # relieve it -- its security need not be monotone
        watch = np.zeros((hours, n_c), dtype=bool)
        for j, rows in candidates.items():
            if rows.size:
                ref = self.refs.get(j, rows)
                lim = rule.limits
                beyond = (ref.moves & (ref.loading_percent > lim.thermal_percent)).any(axis=1)
                with np.errstate(invalid="ignore"):
                    outside = (ref.vm_pu < lim.vmin_pu) | (ref.vm_pu > lim.vmax_pu)
                    beyond |= (ref.bus_moves & outside).any(axis=1)
                watch[rows[beyond], j] = True
        suspects = np.zeros((hours, n_c), dtype=bool)
        for j in own:
            rows, res = top_rows[j]
            if not rows.size:
                continue
            ref = self.refs.get(j, rows)
            crossing, element, kind = rule.crossings(ref, res)
            if not self.zero_export_n1:
                lin.preexisting[rows, j] = rule.preexisting(ref)
            lin.crossing[rows, j] = crossing
            lin.element[rows, j] = element
            lin.kind[rows, j] = kind
            suspects[rows, j] = rule.verdicts(res, ref).insecure
        for j in range(n_c):
            if rep[j] != j:
                lin.copy(j, int(rep[j]))
        return suspects, watch, lin

    # -- tiers 2 and 3 ---------------------------------------------------------

    def _walk(self, hours: IntArray, estimate: FloatArray, know: Knowledge) -> PathResult:
        """Follow the path of ``hours``, AC-solving what the knowledge leaves undecided."""

        def solve(at: IntArray, export: FloatArray, want: BoolArray) -> None:
            # the walk keeps only exact pairs' verdicts: the bounds sum up the others
            self._solve(at, export, want, know, "search", keep=False)

        return walk(
            hours,
            estimate[hours],
            know,
            solve,
            ceiling_mw=self.ceiling,
            resolution_mw=self.resolution,
        )

    def _solve(
        self,
        hours: IntArray,
        export: FloatArray,
        want: BoolArray,
        know: Knowledge,
        stage: str,
        *,
        keep: bool = True,
    ) -> BoolArray:
        """AC-solve ``want[i, j]`` at ``(hours[i], export[i])``; record; (hours,) any insecure."""
        insecure = np.zeros(hours.size, dtype=bool)
        rows_of = {int(j): np.flatnonzero(want[:, j]) for j in np.flatnonzero(want.any(axis=0))}
        if not rows_of:
            return insecure
        # a full N-1 solves its base case first and starts from it (3 Newton steps a row
        # rather than 4); a few rows per hour start from the interpolated base cases
        full = stage == "verification"
        level = ExportLevel(self.net, hours, export, None if full else self._start(hours, export))
        for j, rows, res in level.solve(dict(sorted(rows_of.items()))):
            if j:
                self.cases[stage] += int(res.ac_solved.sum())
            v = self.refs.verdicts(j, hours[rows], res)
            know.record(hours[rows], j, export[rows], v, keep=keep)
            insecure[rows] |= v.insecure
        return insecure

    def _full_n1(
        self, hours: IntArray, export: FloatArray, know: Knowledge, verified: FloatArray
    ) -> BoolArray:
        """Full AC N-1 of ``hours`` at ``export``; (hours,) any insecure.

        At zero export an hour's states are the rule's own references (the zero-export
        level, solved already): every contingency is secure by definition there, and
        is recorded so without being solved again.
        """
        want = np.zeros((hours.size, self.n_c), dtype=bool)
        want[:, self.own] = True
        zero = export <= 0.0
        want[zero] = False
        if zero.any():
            n = int(zero.sum())
            secure = Verdicts(
                insecure=np.zeros(n, dtype=bool),
                severity=np.full(n, -np.inf),
                element=np.full(n, -1, dtype=np.int64),
                kind=np.zeros(n, dtype=np.int8),
            )
            for j in self.own:
                know.record(hours[zero], j, export[zero], secure)
        verified[hours] = export
        return self._solve(hours, export, want, know, "verification")

    def _suspects_at(self, hours: IntArray, export: FloatArray, know: Knowledge) -> None:
        """AC-solve every suspect of ``hours`` at ``export`` (skipping verdicts already known)."""
        seen = know.at(hours, export)
        want = np.zeros((hours.size, self.n_c), dtype=bool)
        want[seen.row[~seen.known], seen.contingency[~seen.known]] = True
        self._solve(hours, export, want, know, "search")

    def _settle(
        self, hours: IntArray, paths: _Paths, know: Knowledge, verified: FloatArray
    ) -> IntArray:
        """Verify the capabilities and read the limiters' exports; the hours to search again."""
        cap = paths.capability[hours]
        check = hours[verified[hours] != cap]
        self.progress("verify", 0.0)
        if check.size:
            self._full_n1(check, paths.capability[check], know, verified)
        last = paths.above[hours]
        bad = np.isfinite(last)
        self._suspects_at(hours[bad], last[bad], know)
        # the capability must be secure and the last insecure export insecure, by AC there
        again = know.at(hours, cap).any_insecure(hours.size)
        above = know.at(hours[bad], last[bad]).any_insecure(int(bad.sum()))
        again[np.flatnonzero(bad)[~above]] = True
        return hours[again | know.contradicted(hours)]

    def _limiters(
        self,
        paths: _Paths,
        know: Knowledge,
        lin: _Linear,
        c_lin: IntArray,
        first: FloatArray,
    ) -> tuple[IntArray, IntArray, KindArray]:
        """Limiting contingency, element and kind: the most severe at the last insecure export."""
        hours = np.arange(self.net.hours)
        contingency = c_lin.copy()
        element = lin.element[hours, c_lin]
        kind = np.where(np.isfinite(first), lin.kind[hours, c_lin], Limiter.CEILING).astype(np.int8)
        read = np.flatnonzero(np.isfinite(paths.last_insecure))
        v = know.at(read, paths.last_insecure[read])
        bad = np.flatnonzero(v.known & v.insecure)
        # most severe first; ties go to the first contingency (as an argmax would)
        order = bad[np.lexsort((v.contingency[bad], -v.severity[bad], v.row[bad]))]
        top = order[np.r_[True, v.row[order][1:] != v.row[order][:-1]]] if order.size else order
        h = read[v.row[top]]
        contingency[h] = v.contingency[top]
        element[h] = v.element[top]
        kind[h] = v.kind[top]
        return contingency, element, kind


@dataclass(kw_only=True)
class _Paths:
    """Where the path of every hour of the run ended (so far)."""

    capability: FloatArray
    tier: KindArray
    last_insecure: FloatArray
    above: FloatArray
    steps: int = 0

    @staticmethod
    def start(estimate: FloatArray) -> _Paths:
        return _Paths(
            capability=estimate.copy(),
            tier=np.ones(estimate.size, dtype=np.int8),
            last_insecure=np.full(estimate.size, np.nan),
            above=np.full(estimate.size, np.nan),
        )

    def put(self, hours: IntArray, part: PathResult) -> None:
        self.capability[hours] = part.capability_mw
        self.tier[hours] = part.tier
        self.last_insecure[hours] = part.last_insecure_mw
        self.above[hours] = part.insecure_above_mw
        self.steps = max(self.steps, part.steps)


@dataclass(kw_only=True)
class _Linear:
    """Tier-1 crossings of every (hour, contingency)."""

    crossing: FloatArray
    element: IntArray
    kind: KindArray
    preexisting: npt.NDArray[np.int16]

    @staticmethod
    def empty(hours: int, n_c: int) -> _Linear:
        return _Linear(
            crossing=np.full((hours, n_c), np.inf),
            element=np.zeros((hours, n_c), dtype=np.int64),
            kind=np.zeros((hours, n_c), dtype=np.int8),
            preexisting=np.zeros((hours, n_c), dtype=np.int16),
        )

    def copy(self, j: int, j0: int) -> None:
        for arr in (self.crossing, self.element, self.kind, self.preexisting):
            arr[:, j] = arr[:, j0]
