"""The AC levels a transfer-capability search solves, and the zero-export references.

A *level* is every hour of a run at one export each (per hour); solving a
contingency at a level gives its rows there
(:class:`~casa1000.studies.engine.row_solver.SolvedRows`).  Three kinds are used:
the ceiling (every contingency), zero export (only the rows whose verdict needs
their zero-export state, see
:meth:`~casa1000.studies.transfer_rules.SecurityRule.needs_reference`) and the
trial exports of the search.  :class:`References` keeps the zero-export state of
the (hour, contingency) pairs that needed it, in compact form, so memory grows
with those pairs, not with hours x contingencies.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from casa1000.grid.builder import BuiltNet
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import OFFTAKERS, split_export
from casa1000.studies.engine.row_solver import (
    Level,
    RowSolver,
    SolvedRows,
    StartVoltage,
    prefetch,
)
from casa1000.studies.security.contingency_set import Contingency
from casa1000.studies.security.post_contingency import PostContingency
from casa1000.studies.spine.schedule_inputs import ScheduleInputs
from casa1000.studies.transfer_rules import Reference, SecurityRule, Verdicts

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, kw_only=True)
class Network:
    """What every level of one run shares: the network, its contingencies and solver."""

    params: GridParams
    inputs: ScheduleInputs
    """Demand and availability of the hours of the run (one chunk of the study)."""
    shares: Mapping[str, float] | None
    """Offtaker -> fraction of the export (None: pro rata to the contracts)."""
    built: BuiltNet
    contingencies: tuple[Contingency, ...]
    representative: IntArray
    """(contingencies,) the contingency solved for each (itself, or its twin's original)."""
    solver: RowSolver
    rule: SecurityRule
    chunk_rows: int
    """Rows solved at once."""
    topology: dict[tuple[str, bytes], object] = field(default_factory=dict)
    """Islands and contract-path flags of each outage, shared by every level of the run."""

    @property
    def hours(self) -> int:
        """Hours of the run."""
        return len(next(iter(self.inputs.demand_mw.values())))

    def inputs_at(self, hours: IntArray, export_mw: FloatArray) -> ScheduleInputs:
        """Schedule inputs of ``hours`` with the export ``export_mw`` [MW, sending end].

        The same split as :func:`~casa1000.studies.spine.schedule_inputs.inputs_from_profiles`.
        """
        base = self.inputs.take(hours)
        total = np.asarray(export_mw, dtype=np.float64)
        export = (
            split_export(self.params.contract, total)
            if self.shares is None
            else {o: total * self.shares.get(o, 0.0) for o in OFFTAKERS}
        )
        # as inputs_from_profiles with an explicit export: no offers, contract or loss cover,
        # but the hour's reverse flow and import capability stay
        return dataclasses.replace(
            base, export_mw=export, offer_mw=None, contract_mw=None, loss_cover_mw=None
        )


class ExportLevel:
    """Hours of the run, each at its own export, with their base case solved.

    Parameters
    ----------
    net
        The run.
    hours
        Hour positions in the run.
    export_mw
        (hours,) export of each hour [MW, sending end].
    start
        Start voltages of the rows (see :class:`~casa1000.studies.engine.row_solver.Level`);
        without it the base case is solved first.
    keep_voltage
        Keep the base-case voltage of every hour (to start other levels from).
    """

    def __init__(
        self,
        net: Network,
        hours: IntArray,
        export_mw: FloatArray,
        start: StartVoltage | None = None,
        *,
        keep_voltage: bool = False,
    ) -> None:
        self.net = net
        self.hours = hours
        self.export_mw = export_mw
        self.post = _Post(net.built, net.inputs_at(hours, export_mw), net.topology)
        self.level = Level(
            net.solver,
            self.post.state(net.contingencies[0]),
            start=start,
            keep_voltage=keep_voltage,
        )

    def solve(self, pairs: Mapping[int, IntArray]) -> Iterator[tuple[int, IntArray, SolvedRows]]:
        """Solve contingency ``j`` in the rows ``pairs[j]`` (positions in :attr:`hours`).

        Yields ``(j, rows, result)`` in groups of at most ``chunk_rows`` rows.
        Contingency 0 (the base case) is read from the level, not solved again.
        The next group is solved while the caller works on the current one (see
        :func:`~casa1000.studies.engine.row_solver.prefetch`).
        """
        net = self.net
        batches: list[list[tuple[int, IntArray]]] = [[]]
        size = 0
        for j, rows in pairs.items():
            if not rows.size:
                continue
            if j == 0:
                yield j, rows, take_rows(self.level.base, rows)
                continue
            if size >= net.chunk_rows:
                batches.append([])
                size = 0
            batches[-1].append((j, rows))
            size += rows.size
        cs = net.contingencies
        # states are made one batch ahead, as the solves need them
        work = ([(self.post.state(cs[j]), rows) for j, rows in batch] for batch in batches if batch)
        for batch, results in zip(
            (b for b in batches if b), prefetch(self.level.solve, work), strict=True
        ):
            for (j, rows), res in zip(batch, results, strict=True):
                yield j, rows, res


class _Post(PostContingency):
    """Post-contingency states whose topology (the same at every export) is worked out once."""

    def __init__(
        self, built: BuiltNet, inputs: ScheduleInputs, cache: dict[tuple[str, bytes], object]
    ) -> None:
        super().__init__(built, inputs)
        self._cache = cache

    def islands(self, branch_out: BoolArray) -> BoolArray:
        key = ("islands", branch_out.tobytes())
        if key not in self._cache:
            self._cache[key] = super().islands(branch_out)
        out = self._cache[key]
        assert isinstance(out, np.ndarray)
        return out

    def suppliers_cut(self, branch_out: BoolArray) -> tuple[str, ...]:
        key = ("suppliers_cut", branch_out.tobytes())
        if key not in self._cache:
            self._cache[key] = super().suppliers_cut(branch_out)
        out = self._cache[key]
        assert isinstance(out, tuple)
        return out


def take_rows(res: SolvedRows, rows: IntArray) -> SolvedRows:
    """Return the rows ``rows`` of ``res`` (marked AC-solved)."""
    return SolvedRows(
        status=res.status[rows],
        area_status=res.area_status[rows],
        ac_solved=np.ones(rows.size, dtype=bool),
        vm_pu=res.vm_pu[rows],
        loading_percent=res.loading_percent[rows],
        p_from_mw=None if res.p_from_mw is None else res.p_from_mw[rows],
    )


class References:
    """Zero-export references of (hour, contingency) pairs, solved when first needed.

    Parameters
    ----------
    net
        The run.
    zero, ceiling
        The levels at zero export and at the ceiling, every hour of the run.
    """

    def __init__(self, net: Network, zero: ExportLevel, ceiling: ExportLevel) -> None:
        self.net = net
        self.zero = zero
        self.ceiling = ceiling
        n_c = len(net.contingencies)
        self._pos = np.full((net.hours, n_c), -1, dtype=np.int32)
        self._parts: dict[int, list[tuple[IntArray, Reference]]] = {}
        self._ceiling_rows: dict[int, tuple[IntArray, SolvedRows]] = {}
        self._zero_rows: dict[int, tuple[IntArray, SolvedRows]] = {}
        self.rows_solved = 0
        """(hour, contingency) rows AC-solved for the references (zero export and ceiling)."""

    def keep_ceiling(self, j: int, hours: IntArray, res: SolvedRows) -> None:
        """Keep the ceiling rows of contingency ``j`` whose reference will be needed."""
        if hours.size:
            self._ceiling_rows[j] = (hours, res)

    def release_kept(self) -> None:
        """Drop the rows kept for the references (later ones are solved when needed)."""
        self._ceiling_rows.clear()
        self._zero_rows.clear()

    def keep_zero(self, j: int, hours: IntArray, res: SolvedRows) -> None:
        """Keep zero-export rows of contingency ``j`` whose reference will be needed."""
        if hours.size:
            self._zero_rows[j] = (hours, res)

    def have(self, j: int, hours: IntArray) -> BoolArray:
        """(hours,) whether the reference of (hour, ``j``) is known."""
        return np.asarray(self._pos[hours, j] >= 0, dtype=bool)

    def fetch(self, pairs: Mapping[int, IntArray]) -> None:
        """Solve the references of ``pairs`` (contingency -> hours) not known yet."""
        todo = {}
        for j, hours in pairs.items():
            missing = np.unique(hours[~self.have(j, hours)])
            if missing.size:
                todo[j] = missing
        if not todo:
            return
        tops = self._kept(self._ceiling_rows, self.ceiling, todo)
        zeros = self._kept(self._zero_rows, self.zero, todo)
        for j, hours in todo.items():
            ref = self.net.rule.reference(zeros[j], tops[j])
            self._parts.setdefault(j, []).append((hours, ref))
            start = sum(int(h.size) for h, _ in self._parts[j][:-1])
            self._pos[hours, j] = start + np.arange(hours.size, dtype=np.int32)

    def _kept(
        self,
        kept: dict[int, tuple[IntArray, SolvedRows]],
        level: ExportLevel,
        todo: Mapping[int, IntArray],
    ) -> dict[int, SolvedRows]:
        """Rows of ``todo`` at a level: from the kept rows where they are, else solved."""
        out: dict[int, SolvedRows] = {}
        solve: dict[int, IntArray] = {}
        for j, hours in todo.items():
            have = kept.get(j)
            if have is not None and np.isin(hours, have[0]).all():
                out[j] = take_rows(have[1], np.searchsorted(have[0], hours))
            else:
                solve[j] = hours
        for j, _, res in level.solve(solve):
            self.rows_solved += int(res.ac_solved.sum()) if j else 0
            out[j] = res
        return out

    def get(self, j: int, hours: IntArray) -> Reference:
        """Return the references of (``hours``, ``j``), all known (see :meth:`fetch`)."""
        if len(self._parts[j]) > 1:
            # one array per contingency (the parts' rows stay where _pos points)
            hours_all = np.concatenate([h for h, _ in self._parts[j]])
            parts = [ref for _, ref in self._parts[j]]
            self._parts[j] = [
                (
                    hours_all,
                    Reference(
                        converged=np.concatenate([p.converged for p in parts]),
                        loading_percent=np.concatenate([p.loading_percent for p in parts]),
                        vm_pu=np.concatenate([p.vm_pu for p in parts]),
                        moves=np.concatenate([p.moves for p in parts]),
                        bus_moves=np.concatenate([p.bus_moves for p in parts]),
                    ),
                )
            ]
        ref = self._parts[j][0][1]
        at = self._pos[hours, j]
        return Reference(
            converged=ref.converged[at],
            loading_percent=ref.loading_percent[at],
            vm_pu=ref.vm_pu[at],
            moves=ref.moves[at],
            bus_moves=ref.bus_moves[at],
        )

    def verdicts(self, j: int, hours: IntArray, res: SolvedRows) -> Verdicts:
        """Apply the rule to rows of contingency ``j`` (fetching the references they need)."""
        rule = self.net.rule
        need = rule.needs_reference(res)
        out = Verdicts(
            insecure=np.zeros(hours.size, dtype=bool),
            severity=np.full(hours.size, -np.inf),
            element=np.full(hours.size, -1, dtype=np.int64),
            kind=np.zeros(hours.size, dtype=np.int8),
        )
        if not need.any():
            return out
        sub = np.flatnonzero(need)
        self.fetch({j: hours[sub]})
        v = rule.verdicts(take_rows(res, sub), self.get(j, hours[sub]))
        out.insecure[sub] = v.insecure
        out.severity[sub] = v.severity
        out.element[sub] = v.element
        out.kind[sub] = v.kind
        return out
