"""The bisection path of the transfer search, followed with what AC has shown so far.

The path is the plain method's: try the linear estimate ``E``; if it fails,
bisect between zero and ``E``; if it passes, try ``E + resolution`` and, if that
passes too, bisect between it and the ceiling; stop when the interval is at most
``resolution`` wide.  Each export on the path needs a verdict.  :class:`Knowledge`
holds, per (hour, contingency), the highest export AC has shown secure and the
lowest it has shown insecure, and every verdict AC gave (the *memo*).  With
*inference* an export is insecure as soon as one contingency was AC-insecure at
or below it, and secure when every suspect was AC-secure at or above it --
exact whenever each contingency's security is monotone in the export.  A pair
decided *exactly* (a contingency already beyond a limit at zero export, whose
security need not be monotone, or any pair of an hour whose AC results
contradicted monotonicity) decides an export only from AC verdicts at that very
export.  Undecided exports are solved
in rounds: first the suspect most likely insecure, then the other undecided ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.studies.transfer_rules import Verdicts

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
KindArray = npt.NDArray[np.int8]
MAX_STEPS = 20
"""Bisection steps at most (a 1,300 MW range at 10 MW takes 8)."""

Memo = tuple[bool, float, int, int]
"""An AC verdict: (insecure, severity, element, limiter kind)."""

Solve = Callable[[IntArray, FloatArray, BoolArray], None]
"""``solve(hours, export, want)``: AC-solve contingency ``j`` of hour ``hours[i]`` at
``export[i]`` wherever ``want[i, j]``, recording the verdicts in the knowledge."""


class Knowledge:
    """What AC has shown of every (hour, contingency) of a run.

    Parameters
    ----------
    suspects
        (hours, contingencies) contingencies insecure at the ceiling.
    ceiling_mw
        The ceiling [MW].
    """

    def __init__(self, suspects: BoolArray, ceiling_mw: float) -> None:
        self.suspect = suspects.copy()
        self.secure_to = np.zeros(suspects.shape)
        """Highest export AC-secure [MW] (zero export is secure by the rule)."""
        self.insecure_from = np.where(suspects, ceiling_mw, np.inf)
        """Lowest export AC-insecure [MW]."""
        self.exact = np.zeros(suspects.shape, dtype=bool)
        """(Hour, contingency) pairs decided only from AC verdicts at the export itself."""
        self.memo: dict[tuple[int, int, float], Memo] = {}

    def watch(self, pairs: BoolArray) -> None:
        """Make ``pairs`` (hours, contingencies) suspects decided exactly, never inferred."""
        self.suspect |= pairs
        self.exact |= pairs

    def record(
        self, hours: IntArray, j: int, export: FloatArray, v: Verdicts, *, keep: bool = True
    ) -> None:
        """Record the verdicts of contingency ``j`` in ``hours`` at ``export``.

        The memo keeps the verdicts of suspects; with ``keep`` False only those of
        the pairs decided exactly (the others are summed up by the bounds).
        """
        bad = v.insecure
        self.insecure_from[hours[bad], j] = np.minimum(
            self.insecure_from[hours[bad], j], export[bad]
        )
        self.suspect[hours[bad], j] = True
        good = ~bad
        self.secure_to[hours[good], j] = np.maximum(self.secure_to[hours[good], j], export[good])
        kept = self.suspect[hours, j] if keep else self.exact[hours, j]
        for i in np.flatnonzero(kept):
            self.memo[(int(hours[i]), j, float(export[i]))] = (
                bool(bad[i]),
                float(v.severity[i]),
                int(v.element[i]),
                int(v.kind[i]),
            )

    def at(self, hours: IntArray, x: FloatArray, pairs: BoolArray | None = None) -> SuspectVerdicts:
        """Look up the AC verdicts of every suspect of each hour at its export ``x``.

        ``pairs`` (hours, contingencies) restricts the look-up (default: the suspects).
        """
        rows, cols = np.nonzero(self.suspect[hours] if pairs is None else pairs)
        h, at = hours[rows].tolist(), x[rows].tolist()
        found = [self.memo.get(key) for key in zip(h, cols.tolist(), at, strict=True)]
        known = np.array([m is not None for m in found], dtype=bool)
        got = [m if m is not None else (False, -np.inf, -1, 0) for m in found]
        return SuspectVerdicts(
            row=rows,
            contingency=cols,
            known=known,
            insecure=np.array([m[0] for m in got], dtype=bool),
            severity=np.array([m[1] for m in got], dtype=np.float64),
            element=np.array([m[2] for m in got], dtype=np.int64),
            kind=np.array([m[3] for m in got], dtype=np.int8),
        )

    def contradicted(self, hours: IntArray) -> BoolArray:
        """(hours,) a contingency inferred from was AC-secure above an export it failed at."""
        clash = (self.secure_to[hours] > self.insecure_from[hours]) & ~self.exact[hours]
        return np.asarray(clash.any(axis=1), dtype=bool)

    def decide(self, hours: IntArray, x: FloatArray) -> tuple[BoolArray, BoolArray]:
        """(insecure known, secure known) for each hour at its export ``x``."""
        inferred = ~self.exact[hours]
        ins = ((self.insecure_from[hours] <= x[:, None]) & inferred).any(axis=1)
        sec = ((self.secure_to[hours] >= x[:, None]) | ~self.suspect[hours] | ~inferred).all(axis=1)
        exact = self.exact[hours]
        if exact.any():
            v = self.at(hours, x, exact)
            n = hours.size
            ins |= v.any_insecure(n)
            missing = np.zeros(n, dtype=bool)
            missing[v.row[~v.known]] = True
            sec &= ~missing
        ins = np.asarray(ins, dtype=bool)
        return ins, np.asarray(sec & ~ins, dtype=bool)

    def undecided(self, hours: IntArray, x: FloatArray) -> BoolArray:
        """(hours, contingencies) suspects without a verdict at each hour's export."""
        want = self.suspect[hours] & (self.secure_to[hours] < x[:, None])
        want &= (self.insecure_from[hours] > x[:, None]) & ~self.exact[hours]
        exact = self.exact[hours]
        if exact.any():
            v = self.at(hours, x, exact)
            want[v.row[~v.known], v.contingency[~v.known]] = True
        return np.asarray(want, dtype=bool)

    def most_likely(self, hours: IntArray, want: BoolArray) -> BoolArray:
        """Keep, per hour, only the wanted suspect AC-insecure at the lowest export."""
        key = np.where(want, self.insecure_from[hours], np.inf)
        first = key.argmin(axis=1)
        one = np.zeros_like(want)
        rows = np.flatnonzero(want.any(axis=1))
        one[rows, first[rows]] = True
        return one


@dataclass(frozen=True, kw_only=True)
class SuspectVerdicts:
    """Known verdicts of (hour, suspect) pairs, one entry per pair (hours in row order)."""

    row: IntArray
    """Position of the pair's hour in the hours asked about."""
    contingency: IntArray
    known: BoolArray
    insecure: BoolArray
    severity: FloatArray
    element: IntArray
    kind: KindArray

    def any_insecure(self, n: int) -> BoolArray:
        """(n,) some suspect of the hour is known AC-insecure."""
        out = np.zeros(n, dtype=bool)
        out[self.row[self.known & self.insecure]] = True
        return out


E_PHASE, PROBE_PHASE, BISECT_PHASE, DONE_PHASE = 0, 1, 2, 3
"""Where an hour is on its path: at the estimate, one step above it, bisecting, done."""


@dataclass(kw_only=True)
class PathResult:
    """Where the path of each hour ended."""

    capability_mw: FloatArray
    tier: KindArray
    """1: the estimate, AC-verified; 3: refined by bisection."""
    last_insecure_mw: FloatArray
    """The last export of the estimate or the bisection found insecure (the limiter
    is read there); NaN if none."""
    insecure_above_mw: FloatArray
    """The lowest export above the capability found insecure (the last insecure
    export, or the step above the estimate); NaN if none."""
    steps: int


@dataclass(kw_only=True)
class _Path:
    """The state of every hour's path (arrays over the hours of a walk)."""

    estimate: FloatArray
    phase: npt.NDArray[np.int8]
    x: FloatArray
    """The export to decide next."""
    lo: FloatArray
    hi: FloatArray
    steps: IntArray
    refined: BoolArray
    last_bad: FloatArray
    above: FloatArray

    @staticmethod
    def start(estimate: FloatArray) -> _Path:
        n = estimate.size
        return _Path(
            estimate=estimate,
            phase=np.zeros(n, dtype=np.int8),
            x=estimate.astype(np.float64).copy(),
            lo=np.zeros(n),
            hi=np.full(n, np.inf),
            steps=np.zeros(n, dtype=np.int64),
            refined=np.zeros(n, dtype=bool),
            last_bad=np.full(n, np.nan),
            above=np.full(n, np.nan),
        )

    def advance(self, at: IntArray, bad: BoolArray, ceiling: float, resolution: float) -> None:
        """Apply the verdicts ``bad`` at the current export of the hours ``at``."""
        p = self.phase[at]
        e_bad = at[(p == E_PHASE) & bad]
        e_good = at[(p == E_PHASE) & ~bad]
        pr_good = at[(p == PROBE_PHASE) & ~bad]
        pr_bad = at[(p == PROBE_PHASE) & bad]
        b_bad = at[(p == BISECT_PHASE) & bad]
        b_good = at[(p == BISECT_PHASE) & ~bad]
        # the estimate fails: bisect between zero and it
        self.lo[e_bad], self.hi[e_bad] = 0.0, self.estimate[e_bad]
        self.last_bad[e_bad] = self.estimate[e_bad]
        # it passes: try one step above, unless that is above the ceiling
        step_up = e_good[self.estimate[e_good] + resolution <= ceiling]
        self.phase[step_up] = PROBE_PHASE
        self.x[step_up] = self.estimate[step_up] + resolution
        self.phase[np.setdiff1d(e_good, step_up)] = DONE_PHASE
        # the step above passes too: bisect between it and the ceiling; fails: done
        self.lo[pr_good], self.hi[pr_good] = self.x[pr_good], ceiling
        self.phase[pr_bad] = DONE_PHASE
        self.above[pr_bad] = self.x[pr_bad]
        self.above[e_bad] = self.estimate[e_bad]
        # a bisection step
        self.hi[b_bad], self.last_bad[b_bad] = self.x[b_bad], self.x[b_bad]
        self.above[b_bad] = self.x[b_bad]
        self.lo[b_good] = self.x[b_good]
        bis = at[p == BISECT_PHASE]
        self.steps[bis] += 1
        go = ((self.hi[bis] - self.lo[bis]) > resolution) & (self.steps[bis] < MAX_STEPS)
        self.phase[bis[~go]] = DONE_PHASE
        # the first bisection step is taken whatever the width of the interval
        first = np.concatenate([e_bad, pr_good])
        self.refined[first] = True
        self.phase[first] = BISECT_PHASE
        nxt = np.concatenate([first, bis[go]])
        self.x[nxt] = np.floor(0.5 * (self.lo[nxt] + self.hi[nxt]))


def walk(
    hours: IntArray,
    estimate_mw: FloatArray,
    knowledge: Knowledge,
    solve: Solve,
    *,
    ceiling_mw: float,
    resolution_mw: float,
) -> PathResult:
    """Follow the bisection path of ``hours`` (positions in the run), solving what is undecided.

    Parameters
    ----------
    hours
        The hours to search.
    estimate_mw
        (hours,) the linear estimate of each [MW].
    knowledge
        What AC has shown so far (updated by ``solve``).
    solve
        Solves wanted (hour, contingency) rows at an export each.
    ceiling_mw, resolution_mw
        The ceiling and the final width of the interval [MW].

    Returns
    -------
    PathResult
        Capability, tier and the last insecure export of each hour.
    """
    path = _Path.start(estimate_mw)
    while (path.phase != DONE_PHASE).any():
        idx = np.flatnonzero(path.phase != DONE_PHASE)
        ins, sec = knowledge.decide(hours[idx], path.x[idx])
        decided = ins | sec
        if decided.any():
            path.advance(idx[decided], ins[decided], ceiling_mw, resolution_mw)
            continue
        x = path.x[idx]
        want = knowledge.undecided(hours[idx], x)
        if not want.any(axis=1).all():
            raise RuntimeError("transfer search: an undecided export has no suspect to solve")
        first = knowledge.most_likely(hours[idx], want)
        solve(hours[idx], x, first)
        ins, _ = knowledge.decide(hours[idx], x)
        rest = want & ~first & ~ins[:, None]
        if rest.any():
            solve(hours[idx], x, rest)
    return PathResult(
        capability_mw=np.where(path.refined, path.lo, estimate_mw),
        tier=np.where(path.refined, 3, 1).astype(np.int8),
        last_insecure_mw=path.last_bad,
        insecure_above_mw=path.above,
        steps=int(path.steps.max()) if hours.size else 0,
    )
