"""Full AC load flow of chosen (hour, contingency) rows of a network, area by area.

A *row* is one hour of one post-contingency state
(:class:`~casa1000.studies.security.post_contingency.PostState`).  The rows of a
run at one operating point form a :class:`Level`; its base case is solved first
and every other row of the level is compared with it.  Each synchronous area is
solved on its own by lightsim2grid's ``ScenarioSweepCPP`` (Newton-Raphson, KLU,
``handle_disconnected_grid``) and the area results are put back together into
whole-network arrays in pandapower's element order, so they compare one to one
with ``pandapower.runpp`` (the oracle, see ``tests/studies/runpp_oracle.py``).

One exact saving, not a screen: an area whose injections and topology in a row
are those of the base case (a unit outage in an hour its plant is idle, an HVDC
outage while nothing is exported, any CAPS outage seen from Pakistan's area) *is*
the base case there, so its base-case results are copied, not solved again.

Start voltages: the base rows start from each area's own solved state
(:attr:`~casa1000.studies.engine.batch_ac.Area.v0`); the other rows from the base
solution averaged over a block of consecutive rows (:data:`V0_BLOCKS` blocks per
level).  Line-connected reactors that leave with their line, and the buses an
outage islands, are handled by a copy of the area model with them disconnected,
so the solver always keeps the slack's island.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from casa1000.studies.engine.area_sweep import AreaSweep
from casa1000.studies.engine.batch_ac import (
    Area,
    BatchAC,
    BranchGeometry,
    Injections,
    branch_loading,
)
from casa1000.studies.security.post_contingency import PostState

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
StatusArray = npt.NDArray[np.int8]

MAX_ITER = 20
"""Newton-Raphson iterations per row; converging rows of this network take at most 8.

Looser than the seasonal batch (30, 1e-10) on purpose: half a million rows, and a
row that has not converged in 20 iterations here does not converge in 30 either."""
TOLERANCE_PU = 1e-8
"""Largest power mismatch at convergence [pu on 100 MVA] (1e-6 MW)."""
V0_BLOCKS = 12
"""Blocks of consecutive rows per level; each block's rows start from its mean base solution."""
CALL_ROWS = 4_000
"""Most rows handed to one C++ call (its results take about 2 kB a row)."""


def v0_block(rows: int) -> int:
    """Rows per start-voltage block of a level of ``rows`` rows (:data:`V0_BLOCKS` blocks)."""
    return max(1, -(-rows // V0_BLOCKS))


class Status(IntEnum):
    """Outcome of one row's load flow."""

    CONVERGED = 0
    DIVERGED = 1
    """Newton-Raphson did not converge (voltage collapse or an infeasible case)."""
    NOT_SOLVED = 2
    """The island the solver kept is not the one holding the area's slack."""


STATUS_REASON = {
    Status.CONVERGED: "",
    Status.DIVERGED: f"Newton-Raphson did not converge in {MAX_ITER} iterations",
    Status.NOT_SOLVED: "the slack's island was not the largest component; not solved",
}

ModelKey = tuple[tuple[int, ...], tuple[int, ...]]
"""(line reactors out, islanded buses) that a row's area model lacks."""


@dataclass(frozen=True, kw_only=True)
class AreaTopology:
    """What the row solver knows of one synchronous area, in whole-network positions."""

    index: int
    area: Area
    branches: IntArray
    """Positions along the branch axis (lines, then ``n_line`` + trafos)."""
    has_branch: BoolArray
    """(branches,) the branch belongs to the area."""
    has_gen: BoolArray
    """(gens + ext_grids,) the generator (lightsim2grid order) belongs to the area."""
    geometry: BranchGeometry
    """Geometry of :attr:`branches`, end buses numbered within the area."""
    shunts: frozenset[int]
    """Positions in ``net.shunt`` of the area's shunts."""


@dataclass(frozen=True, kw_only=True)
class SolvedRows:
    """Whole-network results of some rows; bus and branch axes follow the pandapower tables."""

    status: StatusArray
    """(rows,) worst outcome over the areas (:class:`Status`)."""
    area_status: StatusArray
    """(rows, areas) outcome in each area."""
    ac_solved: BoolArray
    """(rows,) some area was AC-solved (False: every area is a copy of the base case)."""
    vm_pu: FloatArray
    """(rows, buses) voltage [pu]; NaN where de-energised or the area did not converge."""
    loading_percent: FloatArray
    """(rows, branches) loading [%]; 0 out of service, NaN where the area did not converge."""
    p_from_mw: FloatArray | None = None
    """(rows, branches) active power entering at the from/hv end [MW], when asked for."""

    @property
    def converged(self) -> BoolArray:
        """(rows,) every area converged."""
        return np.asarray(self.status == Status.CONVERGED, dtype=bool)


@dataclass(kw_only=True)
class AreaRows:
    """Results of some rows in one area (area bus and branch positions)."""

    status: StatusArray
    """(rows,) outcome."""
    vm_pu: FloatArray
    """(rows, area buses) [pu]; NaN where de-energised or not converged."""
    loading_percent: FloatArray
    """(rows, area branches) [%]."""
    p_from_mw: FloatArray | None
    """(rows, area branches) [MW], when asked for."""
    voltage: npt.NDArray[np.complex128]
    """(rows, area buses) complex voltage [pu]; 0 where not converged."""
    q_pin: npt.NDArray[np.int8] | None = None
    """(rows, gens) generators pinned at a reactive limit: +1 at ``q_max``, -1 at ``q_min``."""

    @staticmethod
    def concatenate(pieces: Sequence[AreaRows]) -> AreaRows:
        """Stack pieces row-wise."""
        if len(pieces) == 1:
            return pieces[0]
        p_from = [p.p_from_mw for p in pieces if p.p_from_mw is not None]
        return AreaRows(
            status=np.concatenate([p.status for p in pieces]),
            vm_pu=np.concatenate([p.vm_pu for p in pieces]),
            loading_percent=np.concatenate([p.loading_percent for p in pieces]),
            p_from_mw=np.concatenate(p_from) if p_from else None,
            voltage=np.concatenate([p.voltage for p in pieces]),
        )


@dataclass
class _Group:
    """Rows of one (area, model, start-voltage block) waiting for one C++ call."""

    request: list[int] = field(default_factory=list)
    position: list[IntArray] = field(default_factory=list)
    rows: list[IntArray] = field(default_factory=list)
    branch_out: list[BoolArray] = field(default_factory=list)
    gen_out: list[BoolArray] = field(default_factory=list)


class RowSolver:
    """Solves rows of a built network area by area (the engine of every N-1 study).

    Parameters
    ----------
    batch
        The batch solver of the network (its area models and start voltages).
    threads
        Worker threads of the C++ batch.
    keep_p_from
        Also return the active power at the from end of every branch.
    warm_q_limits
        Start each contingency row with the generators its hour's base case
        pinned at a reactive limit already pinned: about 40 % fewer rows
        solved, but not always pandapower's result (see
        :mod:`~casa1000.studies.engine.area_sweep`); False (default): every
        row from scratch, as ``runpp(enforce_q_lims=True)``.
    """

    def __init__(
        self,
        batch: BatchAC,
        *,
        threads: int = 2,
        keep_p_from: bool = False,
        warm_q_limits: bool = False,
    ) -> None:
        self.batch = batch
        self.warm_q_limits = warm_q_limits
        self.threads = threads
        self.keep_p_from = keep_p_from
        self.sweep: AreaSweep = batch.area_sweep(
            threads, max_iter=MAX_ITER, tol_pu=TOLERANCE_PU, handle_disconnected_grid=True
        )
        net = batch.net
        self.n_branch = batch.n_line + batch.n_trafo
        self.n_bus = batch.n_bus
        self.n_ext = len(net.ext_grid)
        self.n_areas = len(batch.areas)
        shunt_bus = batch.bus_positions("shunt")
        topologies = []
        for k, area in enumerate(batch.areas):
            local = {int(b): i for i, b in enumerate(area.bus)}
            branches = np.concatenate([area.line, batch.n_line + area.trafo]).astype(np.int64)
            has_branch = np.zeros(self.n_branch, dtype=bool)
            has_branch[branches] = True
            has_gen = np.zeros(len(net.gen) + self.n_ext, dtype=bool)
            has_gen[area.gen] = True
            topologies.append(
                AreaTopology(
                    index=k,
                    area=area,
                    branches=branches,
                    has_branch=has_branch,
                    has_gen=has_gen,
                    geometry=batch.geometry.subset(area.line, area.trafo, local),
                    shunts=frozenset(int(s) for s, b in enumerate(shunt_bus) if int(b) in local),
                )
            )
        self.areas: tuple[AreaTopology, ...] = tuple(topologies)
        self._models: dict[tuple[int, ModelKey, tuple[float, ...]], Any] = {}

    @property
    def solver_s(self) -> float:
        """Time spent inside the C++ Newton-Raphson batches [s]."""
        return self.sweep.solver_s

    @property
    def rows_solved(self) -> int:
        """Area rows handed to the C++ solver (reactive-limit re-solves included)."""
        return self.sweep.rows_solved

    @property
    def calls(self) -> int:
        """C++ batch calls made."""
        return self.sweep.calls

    def level(self, base: PostState, *, block: int | None = None) -> Level:
        """Solve the base case of a run of rows and return the level that holds it.

        ``block``: rows per start-voltage block (see :class:`Level`).
        """
        return Level(self, base, block=block)

    def model(self, k: int, key: ModelKey, setting: tuple[float, ...] = ()) -> Any:
        """Return area ``k``'s model without the line reactors and islanded buses of ``key``.

        ``setting`` is the setting of the area's switched shunts (see
        :meth:`~casa1000.studies.engine.batch_ac.BatchAC.setting_model`).
        """
        base = self.batch.setting_model(k, setting)
        if key == ((), ()):
            return base
        if (k, key, setting) not in self._models:
            batch = self.batch
            shunts, island = key
            model = base.copy()
            dead = np.zeros(self.n_bus, dtype=bool)
            dead[list(island)] = True
            for s in shunts:
                model.deactivate_shunt(int(s))
            for i in np.flatnonzero(dead[batch.load_bus_model]):
                model.deactivate_load(int(i))
            for table, off in (
                ("sgen", model.deactivate_sgen),
                ("gen", model.deactivate_gen),
                ("shunt", model.deactivate_shunt),
            ):
                for i in np.flatnonzero(dead[batch.bus_positions(table)]):
                    off(int(i))
            g = batch.geometry
            for i in np.flatnonzero(dead[g.line_from] | dead[g.line_to]):
                model.deactivate_powerline(int(i))
            for i in np.flatnonzero(dead[g.trafo_hv] | dead[g.trafo_lv]):
                model.deactivate_trafo(int(i))
            for b in island:
                model.deactivate_bus(int(b))
            self._models[(k, key, setting)] = model
        return self._models[(k, key, setting)]

    def run_area(
        self,
        topo: AreaTopology,
        key: ModelKey,
        state_rows: Sequence[tuple[PostState, IntArray]],
        branch_out: BoolArray,
        gen_out: BoolArray,
        v0: npt.NDArray[np.complex128],
        hint: npt.NDArray[np.int8] | None = None,
    ) -> AreaRows:
        """Solve rows of one area with one model and one start voltage.

        Parameters
        ----------
        topo
            The area.
        key
            Line reactors out and islanded buses (the model to use).
        state_rows
            Pieces of rows: a state and the row positions taken from it, in order.
        branch_out, gen_out
            (rows, branches), (rows, gens + ext_grids) outages of each row.
        v0
            (buses,) start voltage [pu].
        hint
            (rows, gens) generators to start pinned at a reactive limit (their
            base case's :attr:`AreaRows.q_pin`), or None; the results do not
            depend on it (see :meth:`~casa1000.studies.engine.area_sweep.AreaSweep.solve`).

        Returns
        -------
        AreaRows
            The rows in order.
        """
        area = topo.area
        inj = stack_injections([st.inj.take(r) for st, r in state_rows])
        rows = self.batch.sweep_rows(inj, gen_out=gen_out, branch_out=branch_out)
        expected = np.ones(len(area.bus), dtype=bool)
        expected[np.isin(area.bus, key[1])] = False
        n = inj.rows
        n_br = topo.branches.size
        status = np.zeros(n, dtype=np.int8)
        vm = np.full((n, area.bus.size), np.nan)
        loading = np.full((n, n_br), np.nan)
        p_from = np.full((n, n_br), np.nan) if self.keep_p_from else None
        voltage = np.zeros((n, area.bus.size), dtype=np.complex128)
        q_pin = np.zeros((n, self.sweep.gens.incidence.shape[0]), dtype=np.int8)
        for setting, sel in self.batch.settings(topo.index, inj):
            model = self.model(topo.index, key, setting)
            for lo in range(0, sel.size, CALL_ROWS):
                part = sel[lo : lo + CALL_ROWS]
                out = self.sweep.solve(
                    model,
                    rows.take(part),
                    v0,
                    area.bus,
                    topo.branches,
                    None if hint is None else hint[part],
                )
                ok = out.converged
                mag = np.abs(out.voltage)
                st = np.where(ok, Status.CONVERGED, Status.DIVERGED).astype(np.int8)
                st[ok & ((mag > 0) != expected).any(axis=1)] = Status.NOT_SOLVED
                good = st == Status.CONVERGED
                mag = np.where(good[:, None] & (mag > 0), mag, np.nan)
                status[part] = st
                vm[part] = mag
                loading[part] = branch_loading(topo.geometry, out.branch, mag, good)
                if p_from is not None:
                    p_from[part] = np.where(good[:, None], out.branch[:, :, 0], np.nan)
                voltage[part] = out.voltage
                q_pin[part] = np.where(out.q_at_max, 1, -1) * out.q_limited
        return AreaRows(
            status=status,
            vm_pu=vm,
            loading_percent=loading,
            p_from_mw=p_from,
            voltage=voltage,
            q_pin=q_pin,
        )


def stack_injections(pieces: Sequence[Injections]) -> Injections:
    """Stack injections row-wise (a control state is kept only if every piece has it)."""
    if len(pieces) == 1:
        return pieces[0]

    def cat(name: str) -> Any:
        parts = [getattr(p, name) for p in pieces]
        return None if any(x is None for x in parts) else np.concatenate(parts)

    return Injections(
        gen_p_mw=cat("gen_p_mw"),
        sgen_p_mw=cat("sgen_p_mw"),
        load_p_mw=cat("load_p_mw"),
        load_q_mvar=cat("load_q_mvar"),
        shunt_q_mvar=cat("shunt_q_mvar"),
        gen_on=cat("gen_on"),
        gen_q_min_mvar=cat("gen_q_min_mvar"),
        gen_q_max_mvar=cat("gen_q_max_mvar"),
    )


StartVoltage = Callable[[int, IntArray], npt.NDArray[np.complex128]]
"""``start(area, rows)``: the (buses,) start voltage [pu] of some rows of a level in one area."""


class Level:
    """The rows of a run at one operating point, with their base case.

    Parameters
    ----------
    solver
        The row solver of the network.
    base
        Base-case state of every row (hour) of the level.
    start
        Start voltages of the contingency rows.  Without it the base case is
        solved in every area at once and each block of rows starts from its mean
        base solution; with it, the base case of an area is solved only if a
        row copies it.
    keep_voltage
        Keep the complex base-case voltage of every row (:attr:`base_voltage`).
    block
        Rows per start-voltage block; by default the level's rows split into
        :data:`V0_BLOCKS` blocks.  A caller that solves a long run of rows level by
        level gives every level the block of the whole run, and levels that start
        on a block boundary, so each row starts where it would in one level.
    """

    def __init__(
        self,
        solver: RowSolver,
        base: PostState,
        *,
        start: StartVoltage | None = None,
        keep_voltage: bool = False,
        block: int | None = None,
    ) -> None:
        self.solver = solver
        self.base_state = base
        self.n_rows = base.inj.rows
        self.block = block or v0_block(self.n_rows)
        self.start = start
        self.keep_voltage = keep_voltage
        self.base_voltage: dict[int, npt.NDArray[np.complex128]] = {}
        """Area -> (rows, area buses) base-case voltage [pu] (0: not converged), if kept."""
        self._area_base: dict[int, AreaRows] = {}
        self._v0: dict[tuple[int, int], npt.NDArray[np.complex128]] = {}
        self._base: SolvedRows | None = None
        if start is None:
            for topo in solver.areas:
                self._solve_base(topo)

    def _solve_base(self, topo: AreaTopology) -> AreaRows:
        if topo.index in self._area_base:
            return self._area_base[topo.index]
        solver, area = self.solver, topo.area
        every = np.arange(self.n_rows)
        no_branch = np.zeros((self.n_rows, solver.n_branch), dtype=bool)
        no_gen = np.zeros((self.n_rows, len(solver.batch.net.gen) + solver.n_ext), dtype=bool)
        rows = solver.run_area(
            topo, ((), ()), [(self.base_state, every)], no_branch, no_gen, area.v0
        )
        if self.start is None:
            good = np.abs(rows.voltage).min(axis=1) > 0
            for g in range(-(-self.n_rows // self.block)):
                sel = slice(g * self.block, (g + 1) * self.block)
                block_rows = rows.voltage[sel][good[sel]]
                v0 = area.v0.copy()
                if block_rows.shape[0]:
                    v0[area.bus] = block_rows.mean(axis=0)
                self._v0[(topo.index, g)] = v0
        if self.keep_voltage:
            self.base_voltage[topo.index] = rows.voltage
        rows.voltage = np.zeros((0, 0), dtype=np.complex128)
        self._area_base[topo.index] = rows
        return rows

    def v0(self, k: int, g: int) -> npt.NDArray[np.complex128]:
        """Start voltage of block ``g`` of the level's rows in area ``k``."""
        if (k, g) not in self._v0:
            if self.start is None:
                self._solve_base(self.solver.areas[k])
            else:
                rows = np.arange(g * self.block, min(self.n_rows, (g + 1) * self.block))
                self._v0[(k, g)] = self.start(k, rows)
        return self._v0[(k, g)]

    @property
    def base(self) -> SolvedRows:
        """The base case of every row (solved in every area)."""
        if self._base is None:
            parts = [self._solve_base(topo) for topo in self.solver.areas]
            self._base = self._combine(parts, np.ones((self.n_rows, self.solver.n_areas), bool))
        return self._base

    def _combine(self, parts: Sequence[AreaRows], solved: BoolArray) -> SolvedRows:
        solver = self.solver
        n = parts[0].status.shape[0]
        vm = np.full((n, solver.n_bus), np.nan)
        loading = np.full((n, solver.n_branch), np.nan)
        p_from = np.full((n, solver.n_branch), np.nan) if solver.keep_p_from else None
        area_status = np.zeros((n, solver.n_areas), dtype=np.int8)
        for topo, part in zip(solver.areas, parts, strict=True):
            area_status[:, topo.index] = part.status
            vm[:, topo.area.bus] = part.vm_pu
            loading[:, topo.branches] = part.loading_percent
            if p_from is not None and part.p_from_mw is not None:
                p_from[:, topo.branches] = part.p_from_mw
        return SolvedRows(
            status=area_status.max(axis=1).astype(np.int8),
            area_status=area_status,
            ac_solved=np.asarray(solved.any(axis=1), dtype=bool),
            vm_pu=vm,
            loading_percent=loading,
            p_from_mw=p_from,
        )

    def _from_base(self, topo: AreaTopology, rows: IntArray) -> AreaRows:
        """Return the base-case results of ``rows`` in one area (what an unchanged area is)."""
        base = self._solve_base(topo)
        return AreaRows(
            status=base.status[rows],
            vm_pu=base.vm_pu[rows],
            loading_percent=base.loading_percent[rows],
            p_from_mw=None if base.p_from_mw is None else base.p_from_mw[rows],
            voltage=np.zeros((0, 0), dtype=np.complex128),
        )

    def _unsolved(self, topo: AreaTopology, n: int) -> AreaRows:
        """Empty results of ``n`` rows of one area (every row will be solved)."""
        n_bus, n_br = topo.area.bus.size, topo.branches.size
        return AreaRows(
            status=np.zeros(n, dtype=np.int8),
            vm_pu=np.full((n, n_bus), np.nan),
            loading_percent=np.full((n, n_br), np.nan),
            p_from_mw=np.full((n, n_br), np.nan) if self.solver.keep_p_from else None,
            voltage=np.zeros((0, 0), dtype=np.complex128),
        )

    def solve(self, requests: Sequence[tuple[PostState, IntArray]]) -> list[SolvedRows]:
        """Solve rows of some post-contingency states of this level.

        Parameters
        ----------
        requests
            ``(state, rows)`` pairs: a state of this level's rows (made by the
            same :class:`~casa1000.studies.security.post_contingency.PostContingency`
            as the base) and the row positions to solve.  The caller bounds the
            total number of rows (results take about 1 kB a row).

        Returns
        -------
        list of SolvedRows
            One per request, row for row.
        """
        solver = self.solver
        groups: dict[tuple[int, ModelKey, int], _Group] = {}
        n_gen_all = len(solver.batch.net.gen) + solver.n_ext
        parts: list[list[AreaRows]] = []
        solved_masks: list[BoolArray] = []
        for i, (state, rows) in enumerate(requests):
            if state.inj.rows != self.n_rows:
                raise ValueError("a request's state does not cover the level's rows")
            solved = np.zeros((rows.size, solver.n_areas), dtype=bool)
            request_parts = []
            for topo in solver.areas:
                area = topo.area
                branch_out = state.branch_out & topo.has_branch
                gen_out = np.concatenate([state.gen_out, np.zeros(solver.n_ext, bool)])
                gen_out &= topo.has_gen
                shunts = tuple(s for s in state.shunts_out if s in topo.shunts)
                island = tuple(int(b) for b in area.bus[state.island_bus[area.bus]])
                if branch_out.any() or gen_out.any() or shunts:
                    todo = np.arange(rows.size)
                else:
                    todo = np.flatnonzero(_differs(state, self.base_state, area, rows))
                # an area starts as its base case; the rows that differ are overwritten
                request_parts.append(
                    self._from_base(topo, rows)
                    if todo.size < rows.size
                    else self._unsolved(topo, rows.size)
                )
                if not todo.size:
                    continue
                solved[todo, topo.index] = True
                blocks = rows[todo] // self.block
                for g in np.unique(blocks):
                    pick = todo[blocks == g]
                    grp = groups.setdefault((topo.index, (shunts, island), int(g)), _Group())
                    grp.request.append(i)
                    grp.position.append(pick)
                    grp.rows.append(rows[pick])
                    grp.branch_out.append(np.broadcast_to(branch_out, (pick.size, branch_out.size)))
                    grp.gen_out.append(np.broadcast_to(gen_out, (pick.size, n_gen_all)))
            parts.append(request_parts)
            solved_masks.append(solved)
        for (k, key, g), grp in groups.items():
            pieces = [(requests[i][0], r) for i, r in zip(grp.request, grp.rows, strict=True)]
            v0 = self.v0(k, g)
            # the generators each hour's base case pinned start pinned (when it is solved)
            base = self._area_base.get(k)
            hint = None
            if (
                solver.warm_q_limits
                and base is not None
                and base.q_pin is not None
                and base.q_pin.any()
            ):
                hours = np.concatenate(grp.rows)
                hint = base.q_pin[hours]
            out = solver.run_area(
                solver.areas[k],
                key,
                pieces,
                np.concatenate(grp.branch_out),
                np.concatenate(grp.gen_out),
                v0,
                hint,
            )
            lo = 0
            for i, pos in zip(grp.request, grp.position, strict=True):
                sl = slice(lo, lo + pos.size)
                lo += pos.size
                part = parts[i][k]
                part.status[pos] = out.status[sl]
                part.vm_pu[pos] = out.vm_pu[sl]
                part.loading_percent[pos] = out.loading_percent[sl]
                if part.p_from_mw is not None and out.p_from_mw is not None:
                    part.p_from_mw[pos] = out.p_from_mw[sl]
        return [self._combine(p, s) for p, s in zip(parts, solved_masks, strict=True)]


T = TypeVar("T")
R = TypeVar("R")


def prefetch(solve: Callable[[T], R], work: Iterable[T]) -> Iterator[R]:
    """Yield ``solve(w)`` for each ``w`` of ``work``, solving the next while the caller works.

    lightsim2grid releases the GIL while it solves, so the Python work the caller
    does on one result (reductions, verdicts) overlaps the C++ solve of the next:
    the two cores stay busy.  At most two results are alive at once.
    """
    items = iter(work)
    first = next(items, None)
    if first is None:
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(solve, first)
        for item in items:
            done = pending.result()
            pending = pool.submit(solve, item)
            yield done
        yield pending.result()


def _differs(state: PostState, base: PostState, area: Area, rows: IntArray) -> BoolArray:
    """(rows,) any injection or control state of ``area`` differs from the base case."""
    inj, ref = state.inj, base.inj
    out = np.zeros(rows.size, dtype=bool)
    for name, cols in (
        ("gen_p_mw", area.gen),
        ("sgen_p_mw", area.sgen),
        ("load_p_mw", area.load),
        ("load_q_mvar", area.load),
        ("shunt_q_mvar", area.switched),
        ("gen_on", area.gen),
        ("gen_q_min_mvar", area.gen),
        ("gen_q_max_mvar", area.gen),
    ):
        mine, theirs = getattr(inj, name), getattr(ref, name)
        if mine is None and theirs is None:
            continue
        if mine is None or theirs is None:
            return np.ones(rows.size, dtype=bool)
        out |= (mine[rows][:, cols] != theirs[rows][:, cols]).any(axis=1)
    return out
