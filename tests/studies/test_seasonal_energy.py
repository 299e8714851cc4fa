"""Seasonal runs: winter security moves with the water, the export rule and reverse flow."""

from __future__ import annotations

import pytest
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.profiles import build_profiles
from casa1000.studies.seasonal import SeasonalConfig, run_seasonal

AFTER_EXPORT = SeasonalConfig(months=(10, 11, 12))
JANUARY = SeasonalConfig(months=(1,))
ON_THE_FLOOR = {"TOKTOGUL": 6.5, "NUREK": 6.0, "ROGUN": 0.5}


def _short_twh(ds: xr.Dataset, zones: tuple[str, ...] = ("KG", "TJ")) -> float:
    """Energy imported or shed in ``zones`` [TWh]."""
    both = ds["import_mw"] + ds["unserved_mw"]
    return float(both.sel(zone=list(zones)).sum()) / 1e6


@pytest.fixture(scope="module")
def dry_winter(as_built: GridParams) -> dict[str, xr.Dataset]:
    """October-December of a dry year after three export rules and none."""
    out = {}
    for name, rule, limit in (
        ("none", "full-contract", 0.0),
        ("spill-only", "spill-only", None),
        ("full-contract", "full-contract", None),
    ):
        profiles = build_profiles(
            year=2027, hydrology="dry", export_rule=rule, converter_limit_mw=limit
        )
        out[name] = run_seasonal(as_built, profiles, AFTER_EXPORT)
    return out


def test_full_contract_summer_costs_the_winter(dry_winter: dict[str, xr.Dataset]) -> None:
    assert _short_twh(dry_winter["full-contract"]) > _short_twh(dry_winter["none"]) + 0.1


def test_spill_only_export_costs_the_winter_nothing(dry_winter: dict[str, xr.Dataset]) -> None:
    for name in ("import_mw", "unserved_mw", "plant_p_mw"):
        xr.testing.assert_equal(dry_winter["spill-only"][name], dry_winter["none"][name])


def test_a_dry_winter_on_dead_storage_imports_and_sheds(as_built: GridParams) -> None:
    normal_start = build_profiles(year=2027, hydrology="dry")
    on_floor = build_profiles(year=2027, hydrology="dry", initial_volume_bcm=ON_THE_FLOOR)
    says_so = on_floor["reservoir_at_dead_storage"].sel(month=1, reservoir=["TOKTOGUL", "NUREK"])
    assert bool(says_so.all())
    before = run_seasonal(as_built, normal_start, JANUARY)
    after = run_seasonal(as_built, on_floor, JANUARY)
    assert _short_twh(after) > _short_twh(before) + 0.3
    assert float(after["unserved_mw"].sum()) > float(before["unserved_mw"].sum())
    assert bool(after["converged"].all())


def test_reverse_flow_lowers_tajik_winter_shortage(as_built: GridParams) -> None:
    results = {
        mw: run_seasonal(
            as_built,
            build_profiles(
                year=2027,
                hydrology="dry",
                initial_volume_bcm=ON_THE_FLOOR,
                reverse_contract_mw=mw,
            ),
            JANUARY,
        )
        for mw in (0.0, 600.0)
    }
    none, reverse = results[0.0], results[600.0]
    tajik_unserved = [float(r["unserved_mw"].sel(zone="TJ").sum()) for r in (none, reverse)]
    assert tajik_unserved[0] > 0.0 and tajik_unserved[1] < tajik_unserved[0]
    # about 580 MW arrive at Sangtuda for 744 hours
    assert _short_twh(none, ("TJ",)) - _short_twh(reverse, ("TJ",)) > 0.4
    sangtuda = reverse["converter_p_mw"].sel(terminal="SANGTUDA")
    assert float(sangtuda.max()) < -550.0  # delivered into the Tajik grid
    assert bool(reverse["converged"].all())
    assert float(abs(reverse["balance_mismatch_mw"]).max()) < 1e-3
    assert float(reverse["delivered_mw"].sum()) == 0.0  # nothing goes to Pakistan
