"""Export round trips: pandapower JSON and MATPOWER .mat."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandapower as pp

from casa1000.grid.builder import build_net
from casa1000.grid.export import ExportFormat, export_net
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import make_schedule, split_export
from casa1000.grid.solve import RUNPP_OPTIONS, run_ac


def _solved(params: GridParams):  # type: ignore[no-untyped-def]
    schedule = make_schedule(
        params,
        demand_mw={"KG": [1950.0], "TJ": [2370.0]},
        export_mw=split_export(params.contract, [1300.0]),
    )
    built = build_net(params, schedule)
    assert run_ac(built)[0]
    return built


def test_json_round_trip(as_built: GridParams, tmp_path: Path) -> None:
    built = _solved(as_built)
    path = export_net(built, tmp_path / "net.json", ExportFormat.JSON)
    again = pp.from_json(str(path))
    assert list(again.bus.name) == list(built.net.bus.name)
    pp.runpp(again, **RUNPP_OPTIONS)
    assert np.allclose(again.res_bus.vm_pu, built.net.res_bus.vm_pu, atol=1e-9)


def test_matpower_round_trip(params: GridParams, tmp_path: Path) -> None:
    from pandapower.converter.matpower.from_mpc import from_mpc

    built = _solved(params)
    path = export_net(built, tmp_path / "net.mat", ExportFormat.MATPOWER)
    with warnings.catch_warnings():
        # pandapower's from_ppc assigns into an int column (pandas FutureWarning), not ours
        warnings.simplefilter("ignore", FutureWarning)
        again = from_mpc(str(path), f_hz=50)
    assert len(again.bus) == len(built.net.bus)
    pp.runpp(again, **RUNPP_OPTIONS)
    assert np.allclose(again.res_bus.vm_pu.values, built.net.res_bus.vm_pu.values, atol=1e-6)
    # converters come back as negative loads or static generators; the bus injections agree
    assert np.allclose(again.res_bus.p_mw.values, built.net.res_bus.p_mw.values, atol=1e-3)
    assert not list(tmp_path.glob(".net*"))  # no temporary file left behind


def test_matpower_slacks_keep_their_reactive_capability(params: GridParams, tmp_path: Path) -> None:
    from scipy.io import loadmat

    built = _solved(params)
    path = export_net(built, tmp_path / "net.mat", ExportFormat.MATPOWER)
    gen = loadmat(str(path))["mpc"]["gen"][0, 0]
    bus = loadmat(str(path))["mpc"]["bus"][0, 0]
    slack_buses = bus[bus[:, 1] == 3, 0]
    rows = gen[np.isin(gen[:, 0], slack_buses)]
    assert len(rows) == len(params.externals)
    expected = sorted((e.q_max_mvar, e.q_min_mvar) for e in params.externals)
    assert sorted(zip(rows[:, 3], rows[:, 4], strict=True)) == expected
    assert (rows[:, 3] > 0).all() and (rows[:, 4] < 0).all()
