"""Suppliers export at most what they offer; shortfalls are reported; idle plants idle."""

from __future__ import annotations

import numpy as np
import pandapower as pp
import pytest

from casa1000.grid.builder import build_net, set_hour
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import Q_MAX_PER_MW, make_schedule
from casa1000.grid.solve import RUNPP_OPTIONS

DEMAND = {"KG": [1950.0, 1950.0, 1950.0], "TJ": [2370.0, 2370.0, 2370.0]}
EXPORT = {"PK": [1000.0, 1000.0, 500.0], "AF": [300.0, 300.0, 150.0]}


def test_no_supplier_exports_more_than_it_offers(as_built: GridParams) -> None:
    offers = {"KG": np.array([390.0, 0.0, 100.0]), "TJ": np.array([910.0, 910.0, 910.0])}
    s = make_schedule(
        as_built,
        demand_mw=DEMAND,
        export_mw=EXPORT,
        offer_mw=offers,
        contract_mw=np.full(3, 1300.0),
    )
    kg, tj = s.suppliers.index("KG"), s.suppliers.index("TJ")
    assert (s.supplier_export_mw[:, kg] <= offers["KG"] + 1e-9).all()
    assert (s.supplier_export_mw[:, tj] <= offers["TJ"] + 1e-9).all()
    # what is sent is what the suppliers export, and no more than they offer in total
    np.testing.assert_allclose(s.supplier_export_mw.sum(axis=1), s.sent_mw, rtol=1e-12)
    assert s.sent_mw[1] == pytest.approx(910.0)  # Kyrgyzstan offers nothing: 910 MW, not 1300
    # the Kyrgyz shortfall is its contract share, reported, not imported
    assert s.supplier_shortfall_mw[1, kg] == pytest.approx(0.3 * 1300.0)
    assert s.supplier_shortfall_mw[0].tolist() == pytest.approx([0.0, 0.0])
    assert s.dispatch.import_mw[1].sum() == pytest.approx(0.0)
    # the export cut to the offers falls on the offtakers pro rata
    assert s.export_mw[1, 0] / s.export_mw[1, 1] == pytest.approx(1000.0 / 300.0)
    # hour 3 asks less than offered: each supplier exports pro rata to its offer
    share = s.supplier_export_mw[2, kg] / s.supplier_export_mw[2].sum()
    assert share == pytest.approx(100.0 / 1010.0)


def test_without_offers_the_contract_shares_split_the_export(as_built: GridParams) -> None:
    s = make_schedule(as_built, demand_mw=DEMAND, export_mw=EXPORT)
    np.testing.assert_allclose(
        s.supplier_export_mw[:, s.suppliers.index("TJ")], 0.7 * s.sent_mw, rtol=1e-12
    )


def test_idle_plants_do_not_regulate_voltage(as_built: GridParams) -> None:
    s = make_schedule(as_built, demand_mw=DEMAND, export_mw=EXPORT)
    idle = [pid for j, pid in enumerate(s.plant_ids) if not s.plant_committed[0, j]]
    assert "KG_THERMAL" in idle  # hydro covers the reference hour
    j = s.plant_ids.index("NUREK")
    units = np.ceil(s.plant_p_mw[0, j] / 335.0)
    assert s.plant_q_max_mvar[0, j] == pytest.approx(units * 335.0 * Q_MAX_PER_MW)
    built = build_net(as_built, s)
    set_hour(built, s, 0, honour_commitment=True)
    net = built.net
    g = built.index.gen["KG_THERMAL"]
    assert not net.gen.at[g, "in_service"]
    pp.runpp(net, **RUNPP_OPTIONS)
    bus = net.gen.at[g, "bus"]
    # without its idle unit, the Bishkek bus floats off the unit's set-point
    assert abs(net.res_bus.at[bus, "vm_pu"] - net.gen.at[g, "vm_pu"]) > 1e-4
    regulating = net.gen.in_service & (net.gen.p_mw > 0)
    np.testing.assert_allclose(
        net.res_bus.vm_pu[net.gen.bus[regulating]], net.gen.vm_pu[regulating], atol=1e-9
    )
