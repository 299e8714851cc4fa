"""Reactive limits and commitment in the batch path: runpp(enforce_q_lims=True) is the oracle."""

from __future__ import annotations

import numpy as np
import pandapower as pp
import xarray as xr

from casa1000.grid.builder import build_net, set_hour
from casa1000.grid.params import GridParams
from casa1000.grid.solve import RUNPP_OPTIONS
from casa1000.studies.engine.batch_ac import BatchAC, injections_from_schedule
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles


def test_q_limited_batch_equals_runpp_where_limits_bind(
    as_built: GridParams, profiles_2027: xr.Dataset
) -> None:
    # winter and summer days: generators at their limits, idle plants, switched shunts
    rows = np.r_[744 : 744 + 48 : 3, 4464 : 4464 + 48 : 3]
    sub = profiles_2027.isel(time=rows)
    schedule = inputs_from_profiles(as_built, sub).schedule(as_built)
    built = build_net(as_built, schedule, 0)
    inj = injections_from_schedule(built, schedule)
    limited = BatchAC(built).solve(inj)
    free = BatchAC(built, q_limits=False).solve(inj)
    assert limited.converged.all()
    binding = np.flatnonzero(limited.q_limited.any(axis=1))
    assert binding.size >= 3  # the test means something only where a limit binds
    # where a limit binds the voltages differ from the unlimited solution
    dv = np.nanmax(np.abs(limited.vm_pu[binding] - free.vm_pu[binding]), axis=1)
    assert (dv > 1e-4).all()
    assert inj.gen_on is not None and not inj.gen_on.all()  # some plant is idle
    for h in binding[:: max(1, binding.size // 4)]:
        set_hour(built, schedule, int(h), honour_commitment=True)
        pp.runpp(built.net, **dict(RUNPP_OPTIONS, enforce_q_lims=True))
        net = built.net
        assert np.abs(net.res_bus.vm_pu.to_numpy() - limited.vm_pu[h]).max() <= 1e-6
        live = net.gen.in_service.to_numpy()
        q = net.res_gen.q_mvar.to_numpy()
        assert np.abs(q[live] - limited.gen_q_mvar[h, live]).max() <= 1e-3
        # a pinned generator sits at a limit of its running units, the others within them
        lo, hi = net.gen.min_q_mvar.to_numpy(), net.gen.max_q_mvar.to_numpy()
        assert (q[live] >= lo[live] - 1e-6).all() and (q[live] <= hi[live] + 1e-6).all()
        pinned = limited.q_limited[h]
        at_limit = np.minimum(np.abs(q - lo), np.abs(q - hi)) <= 1e-6
        assert at_limit[pinned].all()
