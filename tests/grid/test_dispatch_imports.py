"""Import limits of the dispatch: each zone's own capability and the shared one, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from casa1000.grid.dispatch import dispatch_plants, pooled_import_mw
from casa1000.grid.params import IMPORT_CATEGORY, GridParams, Plant, Technology
from casa1000.grid.schedule import make_schedule

# two zones short of 600 and 400 MW
DEFICIT = np.array([[600.0, 400.0]])


def test_zone_limits_bind_and_the_shared_one_does_not() -> None:
    # TJ may import 300 of its 400 MW; together 900 < 1,500
    imports = pooled_import_mw(DEFICIT, np.array([1000.0, 300.0]), 1500.0)
    assert imports.tolist() == [[600.0, 300.0]]


def test_the_shared_limit_binds_and_the_zone_ones_do_not() -> None:
    # 1,000 MW asked of 500: each zone gets half its deficit
    imports = pooled_import_mw(DEFICIT, np.array([1000.0, 1000.0]), 500.0)
    assert imports.tolist() == [[300.0, 200.0]]


def test_both_limits_bind() -> None:
    # TJ's 400 MW deficit counts as the 300 MW it may import; 500 of 900 is shared 600:300
    imports = pooled_import_mw(DEFICIT, np.array([1000.0, 300.0]), 500.0)
    assert imports[0] == pytest.approx([500.0 * 600.0 / 900.0, 500.0 * 300.0 / 900.0])
    assert imports.sum() == pytest.approx(500.0)


def test_without_zone_limits_the_shared_rule_is_unchanged() -> None:
    deficit = np.array([[300.0, 100.0], [0.0, 0.0]])
    imports = pooled_import_mw(deficit, None, 200.0)
    assert imports.tolist() == [[150.0, 50.0], [0.0, 0.0]]
    # infinite zone limits are no limits
    assert pooled_import_mw(deficit, np.full(2, np.inf), 200.0).tolist() == imports.tolist()


def test_zones_along_another_axis() -> None:
    # the Monte Carlo's layout: (years, zones, hours)
    deficit = np.array([[[600.0, 0.0], [400.0, 50.0]]])
    caps = np.array([[1000.0], [300.0]])
    imports = pooled_import_mw(deficit, caps, 500.0, zone_axis=-2)
    assert imports[0, :, 0] == pytest.approx([500.0 * 6 / 9, 500.0 * 3 / 9])
    assert imports[0, :, 1].tolist() == [0.0, 50.0]


def _plant(zone: str, mw: float) -> Plant:
    return Plant(
        id=f"{zone}_HYDRO",
        name=zone,
        bus=zone,
        zone=zone,
        technology=Technology.HYDRO_RESERVOIR,
        units=1,
        unit_mw=mw,
        p_max_mw=mw,
        vm_pu=1.0,
    )


def test_dispatch_imports_within_both_limits_and_sheds_the_rest() -> None:
    plants = [_plant("KG", 500.0), _plant("TJ", 1000.0)]
    avail = np.array([[500.0, 1000.0]] * 3)
    requirement = {"KG": [1100.0, 800.0, 400.0], "TJ": [1600.0, 1100.0, 1600.0]}
    result = dispatch_plants(
        plants,
        requirement,
        avail,
        max_import_mw=500.0,
        zone_import_cap_mw={"KG": 1000.0, "TJ": [300.0, 300.0, 300.0]},
    )
    # deficits: KG 600, 300, 0 and TJ 600, 100, 600
    assert result.deficit_mw.tolist() == [[600.0, 600.0], [300.0, 100.0], [0.0, 600.0]]
    # hour 0: 600 + 300 importable, 500 shared 2:1; hour 1: all imported; hour 2: TJ's 300
    assert result.import_mw[0] == pytest.approx([1000.0 / 3.0, 500.0 / 3.0])
    assert result.import_mw[1].tolist() == [300.0, 100.0]
    assert result.import_mw[2].tolist() == [0.0, 300.0]
    assert result.unserved_mw[2].tolist() == [0.0, 300.0]
    np.testing.assert_allclose(result.import_mw + result.unserved_mw, result.deficit_mw)
    # plants run the same with or without the limits: they only move imports to unserved
    free = dispatch_plants(plants, requirement, avail, max_import_mw=1e9)
    np.testing.assert_array_equal(free.plant_p_mw, result.plant_p_mw)
    assert free.unserved_mw.sum() == 0.0


def test_a_zone_not_named_has_no_limit_of_its_own() -> None:
    plants = [_plant("KG", 0.0), _plant("TJ", 0.0)]
    result = dispatch_plants(
        plants,
        {"KG": [700.0], "TJ": [700.0]},
        np.zeros((1, 2)),
        max_import_mw=1500.0,
        zone_import_cap_mw={"TJ": 200.0},
    )
    assert result.import_mw.tolist() == [[700.0, 200.0]]


def test_the_schedule_sheds_only_home_demand_and_keeps_the_export(as_built: GridParams) -> None:
    # a summer hour in which Tajikistan's plants are short; the export does not move
    demand = {"KG": [1950.0, 1950.0], "TJ": [2370.0, 2370.0]}
    export = {"PK": [1000.0, 1000.0], "AF": [300.0, 300.0]}
    tajik = [p.id for p in as_built.plants if p.zone == "TJ"]
    avail = {pid: [0.0, 0.0] for pid in tajik} | {"NUREK": [2000.0, 2000.0]}
    caps = {"KG": [1500.0, 1500.0], "TJ": [300.0, 1500.0]}
    free = make_schedule(as_built, demand_mw=demand, export_mw=export, available_mw=avail)
    capped = make_schedule(
        as_built, demand_mw=demand, export_mw=export, available_mw=avail, import_cap_mw=caps
    )
    tj = capped.dispatch.zones.index("TJ")
    deficit = capped.dispatch.deficit_mw[:, tj]
    assert deficit[0] > 300.0  # the limit binds in hour 0 and not in hour 1
    assert capped.dispatch.import_mw[0, tj] == pytest.approx(300.0)
    assert capped.dispatch.unserved_mw[0, tj] == pytest.approx(deficit[0] - 300.0)
    np.testing.assert_array_equal(capped.dispatch.import_mw[1], free.dispatch.import_mw[1])
    # the export and the HVDC are those of the schedule without limits
    np.testing.assert_array_equal(capped.supplier_export_mw, free.supplier_export_mw)
    np.testing.assert_array_equal(capped.hvdc.sent_mw, free.hvdc.sent_mw)
    # Tajik loads carry demand less what is shed (the equivalent's slack brings the import)
    home = [
        capped.load_ids.index(ld.id)
        for ld in as_built.loads
        if ld.zone == "TJ" and ld.category != IMPORT_CATEGORY
    ]
    shed = capped.dispatch.unserved_mw[0, tj]
    assert capped.load_p_mw[0, home].sum() == pytest.approx(2370.0 - shed)
    assert free.load_p_mw[0, home].sum() == pytest.approx(2370.0)


def test_without_limits_the_schedule_is_unchanged(as_built: GridParams) -> None:
    demand = {"KG": [3500.0], "TJ": [4000.0]}
    export = {"PK": [0.0], "AF": [0.0]}
    old = make_schedule(as_built, demand_mw=demand, export_mw=export)
    none = make_schedule(as_built, demand_mw=demand, export_mw=export, import_cap_mw=None)
    high = make_schedule(
        as_built, demand_mw=demand, export_mw=export, import_cap_mw={"KG": [1e9], "TJ": [1e9]}
    )
    for s in (none, high):
        np.testing.assert_array_equal(s.load_p_mw, old.load_p_mw)
        np.testing.assert_array_equal(s.dispatch.import_mw, old.dispatch.import_mw)
