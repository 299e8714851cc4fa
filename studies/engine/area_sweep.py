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

    @staticmethod
    def of(
        gen_bus: IntArray, proxy_load: IntArray, q_min_mvar: FloatArray, q_max_mvar: FloatArray
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

    def solve(
        self,
        model: Any,
        rows: SweepRows,
        v0: npt.NDArray[np.complex128],
        bus_cols: IntArray,
        branch_cols: IntArray,
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

        Returns
        -------
        SweepOut
            Row for row.
        """
        out = self._call(model, rows, v0, bus_cols, branch_cols)
        n_gen = self.gens.incidence.shape[0]
        q_min = rows.q_min_mvar if rows.q_min_mvar is not None else self._static(rows, True)
        q_max = rows.q_max_mvar if rows.q_max_mvar is not None else self._static(rows, False)
        regulating = ~rows.gen_out[:, :n_gen]
        limited = np.zeros((rows.rows, n_gen), dtype=bool)
        fixed = np.zeros((rows.rows, n_gen))
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
            pinned = ((over | under) @ inc.T > 0) & on
            if not pinned.any():
                break
            at_max = (over @ inc.T > 0) & pinned
            limited[todo] |= pinned
            fixed[todo] = np.where(pinned, np.where(at_max, q_max[todo], q_min[todo]), fixed[todo])
            todo = todo[pinned.any(axis=1)]
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
                for name in ("converged", "voltage", "branch", "gen_q_mvar", "iterations"):
                    getattr(redo, name)[i] = getattr(one, name)[0]
            redo.iterations += out.iterations[todo]
            for name in ("converged", "voltage", "branch", "gen_q_mvar", "iterations"):
                getattr(out, name)[todo] = getattr(redo, name)
        out.gen_q_mvar = self._share(out, regulating & ~limited, limited, fixed, q_min, q_max)
        out.q_limited = limited & out.converged[:, None]
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
        volt = np.asarray(sweep.get_voltages())[:, bus_cols]
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
            iterations=np.asarray(sweep.get_row_nb_iter(), dtype=np.int32).ravel(),
        )


__all__ = ["Q_LIMIT_TOLERANCE_MVAR", "AreaSweep", "GenBuses", "SweepOut", "SweepRows"]
