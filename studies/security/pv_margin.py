"""The PV margin of the AC corridor: MW of offtake to the nose, hour by hour, by batch AC.

As built, Afghanistan is fed over a long radial 220 kV corridor; past the nose
of its PV curve there is no load-flow solution.  The margin of an hour is how
much more the offtaker served over AC could take before that nose:

* the offtake is raised from the hour's own value, everything else of the hour
  held (demand, plant availability, the other offtakers' export, the losses the
  suppliers cover); the suppliers' plants generate it, pro rata to their offers
  (lifted as needed, so that they never cut it), by the dispatch rule; the
  switched compensation follows the offtake by its switching rule;
* every hour's offtake is stepped by ``step_mw`` in one batch -- up from the
  hour's own offtake until its load flow fails, or, if it fails there already
  (one corridor circuit out at a heavy offtake), down until it converges -- and
  the failing step is bisected to ``resolution_mw``; the nose is the highest
  offtake found to converge (the ceiling, if none fails below it; NaN if even no
  offtake fails).  The margin is negative where the hour is already past it.

Hours that start from the same offtake (most export hours start at the contract)
walk the same ladder of offtakes, so one hour of each start is searched in full
and the others are first tried on its final bracket: two load flows, the lower
end converging and the upper one failing.  Where that holds, the full search of
the hour would have ended on the same bracket -- every midpoint it visits gets
the same verdict -- as long as the verdict is monotone in the offtake between
them, which the bisection assumes anyway; where it does not hold, the hour is
searched in full.  On the reference year this takes about 7,500 load flows per
case instead of about 85,000, with the same noses (``tests/studies/test_pv_margin.py``).

The same path solved by pandapower's ``runpp``, warm-started step by step (a
continuation without predictor, as :func:`casa1000.grid.corridor.corridor_limit`
does on the reference hour), is the oracle (``tests/studies/test_pv_margin.py``).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.grid.builder import BuiltNet
from casa1000.grid.params import GridParams
from casa1000.studies.engine.batch_ac import BatchAC, injections_from_schedule
from casa1000.studies.spine.schedule_inputs import ScheduleInputs

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
PIECE_ROWS = 1_500
"""Most load flows solved (and their results held) at once."""


@dataclass(frozen=True, kw_only=True)
class PvMargin:
    """The corridor's nose in some hours ([MW] of offtake at the offtaker's buses)."""

    offtake_mw: FloatArray
    """(hours,) offtake served over AC in the hour."""
    nose_mw: FloatArray
    """(hours,) highest offtake that converges; NaN where not computed."""
    reached: BoolArray
    """(hours,) a failing offtake was found below the ceiling (else ``nose_mw`` is it)."""

    @property
    def margin_mw(self) -> FloatArray:
        """(hours,) offtake to the nose beyond the hour's own [MW]."""
        margin: FloatArray = self.nose_mw - self.offtake_mw
        return margin


def offtake_inputs(
    params: GridParams, inputs: ScheduleInputs, rows: IntArray, offtake_mw: FloatArray
) -> ScheduleInputs:
    """Return the inputs of hours ``rows`` with the AC offtaker's export set to ``offtake_mw``.

    The suppliers' offers are lifted, in proportion, so that they never cut the
    export asked (without offers the contract shares split it).

    Parameters
    ----------
    params
        The network (its first offtaker served over AC is raised).
    inputs
        Schedule inputs of the study's hours.
    rows
        (n,) hour of each new row (repeats allowed).
    offtake_mw
        (n,) export to the offtaker served over AC [MW].
    """
    offtaker = params.ac_offtakers[0]
    sub = inputs.take(rows)
    export = {o: (offtake_mw if o == offtaker else v) for o, v in sub.export_mw.items()}
    if offtaker not in export:
        export[offtaker] = offtake_mw
    offers = sub.offer_mw
    if offers is not None:
        asked = sum(export.values(), np.zeros(rows.size))
        offered = sum(offers.values(), np.zeros(rows.size))
        shares = params.contract.supplier_share
        lift = np.divide(asked, offered, out=np.ones(rows.size), where=offered > 0)
        lift = np.maximum(lift, 1.0)
        offers = {
            z: np.where(offered > 0, v * lift, asked * shares.get(z, 0.0))
            for z, v in offers.items()
        }
    return dataclasses.replace(sub, export_mw=export, offer_mw=offers)


def corridor_nose(
    params: GridParams,
    built: BuiltNet,
    inputs: ScheduleInputs,
    *,
    circuits_out: tuple[str, ...] = (),
    hours: IntArray | None = None,
    step_mw: float = 20.0,
    resolution_mw: float = 0.5,
    ceiling_mw: float | None = None,
    threads: int = 2,
    q_limits: bool = True,
    batch: BatchAC | None = None,
    vmin_pu: float | None = None,
    reuse_brackets: bool = True,
) -> PvMargin:
    """Find the nose of the AC corridor in every hour of ``inputs`` (see the module).

    With ``vmin_pu`` the same search finds instead the highest offtake at which
    the case converges with every bus of the AC offtakers at or above it (the
    corridor's voltage limit; ``nose_mw`` then holds that limit).

    Parameters
    ----------
    params
        The network; without an offtaker served over AC every nose is NaN.
    built
        Its built network.
    inputs
        Schedule inputs of the hours (the study's final ones: export and loss cover).
    circuits_out
        Circuits out of service (``("SANGTUDA_PULEKHUMRI/1",)``).
    hours
        Hours to compute (positions); by default those with some AC offtake.
    step_mw, resolution_mw
        Step of the scan and width the bisection stops at [MW].
    ceiling_mw
        Highest offtake tried [MW]; twice the offtaker's contract by default.
    threads
        Worker threads of the batch solver.
    q_limits
        Enforce generators' reactive limits.
    batch
        The batch solver of ``built`` to reuse (without circuits out).
    vmin_pu
        Voltage limit of the AC offtakers' buses [pu]; None: the nose.
    reuse_brackets
        Try an hour first on the final bracket of an hour searched with the
        same start (see the module); False: search every hour in full.

    Returns
    -------
    PvMargin
        Per hour of ``inputs``.
    """
    n = len(next(iter(inputs.demand_mw.values())))
    if not params.ac_offtakers:
        nan = np.full(n, np.nan)
        return PvMargin(offtake_mw=np.zeros(n), nose_mw=nan, reached=np.zeros(n, dtype=bool))
    offtaker = params.ac_offtakers[0]
    k_off = params.roles.offtakers.index(offtaker)
    base = inputs.schedule(params)
    x0 = base.ac_offtake_mw[:, k_off]
    top = 2.0 * params.contract.offtaker_mw[offtaker] if ceiling_mw is None else ceiling_mw
    todo = np.flatnonzero(x0 > 0) if hours is None else np.asarray(hours, dtype=np.int64)
    nose = np.full(n, np.nan)
    reached = np.zeros(n, dtype=bool)
    if not todo.size:
        return PvMargin(offtake_mw=x0, nose_mw=nose, reached=reached)
    solver = _solver(built, circuits_out, threads, q_limits, batch)

    zones = set(params.ac_offtakers)
    watch = [built.index.bus[b.id] for b in params.buses if b.zone in zones]

    def converges_piece(rows: IntArray, xs: FloatArray) -> BoolArray:
        trial = offtake_inputs(params, inputs, rows, xs).schedule(params)
        result = solver.solve(injections_from_schedule(built, trial), threads=threads)
        if vmin_pu is None:
            return result.converged
        with np.errstate(invalid="ignore"):
            low = (result.vm_pu[:, watch] < vmin_pu).any(axis=1)
        return np.asarray(result.converged & ~low, dtype=bool)

    def converges(rows: IntArray, xs: FloatArray) -> BoolArray:
        # every row starts from the same voltage, so pieces only bound the memory
        pieces = [
            converges_piece(rows[lo : lo + PIECE_ROWS], xs[lo : lo + PIECE_ROWS])
            for lo in range(0, rows.size, PIECE_ROWS)
        ]
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=bool)

    start = x0[todo]
    search = _Search(converges, top, step_mw, resolution_mw)
    lo, up, found = search.run(todo, start, reuse_brackets=reuse_brackets)
    reached[todo] = ~up | found
    nose[todo] = lo
    return PvMargin(offtake_mw=x0, nose_mw=nose, reached=reached)


class _Search:
    """The scan and bisection of :func:`corridor_nose` over some hours."""

    def __init__(
        self,
        converges: Callable[[IntArray, FloatArray], BoolArray],
        top: float,
        step_mw: float,
        resolution_mw: float,
    ) -> None:
        self.converges = converges
        self.top = top
        self.step_mw = step_mw
        self.resolution_mw = resolution_mw

    def run(
        self, rows: IntArray, start: FloatArray, *, reuse_brackets: bool
    ) -> tuple[FloatArray, BoolArray, BoolArray]:
        """Return ``(nose, start converges, a failing offtake found)`` of every row."""
        if not reuse_brackets:
            lo, _, up, found = self.full(rows, start)
            return lo, up, found
        # one hour of each distinct start is searched in full; the others of that
        # start are tried on its final bracket (two load flows) and searched in full
        # only where the bracket does not hold for them
        _, first, group = np.unique(start, return_index=True, return_inverse=True)
        group = np.asarray(group).ravel()
        lo = np.full(rows.size, np.nan)
        up = np.zeros(rows.size, dtype=bool)
        found = np.zeros(rows.size, dtype=bool)
        r_lo, r_hi, r_up, r_found = self.full(rows[first], start[first])
        lo[first], up[first], found[first] = r_lo, r_up, r_found
        rest = np.setdiff1d(np.arange(rows.size), first)
        usable = rest[r_found[group[rest]] & np.isfinite(r_lo[group[rest]])]
        cand_lo, cand_hi = r_lo[group[usable]], r_hi[group[usable]]
        if not usable.size:
            left = rest
            if left.size:
                lo[left], _, up[left], found[left] = self.full(rows[left], start[left])
            return lo, up, found
        verdict = self.converges(
            np.concatenate([rows[usable], rows[usable]]), np.concatenate([cand_lo, cand_hi])
        )
        holds = verdict[: usable.size] & ~verdict[usable.size :]
        took = usable[holds]
        lo[took] = cand_lo[holds]
        # the start is a scan level, never inside a bracket: the bracket lies above
        # a converging start or at or below a failing one
        up[took] = cand_lo[holds] >= start[took]
        found[took] = True
        left = np.setdiff1d(rest, took)
        if left.size:
            lo[left], _, up[left], found[left] = self.full(rows[left], start[left])
        return lo, up, found

    def full(
        self, rows: IntArray, start: FloatArray
    ) -> tuple[FloatArray, FloatArray, BoolArray, BoolArray]:
        """Scan and bisect every row; return ``(lo, hi, start converges, found)``."""
        step_mw, top = self.step_mw, self.top
        up = self.converges(rows, start)
        sign = np.where(up, 1.0, -1.0)
        # the scan, one step of every open hour per batch (a row that fails costs every
        # Newton iteration, so the steps beyond the first failure are not tried): up
        # from a converging start until a step fails, down from a failing one until one
        # converges
        steps = np.ceil(np.where(up, np.maximum(top - start, 0.0), start) / step_mw - 1e-9)
        first = np.zeros(rows.size, dtype=np.int64)
        found = np.zeros(rows.size, dtype=bool)
        for k in range(1, int(steps.max(initial=0)) + 1):
            open_ = np.flatnonzero(~found & (steps >= k))
            if not open_.size:
                break
            xs = np.clip(start[open_] + sign[open_] * k * step_mw, 0.0, top)
            flip = self.converges(rows[open_], xs) != up[open_]
            first[open_[flip]] = k
            found[open_[flip]] = True

        def level(n_steps: npt.NDArray[np.int64]) -> FloatArray:
            out: FloatArray = np.clip(start + sign * n_steps * step_mw, 0.0, top)
            return out

        last = steps.astype(np.int64)
        lo = np.where(up, level(np.where(found, first - 1, last)), level(first))
        hi = np.where(up, level(first), level(first - 1))
        lo = np.where(~up & ~found, np.nan, lo)
        while True:
            open_ = np.flatnonzero(found & (hi - lo > self.resolution_mw))
            if not open_.size:
                break
            mid = 0.5 * (lo[open_] + hi[open_])
            good = self.converges(rows[open_], mid)
            lo[open_] = np.where(good, mid, lo[open_])
            hi[open_] = np.where(good, hi[open_], mid)
        return lo, hi, up, found


def _solver(
    built: BuiltNet,
    circuits_out: tuple[str, ...],
    threads: int,
    q_limits: bool,
    batch: BatchAC | None,
) -> BatchAC:
    if not circuits_out and batch is not None:
        return batch
    net = copy.deepcopy(built.net)
    for c in circuits_out:
        net.line.at[built.index.line[c], "in_service"] = False
    out = BuiltNet(net=net, index=built.index, params=built.params)
    return BatchAC(out, q_limits=q_limits)


def first_corridor_circuit(params: GridParams, built: BuiltNet) -> tuple[str, ...]:
    """Return the first circuit of the first corridor line (``SANGTUDA_PULEKHUMRI/1``)."""
    from casa1000.grid.corridor import corridor_lines

    if not params.ac_offtakers:
        return ()
    lines = corridor_lines(params)
    if not lines:
        return ()
    circuits = built.index.circuits(lines[:1])
    return (circuits[0],) if circuits else ()


__all__ = ["PvMargin", "corridor_nose", "first_corridor_circuit", "offtake_inputs"]
