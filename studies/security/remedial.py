"""Remedial actions after an outage: Afghan import runback, then under-voltage load shedding.

The post-contingency state of :mod:`casa1000.studies.security.post_contingency`
is what the outage leaves before anyone acts.  Where it does not converge
(voltage collapse) or the outage drives a bus of the action zones below the
voltage limit -- below it and more than :data:`OUTAGE_DROP_PU` below the bus's
voltage in the hour's base case, so that an hour already low before any outage
(a pre-contingency violation, which the base case reports) does not set the
schemes off in every contingency -- the operator's automatic schemes act, in
this order:

1. **Afghan import runback** (``RemedialRule.runback``): the offtake served over
   AC (as built, the Afghan import over the Tajik-Afghan corridor) is run back in
   ``steps`` equal steps of its post-outage value, down to nothing.  The
   suppliers' running plants back down by the same power, each supplier by its
   share of the export (participation rule of the post-contingency state); the
   power run back is export lost.  The compensation switched with the offtake
   follows what is left of it (the scheme trips the capacitor banks with the
   feeders: left in, they would lift the unloaded corridor far above its limit).
2. **Under-voltage load shedding** (``RemedialRule.shed``), if the runback (at
   its largest step, or if it is not allowed) does not restore the case: load at
   the buses of ``shed_zones`` (by default the zones served over AC, i.e. the
   Afghan buses) is shed in ``steps`` equal steps up to ``max_shed_fraction`` of
   it; the area's running plants back down by the participation rule (the
   frequency response to the load lost), and the compensation switched with the
   offtake follows what is left of it.  Load shed is load lost.

Each action stops at the smallest step that restores the case -- it converges
and no energised bus of the action zones is driven below the limit as above -- found
by bisection over the steps (more action never makes these cases worse).  A case
the largest actions do not restore stays a result: no action is taken (actions
that do not help are not an operator's answer: a Kyrgyz collapse is not helped by
running back the Afghan import) and the row is reported as the outage left it,
with outcome ``NOT_RESTORED`` (:class:`RemedialOutcome`).

The MW run back and shed are results per (hour, contingency).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from casa1000.errors import InputError
from casa1000.grid.params import IMPORT_CATEGORY
from casa1000.grid.schedule import switched_settings
from casa1000.studies.engine.row_solver import Level, SolvedRows, Status
from casa1000.studies.security.post_contingency import (
    PostContingency,
    PostState,
    share_by_participation,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
Trial = Callable[[IntArray, IntArray], list[tuple[PostState, IntArray]]]
"""``trial(k, at)``: the requests that solve row ``at[i]`` of a level at action step ``k[i]``."""

VOLTAGE_TOLERANCE_PU = 1e-9
"""A bus counts as below the limit only beyond it by more than this [pu]."""
OUTAGE_DROP_PU = 0.01
"""A bus below the limit calls for action only if the outage took it this far below
its base-case voltage of the hour [pu] (a low base case is not the outage's doing)."""


class RemedialOutcome(IntEnum):
    """What the remedial actions did in one (hour, contingency) row."""

    NONE = 0
    """No action needed: the case converged with the action zones within the limit."""
    RESTORED = 1
    """The actions restored convergence with the action zones within the limit."""
    NOT_RESTORED = 2
    """The largest actions allowed did not restore the case (reported as the outage left it)."""


@dataclass(frozen=True, kw_only=True)
class RemedialRule:
    """The post-contingency remedial actions allowed.

    Parameters
    ----------
    runback
        Run back the import of the offtakers served over AC (the Afghan corridor).
    shed
        Shed load by under-voltage load shedding.
    steps
        Steps of each action (runback: of the offtake; shedding: of
        ``max_shed_fraction``).
    shed_zones
        Zones whose load may be shed; empty: the zones served over AC.
    max_shed_fraction
        Most of the load of the shedding zones that may be shed [-].
    """

    runback: bool = True
    shed: bool = True
    steps: int = 10
    shed_zones: tuple[str, ...] = ()
    max_shed_fraction: float = 0.5

    def __post_init__(self) -> None:
        if not 1 <= self.steps <= 100:
            raise InputError("remedial", "steps", self.steps, "1 to 100 steps")
        if not 0 < self.max_shed_fraction <= 1:
            raise InputError(
                "remedial", "max_shed_fraction", self.max_shed_fraction, "a fraction in (0, 1]"
            )

    @property
    def active(self) -> bool:
        """Some action is allowed."""
        return self.runback or self.shed

    def describe(self) -> str:
        """One line stating the rule (for result attributes)."""
        if not self.active:
            return "none: the post-contingency state is reported as the outage leaves it"
        parts = []
        if self.runback:
            parts.append(
                f"Afghan (AC offtake) import run back in {self.steps} steps of its value, "
                "suppliers' running plants backing down"
            )
        if self.shed:
            zones = ", ".join(self.shed_zones) or "the zones served over AC"
            parts.append(
                f"then under-voltage load shedding at the buses of {zones} in {self.steps} "
                f"steps up to {self.max_shed_fraction:.0%} of their load, the area's running "
                "plants backing down"
            )
        return (
            "; ".join(parts)
            + "; each until the case converges with no bus of the action zones driven below "
            + f"vmin (and {OUTAGE_DROP_PU} pu below its base-case voltage) by the outage"
        )


@dataclass(frozen=True, kw_only=True)
class RemedialRecord:
    """What the actions did in some rows."""

    runback_mw: FloatArray
    """(rows,) offtake run back [MW]."""
    shed_mw: FloatArray
    """(rows,) load shed [MW]."""
    outcome: npt.NDArray[np.int8]
    """(rows,) :class:`RemedialOutcome`."""
    status_before: npt.NDArray[np.int8]
    """(rows,) load-flow outcome before any action."""


class Remedy:
    """Applies a :class:`RemedialRule` to the post-contingency states of some hours.

    Parameters
    ----------
    post
        The post-contingency states' maker (its network and base schedule).
    rule
        The actions allowed.
    vmin_pu
        Voltage limit of the action zones' buses [pu].
    reuse_brackets
        Try rows first on the step found for an earlier row of the same size
        (see :meth:`_smallest`); False: bisect every row in full.
    """

    def __init__(
        self,
        post: PostContingency,
        rule: RemedialRule,
        vmin_pu: float,
        *,
        reuse_brackets: bool = True,
    ) -> None:
        self.post = post
        self.reuse_brackets = reuse_brackets
        self.rule = rule
        self.vmin_pu = vmin_pu
        params = post.params
        net = post.built.net
        zone_of = {ld.id: ld.zone for ld in params.loads}
        category = {ld.id: ld.category for ld in params.loads}
        names = [str(n) for n in net.load.name]
        ac = set(params.ac_offtakers)
        shed_zones = set(rule.shed_zones) or ac
        self.runback_load = np.array(
            [rule.runback and zone_of.get(n) in ac for n in names], dtype=bool
        )
        self.shed_load = np.array(
            [
                rule.shed and zone_of.get(n) in shed_zones and category.get(n) != IMPORT_CATEGORY
                for n in names
            ],
            dtype=bool,
        )
        zone_of_bus = {b.id: b.zone for b in params.buses}
        watch_zones = (ac if rule.runback else set()) | (shed_zones if rule.shed else set())
        self.watch = np.array([zone_of_bus[str(b)] in watch_zones for b in net.bus.name])
        sched = post.base_schedule
        sent = sched.sent_mw
        self.supplier_share = np.divide(
            sched.supplier_export_mw,
            sent[:, None],
            out=np.zeros_like(sched.supplier_export_mw),
            where=sent[:, None] > 0,
        )
        self.load_area = np.array([post.bus_area[int(b)] for b in post.load_bus])
        ids = {ld.id for ld in params.loads}
        self.param_loads = [j for j, name in enumerate(names) if name in ids]
        self.param_load_ids = [names[j] for j in self.param_loads]
        switched = list(post.built.index.compensator)
        shunt_ids, _ = switched_settings(
            params, self.param_load_ids, np.zeros((1, len(self.param_loads)))
        )
        self.switched_cols = [switched.index(sid) for sid in shunt_ids]
        self._base_vm: FloatArray = np.zeros((0, len(net.bus)))

    def _shunts(self, load_p: FloatArray, shunt_q: FloatArray | None) -> FloatArray | None:
        """Return the switched shunts' settings following the offtake left in ``load_p``."""
        if shunt_q is None or not self.switched_cols:
            return shunt_q
        _, settings = switched_settings(
            self.post.params, self.param_load_ids, load_p[:, self.param_loads]
        )
        out = shunt_q.copy()
        out[:, self.switched_cols] = settings
        return out

    def needs(self, res: SolvedRows, base_vm_pu: FloatArray) -> BoolArray:
        """(rows,) rows that diverged, or where the outage drove a watched bus below the limit.

        ``base_vm_pu`` is the (rows, buses) base-case voltage of the rows' hours.
        """
        low = self._low(res, base_vm_pu)
        return np.asarray((res.status == Status.DIVERGED) | low, dtype=bool)

    def restored(self, res: SolvedRows, base_vm_pu: FloatArray) -> BoolArray:
        """(rows,) rows that converged with no watched bus driven below the limit."""
        return np.asarray(res.converged & ~self._low(res, base_vm_pu), dtype=bool)

    def _low(self, res: SolvedRows, base_vm_pu: FloatArray) -> BoolArray:
        vm = res.vm_pu[:, self.watch]
        # a bus whose base case is not known (diverged, islanded) is held to the limit alone
        floor = np.fmin(self.vmin_pu, base_vm_pu[:, self.watch] - OUTAGE_DROP_PU)
        with np.errstate(invalid="ignore"):
            low = (vm < floor - VOLTAGE_TOLERANCE_PU).any(axis=1)
        return np.asarray(res.converged & low, dtype=bool)

    def runback(self, state: PostState, fraction: FloatArray) -> PostState:
        """``state`` with the AC offtake run back by ``fraction`` (hours,) of it [-]."""
        inj = state.inj
        cols = self.runback_load
        cut = inj.load_p_mw[:, cols].sum(axis=1) * fraction
        load_p = inj.load_p_mw.copy()
        load_q = inj.load_q_mvar.copy()
        load_p[:, cols] *= (1.0 - fraction)[:, None]
        load_q[:, cols] *= (1.0 - fraction)[:, None]
        gen_p = inj.gen_p_mw.copy()
        running = self.post.gen_live & (gen_p > 0) & ~state.gen_out
        for k, zone in enumerate(self.post.base_schedule.suppliers):
            eligible = running & (self.post.gen_zone == zone)
            gen_p = share_by_participation(
                gen_p, -cut * self.supplier_share[:, k], eligible, self.post.gen_pmax
            )
        return dataclasses.replace(
            state,
            inj=self.post.injections(
                gen_p,
                inj.sgen_p_mw,
                load_p,
                load_q,
                self._shunts(load_p, inj.shunt_q_mvar),
                state.gen_out,
            ),
            export_cut_mw=state.export_cut_mw + cut,
        )

    def shed(self, state: PostState, fraction: FloatArray) -> tuple[PostState, FloatArray]:
        """``state`` with ``fraction`` (hours,) of the shedding zones' load shed; and the MW."""
        inj = state.inj
        cols = self.shed_load
        load_p = inj.load_p_mw.copy()
        load_q = inj.load_q_mvar.copy()
        shed = np.clip(load_p[:, cols], 0.0, None) * fraction[:, None]
        load_p[:, cols] -= shed
        load_q[:, cols] *= (1.0 - fraction)[:, None]
        gen_p = inj.gen_p_mw.copy()
        running = self.post.gen_live & (gen_p > 0) & ~state.gen_out
        for area in np.unique(self.load_area[cols]):
            in_area = cols & (self.load_area == area)
            lost = np.clip(inj.load_p_mw[:, in_area], 0.0, None).sum(axis=1) * fraction
            eligible = running & (self.post.gen_area == area)
            gen_p = share_by_participation(gen_p, -lost, eligible, self.post.gen_pmax)
        shed_state = dataclasses.replace(
            state,
            inj=self.post.injections(
                gen_p,
                inj.sgen_p_mw,
                load_p,
                load_q,
                self._shunts(load_p, inj.shunt_q_mvar),
                state.gen_out,
            ),
        )
        return shed_state, shed.sum(axis=1)

    def apply(
        self, level: Level, state: PostState, rows: IntArray, res: SolvedRows
    ) -> tuple[SolvedRows, RemedialRecord]:
        """Act on the rows of ``res`` that need it and return their final state.

        Parameters
        ----------
        level
            The level the rows belong to (solves the trial states).
        state
            The post-contingency state of every row of the level.
        rows
            Positions of ``res``'s rows in the level.
        res
            The rows as the outage leaves them.

        Returns
        -------
        tuple
            ``(final rows, record)``, row for row with ``res``.
        """
        n = rows.size
        record = RemedialRecord(
            runback_mw=np.zeros(n),
            shed_mw=np.zeros(n),
            outcome=np.zeros(n, dtype=np.int8),
            status_before=res.status.copy(),
        )
        if not self.rule.active:
            return res, record
        self._base_vm = level.base.vm_pu
        need = np.flatnonzero(self.needs(res, self._base_vm[rows]))
        if not need.size:
            return res, record
        final = _Rows(res)
        steps = self.rule.steps
        left = need
        hours = rows[need]
        offtake = state.inj.load_p_mw[:, self.runback_load].sum(axis=1)
        if self.rule.runback and offtake[hours].max(initial=0.0) > 0:

            def runback_trial(k: IntArray, at: IntArray) -> list[tuple[PostState, IntArray]]:
                return [
                    (self.runback(state, np.full(state.inj.rows, step / steps)), at[k == step])
                    for step in np.unique(k)
                ]

            pick, found = self._smallest(level, runback_trial, rows[need], steps, offtake[hours])
            has = offtake[hours] > 0
            done = found >= 0
            record.runback_mw[need] = np.where(
                has, offtake[hours] * np.where(done, found, steps) / steps, 0.0
            )
            final.put(need, pick)
            record.outcome[need] = np.where(done, RemedialOutcome.RESTORED, 0)
            left = need[~done]
        if self.rule.shed and left.size:
            base = self.runback(state, np.ones(state.inj.rows)) if self.rule.runback else state
            top = self.rule.max_shed_fraction
            load = np.clip(base.inj.load_p_mw[:, self.shed_load], 0.0, None).sum(axis=1)

            def shed_trial(k: IntArray, at: IntArray) -> list[tuple[PostState, IntArray]]:
                return [
                    (
                        self.shed(base, np.full(state.inj.rows, top * step / steps))[0],
                        at[k == step],
                    )
                    for step in np.unique(k)
                ]

            if load[rows[left]].max(initial=0.0) > 0:
                pick, found = self._smallest(level, shed_trial, rows[left], steps, load[rows[left]])
                done = found >= 0
                record.shed_mw[left] = load[rows[left]] * top * np.where(done, found, steps) / steps
                final.put(left, pick)
                record.outcome[left] = np.where(done, RemedialOutcome.RESTORED, 0)
                left = left[~done]
        # actions that do not restore the case are not taken (a Kyrgyz collapse is not
        # helped by running back the Afghan import): the row is the outage's own state
        record.outcome[left] = RemedialOutcome.NOT_RESTORED
        record.runback_mw[left] = 0.0
        record.shed_mw[left] = 0.0
        final.put(left, _take(res, left))
        return final.result(), record

    def _smallest(
        self, level: Level, trial: Trial, at: IntArray, steps: int, key: FloatArray
    ) -> tuple[SolvedRows, IntArray]:
        """Find, row by row, the smallest step (1..steps) that restores the case.

        Every row bisects the same ladder of steps, so rows of equal ``key``
        (the MW the action scales: offtake, or load) are expected to stop on the
        same step.  The first row of each key is bisected in full; the others are
        tried on its step ``k`` first -- ``k`` restores, ``k - 1`` does not --
        and bisected in full only where that does not hold.  Where a row's
        verdict is monotone in the step (the bisection assumes it too), both
        end on the same step, with the same state solved there.

        Returns the rows' results at the step found (at the largest step where
        none restores them) and that step (-1: none).
        """
        n = at.size
        if not self.reuse_brackets or n < 2:
            return self._bisect(level, trial, at, steps)
        _, first, group = np.unique(key, return_index=True, return_inverse=True)
        group = np.asarray(group).ravel()
        picked = _Rows.empty(level, n)
        best = np.full(n, -1, dtype=np.int64)
        res, found = self._bisect(level, trial, at[first], steps)
        picked.put(first, res)
        best[first] = found
        rest = np.setdiff1d(np.arange(n), first)
        guess = found[group[rest]]
        usable = rest[guess >= 1]
        k = guess[guess >= 1]
        base_vm = self._base_vm
        holds = np.zeros(usable.size, dtype=bool)
        if usable.size:
            at_k = self._solve(level, trial(k, at[usable]), k, at[usable])
            holds = self.restored(at_k, base_vm[at[usable]])
            below = np.flatnonzero(holds & (k > 1))
            if below.size:
                kb = k[below] - 1
                sub = at[usable[below]]
                at_below = self._solve(level, trial(kb, sub), kb, sub)
                holds[below] &= ~self.restored(at_below, base_vm[sub])
            took = np.flatnonzero(holds)
            picked.put(usable[took], _take(at_k, took))
            best[usable[took]] = k[took]
        left = np.setdiff1d(rest, usable[holds])
        if left.size:
            res, found = self._bisect(level, trial, at[left], steps)
            picked.put(left, res)
            best[left] = found
        return picked.result(), best

    def _bisect(
        self, level: Level, trial: Trial, at: IntArray, steps: int
    ) -> tuple[SolvedRows, IntArray]:
        """Bisect every row for the smallest step that restores it (see :meth:`_smallest`)."""
        n = at.size
        k = np.full(n, steps, dtype=np.int64)
        base_vm = self._base_vm
        results = self._solve(level, trial(k, at), k, at)
        ok = self.restored(results, base_vm[at])
        picked = _Rows.empty(level, n)
        picked.put(np.arange(n), results)
        lo = np.zeros(n, dtype=np.int64)  # known not to restore (step 0: the outage itself)
        hi = np.where(ok, steps, 0)
        while True:
            open_ = np.flatnonzero(ok & (hi - lo > 1))
            if not open_.size:
                break
            mid = (lo[open_] + hi[open_]) // 2
            sub = self._solve(level, trial(mid, at[open_]), mid, at[open_])
            good = self.restored(sub, base_vm[at[open_]])
            hi[open_] = np.where(good, mid, hi[open_])
            lo[open_] = np.where(good, lo[open_], mid)
            picked.put(open_[good], _take(sub, np.flatnonzero(good)))
        best = np.where(ok, hi, -1)
        return picked.result(), best

    @staticmethod
    def _solve(
        level: Level, requests: list[tuple[PostState, IntArray]], k: IntArray, at: IntArray
    ) -> SolvedRows:
        """Solve the requests and put their rows back in the order of ``at``."""
        results = level.solve(requests)
        out = _Rows.empty(level, at.size)
        for step, res in zip(np.unique(k), results, strict=True):
            out.put(np.flatnonzero(k == step), res)
        return out.result()


class _Rows:
    """Mutable row-wise copy of a :class:`SolvedRows`."""

    def __init__(self, res: SolvedRows) -> None:
        self.status = res.status.copy()
        self.area_status = res.area_status.copy()
        self.ac_solved = res.ac_solved.copy()
        self.vm_pu = res.vm_pu.copy()
        self.loading_percent = res.loading_percent.copy()
        self.p_from_mw = None if res.p_from_mw is None else res.p_from_mw.copy()

    @staticmethod
    def empty(level: Level, n: int) -> _Rows:
        solver = level.solver
        return _Rows(
            SolvedRows(
                status=np.full(n, Status.DIVERGED, dtype=np.int8),
                area_status=np.full((n, solver.n_areas), Status.DIVERGED, dtype=np.int8),
                ac_solved=np.ones(n, dtype=bool),
                vm_pu=np.full((n, solver.n_bus), np.nan),
                loading_percent=np.full((n, solver.n_branch), np.nan),
                p_from_mw=np.full((n, solver.n_branch), np.nan) if solver.keep_p_from else None,
            )
        )

    def put(self, where: IntArray, res: SolvedRows) -> None:
        self.status[where] = res.status
        self.area_status[where] = res.area_status
        self.ac_solved[where] = True
        self.vm_pu[where] = res.vm_pu
        self.loading_percent[where] = res.loading_percent
        if self.p_from_mw is not None and res.p_from_mw is not None:
            self.p_from_mw[where] = res.p_from_mw

    def result(self) -> SolvedRows:
        return SolvedRows(
            status=self.status,
            area_status=self.area_status,
            ac_solved=self.ac_solved,
            vm_pu=self.vm_pu,
            loading_percent=self.loading_percent,
            p_from_mw=self.p_from_mw,
        )


def _take(res: SolvedRows, rows: IntArray) -> SolvedRows:
    return SolvedRows(
        status=res.status[rows],
        area_status=res.area_status[rows],
        ac_solved=res.ac_solved[rows],
        vm_pu=res.vm_pu[rows],
        loading_percent=res.loading_percent[rows],
        p_from_mw=None if res.p_from_mw is None else res.p_from_mw[rows],
    )


__all__ = ["RemedialOutcome", "RemedialRecord", "RemedialRule", "Remedy"]
