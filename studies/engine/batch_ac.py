"""Many AC load flows of one network at once: the fast path of every study.

Each synchronous area becomes its own lightsim2grid model (lightsim2grid solves a
single island with a single slack), and the hours are solved by its C++
``InjectionSweepCPP``: independent rows, each started from the same voltage, so
one non-convergent hour cannot spoil the next.  (Hour x contingency rows are
solved by :mod:`casa1000.studies.engine.contingency_sweep` on the same area models.)
Results come back in pandapower's element order, so they compare one to one
with ``pandapower.runpp``, the oracle (see ``tests/studies/test_seasonal.py``).

Beyond the injections, a row carries the state of the network's controls
(:class:`Injections`): the setting of each shunt switched with the offtake (an
admittance: rows with one setting are solved on a copy of the area model with
that setting, a handful per study), which generators run (an idle one is masked
and does not regulate), and the reactive capability of the units running, which
:class:`~casa1000.studies.engine.area_sweep.AreaSweep` enforces by PV -> PQ
switching (``runpp(enforce_q_lims=True)`` is the oracle).
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from casa1000.errors import StudyError
from casa1000.grid.areas import synchronous_areas
from casa1000.grid.builder import BuiltNet
from casa1000.studies.engine.area_sweep import AreaSweep, GenBuses, SweepRows

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

MAX_ITER = 30
TOLERANCE_PU = 1e-10
"""Newton-Raphson limits of every batch: the seasonal rows and the contingency rows alike."""
THREADS = 2


PROXY_PREFIX = "QLIM:"
"""Name prefix of the reactive-limit proxy loads added to the batch models (never to a net)."""


@dataclass(frozen=True, kw_only=True)
class Injections:
    """Per-row injections and control states in pandapower element order ([MW], [Mvar]).

    The control states are optional: without them the network's own shunt
    settings hold, every in-service generator regulates and no reactive limit
    is known.
    """

    gen_p_mw: FloatArray
    sgen_p_mw: FloatArray
    load_p_mw: FloatArray
    load_q_mvar: FloatArray
    shunt_q_mvar: FloatArray | None = None
    """(rows, switched shunts) setting of each shunt switched with the offtake, in
    ``BuiltNet.index.compensator`` order [Mvar at 1 pu]."""
    gen_on: BoolArray | None = None
    """(rows, gens) the generator runs and regulates its bus."""
    gen_q_min_mvar: FloatArray | None = None
    """(rows, gens) reactive capability of the units running, under-excited [Mvar]."""
    gen_q_max_mvar: FloatArray | None = None
    """(rows, gens) reactive capability of the units running, over-excited [Mvar]."""

    @property
    def rows(self) -> int:
        """Number of rows (hours, or hour x contingency pairs)."""
        return int(self.load_p_mw.shape[0])

    def take(self, rows: npt.ArrayLike) -> Injections:
        """Return the rows ``rows`` (positions, repeats allowed)."""
        idx = np.asarray(rows, dtype=np.intp)

        def pick(a: Any) -> Any:
            return None if a is None else a[idx]

        return Injections(
            gen_p_mw=self.gen_p_mw[idx],
            sgen_p_mw=self.sgen_p_mw[idx],
            load_p_mw=self.load_p_mw[idx],
            load_q_mvar=self.load_q_mvar[idx],
            shunt_q_mvar=pick(self.shunt_q_mvar),
            gen_on=pick(self.gen_on),
            gen_q_min_mvar=pick(self.gen_q_min_mvar),
            gen_q_max_mvar=pick(self.gen_q_max_mvar),
        )


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    """Solved rows; bus and branch axes follow the pandapower tables (lines, then trafos)."""

    converged: BoolArray
    """(rows,) every area of the row converged."""
    vm_pu: FloatArray
    va_degree: FloatArray
    p_from_mw: FloatArray
    q_from_mvar: FloatArray
    p_to_mw: FloatArray
    q_to_mvar: FloatArray
    loading_percent: FloatArray
    ext_p_mw: FloatArray
    """(rows, ext_grids) slack injections, from the flows leaving each slack bus."""
    gen_q_mvar: FloatArray
    """(rows, gens) reactive output of each generator (pandapower's sharing rule) [Mvar]."""
    q_limited: BoolArray
    """(rows, gens) generator pinned at a reactive limit."""
    iterations: npt.NDArray[np.int32]

    @property
    def pl_mw(self) -> FloatArray:
        """(rows, branches) active losses of each branch [MW]."""
        return self.p_from_mw + self.p_to_mw


@dataclass(frozen=True, kw_only=True)
class Area:
    """One synchronous area: its elements (positions in the pandapower tables) and model."""

    name: str
    bus: npt.NDArray[np.int64]
    line: npt.NDArray[np.int64]
    trafo: npt.NDArray[np.int64]
    gen: npt.NDArray[np.int64]
    sgen: npt.NDArray[np.int64]
    load: npt.NDArray[np.int64]
    ext: npt.NDArray[np.int64]
    model: Any
    """lightsim2grid ``LSGrid`` of the whole network with the other areas deactivated."""
    v0: npt.NDArray[np.complex128]
    """(buses,) start voltage of every bus [pu]: the area's solved own state."""
    switched: npt.NDArray[np.int64]
    """Positions in ``BuiltNet.index.compensator`` order of the area's switched shunts."""
    inside: BoolArray
    """(buses,) the bus belongs to the area."""


class BatchAC:
    """Batch AC solver of a built network.

    One lightsim2grid model is made from the whole network (plus one zero
    proxy load per generator, the reactive-limit proxies); each synchronous area
    gets a copy with the elements of the other areas deactivated, so every array
    keeps pandapower's full element order.  Starting voltages come from one
    Newton-Raphson solve of each area at the network's own injections (flat
    start with the voltage set-points if that fails).

    Parameters
    ----------
    built
        The network (not modified).
    q_limits
        Enforce the generators' reactive limits carried by the injections
        (PV -> PQ switching); off, generators hold their voltage whatever their
        reactive output.
    """

    def __init__(self, built: BuiltNet, *, q_limits: bool = True) -> None:
        import pandapower as pp
        from lightsim2grid.network import init_from_pandapower

        self.built = built
        self.q_limits = q_limits
        net = built.net
        self.net = net
        self.bus_pos = {b: i for i, b in enumerate(net.bus.index)}
        self.n_load = len(net.load)
        with_proxies = copy.deepcopy(net)
        if len(net.gen):
            pp.create_loads(
                with_proxies,
                net.gen.bus.to_numpy(),
                p_mw=0.0,
                q_mvar=0.0,
                name=[PROXY_PREFIX + str(n) for n in net.gen.name],
            )
        with warnings.catch_warnings():
            # lightsim2grid announces that it turns each ext_grid into a slack generator
            warnings.simplefilter("ignore", UserWarning)
            full = init_from_pandapower(with_proxies)
        if len(full.get_generators()) != len(net.gen) + len(net.ext_grid):
            raise StudyError("a generator shares a bus with an external grid; not supported")
        self.load_bus_model = np.array(
            [self.bus_pos[b] for b in with_proxies.load.bus], dtype=np.int64
        )
        """(loads + proxies,) bus position of every load of the models."""
        self.proxy_load = np.arange(self.n_load, self.n_load + len(net.gen), dtype=np.int64)
        self.switched_shunt = np.array(list(built.index.compensator.values()), dtype=np.int64)
        """Positions in ``net.shunt`` of the shunts switched with the offtake."""
        self.gen_buses = GenBuses.of(
            np.array([self.bus_pos[b] for b in net.gen.bus], dtype=np.int64),
            self.proxy_load,
            net.gen.min_q_mvar.to_numpy(dtype=np.float64),
            net.gen.max_q_mvar.to_numpy(dtype=np.float64),
            net.gen.vm_pu.to_numpy(dtype=np.float64),
        )
        self._settings: dict[tuple[int, tuple[float, ...]], Any] = {}
        # the models keep zero injections as their own state: a batch first solves
        # the model's own state and fails every row if that fails, and a network
        # without load solves with any shunt setting (the rows bring their injections)
        self._with_proxies = _without_injections(with_proxies)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            idle = init_from_pandapower(self._with_proxies)
        areas = synchronous_areas(built.params)
        bus_area = np.array([areas[str(name)] for name in net.bus.name])
        self.area_names = sorted({a for a in areas.values() if a})
        self.n_bus = len(net.bus)
        self.areas = [self._area(full, idle, name, bus_area) for name in self.area_names]
        self.n_line = len(net.line)
        self.n_trafo = len(net.trafo)
        line_from = self.bus_positions("line", "from_bus")
        self.geometry = BranchGeometry(
            line_from=line_from,
            line_to=self.bus_positions("line", "to_bus"),
            line_vn_kv=net.bus.vn_kv.to_numpy()[line_from],
            line_imax_ka=(net.line.max_i_ka * net.line.df * net.line.parallel).to_numpy(),
            trafo_hv=self.bus_positions("trafo", "hv_bus"),
            trafo_lv=self.bus_positions("trafo", "lv_bus"),
            trafo_sn_mva=(net.trafo.sn_mva * net.trafo.parallel).to_numpy(),
        )
        self.branch_from = np.concatenate([line_from, self.geometry.trafo_hv])
        self.branch_to = np.concatenate([self.geometry.line_to, self.geometry.trafo_lv])
        self.load_bus = self.bus_positions("load", "bus")
        self.gen_bus = self.bus_positions("gen", "bus")
        self.sgen_bus = self.bus_positions("sgen", "bus")

    @property
    def rating_mva(self) -> FloatArray:
        """Thermal rating of every branch, lines then trafos [MVA]."""
        g = self.geometry
        lines = np.sqrt(3.0) * g.line_vn_kv * g.line_imax_ka
        return np.concatenate([lines, g.trafo_sn_mva])

    def _area(self, full: Any, idle: Any, name: str, bus_area: npt.NDArray[np.str_]) -> Area:
        """Make the area ``name``: its model made from ``idle``, its start voltage from ``full``."""
        net = self.net
        inside = bus_area == name
        own = self._restrict(full, inside)

        def pos(table: str, bus_col: str = "bus") -> npt.NDArray[np.int64]:
            buses = getattr(net, table)[bus_col].map(self.bus_pos).to_numpy(dtype=np.int64)
            return np.flatnonzero(inside[buses]).astype(np.int64)

        setpoint = np.ones(self.n_bus, dtype=np.complex128)
        for b, vm in zip(net.gen.bus, net.gen.vm_pu, strict=True):
            setpoint[self.bus_pos[b]] = vm
        for b, vm in zip(net.ext_grid.bus, net.ext_grid.vm_pu, strict=True):
            setpoint[self.bus_pos[b]] = vm
        solved = np.asarray(own.ac_pf(setpoint, MAX_ITER, TOLERANCE_PU))
        v0 = solved if solved.size == self.n_bus else setpoint
        model = self._restrict(idle, inside)
        shunt_bus = self.bus_positions("shunt")
        return Area(
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
            switched=np.flatnonzero(inside[shunt_bus[self.switched_shunt]]).astype(np.int64),
            inside=inside,
        )

    def _restrict(self, full: Any, inside: BoolArray) -> Any:
        """Copy the whole-network model ``full`` with the buses not ``inside`` deactivated."""
        model = full.copy()
        for element, ids in (
            (
                model.deactivate_powerline,
                np.flatnonzero(~inside[self.bus_positions("line", "from_bus")]),
            ),
            (
                model.deactivate_trafo,
                np.flatnonzero(~inside[self.bus_positions("trafo", "hv_bus")]),
            ),
            (model.deactivate_load, np.flatnonzero(~inside[self.load_bus_model])),
            (model.deactivate_sgen, np.flatnonzero(~inside[self.bus_positions("sgen", "bus")])),
            (model.deactivate_shunt, np.flatnonzero(~inside[self.bus_positions("shunt", "bus")])),
        ):
            for i in ids:
                element(int(i))
        gen_buses = [g.bus_id for g in full.get_generators()]
        for g, b in enumerate(gen_buses):
            if not inside[b]:
                model.deactivate_gen(g)
        for b in np.flatnonzero(~inside):
            model.deactivate_bus(int(b))
        return model

    def bus_positions(self, table: str, bus_col: str = "bus") -> npt.NDArray[np.int64]:
        """Position in ``net.bus`` of the ``bus_col`` end of every element of ``table``."""
        ends: npt.NDArray[np.int64] = (
            getattr(self.net, table)[bus_col].map(self.bus_pos).to_numpy(dtype=np.int64)
        )
        return ends

    def setting_model(self, k: int, setting: tuple[float, ...]) -> Any:
        """Area ``k``'s model with its switched shunts at ``setting`` [Mvar at 1 pu].

        ``setting`` lists the area's switched shunts (:attr:`Area.switched`) in
        order; the model is copied once per setting and kept.
        """
        area = self.areas[k]
        own = self._with_proxies.shunt.q_mvar.to_numpy()[self.switched_shunt[area.switched]]
        if setting == tuple(float(q) for q in own):
            return area.model
        key = (k, setting)
        if key not in self._settings:
            # made from the pandapower network with the setting written in: a shunt
            # changed on a lightsim2grid model (change_q_shunt) is not seen by every
            # batch class, nor carried over by copy()
            from lightsim2grid.network import init_from_pandapower

            net = copy.deepcopy(self._with_proxies)
            for s, q in zip(self.switched_shunt[area.switched], setting, strict=True):
                net.shunt.iat[int(s), net.shunt.columns.get_loc("q_mvar")] = q
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                full = init_from_pandapower(net)
            self._settings[key] = self._restrict(full, area.inside)
        return self._settings[key]

    def settings(self, k: int, inj: Injections) -> list[tuple[tuple[float, ...], IntArray]]:
        """Rows of ``inj`` grouped by the setting of area ``k``'s switched shunts."""
        area = self.areas[k]
        every = np.arange(inj.rows, dtype=np.int64)
        if inj.shunt_q_mvar is None or not area.switched.size:
            own = self._with_proxies.shunt.q_mvar.to_numpy()[self.switched_shunt[area.switched]]
            return [(tuple(float(q) for q in own), every)]
        values = inj.shunt_q_mvar[:, area.switched]
        unique, where = np.unique(values, axis=0, return_inverse=True)
        where = np.asarray(where).ravel()
        return [
            (tuple(float(q) for q in unique[u]), every[where == u]) for u in range(unique.shape[0])
        ]

    def sweep_rows(
        self,
        inj: Injections,
        gen_out: BoolArray | None = None,
        branch_out: BoolArray | None = None,
    ) -> SweepRows:
        """Return the model inputs of every row of ``inj`` (loads padded with the proxies).

        Parameters
        ----------
        inj
            Injections and control states.
        gen_out
            (rows, gens + ext_grids) generators tripped, on top of those not running.
        branch_out
            (rows, lines + trafos) branches out, or None.
        """
        rows = inj.rows
        n_ext = len(self.net.ext_grid)
        n_gen = len(self.net.gen)
        off = np.zeros((rows, n_gen + n_ext), dtype=bool)
        if inj.gen_on is not None:
            off[:, :n_gen] = ~inj.gen_on
        if gen_out is not None:
            off |= gen_out
        proxies = np.zeros((rows, n_gen))
        return SweepRows(
            gen_p_mw=np.column_stack([inj.gen_p_mw, np.zeros((rows, n_ext))]),
            sgen_p_mw=inj.sgen_p_mw,
            load_p_mw=np.column_stack([inj.load_p_mw, proxies]),
            load_q_mvar=np.column_stack([inj.load_q_mvar, proxies]),
            gen_out=off,
            line_out=None if branch_out is None else branch_out[:, : self.n_line],
            trafo_out=None if branch_out is None else branch_out[:, self.n_line :],
            q_min_mvar=inj.gen_q_min_mvar,
            q_max_mvar=inj.gen_q_max_mvar,
        )

    def area_sweep(self, threads: int, **options: Any) -> AreaSweep:
        """Make a sweep runner of this network's generators."""
        return AreaSweep(
            self.gen_buses,
            threads=threads,
            max_iter=options.pop("max_iter", MAX_ITER),
            tol_pu=options.pop("tol_pu", TOLERANCE_PU),
            enforce_q_limits=self.q_limits,
            **options,
        )

    def solve(self, inj: Injections, *, threads: int = THREADS) -> BatchResult:
        """Solve every row.

        Parameters
        ----------
        inj
            Injections and control states per row.
        threads
            Worker threads of the C++ batch.

        Returns
        -------
        BatchResult
            Voltages, flows, loadings, slack injections and generators' reactive
            outputs for every row.
        """
        rows = inj.rows
        n_br = self.n_line + self.n_trafo
        n_gen = len(self.net.gen)
        vm = np.full((rows, self.n_bus), np.nan)
        va = np.full((rows, self.n_bus), np.nan)
        branch = np.zeros((rows, n_br, 4))
        ext_p = np.full((rows, len(self.net.ext_grid)), np.nan)
        gen_q = np.full((rows, n_gen), np.nan)
        q_limited = np.zeros((rows, n_gen), dtype=bool)
        area_ok = np.zeros((rows, len(self.areas)), dtype=bool)
        iterations = np.zeros(rows, dtype=np.int32)
        model_rows = self.sweep_rows(inj)
        runner = self.area_sweep(threads)
        for k, area in enumerate(self.areas):
            br_idx = np.concatenate([area.line, self.n_line + area.trafo])
            for setting, sel in self.settings(k, inj):
                out = runner.solve(
                    self.setting_model(k, setting),
                    model_rows.take(sel),
                    area.v0,
                    area.bus,
                    br_idx,
                )
                ok = out.converged
                volt = out.voltage
                vm[np.ix_(sel, area.bus)] = np.where(ok[:, None], np.abs(volt), np.nan)
                va[np.ix_(sel, area.bus)] = np.where(
                    ok[:, None], np.rad2deg(np.angle(volt)), np.nan
                )
                part = np.where(ok[:, None, None], out.branch, np.nan)
                branch[sel[:, None], br_idx[None, :], :] = part
                gen_q[np.ix_(sel, area.gen)] = out.gen_q_mvar[:, area.gen]
                q_limited[np.ix_(sel, area.gen)] = out.q_limited[:, area.gen]
                area_ok[sel, k] = ok
                iterations[sel] = np.maximum(iterations[sel], out.iterations)
        for e, bus in enumerate(self.net.ext_grid.bus):
            ext_p[:, e] = self._slack(self.bus_pos[bus], inj, branch)
        converged: BoolArray = np.asarray(area_ok.all(axis=1), dtype=bool)
        p_from, q_from, p_to, q_to = (branch[:, :, i] for i in range(4))
        return BatchResult(
            converged=converged,
            vm_pu=vm,
            va_degree=va,
            p_from_mw=p_from,
            q_from_mvar=q_from,
            p_to_mw=p_to,
            q_to_mvar=q_to,
            loading_percent=branch_loading(self.geometry, branch, vm, converged),
            ext_p_mw=ext_p,
            gen_q_mvar=gen_q,
            q_limited=q_limited,
            iterations=iterations,
        )

    def _slack(self, bus: int, inj: Injections, branch: FloatArray) -> FloatArray:
        """Slack injection from the solved flows: what leaves its bus plus the bus's own net load.

        Computed from the branch flows rather than from the area's losses, so the
        area balance (generation + slack - load - losses) is a real check.
        """
        leaving = branch[:, self.branch_from == bus, 0].sum(axis=1)
        leaving += branch[:, self.branch_to == bus, 2].sum(axis=1)
        at_bus = self.load_bus == bus
        load = inj.load_p_mw[:, at_bus].sum(axis=1)
        gen = inj.gen_p_mw[:, self.gen_bus == bus].sum(axis=1)
        gen += inj.sgen_p_mw[:, self.sgen_bus == bus].sum(axis=1)
        return np.asarray(leaving + load - gen, dtype=np.float64)


@dataclass(frozen=True, kw_only=True)
class BranchGeometry:
    """What turns branch flows into loadings: end buses (positions in ``vm``) and ratings."""

    line_from: npt.NDArray[np.int64]
    line_to: npt.NDArray[np.int64]
    line_vn_kv: FloatArray
    line_imax_ka: FloatArray
    trafo_hv: npt.NDArray[np.int64]
    trafo_lv: npt.NDArray[np.int64]
    trafo_sn_mva: FloatArray

    def subset(
        self, lines: npt.NDArray[np.int64], trafos: npt.NDArray[np.int64], bus_map: dict[int, int]
    ) -> BranchGeometry:
        """Geometry of some lines and trafos, with bus positions renumbered by ``bus_map``."""

        def renumber(ends: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
            return np.array([bus_map[int(b)] for b in ends], dtype=np.int64)

        return BranchGeometry(
            line_from=renumber(self.line_from[lines]),
            line_to=renumber(self.line_to[lines]),
            line_vn_kv=self.line_vn_kv[lines],
            line_imax_ka=self.line_imax_ka[lines],
            trafo_hv=renumber(self.trafo_hv[trafos]),
            trafo_lv=renumber(self.trafo_lv[trafos]),
            trafo_sn_mva=self.trafo_sn_mva[trafos],
        )


def branch_loading(
    geom: BranchGeometry, branch: FloatArray, vm: FloatArray, good: BoolArray
) -> FloatArray:
    """Compute the loading of lines (current vs ``max_i_ka``) and trafos (as pandapower) [%].

    Parameters
    ----------
    geom
        End buses and ratings; lines first, then trafos, as along ``branch``.
    branch
        (rows, branches, 4) P/Q at side 1 and side 2 [MW], [Mvar].
    vm
        (rows, buses) voltage magnitudes [pu] indexed by ``geom``'s bus positions.
    good
        (rows,) rows that converged; the others read NaN.

    Returns
    -------
    numpy.ndarray
        (rows, branches) loading [%]; 0 for a branch out of service.
    """
    nl = geom.line_from.size
    s_from = np.hypot(branch[:, :, 0], branch[:, :, 1])
    s_to = np.hypot(branch[:, :, 2], branch[:, :, 3])
    sqrt3 = np.sqrt(3.0)
    loading = np.empty_like(s_from)
    # in place, in the same order of operations as pandapower's results (bit for bit)
    with np.errstate(invalid="ignore", divide="ignore"):
        base = sqrt3 * vm[:, geom.line_from]
        base *= geom.line_vn_kv
        np.divide(s_from[:, :nl], base, out=base)
        other = sqrt3 * vm[:, geom.line_to]
        other *= geom.line_vn_kv
        np.divide(s_to[:, :nl], other, out=other)
        line = np.fmax(base, other, out=loading[:, :nl])
        line *= 100
        line /= geom.line_imax_ka
        hv = vm[:, geom.trafo_hv] * geom.trafo_sn_mva
        np.divide(s_from[:, nl:], hv, out=hv)
        lv = vm[:, geom.trafo_lv] * geom.trafo_sn_mva
        np.divide(s_to[:, nl:], lv, out=lv)
        trafo = np.fmax(hv, lv, out=loading[:, nl:])
        trafo *= 100
    np.nan_to_num(loading, copy=False, nan=0.0)
    loading[~good] = np.nan
    return loading


def _without_injections(net: Any) -> Any:
    """Copy ``net`` with every load, generator and static generator at zero."""
    out = copy.deepcopy(net)
    out.load["p_mw"] = 0.0
    out.load["q_mvar"] = 0.0
    out.gen["p_mw"] = 0.0
    out.sgen["p_mw"] = 0.0
    out.sgen["q_mvar"] = 0.0
    return out


def injections_from_schedule(built: BuiltNet, schedule: Any) -> Injections:
    """Arrange a :class:`~casa1000.grid.schedule.Schedule` in pandapower element order.

    Parameters
    ----------
    built
        The network the schedule belongs to.
    schedule
        Loads, plant outputs, converter injections, switched-shunt settings and
        commitment per hour.

    Returns
    -------
    Injections
        One row per hour of the schedule, with its control states: the
        switched shunts' settings, the generators running and their units'
        reactive capability.
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
    switched = list(ix.compensator)
    shunt_q = np.tile(net.shunt.q_mvar.to_numpy()[list(ix.compensator.values())], (hours, 1))
    for j, cid in enumerate(schedule.compensator_ids):
        shunt_q[:, switched.index(cid)] = schedule.compensator_q_mvar[:, j]
    in_service = net.load.in_service.to_numpy()
    gen_cols = [plant_col[n] for n in net.gen.name]
    gen_live = net.gen.in_service.to_numpy(dtype=bool)
    return Injections(
        gen_p_mw=np.ascontiguousarray(schedule.plant_p_mw[:, gen_cols] * gen_live),
        sgen_p_mw=np.ascontiguousarray(
            schedule.plant_p_mw[:, [plant_col[n] for n in net.sgen.name]]
            * net.sgen.in_service.to_numpy()
        ),
        load_p_mw=load_p * in_service,
        load_q_mvar=load_q * in_service,
        shunt_q_mvar=shunt_q,
        gen_on=schedule.plant_committed[:, gen_cols] & gen_live,
        gen_q_min_mvar=schedule.plant_q_min_mvar[:, gen_cols],
        gen_q_max_mvar=schedule.plant_q_max_mvar[:, gen_cols],
    )
