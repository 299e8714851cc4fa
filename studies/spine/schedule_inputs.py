"""The one bridge from hourly profiles to the grid schedule of a run of hours.

Every study makes its hourly injections the same way: demand and plant
availability from the profiles, the export split between the offtakers, and
:func:`~casa1000.grid.schedule.make_schedule` for the dispatch and the HVDC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.grid.schedule import OFFTAKERS, SUPPLIERS, Schedule, make_schedule, split_export

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class ScheduleInputs:
    """What :func:`~casa1000.grid.schedule.make_schedule` needs for a run of hours ([MW])."""

    demand_mw: Mapping[str, FloatArray]
    export_mw: Mapping[str, FloatArray]
    available_mw: Mapping[str, FloatArray]
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
        return ScheduleInputs(
            demand_mw=self.demand_mw,
            export_mw={o: v * scale for o, v in self.export_mw.items()},
            available_mw=self.available_mw,
            reverse_mw=self.reverse_mw,
        )

    def take(self, rows: npt.ArrayLike) -> ScheduleInputs:
        """Return the inputs of some hours (row indices, repeats allowed)."""
        idx = np.asarray(rows, dtype=np.intp)
        return ScheduleInputs(
            demand_mw={k: v[idx] for k, v in self.demand_mw.items()},
            export_mw={k: v[idx] for k, v in self.export_mw.items()},
            available_mw={k: v[idx] for k, v in self.available_mw.items()},
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
    offtakers = list(contract.offtaker.values)
    return {o: export_total * share[:, offtakers.index(o)] for o in OFFTAKERS}


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
        contracted PK and AF capacities.  Without it, the profiles' available
        export split by each hour's contract (:func:`export_by_offtaker`).
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
    demand = {z: profiles.demand_mw.sel(zone=z).values.astype(np.float64) for z in SUPPLIERS}
    available = {
        str(p): profiles.available_mw.sel(plant=p).values.astype(np.float64)
        for p in profiles.plant.values
    }
    if export_total_mw is not None and shares is not None:
        total_mw = np.asarray(export_total_mw, dtype=np.float64)
        export = {o: total_mw * shares.get(o, 0.0) for o in OFFTAKERS}
    elif export_total_mw is not None:
        export = split_export(params.contract, export_total_mw)
    else:
        export = export_by_offtaker(profiles, export_factor)
    reverse = (
        profiles.reverse_contract_mw.values.astype(np.float64)
        if "reverse_contract_mw" in profiles.data_vars
        else None
    )
    return ScheduleInputs(
        demand_mw=demand, export_mw=export, available_mw=available, reverse_mw=reverse
    )
