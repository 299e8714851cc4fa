"""Many AC load flows of one network at once: the fast path of every study.

Each synchronous area becomes its own lightsim2grid model (lightsim2grid solves a
single island with a single slack), and the hours -- or hour x contingency rows
-- are solved by its C++ batch classes: ``InjectionSweepCPP`` for independent
rows (each started from the same voltage, so one non-convergent hour cannot
spoil the next) and ``ScenarioSweepCPP`` when rows also drop branches.  Results
come back in pandapower's element order, so they compare one to one with
``pandapower.runpp``, the oracle (see ``tests/studies/test_batch_ac.py``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from casa1000.errors import StudyError
from casa1000.grid.areas import synchronous_areas
from casa1000.grid.builder import BuiltNet

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MAX_ITER = 30
TOLERANCE_PU = 1e-10
THREADS = 2


@dataclass(frozen=True, kw_only=True)
class Injections:
    """Per-row injections in pandapower element order ([MW], [Mvar])."""

    gen_p_mw: FloatArray
    sgen_p_mw: FloatArray
    load_p_mw: FloatArray
    load_q_mvar: FloatArray

    @property
    def rows(self) -> int:
        """Number of rows (hours, or hour x contingency pairs)."""
        return int(self.load_p_mw.shape[0])


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    """Solved rows; bus and branch axes follow the pandapower tables (lines, then trafos)."""

    converged: BoolArray
    """(rows,) every area of the row converged."""
    area_converged: BoolArray
    """(rows, areas) per area."""
    vm_pu: FloatArray
    va_degree: FloatArray
    p_from_mw: FloatArray
    q_from_mvar: FloatArray
    p_to_mw: FloatArray
    q_to_mvar: FloatArray
    loading_percent: FloatArray
    ext_p_mw: FloatArray
    """(rows, ext_grids) slack injections."""
    iterations: npt.NDArray[np.int32]
    energized: BoolArray
    """(rows, buses) bus supplied (False for a bus islanded by the row's outage)."""

    @property
    def pl_mw(self) -> FloatArray:
        """(rows, branches) active losses of each branch [MW]."""
        return self.p_from_mw + self.p_to_mw


@dataclass(frozen=True, kw_only=True)
class _Area:
    name: str
    bus: npt.NDArray[np.int64]
    line: npt.NDArray[np.int64]
    trafo: npt.NDArray[np.int64]
    gen: npt.NDArray[np.int64]
    sgen: npt.NDArray[np.int64]
    load: npt.NDArray[np.int64]
    ext: npt.NDArray[np.int64]
    model: Any
    v0: npt.NDArray[np.complex128]


class BatchAC:
    """Batch AC solver of a built network.

    One lightsim2grid model is made from the whole network; each synchronous
    area gets a copy with the elements of the other areas deactivated, so every
    array keeps pandapower's full element order.  Starting voltages come from one
    Newton-Raphson solve of each area at the network's own injections (flat start
    with the voltage set-points if that fails).

    Parameters
    ----------
    built
        The network (not modified).
    """

    def __init__(self, built: BuiltNet) -> None:
        from lightsim2grid.network import init_from_pandapower

        self.built = built
        net = built.net
        self.net = net
        self.bus_pos = {b: i for i, b in enumerate(net.bus.index)}
        with warnings.catch_warnings():
            # lightsim2grid announces that it turns each ext_grid into a slack generator
            warnings.simplefilter("ignore", UserWarning)
            full = init_from_pandapower(net)
        if len(full.get_generators()) != len(net.gen) + len(net.ext_grid):
            raise StudyError("a generator shares a bus with an external grid; not supported")
        areas = synchronous_areas(built.params)
        bus_area = np.array([areas[str(name)] for name in net.bus.name])
        self.area_names = sorted({a for a in areas.values() if a})
        self.n_bus = len(net.bus)
        self.areas = [self._area(full, name, bus_area) for name in self.area_names]
        self.n_line = len(net.line)
        self.n_trafo = len(net.trafo)
        self.line_vn_kv = net.bus.vn_kv.to_numpy()[[self.bus_pos[b] for b in net.line.from_bus]]
        self.line_from = np.array([self.bus_pos[b] for b in net.line.from_bus])
        self.line_to = np.array([self.bus_pos[b] for b in net.line.to_bus])
        self.line_imax_ka = (net.line.max_i_ka * net.line.df * net.line.parallel).to_numpy()
        self.trafo_hv = np.array([self.bus_pos[b] for b in net.trafo.hv_bus])
        self.trafo_lv = np.array([self.bus_pos[b] for b in net.trafo.lv_bus])
        self.trafo_sn = (net.trafo.sn_mva * net.trafo.parallel).to_numpy()

    def _area(self, full: Any, name: str, bus_area: npt.NDArray[np.str_]) -> _Area:
        net = self.net
        model = full.copy()
        inside = bus_area == name

        def pos(table: str, bus_col: str = "bus") -> npt.NDArray[np.int64]:
            buses = getattr(net, table)[bus_col].map(self.bus_pos).to_numpy(dtype=np.int64)
            return np.flatnonzero(inside[buses]).astype(np.int64)

        for element, ids in (
            (model.deactivate_powerline, np.flatnonzero(~inside[self._ends("line", "from_bus")])),
            (model.deactivate_trafo, np.flatnonzero(~inside[self._ends("trafo", "hv_bus")])),
            (model.deactivate_load, np.flatnonzero(~inside[self._ends("load", "bus")])),
            (model.deactivate_sgen, np.flatnonzero(~inside[self._ends("sgen", "bus")])),
            (model.deactivate_shunt, np.flatnonzero(~inside[self._ends("shunt", "bus")])),
        ):
            for i in ids:
                element(int(i))
        gen_buses = [g.bus_id for g in full.get_generators()]
        for g, b in enumerate(gen_buses):
            if not inside[b]:
                model.deactivate_gen(g)
        for b in np.flatnonzero(~inside):
            model.deactivate_bus(int(b))
        setpoint = np.ones(self.n_bus, dtype=np.complex128)
        for b, vm in zip(net.gen.bus, net.gen.vm_pu, strict=True):
            setpoint[self.bus_pos[b]] = vm
        for b, vm in zip(net.ext_grid.bus, net.ext_grid.vm_pu, strict=True):
            setpoint[self.bus_pos[b]] = vm
        solved = np.asarray(model.ac_pf(setpoint, MAX_ITER, TOLERANCE_PU))
        v0 = solved if solved.size == self.n_bus else setpoint
        return _Area(
            name=name,
            bus=np.flatnonzero(inside).astype(np.int64),
            line=pos("line", "from_bus"),
            trafo=pos("trafo", "hv_bus"),
            gen=pos("gen"),
            sgen=pos("sgen"),
            load=pos("load"),
            ext=pos("ext_grid"),
            model=model,
            v0=np.where(inside, v0, setpoint).astype(np.complex128),
        )

    def _ends(self, table: str, bus_col: str) -> npt.NDArray[np.int64]:
        ends: npt.NDArray[np.int64] = (
            getattr(self.net, table)[bus_col].map(self.bus_pos).to_numpy(dtype=np.int64)
        )
        return ends

    def base_injections(self, rows: int) -> Injections:
        """Injections of the built network repeated over ``rows`` rows."""
        net = self.net

        def tile(values: Any) -> FloatArray:
            return np.tile(np.asarray(values, dtype=np.float64), (rows, 1))

        return Injections(
            gen_p_mw=tile(net.gen.p_mw * net.gen.in_service),
            sgen_p_mw=tile(net.sgen.p_mw * net.sgen.in_service),
            load_p_mw=tile(net.load.p_mw * net.load.in_service),
            load_q_mvar=tile(net.load.q_mvar * net.load.in_service),
        )

    def solve(
        self, inj: Injections, *, outages: BoolArray | None = None, threads: int = THREADS
    ) -> BatchResult:
        """Solve every row.

        Parameters
        ----------
        inj
            Injections per row.
        outages
            Optional (rows, branches) mask of branches (lines then trafos) to take
            out of service in that row; islands it creates are left de-energised
            (their buses read NaN and ``energized`` False).
        threads
            Worker threads of the C++ batch.

        Returns
        -------
        BatchResult
            Voltages, flows, loadings and slack injections for every row.
        """
        from lightsim2grid.lightsim2grid_cpp import InjectionSweepCPP, ScenarioSweepCPP

        rows = inj.rows
        n_br = self.n_line + self.n_trafo
        vm = np.full((rows, self.n_bus), np.nan)
        va = np.full((rows, self.n_bus), np.nan)
        branch = np.zeros((rows, n_br, 4))
        ext_p = np.full((rows, len(self.net.ext_grid)), np.nan)
        area_ok = np.zeros((rows, len(self.areas)), dtype=bool)
        iterations = np.zeros(rows, dtype=np.int32)
        energized = np.zeros((rows, self.n_bus), dtype=bool)
        n_ext = len(self.net.ext_grid)
        gens = np.ascontiguousarray(
            np.column_stack([inj.gen_p_mw, np.zeros((rows, n_ext))]), dtype=np.float64
        )
        sgens = np.ascontiguousarray(inj.sgen_p_mw, dtype=np.float64)
        loads_p = np.ascontiguousarray(inj.load_p_mw, dtype=np.float64)
        loads_q = np.ascontiguousarray(inj.load_q_mvar, dtype=np.float64)
        for k, area in enumerate(self.areas):
            br_idx = np.concatenate([area.line, self.n_line + area.trafo])
            if outages is not None and outages[:, br_idx].any():
                sweep = ScenarioSweepCPP(area.model)
                sweep.handle_disconnected_grid = True
                sweep.set_contingency_lines(np.ascontiguousarray(outages[:, : self.n_line]))
                sweep.set_contingency_trafos(np.ascontiguousarray(outages[:, self.n_line :]))
            else:
                sweep = InjectionSweepCPP(area.model)
            sweep.nb_thread = threads
            sweep.modify_gen_p(gens)
            if sgens.shape[1]:
                sweep.modify_sgen_p(sgens)
            sweep.modify_load_p(loads_p)
            sweep.modify_load_q(loads_q)
            sweep.compute(area.v0, MAX_ITER, TOLERANCE_PU)
            ok = np.asarray(sweep.converged_mask(), dtype=bool)
            volt = np.asarray(sweep.get_voltages())[:, area.bus]
            live = ok[:, None] & (np.abs(volt) > 0)
            vm[:, area.bus] = np.where(live, np.abs(volt), np.nan)
            va[:, area.bus] = np.where(live, np.rad2deg(np.angle(volt)), np.nan)
            energized[:, area.bus] = live
            res = np.asarray(sweep.compute_branch_results())[:, br_idx, :]
            branch[:, br_idx, :] = np.where(ok[:, None, None], res, np.nan)
            area_ok[:, k] = ok
            iterations = np.maximum(iterations, np.asarray(sweep.get_row_nb_iter()).ravel())
            ext_p[:, area.ext] = self._slack(area, inj, res, ok, live)[:, None]
        return self._result(area_ok, vm, va, branch, ext_p, iterations, energized)

    def _slack(
        self, area: _Area, inj: Injections, res: FloatArray, ok: BoolArray, live: BoolArray
    ) -> FloatArray:
        """Slack injection = losses + load - generation of the energised part of the area."""
        net = self.net
        bus_live = np.zeros((inj.rows, self.n_bus), dtype=bool)
        bus_live[:, area.bus] = live  # live is (rows, area buses)
        load_bus = np.array([self.bus_pos[b] for b in net.load.bus.iloc[area.load]], dtype=int)
        gen_bus = np.array([self.bus_pos[b] for b in net.gen.bus.iloc[area.gen]], dtype=int)
        sgen_bus = np.array([self.bus_pos[b] for b in net.sgen.bus.iloc[area.sgen]], dtype=int)
        load = (inj.load_p_mw[:, area.load] * bus_live[:, load_bus]).sum(axis=1)
        gen = (inj.gen_p_mw[:, area.gen] * bus_live[:, gen_bus]).sum(axis=1)
        gen += (inj.sgen_p_mw[:, area.sgen] * bus_live[:, sgen_bus]).sum(axis=1)
        losses = np.nansum(res[:, :, 0] + res[:, :, 2], axis=1)
        return np.where(ok, losses + load - gen, np.nan)

    def _result(
        self,
        area_ok: BoolArray,
        vm: FloatArray,
        va: FloatArray,
        branch: FloatArray,
        ext_p: FloatArray,
        iterations: npt.NDArray[np.int32],
        energized: BoolArray,
    ) -> BatchResult:
        nl = self.n_line
        p_from, q_from, p_to, q_to = (branch[:, :, i] for i in range(4))
        s_from = np.hypot(p_from, q_from)
        s_to = np.hypot(p_to, q_to)
        sqrt3 = np.sqrt(3.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            i_from = s_from[:, :nl] / (sqrt3 * vm[:, self.line_from] * self.line_vn_kv)
            i_to = s_to[:, :nl] / (sqrt3 * vm[:, self.line_to] * self.line_vn_kv)
            line_loading = 100 * np.fmax(i_from, i_to) / self.line_imax_ka
            tr_loading = 100 * np.fmax(
                s_from[:, nl:] / (vm[:, self.trafo_hv] * self.trafo_sn),
                s_to[:, nl:] / (vm[:, self.trafo_lv] * self.trafo_sn),
            )
        loading = np.nan_to_num(np.column_stack([line_loading, tr_loading]), nan=0.0)
        converged: BoolArray = np.asarray(area_ok.all(axis=1), dtype=bool)
        loading = np.where(converged[:, None], loading, np.nan)
        return BatchResult(
            converged=converged,
            area_converged=area_ok,
            vm_pu=vm,
            va_degree=va,
            p_from_mw=p_from,
            q_from_mvar=q_from,
            p_to_mw=p_to,
            q_to_mvar=q_to,
            loading_percent=loading,
            ext_p_mw=ext_p,
            iterations=iterations,
            energized=energized,
        )


def injections_from_schedule(built: BuiltNet, schedule: Any) -> Injections:
    """Arrange a :class:`~casa1000.grid.schedule.Schedule` in pandapower element order.

    Parameters
    ----------
    built
        The network the schedule belongs to.
    schedule
        Loads, plant outputs, converter and switched-shunt injections per hour.

    Returns
    -------
    Injections
        One row per hour of the schedule.
    """
    net, ix = built.net, built.index
    hours = schedule.hours
    plant_col = {pid: j for j, pid in enumerate(schedule.plant_ids)}
    load_p = np.zeros((hours, len(net.load)))
    load_q = np.zeros((hours, len(net.load)))
    for j, lid in enumerate(schedule.load_ids):
        load_p[:, ix.load[lid]] = schedule.load_p_mw[:, j]
        load_q[:, ix.load[lid]] = schedule.load_q_mvar[:, j]
    state = schedule.hvdc
    for k, tid in enumerate(state.terminal_ids):
        load_p[:, ix.converter[tid]] = state.p_ac_mw[:, k]
        load_q[:, ix.converter[tid]] = state.q_net_mvar[:, k]
    for j, cid in enumerate(schedule.compensator_ids):
        load_q[:, ix.compensator[cid]] = schedule.compensator_q_mvar[:, j]
    in_service = net.load.in_service.to_numpy()
    return Injections(
        gen_p_mw=np.ascontiguousarray(
            schedule.plant_p_mw[:, [plant_col[n] for n in net.gen.name]]
            * net.gen.in_service.to_numpy()
        ),
        sgen_p_mw=np.ascontiguousarray(
            schedule.plant_p_mw[:, [plant_col[n] for n in net.sgen.name]]
            * net.sgen.in_service.to_numpy()
        ),
        load_p_mw=load_p * in_service,
        load_q_mvar=load_q * in_service,
    )
