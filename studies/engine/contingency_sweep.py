"""Full AC load flow of every (hour, contingency) pair, reduced as it is solved.

Each synchronous area is solved on its own by lightsim2grid's
``ScenarioSweepCPP`` (Newton-Raphson, KLU, ``handle_disconnected_grid``) in
chunks of rows; a row is one hour of one contingency.  Three exact savings keep it
fast, and none is a screen:

* a row whose injections and topology *in an area* are those of the base case
  (a unit outage in an hour its plant is idle, an HVDC outage while nothing is
  exported, any CAPS outage seen from Pakistan's area) is the base-case row,
  so it is copied, not solved again;
* the outage of one of several identical parallel circuits or transformer
  units is solved once: the sister outage gives the same solution with the two
  circuits' results swapped;
* results are reduced per chunk to per-row envelopes and per-element worst
  cases, so memory stays flat whatever the number of hours.

Line-connected reactors that leave with their line, and the buses an outage
islands, are handled by a copy of the area model with them disconnected (so the
solver always keeps the slack's island).  The row order and physics match
:class:`~casa1000.studies.engine.batch_ac.BatchAC`, whose solutions equal pandapower's
``runpp`` (the accuracy oracle).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from casa1000.studies.engine.batch_ac import BatchAC, Injections, branch_loading
from casa1000.studies.security.limits import Limits
from casa1000.studies.security.post_contingency import PostState

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
PI_EXPONENT = 2
"""``n`` of the performance index: terms are raised to ``2n`` = 4."""
MAX_ITER = 20
"""Newton-Raphson iterations per row; converging rows of this network take at most 8.

Looser than the seasonal batch (30, 1e-10) on purpose: half a million rows, and a
row that has not converged in 20 iterations here does not converge in 30 either."""
TOLERANCE_PU = 1e-8
"""Largest power mismatch at convergence [pu on 100 MVA] (1e-6 MW)."""
V0_BLOCKS = 12
"""Blocks of consecutive hours; each block's rows start from its mean base-case solution."""


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


@dataclass(kw_only=True)
class SweepResult:
    """Per-row envelopes (hours x contingencies) and per-element worst cases."""

    status: npt.NDArray[np.int8]
    solved: BoolArray
    """(hours, contingencies) row AC-solved (False: identical to an AC-solved row, copied)."""
    max_loading_percent: FloatArray
    max_loading_branch: IntArray
    vm_min_pu: FloatArray
    vm_min_bus: IntArray
    vm_max_pu: FloatArray
    vm_max_bus: IntArray
    thermal_violations: IntArray
    undervoltage_violations: IntArray
    overvoltage_violations: IntArray
    pi_thermal: FloatArray
    pi_voltage: FloatArray
    worst_loading: FloatArray
    """(contingencies, branches, 2): worst loading [%] of each branch and its hour index."""
    worst_vm_min: FloatArray
    """(contingencies, buses, 2): lowest voltage [pu] and its hour index."""
    worst_vm_max: FloatArray
    loading: FloatArray | None = None
    """(hours, contingencies, branches) when elements were kept."""
    vm: FloatArray | None = None
    """(hours, contingencies, buses) when elements were kept."""
    p_from_mw: FloatArray | None = None
    """(hours, contingencies, branches) active power at the from/hv end when kept [MW]."""
    rows_solved: int = 0
    """Area rows handed to the AC solver."""


@dataclass
class _Pending:
    rows: int = 0
    j: list[IntArray] = field(default_factory=list)
    t: list[IntArray] = field(default_factory=list)
    gen: list[FloatArray] = field(default_factory=list)
    sgen: list[FloatArray] = field(default_factory=list)
    load_p: list[FloatArray] = field(default_factory=list)
    load_q: list[FloatArray] = field(default_factory=list)
    br_out: list[BoolArray] = field(default_factory=list)
    gen_out: list[BoolArray] = field(default_factory=list)


Twin = tuple[int, IntArray]
"""(index of the contingency solved instead, branch permutation from it to this one)."""


class ContingencySweep:
    """Solve hour x contingency rows of a network, area by area.

    Parameters
    ----------
    batch
        The batch solver of the network (its area models and start voltages).
    limits
        Security limits.
    threads
        Worker threads of the C++ batch.
    chunk_rows
        Rows solved per call (bounds memory).
    """

    def __init__(
        self, batch: BatchAC, limits: Limits, *, threads: int = 2, chunk_rows: int = 40_000
    ) -> None:
        self.batch = batch
        self.limits = limits
        self.threads = threads
        self.chunk_rows = chunk_rows
        self.solver_s = 0.0
        """Time spent inside the C++ Newton-Raphson batches [s]."""
        self._v0: dict[tuple[int, int], npt.NDArray[np.complex128]] = {}
        net = batch.net
        self.n_branch = batch.n_line + batch.n_trafo
        self.n_bus = batch.n_bus
        self.n_ext = len(net.ext_grid)
        shunt_bus = [batch.bus_pos[b] for b in net.shunt.bus]
        self._area: list[dict[str, Any]] = []
        for area in batch.areas:
            local = {int(b): i for i, b in enumerate(area.bus)}
            br = np.concatenate([area.line, batch.n_line + area.trafo])
            in_area = np.zeros(self.n_branch, dtype=bool)
            in_area[br] = True
            gen_in = np.zeros(len(net.gen) + self.n_ext, dtype=bool)
            gen_in[area.gen] = True
            self._area.append(
                {
                    "br": br,
                    "br_in": in_area,
                    "gen_in": gen_in,
                    "geometry": batch.geometry.subset(area.line, area.trafo, local),
                    "shunts": {k for k, b in enumerate(shunt_bus) if b in local},
                    "models": {(): area.model},
                }
            )

    def _model(self, k: int, key: tuple[tuple[int, ...], tuple[int, ...]]) -> Any:
        """Return the area model without the shunts and islanded buses of ``key``."""
        a = self._area[k]
        if key not in a["models"]:
            batch = self.batch
            shunts, island = key
            model = batch.areas[k].model.copy()
            dead = np.zeros(self.n_bus, dtype=bool)
            dead[list(island)] = True
            for s in shunts:
                model.deactivate_shunt(int(s))
            for table, off in (
                ("load", model.deactivate_load),
                ("sgen", model.deactivate_sgen),
                ("gen", model.deactivate_gen),
                ("shunt", model.deactivate_shunt),
            ):
                for i in np.flatnonzero(dead[batch._ends(table, "bus")]):
                    off(int(i))
            g = batch.geometry
            ends = (g.line_from, g.line_to, g.trafo_hv, g.trafo_lv)
            for i in np.flatnonzero(dead[ends[0]] | dead[ends[1]]):
                model.deactivate_powerline(int(i))
            for i in np.flatnonzero(dead[ends[2]] | dead[ends[3]]):
                model.deactivate_trafo(int(i))
            for b in island:
                model.deactivate_bus(int(b))
            a["models"][key] = model
        return a["models"][key]

    def run(
        self,
        state: Callable[[int], PostState],
        n_contingencies: int,
        *,
        twins: dict[int, Twin] | None = None,
        keep_elements: bool = False,
        progress: Callable[[float], None] | None = None,
    ) -> SweepResult:
        """Solve every hour of every contingency (index 0 must be the base case).

        Parameters
        ----------
        state
            Post-contingency state of contingency ``j``.
        n_contingencies
            Number of contingencies.
        twins
            Contingencies not solved but copied from an identical one (see :data:`Twin`).
        keep_elements
            Also return every branch loading and bus voltage (memory grows as
            hours x contingencies x elements).
        progress
            Called with the fraction of contingencies done.

        Returns
        -------
        SweepResult
            Envelopes, counts, performance index and worst cases.
        """
        twins = twins or {}
        base = state(0)
        acc = _Accumulator(self, n_contingencies, base.inj.rows, keep_elements)
        # rows start from the base solution averaged over a block of about a month
        block = -(-base.inj.rows // V0_BLOCKS)
        self._v0 = {}
        pending: dict[tuple[int, Any], _Pending] = {}
        for j in range(n_contingencies):
            if j in twins:
                continue
            st = base if j == 0 else state(j)
            for k, area in enumerate(self.batch.areas):
                a = self._area[k]
                br_out = st.branch_out & a["br_in"]
                g_out = np.concatenate([st.gen_out, np.zeros(self.n_ext, bool)]) & a["gen_in"]
                shunts = tuple(s for s in st.shunts_out if s in a["shunts"])
                island = tuple(int(b) for b in area.bus[st.island_bus[area.bus]])
                if j == 0 or br_out.any() or g_out.any() or shunts:
                    rows = np.arange(st.inj.rows)
                else:
                    rows = np.flatnonzero(_differs(st.inj, base.inj, area))
                if rows.size == 0:
                    continue
                for g in range(V0_BLOCKS) if j else [-1]:
                    part = rows if j == 0 else rows[(rows >= g * block) & (rows < (g + 1) * block)]
                    if part.size:
                        self._queue(
                            pending, (k, (shunts, island), g), st, j, part, br_out, g_out, acc
                        )
            if j == 0:
                acc.spread_base()
                self._block_v0(acc, block)
            if progress is not None:
                progress((j + 1) / n_contingencies)
        for key, p in pending.items():
            self._flush(key, p, acc)
        return acc.result(twins)

    def _block_v0(self, acc: _Accumulator, block: int) -> None:
        for k, area in enumerate(self.batch.areas):
            volt = acc.base_v[k]
            good = np.abs(volt).min(axis=1) > 0
            for g in range(V0_BLOCKS):
                sel = good[g * block : (g + 1) * block]
                rows = volt[g * block : (g + 1) * block][sel]
                v0 = area.v0.copy()
                if rows.shape[0]:
                    v0[area.bus] = rows.mean(axis=0)
                self._v0[(k, g)] = v0

    def _queue(
        self,
        pending: dict[Any, _Pending],
        key: Any,
        st: PostState,
        j: int,
        rows: IntArray,
        br_out: BoolArray,
        g_out: BoolArray,
        acc: _Accumulator,
    ) -> None:
        p = pending.setdefault(key, _Pending())
        p.j.append(np.full(rows.size, j))
        p.t.append(rows)
        p.gen.append(np.column_stack([st.inj.gen_p_mw[rows], np.zeros((rows.size, self.n_ext))]))
        p.sgen.append(st.inj.sgen_p_mw[rows])
        p.load_p.append(st.inj.load_p_mw[rows])
        p.load_q.append(st.inj.load_q_mvar[rows])
        p.br_out.append(np.broadcast_to(br_out, (rows.size, br_out.size)))
        p.gen_out.append(np.broadcast_to(g_out, (rows.size, g_out.size)))
        p.rows += rows.size
        if j == 0 or p.rows >= self.chunk_rows:
            self._flush(key, pending.pop(key), acc)

    def _flush(self, full_key: Any, p: _Pending, acc: _Accumulator) -> None:
        from lightsim2grid.lightsim2grid_cpp import ScenarioSweepCPP

        k, key, g = full_key
        area, a = self.batch.areas[k], self._area[k]
        j, t = np.concatenate(p.j), np.concatenate(p.t)
        br_out = np.concatenate(p.br_out)
        g_out = np.concatenate(p.gen_out)
        sweep = ScenarioSweepCPP(self._model(k, key))
        sweep.handle_disconnected_grid = True
        sweep.nb_thread = self.threads
        if br_out.any():
            n_line = self.batch.n_line
            sweep.set_contingency_lines(np.ascontiguousarray(br_out[:, :n_line]))
            sweep.set_contingency_trafos(np.ascontiguousarray(br_out[:, n_line:]))
        if g_out.any():
            sweep.set_contingency_gens(np.ascontiguousarray(g_out))
        sweep.modify_gen_p(np.ascontiguousarray(np.concatenate(p.gen)))
        if p.sgen[0].shape[1]:
            sweep.modify_sgen_p(np.ascontiguousarray(np.concatenate(p.sgen)))
        sweep.modify_load_p(np.ascontiguousarray(np.concatenate(p.load_p)))
        sweep.modify_load_q(np.ascontiguousarray(np.concatenate(p.load_q)))
        started = time.perf_counter()
        sweep.compute(self._v0.get((k, g), area.v0), MAX_ITER, TOLERANCE_PU)
        self.solver_s += time.perf_counter() - started
        ok = np.asarray(sweep.converged_mask(), dtype=bool)
        volt = np.asarray(sweep.get_voltages())[:, area.bus]
        if g < 0:
            acc.base_v[k] = np.where(ok[:, None], volt, 0.0)
        vm = np.abs(volt)
        res = np.asarray(sweep.compute_branch_results())[:, a["br"], :]
        expected = np.ones(len(area.bus), dtype=bool)
        expected[np.isin(area.bus, key[1])] = False
        status = np.where(ok, Status.CONVERGED, Status.DIVERGED).astype(np.int8)
        status[ok & ((vm > 0) != expected).any(axis=1)] = Status.NOT_SOLVED
        good = status == Status.CONVERGED
        vm = np.where(good[:, None] & (vm > 0), vm, np.nan)
        acc.add(k, j, t, status, vm, branch_loading(a["geometry"], res, vm, good), res[:, :, 0])


def _differs(inj: Injections, base: Injections, area: Any) -> BoolArray:
    """(rows,) any injection of ``area`` differs from the base case."""
    out = (inj.gen_p_mw[:, area.gen] != base.gen_p_mw[:, area.gen]).any(axis=1)
    out |= (inj.sgen_p_mw[:, area.sgen] != base.sgen_p_mw[:, area.sgen]).any(axis=1)
    out |= (inj.load_p_mw[:, area.load] != base.load_p_mw[:, area.load]).any(axis=1)
    out |= (inj.load_q_mvar[:, area.load] != base.load_q_mvar[:, area.load]).any(axis=1)
    return np.asarray(out, dtype=bool)


_KEYS = (
    "status",
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


class _Accumulator:
    """Per-area (hours, contingencies) arrays, filled chunk by chunk and combined at the end."""

    def __init__(self, sweep: ContingencySweep, n_c: int, hours: int, keep: bool) -> None:
        self.sweep = sweep
        self.n_c = n_c
        self.hours = hours
        self.solved_rows = 0
        shape = (hours, n_c)
        self.area: list[dict[str, Any]] = []
        for _ in sweep.batch.areas:
            d: dict[str, Any] = {
                "status": np.zeros(shape, np.int8),
                "solved": np.zeros(shape, bool),
                "lmax": np.full(shape, np.nan),
                "lbr": np.full(shape, -1, np.int64),
                "vmin": np.full(shape, np.nan),
                "vminb": np.full(shape, -1, np.int64),
                "vmax": np.full(shape, np.nan),
                "vmaxb": np.full(shape, -1, np.int64),
                "pit": np.zeros(shape),
                "piv": np.zeros(shape),
            }
            for key in ("nth", "nuv", "nov"):
                d[key] = np.zeros(shape, np.int64)
            self.area.append(d)
        nb, nu = sweep.n_branch, sweep.n_bus
        self.base_loading = np.full((hours, nb), np.nan)
        self.base_vm = np.full((hours, nu), np.nan)
        self.wl = np.tile(np.array([-np.inf, -1.0]), (n_c, nb, 1))
        self.wvmin = np.tile(np.array([np.inf, -1.0]), (n_c, nu, 1))
        self.wvmax = np.tile(np.array([-np.inf, -1.0]), (n_c, nu, 1))
        self.base_v: dict[int, npt.NDArray[np.complex128]] = {}
        self.loading = np.full((*shape, nb), np.nan) if keep else None
        self.vm = np.full((*shape, nu), np.nan) if keep else None
        self.p_from = np.full((*shape, nb), np.nan) if keep else None

    def add(
        self,
        k: int,
        j: IntArray,
        t: IntArray,
        status: npt.NDArray[np.int8],
        vm: FloatArray,
        loading: FloatArray,
        p_from: FloatArray,
    ) -> None:
        lim = self.sweep.limits
        area = self.sweep.batch.areas[k]
        br = self.sweep._area[k]["br"]
        d = self.area[k]
        self.solved_rows += t.size
        rows = np.arange(t.size)
        good = status == Status.CONVERGED
        d["status"][t, j] = status
        d["solved"][t, j] = True
        lfill = np.where(np.isnan(loading), -np.inf, loading)
        if br.size:
            arg = lfill.argmax(axis=1)
            d["lmax"][t, j] = np.where(good, lfill[rows, arg], np.nan)
            d["lbr"][t, j] = np.where(good, br[arg], -1)
        vlow = np.where(np.isnan(vm), np.inf, vm)
        vhigh = np.where(np.isnan(vm), -np.inf, vm)
        amin, amax = vlow.argmin(axis=1), vhigh.argmax(axis=1)
        any_v = np.isfinite(vlow[rows, amin])
        d["vmin"][t, j] = np.where(any_v, vlow[rows, amin], np.nan)
        d["vmax"][t, j] = np.where(any_v, vhigh[rows, amax], np.nan)
        d["vminb"][t, j] = np.where(any_v, area.bus[amin], -1)
        d["vmaxb"][t, j] = np.where(any_v, area.bus[amax], -1)
        with np.errstate(invalid="ignore"):
            d["nth"][t, j] = (loading > lim.thermal_percent + 1e-9).sum(axis=1)
            d["nuv"][t, j] = (vm < lim.vmin_pu - 1e-9).sum(axis=1)
            d["nov"][t, j] = (vm > lim.vmax_pu + 1e-9).sum(axis=1)
        two_n = 2 * PI_EXPONENT
        mid = 0.5 * (lim.vmax_pu + lim.vmin_pu)
        half = 0.5 * (lim.vmax_pu - lim.vmin_pu)
        ratio = loading / lim.thermal_percent
        ratio *= ratio
        pit = np.nansum(ratio * ratio, axis=1) / two_n
        dev = (vm - mid) / half
        dev *= dev
        piv = np.nansum(dev * dev, axis=1) / two_n
        d["pit"][t, j] = np.where(good, pit, np.nan)
        d["piv"][t, j] = np.where(good, piv, np.nan)
        if j[0] == 0:
            self.base_loading[t[:, None], br[None, :]] = loading
            self.base_vm[t[:, None], area.bus[None, :]] = vm
        # rows of one contingency are contiguous in a chunk
        cuts = [0, *(np.flatnonzero(np.diff(j)) + 1).tolist(), j.size]
        for lo, hi in itertools.pairwise(cuts):
            sl = slice(lo, hi)
            self._worst(int(j[lo]), br, area.bus, t[sl], lfill[sl], vlow[sl], vhigh[sl])
        if self.loading is not None and self.vm is not None:
            self.loading[t[:, None], j[:, None], br[None, :]] = loading
            self.vm[t[:, None], j[:, None], area.bus[None, :]] = vm
            assert self.p_from is not None
            self.p_from[t[:, None], j[:, None], br[None, :]] = np.where(
                good[:, None], p_from, np.nan
            )

    def _worst(
        self,
        j: int,
        br: IntArray,
        bus: IntArray,
        t: IntArray,
        lfill: FloatArray,
        vlow: FloatArray,
        vhigh: FloatArray,
    ) -> None:
        for arr, idx, values, better in (
            (self.wl, br, lfill, np.greater),
            (self.wvmin, bus, vlow, np.less),
            (self.wvmax, bus, vhigh, np.greater),
        ):
            if not idx.size or not values.shape[0]:
                continue
            r = values.argmin(axis=0) if better is np.less else values.argmax(axis=0)
            val = values[r, np.arange(values.shape[1])]
            upd = better(val, arr[j, idx, 0])
            arr[j, idx[upd], 0] = val[upd]
            arr[j, idx[upd], 1] = t[r][upd]

    def spread_base(self) -> None:
        """Copy the base-case rows into every contingency column (until solved otherwise)."""
        for d in self.area:
            for key in _KEYS:
                d[key][:, 1:] = d[key][:, :1]
        if self.loading is not None and self.vm is not None:
            self.loading[:, 1:, :] = self.loading[:, :1, :]
            self.vm[:, 1:, :] = self.vm[:, :1, :]
            assert self.p_from is not None
            self.p_from[:, 1:, :] = self.p_from[:, :1, :]

    def _copied_worst(self, twins: dict[int, Twin]) -> None:
        """Worst cases of rows copied from the base case (unchanged in an area)."""
        lfill = np.where(np.isnan(self.base_loading), -np.inf, self.base_loading)
        vlow = np.where(np.isnan(self.base_vm), np.inf, self.base_vm)
        vhigh = np.where(np.isnan(self.base_vm), -np.inf, self.base_vm)
        for k, area in enumerate(self.sweep.batch.areas):
            br = self.sweep._area[k]["br"]
            solved = self.area[k]["solved"]
            for j in range(1, self.n_c):
                if j in twins:
                    continue
                hours = np.flatnonzero(~solved[:, j])
                if hours.size:
                    self._worst(
                        j,
                        br,
                        area.bus,
                        hours,
                        lfill[hours][:, br],
                        vlow[hours][:, area.bus],
                        vhigh[hours][:, area.bus],
                    )

    def _copy_twins(self, twins: dict[int, Twin]) -> None:
        for j, (j0, perm) in twins.items():
            for d in self.area:
                for key in (*_KEYS, "solved"):
                    d[key][:, j] = d[key][:, j0]
                d["solved"][:, j] = False
                d["lbr"][:, j] = np.where(d["lbr"][:, j0] >= 0, perm[d["lbr"][:, j0]], -1)
            self.wl[j] = self.wl[j0][perm]
            self.wvmin[j] = self.wvmin[j0]
            self.wvmax[j] = self.wvmax[j0]
            if self.loading is not None and self.vm is not None:
                self.loading[:, j, :] = self.loading[:, j0, :][:, perm]
                self.vm[:, j, :] = self.vm[:, j0, :]
                assert self.p_from is not None
                self.p_from[:, j, :] = self.p_from[:, j0, :][:, perm]

    def result(self, twins: dict[int, Twin]) -> SweepResult:
        self._copied_worst(twins)
        self._copy_twins(twins)
        areas = self.area
        status = np.max([d["status"] for d in areas], axis=0)
        lmax = np.stack([d["lmax"] for d in areas])
        pick = np.where(np.isnan(lmax), -np.inf, lmax).argmax(axis=0)[None]
        vmin = np.stack([d["vmin"] for d in areas])
        vmax = np.stack([d["vmax"] for d in areas])
        pmin = np.where(np.isnan(vmin), np.inf, vmin).argmin(axis=0)[None]
        pmax = np.where(np.isnan(vmax), -np.inf, vmax).argmax(axis=0)[None]
        ok = status == Status.CONVERGED

        def take(key: str, idx: IntArray) -> Any:
            return np.take_along_axis(np.stack([d[key] for d in areas]), idx, axis=0)[0]

        def total(key: str) -> Any:
            return np.sum([d[key] for d in areas], axis=0)

        def finite(arr: FloatArray) -> FloatArray:
            out = arr.copy()
            out[~np.isfinite(out[..., 0])] = [np.nan, -1.0]
            return out

        return SweepResult(
            status=status.astype(np.int8),
            solved=np.any([d["solved"] for d in areas], axis=0),
            max_loading_percent=np.where(ok, take("lmax", pick), np.nan),
            max_loading_branch=np.where(ok, take("lbr", pick), -1),
            vm_min_pu=np.where(ok, take("vmin", pmin), np.nan),
            vm_min_bus=np.where(ok, take("vminb", pmin), -1),
            vm_max_pu=np.where(ok, take("vmax", pmax), np.nan),
            vm_max_bus=np.where(ok, take("vmaxb", pmax), -1),
            thermal_violations=np.where(ok, total("nth"), 0),
            undervoltage_violations=np.where(ok, total("nuv"), 0),
            overvoltage_violations=np.where(ok, total("nov"), 0),
            pi_thermal=np.where(ok, total("pit"), np.nan),
            pi_voltage=np.where(ok, total("piv"), np.nan),
            worst_loading=finite(self.wl),
            worst_vm_min=finite(self.wvmin),
            worst_vm_max=finite(self.wvmax),
            loading=self.loading,
            vm=self.vm,
            p_from_mw=self.p_from,
            rows_solved=self.solved_rows,
        )
