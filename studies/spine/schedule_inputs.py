"""The one bridge from hourly profiles to the grid schedule of a run of hours.

Every study makes its hourly injections the same way: demand and plant
availability from the profiles, the export split between the offtakers, what
each supplier offers, and :func:`~casa1000.grid.schedule.make_schedule` for the
dispatch and the HVDC.  :func:`cover_losses_batch` adds the losses each
supplier's plants cover (:mod:`casa1000.grid.losses`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.grid.builder import BuiltNet
from casa1000.grid.losses import LossCover, cover_losses
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import Schedule, make_schedule, split_export
from casa1000.studies.engine.batch_ac import BatchAC, injections_from_schedule

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class ScheduleInputs:
    """What :func:`~casa1000.grid.schedule.make_schedule` needs for a run of hours ([MW]).

    ``offer_mw`` (supplier -> what it offers), ``contract_mw`` (the contracted
    total) and ``loss_cover_mw`` (supplier -> losses its plants cover) are
    optional: without offers the contract shares split the export.
    """

    demand_mw: Mapping[str, FloatArray]
    export_mw: Mapping[str, FloatArray]
    available_mw: Mapping[str, FloatArray]
    offer_mw: Mapping[str, FloatArray] | None = None
    contract_mw: FloatArray | None = None
    loss_cover_mw: Mapping[str, FloatArray] | None = None
    reverse_mw: FloatArray | None = None
    """(hours,) reverse flow Pakistan -> Tajikistan asked of the HVDC; none by default."""

    def schedule(self, params: GridParams, poles_in_service: int | None = None) -> Schedule:
        """Make the schedule of these inputs with ``poles_in_service`` poles (all by default)."""
        return make_schedule(
            params,
            demand_mw=self.demand_mw,
            export_mw=self.export_mw,
            available_mw=self.available_mw,
            poles_in_service=poles_in_service,
            offer_mw=self.offer_mw,
            contract_mw=self.contract_mw,
            loss_cover_mw=self.loss_cover_mw,
            reverse_mw=self.reverse_mw,
        )

    def scaled(self, factor: npt.ArrayLike) -> ScheduleInputs:
        """Return the same hours with every offtaker's export multiplied by ``factor``.

        Parameters
        ----------
        factor
            Scalar or (hours,) multiplier [-].
        """
        scale = np.asarray(factor, dtype=np.float64)
        return dataclasses.replace(
            self, export_mw={o: v * scale for o, v in self.export_mw.items()}
        )

    def with_loss_cover(self, loss_cover_mw: Mapping[str, FloatArray] | None) -> ScheduleInputs:
        """Return the same hours with each supplier covering ``loss_cover_mw`` [MW]."""
        return dataclasses.replace(self, loss_cover_mw=loss_cover_mw)

    def without_suppliers(self, cut: Sequence[str], base: Schedule) -> ScheduleInputs:
        """Return the hours with the export of the ``cut`` suppliers removed.

        Parameters
        ----------
        cut
            Supplier zones whose export cannot reach the converter.
        base
            The schedule of these inputs: how much each supplier exported.

        Returns
        -------
        ScheduleInputs
            Offtakers' export cut by the cut suppliers' share of what was sent,
            and those suppliers offering nothing (the others export as before).
        """
        sent = base.sent_mw
        lost = sum(
            (base.supplier_export_mw[:, base.suppliers.index(z)] for z in cut), np.zeros_like(sent)
        )
        keep = 1.0 - np.divide(lost, sent, out=np.zeros_like(sent), where=sent > 0)
        if self.offer_mw is not None:
            offers = dict(self.offer_mw)
        else:
            # without offers the contract shares split the export: make them explicit
            offers = {z: base.supplier_export_mw[:, k] for k, z in enumerate(base.suppliers)}
        offers = {z: (np.zeros_like(v) if z in cut else v) for z, v in offers.items()}
        return dataclasses.replace(
            self,
            export_mw={o: v * keep for o, v in self.export_mw.items()},
            offer_mw=offers,
        )

    def take(self, rows: npt.ArrayLike) -> ScheduleInputs:
        """Return the inputs of some hours (row indices, repeats allowed)."""
        idx = np.asarray(rows, dtype=np.intp)

        def pick(values: Mapping[str, FloatArray] | None) -> dict[str, FloatArray] | None:
            return None if values is None else {k: v[idx] for k, v in values.items()}

        return ScheduleInputs(
            demand_mw={k: v[idx] for k, v in self.demand_mw.items()},
            export_mw={k: v[idx] for k, v in self.export_mw.items()},
            available_mw={k: v[idx] for k, v in self.available_mw.items()},
            offer_mw=pick(self.offer_mw),
            contract_mw=None if self.contract_mw is None else self.contract_mw[idx],
            loss_cover_mw=pick(self.loss_cover_mw),
            reverse_mw=None if self.reverse_mw is None else self.reverse_mw[idx],
        )


def export_by_offtaker(
    profiles: xr.Dataset, export_factor: npt.ArrayLike = 1.0
) -> dict[str, FloatArray]:
    """Split each hour's available export, scaled, pro rata to that hour's contracts.

    Parameters
    ----------
    profiles
        Hourly profiles (``export_available_total_mw``, ``contract_mw``).
    export_factor
        (hours,) or scalar fraction of the available export to use [-].

    Returns
    -------
    dict
        ``{"PK": (hours,), "AF": (hours,)}`` export at the sending end [MW].
    """
    contract = profiles.contract_mw.transpose("time", "offtaker")
    total_contract = contract.sum("offtaker").values
    share = np.divide(
        contract.values,
        total_contract[:, None],
        out=np.zeros_like(contract.values),
        where=total_contract[:, None] > 0,
    )
    export_total = profiles.export_available_total_mw.values * np.asarray(export_factor)
    offtakers = [str(o) for o in contract.offtaker.values]
    return {o: export_total * share[:, k] for k, o in enumerate(offtakers)}


def inputs_from_profiles(
    params: GridParams,
    profiles: xr.Dataset,
    export_total_mw: FloatArray | None = None,
    *,
    shares: Mapping[str, float] | None = None,
    export_factor: npt.ArrayLike = 1.0,
) -> ScheduleInputs:
    """Schedule inputs of every hour of ``profiles``.

    Parameters
    ----------
    params
        The network (its contract splits an explicit export).
    profiles
        Hourly profiles.
    export_total_mw
        (hours,) total export at the sending end [MW]; split pro rata to the
        contracted PK and AF capacities, and between the suppliers by their
        contract shares (a hypothetical transfer level).  Without it, the
        profiles' available export split by each hour's contract
        (:func:`export_by_offtaker`), with each supplier exporting at most what
        it offers (``export_available_mw``) and owing its share of the
        contract (``contract_mw``).
    shares
        Offtaker -> fraction of ``export_total_mw`` it takes, instead of the
        contract's pro-rata split (e.g. ``{"PK": 1.0, "AF": 0.0}``).
    export_factor
        (hours,) or scalar fraction of the profiles' available export used when
        ``export_total_mw`` is not given [-].

    Returns
    -------
    ScheduleInputs
        Demand, export per offtaker and plant availability.
    """
    suppliers = params.roles.suppliers
    demand = {z: profiles.demand_mw.sel(zone=z).values.astype(np.float64) for z in suppliers}
    available = {
        str(p): profiles.available_mw.sel(plant=p).values.astype(np.float64)
        for p in profiles.plant.values
    }
    reverse = (
        profiles.reverse_contract_mw.values.astype(np.float64)
        if "reverse_contract_mw" in profiles.data_vars
        else None
    )
    if export_total_mw is not None and shares is not None:
        total_mw = np.asarray(export_total_mw, dtype=np.float64)
        export = {o: total_mw * shares.get(o, 0.0) for o in params.roles.offtakers}
    elif export_total_mw is not None:
        export = split_export(params.contract, export_total_mw)
    else:
        export = export_by_offtaker(profiles, export_factor)
        offers = {
            z: profiles.export_available_mw.sel(supplier=z).values.astype(np.float64)
            for z in suppliers
        }
        contract = profiles.contract_mw.sum("offtaker").values.astype(np.float64)
        return ScheduleInputs(
            demand_mw=demand,
            export_mw=export,
            available_mw=available,
            offer_mw=offers,
            contract_mw=contract,
            reverse_mw=reverse,
        )
    return ScheduleInputs(
        demand_mw=demand, export_mw=export, available_mw=available, reverse_mw=reverse
    )


def cover_losses_batch(
    params: GridParams,
    inputs: ScheduleInputs,
    built: BuiltNet,
    batch: BatchAC,
    *,
    threads: int = 2,
    max_iterations: int = 4,
    tol_mw: float = 0.5,
) -> tuple[ScheduleInputs, LossCover]:
    """Make the suppliers' plants cover their losses, solving with the batch AC solver.

    The iteration of :func:`casa1000.grid.losses.cover_losses` (schedule, solve,
    allocate, re-schedule) on every hour of ``inputs``.

    Parameters
    ----------
    params
        The network.
    inputs
        Schedule inputs of the hours (without a loss cover).
    built, batch
        The built network and its batch solver.
    threads
        Worker threads of the batch solver.
    max_iterations, tol_mw
        Passed to :func:`~casa1000.grid.losses.cover_losses`.

    Returns
    -------
    tuple
        ``(inputs with the loss cover, the LossCover)``; solve
        ``inputs.schedule(params)`` (it equals ``LossCover.schedule``) for the
        result with the losses covered.
    """

    def make(cover: Mapping[str, FloatArray] | None) -> Schedule:
        return inputs.with_loss_cover(cover).schedule(params)

    def solve(schedule: Schedule) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        result = batch.solve(injections_from_schedule(built, schedule), threads=threads)
        return result.pl_mw, result.converged

    cover = cover_losses(built, make, solve, max_iterations=max_iterations, tol_mw=tol_mw)
    return inputs.with_loss_cover(cover.loss_cover_mw), cover
