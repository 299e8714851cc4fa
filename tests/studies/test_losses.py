"""CAPS losses are covered by the suppliers' plants, not the equivalent (runpp oracle)."""

from __future__ import annotations

import numpy as np
import pandapower as pp
import xarray as xr

from casa1000.grid.areas import synchronous_areas
from casa1000.grid.builder import build_net, set_hour
from casa1000.grid.losses import loss_owners
from casa1000.grid.params import IMPORT_CATEGORY, GridParams
from casa1000.grid.solve import RUNPP_OPTIONS
from casa1000.studies.engine.batch_ac import BatchAC
from casa1000.studies.spine.schedule_inputs import cover_losses_batch, inputs_from_profiles


def test_suppliers_cover_the_caps_losses(as_built: GridParams, profiles_2027: xr.Dataset) -> None:
    july = np.flatnonzero((profiles_2027.time.dt.month == 7).values)[:48]
    inputs = inputs_from_profiles(as_built, profiles_2027.isel(time=july))
    built = build_net(as_built, inputs.schedule(as_built), 0)
    covered, cover = cover_losses_batch(as_built, inputs, built, BatchAC(built))
    assert cover.iterations <= 4 and cover.change_mw < 0.5
    schedule = covered.schedule(as_built)
    owners = loss_owners(built)
    caps = as_built.roles.supplier_external
    area = synchronous_areas(as_built)
    bus_area = [area[str(n)] for n in built.net.bus.name]
    hv = np.concatenate([built.net.line.from_bus.to_numpy(), built.net.trafo.hv_bus.to_numpy()])
    in_caps = np.array([bus_area[built.net.bus.index.get_loc(b)] == "CAPS" for b in hv])
    for hour in (0, 17, 40):
        # as the batch path: idle plants do not regulate, reactive limits hold
        set_hour(built, schedule, hour, honour_commitment=True)
        pp.runpp(built.net, **dict(RUNPP_OPTIONS, enforce_q_lims=True))
        net = built.net
        pl = np.concatenate([net.res_line.pl_mw.to_numpy(), net.res_trafo.pl_mw.to_numpy()])
        area_losses = pl[owners.fixed.sum(axis=1) > 0]
        allocated = pl @ owners.fixed.sum(axis=1) + pl[owners.by_export].sum()
        # the suppliers generate their allocated losses on top of demand and export
        assert abs(schedule.loss_cover_mw[hour].sum() - allocated) < 0.5
        assert area_losses.sum() > 20  # there are losses to cover
        # so the equivalent supplies only the losses of its own ties and routes
        slack = float(net.res_ext_grid.p_mw[net.ext_grid.name == caps].iloc[0])
        # imports of a zone with an import point (Kyrgyzstan: the Kazakh hub) enter there
        points = {ld.zone for ld in as_built.loads if ld.category == IMPORT_CATEGORY}
        from_slack = sum(
            schedule.dispatch.import_mw[hour, k]
            for k, z in enumerate(schedule.dispatch.zones)
            if z not in points
        )
        unallocated = (owners.fixed.sum(axis=1) == 0) & ~owners.by_export
        own = pl[unallocated & in_caps].sum()
        assert abs(slack - own - from_slack) < 0.5  # the last iteration's change, at most
