"""One batch of load flows on one area model, with generators' reactive limits enforced.

Every batch of the engine ends here: a lightsim2grid C++ sweep of rows (hours, or
hour x contingency pairs) on one synchronous area's model, each row with its own
injections and, where needed, its own outages (branches and generators masked by
``ScenarioSweepCPP``).

**Commitment.**  A generator that does not run in a row (dispatched at 0 MW) is
masked in that row: its bus does not regulate voltage (lightsim2grid keeps
out-of-service generators as PV nodes otherwise).

**Reactive limits (PV -> PQ switching).**  lightsim2grid's batch solvers do not
enforce generators' reactive limits, so the loop of pandapower's
``runpp(enforce_q_lims=True)`` is played here over the rows: solve; wherever the
generators regulating a bus together produce more than the sum of their
``q_max`` (or less than the sum of their ``q_min``), every one of them is pinned
at its limit -- masked, its active power and its limit injected by a proxy load
at its bus -- and those rows are solved again, until no bus violates.  A
generator once pinned stays pinned (pandapower never releases one either).

Why by bus and not by generator: pandapower shares a bus's reactive power among
its generators in proportion to their reactive ranges, and here every unit's
range is its rating times the same two factors
(:data:`~casa1000.grid.schedule.Q_MAX_PER_MW`, ``Q_MIN_PER_MW``), so all the
generators of a bus reach their limits together; pandapower then pins them
together (it makes the whole bus PQ).  Reported reactive outputs follow
pandapower's sharing rule.

**Warm start from the base case.**  A caller that knows which generators its
hour's base case pinned (an outage rarely changes them) passes them as a
*hint*: those rows start with the hinted generators already pinned, and the
loop above goes on from there (new violators are pinned and solved again).
The result is kept only where every pinned generator is still *pushed*
against its limit -- at ``q_max`` its bus voltage is at or below its setpoint
(as a PV generator it would need more than ``q_max``), at ``q_min`` at or
above it -- as in any consistent PV/PQ switching; a row where one is
not pushed, or that does not converge, is solved again from scratch.

The warm start is *not* pandapower's result in every row, so the row solver
uses it only when asked (``RowSolver(warm_q_limits=True)``).  pandapower's loop
is path dependent: it pins every violator of the *unlimited* solution at once
and never releases one, so it can end with a generator pinned that is within
its limits in the final state (2027, Toktogul plant tripped: Kambarata-2 pinned
at ``q_min`` with its bus 0.0007 pu below its setpoint), where the warm start
ends with it free; and where that set cannot be solved pandapower diverges and
the warm start converges.  Both states meet the limits.  Over the 2027 screen
(645,774 rows converged both ways) the warm start solves 38 % fewer area rows,
and 4,605 rows differ by more than 1e-6 pu (at most 0.05 pu, nearly all with a
Toktogul unit or plant out), 307 rows converge that pandapower does not.
Which generators pandapower pins is known only from the unlimited solution of
the row -- the very solve the warm start saves -- and a guard on the free
buses' room (scaled from the base case's own move) still missed 163 status
flips while solving more rows than the loop from scratch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

Q_LIMIT_TOLERANCE_MVAR = 1e-6
"""A bus violates its generators' reactive limits only beyond them by more than this [Mvar]."""
PUSHED_TOLERANCE_PU = 1e-9
"""A hinted generator pinned at ``q_max`` is pushed while its bus voltage is at most this
above its setpoint [pu] (below, at ``q_min``); the solver's own tolerance is 1e-8 pu of power."""


@dataclass(frozen=True, kw_only=True)
class SweepRows:
    """Inputs of some rows in the model's element order ([MW], [Mvar]).

    Generators are pandapower's followed by one slack generator per external
    grid; loads are pandapower's followed by one reactive-limit proxy per
    pandapower generator (zero unless that generator is pinned).
    """

    gen_p_mw: FloatArray
    """(rows, gens + ext_grids)."""
    sgen_p_mw: FloatArray
    load_p_mw: FloatArray
    """(rows, loads + proxies)."""
    load_q_mvar: FloatArray
    gen_out: BoolArray
    """(rows, gens + ext_grids) generators masked: tripped or not running."""
    line_out: BoolArray | None = None
    """(rows, lines) lines out, or None (none)."""
    trafo_out: BoolArray | None = None
    q_min_mvar: FloatArray | None = None
    """(rows, gens) reactive capability of the units running [Mvar]; None: the model's."""
    q_max_mvar: FloatArray | None = None

    @property
    def rows(self) -> int:
        """Number of rows."""
        return int(self.gen_p_mw.shape[0])

    def take(self, rows: IntArray) -> SweepRows:
        """Return the rows ``rows`` (positions)."""

        def pick(a: Any) -> Any:
            return None if a is None else a[rows]

        return SweepRows(
            gen_p_mw=self.gen_p_mw[rows],
            sgen_p_mw=self.sgen_p_mw[rows],
            load_p_mw=self.load_p_mw[rows],
            load_q_mvar=self.load_q_mvar[rows],
            gen_out=self.gen_out[rows],
            line_out=pick(self.line_out),
            trafo_out=pick(self.trafo_out),
            q_min_mvar=pick(self.q_min_mvar),
            q_max_mvar=pick(self.q_max_mvar),
        )


@dataclass(kw_only=True)
class SweepOut:
    """Results of some rows (bus and branch columns as asked for)."""

    converged: BoolArray
    voltage: npt.NDArray[np.complex128]
    """(rows, buses asked) complex voltage [pu]; 0 where not converged."""
    branch: FloatArray
    """(rows, branches asked, 4) P/Q at side 1 and side 2 [MW], [Mvar]."""
    gen_q_mvar: FloatArray
    """(rows, gens) reactive output by pandapower's sharing rule; 0 where masked [Mvar]."""
    q_limited: BoolArray
    """(rows, gens) generator pinned at a reactive limit."""
    q_at_max: BoolArray
    """(rows, gens) generator pinned at its upper limit (``q_max``)."""
    gen_vm_pu: FloatArray
    """(rows, gens) voltage magnitude at each generator's bus [pu]; 0 where not converged."""
    iterations: npt.NDArray[np.int32]
    """(rows,) Newton-Raphson iterations, summed over the reactive-limit rounds."""


@dataclass(frozen=True, kw_only=True)
class GenBuses:
    """Which pandapower generators share a bus, and their reactive-limit proxies."""

    incidence: FloatArray
    """(gens, generator buses) 1 where the generator sits at the bus."""
    proxy_load: IntArray
    """(gens,) position of each generator's proxy along the model's load axis."""
    q_min_mvar: FloatArray
    """(gens,) the model's own limits (used when the rows carry none) [Mvar]."""
    q_max_mvar: FloatArray
    bus: IntArray
    """(gens,) position of each generator's bus along the model's bus axis."""
    vm_set_pu: FloatArray
    """(gens,) voltage setpoint of each generator [pu]."""

    @staticmethod
    def of(
        gen_bus: IntArray,
        proxy_load: IntArray,
        q_min_mvar: FloatArray,
        q_max_mvar: FloatArray,
        vm_set_pu: FloatArray,
    ) -> GenBuses:
        """Group generators by their bus positions ``gen_bus``."""
        buses, where = np.unique(gen_bus, return_inverse=True)
        incidence = np.zeros((gen_bus.size, buses.size))
        incidence[np.arange(gen_bus.size), np.asarray(where).ravel()] = 1.0
        return GenBuses(
            incidence=incidence,
            proxy_load=proxy_load,
            q_min_mvar=q_min_mvar,
            q_max_mvar=q_max_mvar,
            bus=gen_bus,
            vm_set_pu=vm_set_pu,
        )


class AreaSweep:
    """Solves rows on one area model; counts what it does.

    Parameters
    ----------
    gens
        Generator grouping and proxies of the network.
    threads
        Worker threads of the C++ batch.
    max_iter, tol_pu
        Newton-Raphson limits.
    enforce_q_limits
        Play the PV -> PQ loop (else generators hold their voltage whatever
        their reactive output).
    handle_disconnected_grid
        Solve the largest component of a row split by its outages (see
        lightsim2grid's ``ScenarioSweepCPP``).
    """

    def __init__(
        self,
        gens: GenBuses,
        *,
        threads: int,
        max_iter: int,
        tol_pu: float,
        enforce_q_limits: bool,
        handle_disconnected_grid: bool = False,
    ) -> None:
        self.gens = gens
        self.threads = threads
        self.max_iter = max_iter
        self.tol_pu = tol_pu
        self.enforce_q_limits = enforce_q_limits
        self.handle_disconnected_grid = handle_disconnected_grid
        self.solver_s = 0.0
        """Time spent inside the C++ Newton-Raphson batches [s]."""
        self.rows_solved = 0
        """Rows handed to the C++ solver (the re-solves of the reactive-limit loop included)."""
        self.calls = 0
        self.q_rows_resolved = 0
        """Rows solved again with generators pinned at a reactive limit."""
        self.hint_rows = 0
        """Rows started with hinted generators pinned."""
        self.hint_rows_rejected = 0
        """Hinted rows solved again from scratch (a pinned generator not pushed, or diverged)."""

    def solve(
        self,
        model: Any,
        rows: SweepRows,
        v0: npt.NDArray[np.complex128],
        bus_cols: IntArray,
        branch_cols: IntArray,
        hint: npt.NDArray[np.int8] | None = None,
    ) -> SweepOut:
        """Solve ``rows`` on ``model``, enforcing reactive limits if asked.

        Parameters
        ----------
        model
            lightsim2grid ``LSGrid`` of the area (with its shunt settings).
        rows
            Inputs of the rows.
        v0
            (model buses,) start voltage [pu].
        bus_cols, branch_cols
            Bus and branch (lines, then trafos) positions to return.
        hint
            (rows, gens) generators to start pinned: +1 at ``q_max``, -1 at
            ``q_min``, 0 free (e.g. what the row's base case pinned).  It saves
            solves; the result is what the loop from scratch gives (see the
            module docstring).

        Returns
        -------
        SweepOut
            Row for row.
        """
        n_gen = self.gens.incidence.shape[0]
        none = np.zeros((rows.rows, n_gen), dtype=bool)
        if not self.enforce_q_limits or hint is None:
            return self._enforce(model, rows, v0, bus_cols, branch_cols, none, none)
        pre = (hint != 0) & ~rows.gen_out[:, :n_gen]
        hinted = pre.any(axis=1)
        if not hinted.any():
            return self._enforce(model, rows, v0, bus_cols, branch_cols, none, none)
        out = self._enforce(model, rows, v0, bus_cols, branch_cols, pre, pre & (hint > 0))
        live = out.gen_vm_pu > 0
        over = out.gen_vm_pu - self.gens.vm_set_pu
        pushed = (
            np.where(out.q_at_max, over <= PUSHED_TOLERANCE_PU, over >= -PUSHED_TOLERANCE_PU)
            | ~live
        )
        keep = out.converged & ~(out.q_limited & ~pushed).any(axis=1)
        redo = np.flatnonzero(hinted & ~keep)
        self.hint_rows += int(hinted.sum())
        self.hint_rows_rejected += redo.size
        if redo.size:
            none = np.zeros((redo.size, n_gen), dtype=bool)
            again = self._enforce(model, rows.take(redo), v0, bus_cols, branch_cols, none, none)
            for name in _FIELDS:
                getattr(out, name)[redo] = getattr(again, name)
        return out

    def _enforce(
        self,
        model: Any,
        rows: SweepRows,
        v0: npt.NDArray[np.complex128],
        bus_cols: IntArray,
        branch_cols: IntArray,
        pinned: BoolArray,
        at_max: BoolArray,
    ) -> SweepOut:
        """Play the PV -> PQ loop over ``rows``, from the generators ``pinned`` already pinned."""
        q_min = rows.q_min_mvar if rows.q_min_mvar is not None else self._static(rows, True)
        q_max = rows.q_max_mvar if rows.q_max_mvar is not None else self._static(rows, False)
        limited = pinned.copy()
        upper = at_max & pinned
        fixed = np.where(limited, np.where(upper, q_max, q_min), 0.0)
        first = self._pinned(rows, limited, fixed) if limited.any() else rows
        out = self._call(model, first, v0, bus_cols, branch_cols)
        n_gen = self.gens.incidence.shape[0]
        regulating = ~rows.gen_out[:, :n_gen]
        inc = self.gens.incidence
        todo = np.arange(rows.rows)
        for _ in range(inc.shape[1] + 1) if self.enforce_q_limits else ():
            on = regulating[todo] & ~limited[todo]
            q_bus = (out.gen_q_mvar[todo] * on) @ inc
            hi = (q_max[todo] * on) @ inc
            lo = (q_min[todo] * on) @ inc
            live = (on @ inc > 0) & out.converged[todo, None]
            over = live & (q_bus > hi + Q_LIMIT_TOLERANCE_MVAR)
            under = live & (q_bus < lo - Q_LIMIT_TOLERANCE_MVAR)
            new = ((over | under) @ inc.T > 0) & on
            if not new.any():
                break
            new_max = (over @ inc.T > 0) & new
            limited[todo] |= new
            upper[todo] |= new_max
            fixed[todo] = np.where(new, np.where(new_max, q_max[todo], q_min[todo]), fixed[todo])
            todo = todo[new.any(axis=1)]
            again = self._pinned(rows.take(todo), limited[todo], fixed[todo])
            self.q_rows_resolved += todo.size
            redo = self._call(model, again, v0, bus_cols, branch_cols)
            # a row the common start does not take there starts, as in pandapower's
            # loop, from the solution its limits were read from (one row per call,
            # so that no row's result depends on the rows solved with it)
            for i in np.flatnonzero(~redo.converged & out.converged[todo]):
                start = v0.copy()
                start[bus_cols] = out.voltage[todo[i]]
                one = self._call(model, again.take(np.array([i])), start, bus_cols, branch_cols)
                for name in _SOLVED:
                    getattr(redo, name)[i] = getattr(one, name)[0]
            redo.iterations += out.iterations[todo]
            for name in _SOLVED:
                getattr(out, name)[todo] = getattr(redo, name)
        out.gen_q_mvar = self._share(out, regulating & ~limited, limited, fixed, q_min, q_max)
        out.q_limited = limited & out.converged[:, None]
        out.q_at_max = upper & out.q_limited
        return out

    def _static(self, rows: SweepRows, low: bool) -> FloatArray:
        limits = self.gens.q_min_mvar if low else self.gens.q_max_mvar
        return np.broadcast_to(limits, (rows.rows, limits.size)).astype(np.float64)

    def _pinned(self, rows: SweepRows, limited: BoolArray, fixed: FloatArray) -> SweepRows:
        """Rows with the ``limited`` generators masked and replaced by their proxies."""
        n_gen = limited.shape[1]
        proxy = self.gens.proxy_load
        gen_p = rows.gen_p_mw.copy()
        load_p = rows.load_p_mw.copy()
        load_q = rows.load_q_mvar.copy()
        # a proxy is a load: it draws minus what the pinned generator injects
        load_p[:, proxy] = np.where(limited, -gen_p[:, :n_gen], 0.0)
        load_q[:, proxy] = np.where(limited, -fixed, 0.0)
        gen_p[:, :n_gen] = np.where(limited, 0.0, gen_p[:, :n_gen])
        gen_out = rows.gen_out.copy()
        gen_out[:, :n_gen] |= limited
        return SweepRows(
            gen_p_mw=gen_p,
            sgen_p_mw=rows.sgen_p_mw,
            load_p_mw=load_p,
            load_q_mvar=load_q,
            gen_out=gen_out,
            line_out=rows.line_out,
            trafo_out=rows.trafo_out,
            q_min_mvar=rows.q_min_mvar,
            q_max_mvar=rows.q_max_mvar,
        )

    def _share(
        self,
        out: SweepOut,
        regulating: BoolArray,
        limited: BoolArray,
        fixed: FloatArray,
        q_min: FloatArray,
        q_max: FloatArray,
    ) -> FloatArray:
        """Reactive output of each generator by pandapower's rule (``pfsoln``).

        The reactive power of a bus's regulating generators (their sum is what
        the load flow fixes) is shared in proportion to their reactive ranges,
        from their lower limits; a pinned generator gives its limit.
        """
        inc = self.gens.incidence
        q_bus = (out.gen_q_mvar * regulating) @ inc
        span = (q_max - q_min) * regulating
        span_bus = span @ inc
        base_bus = (q_min * regulating) @ inc
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(span_bus > 0, (q_bus - base_bus) / span_bus, 0.0)
            count = regulating @ inc
            even = np.where(count > 0, q_bus / np.maximum(count, 1), 0.0)
        share = (
            np.where(span > 0, q_min + span * (frac @ inc.T), (even @ inc.T) * regulating)
            * regulating
        )
        q: FloatArray = np.where(limited, fixed, share)
        return np.where(out.converged[:, None], q, np.nan)

    def _call(
        self,
        model: Any,
        rows: SweepRows,
        v0: npt.NDArray[np.complex128],
        bus_cols: IntArray,
        branch_cols: IntArray,
    ) -> SweepOut:
        """One C++ batch."""
        from lightsim2grid.lightsim2grid_cpp import InjectionSweepCPP, ScenarioSweepCPP

        masked = (
            rows.gen_out.any()
            or (rows.line_out is not None and rows.line_out.any())
            or (rows.trafo_out is not None and rows.trafo_out.any())
        )
        if masked or self.handle_disconnected_grid:
            sweep = ScenarioSweepCPP(model)
            sweep.handle_disconnected_grid = self.handle_disconnected_grid
            if rows.line_out is not None and rows.line_out.any():
                sweep.set_contingency_lines(np.ascontiguousarray(rows.line_out))
            if rows.trafo_out is not None and rows.trafo_out.any():
                sweep.set_contingency_trafos(np.ascontiguousarray(rows.trafo_out))
            if rows.gen_out.any():
                sweep.set_contingency_gens(np.ascontiguousarray(rows.gen_out))
        else:
            sweep = InjectionSweepCPP(model)
        sweep.nb_thread = self.threads
        sweep.compute_gen_results = True
        sweep.modify_gen_p(np.ascontiguousarray(rows.gen_p_mw, dtype=np.float64))
        if rows.sgen_p_mw.shape[1]:
            sweep.modify_sgen_p(np.ascontiguousarray(rows.sgen_p_mw, dtype=np.float64))
        sweep.modify_load_p(np.ascontiguousarray(rows.load_p_mw, dtype=np.float64))
        sweep.modify_load_q(np.ascontiguousarray(rows.load_q_mvar, dtype=np.float64))
        started = time.perf_counter()
        sweep.compute(v0, self.max_iter, self.tol_pu)
        self.solver_s += time.perf_counter() - started
        self.rows_solved += rows.rows
        self.calls += 1
        ok = np.asarray(sweep.converged_mask(), dtype=bool)
        every = np.asarray(sweep.get_voltages())
        volt = every[:, bus_cols]
        gen_vm = np.abs(every[:, self.gens.bus])
        res = np.asarray(sweep.compute_branch_results())[:, branch_cols, :]
        n_gen = self.gens.incidence.shape[0]
        gen = np.asarray(sweep.get_gen_results())
        gen_q = gen[:, :n_gen, 1] if gen.size else np.zeros((rows.rows, n_gen))
        return SweepOut(
            converged=ok,
            voltage=np.where(ok[:, None], volt, 0.0),
            branch=res,
            gen_q_mvar=np.array(gen_q, dtype=np.float64),
            q_limited=np.zeros((rows.rows, n_gen), dtype=bool),
            q_at_max=np.zeros((rows.rows, n_gen), dtype=bool),
            gen_vm_pu=np.where(ok[:, None], gen_vm, 0.0),
            iterations=np.asarray(sweep.get_row_nb_iter(), dtype=np.int32).ravel(),
        )


_SOLVED = ("converged", "voltage", "branch", "gen_q_mvar", "gen_vm_pu", "iterations")
"""Fields of :class:`SweepOut` one C++ call gives."""
_FIELDS = (*_SOLVED, "q_limited", "q_at_max")
"""Every row field of :class:`SweepOut`."""


__all__ = [
    "PUSHED_TOLERANCE_PU",
    "Q_LIMIT_TOLERANCE_MVAR",
    "AreaSweep",
    "GenBuses",
    "SweepOut",
    "SweepRows",
]
