"""Reservoirs: water and energy close, dead storage holds, export rules cost winter water."""

from __future__ import annotations

import csv
import itertools
from importlib import resources

import numpy as np
import pytest
import xarray as xr

from casa1000.errors import InputError
from casa1000.profiles import ExportRule, ProfileConfig, build_profiles, build_profiles_years
from casa1000.profiles.reservoir import planned_release_bcm
from casa1000.profiles.seed_tables import ProfileSeeds

WINTER_AFTER_EXPORT = [10, 11, 12]
"""October-December: the winter months of a calendar year that follow its export season."""


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("casa1000.seeds").joinpath(name).read_text()
    return list(csv.DictReader(text.splitlines()))


@pytest.fixture(scope="module")
def dry_full() -> xr.Dataset:
    return build_profiles(year=2027, hydrology="dry", export_rule="full-contract")


@pytest.fixture(scope="module")
def dry_no_export() -> xr.Dataset:
    return build_profiles(
        year=2027, hydrology="dry", export_rule="full-contract", converter_limit_mw=0.0
    )


@pytest.fixture(scope="module")
def dry_spill_only() -> xr.Dataset:
    return build_profiles(year=2027, hydrology="dry", export_rule="spill-only")


@pytest.fixture(scope="module")
def drought() -> list[xr.Dataset]:
    """Three dry years under the full contract, starting on the dead storage."""
    config = ProfileConfig(
        year=2027,
        export_rule=ExportRule.FULL_CONTRACT,
        initial_volume_bcm={"TOKTOGUL": 6.5, "NUREK": 6.0, "ROGUN": 0.5},
    )
    return build_profiles_years(config, ["dry", "dry", "dry"])


def _cases(request: pytest.FixtureRequest) -> list[xr.Dataset]:
    return [
        request.getfixturevalue("normal_2027"),
        request.getfixturevalue("dry_full"),
        request.getfixturevalue("dry_spill_only"),
        *request.getfixturevalue("drought"),
    ]


def test_water_balance_closes_month_by_month(request: pytest.FixtureRequest) -> None:
    for ds in _cases(request):
        end = ds["reservoir_volume_bcm"].values
        start = np.vstack([ds["reservoir_initial_volume_bcm"].values, end[:-1]])
        change = (
            ds["reservoir_inflow_bcm"] - ds["reservoir_release_bcm"] - ds["reservoir_spill_bcm"]
        ).values
        np.testing.assert_allclose(end - start, change, atol=1e-12)
        for name in ("reservoir_release_bcm", "reservoir_spill_bcm", "reservoir_inflow_bcm"):
            assert (ds[name].values >= 0.0).all(), name
        # the export water is part of the release
        assert (ds["reservoir_export_release_bcm"] <= ds["reservoir_release_bcm"] + 1e-12).all()


def test_a_reservoir_below_another_takes_its_outflow(normal_2027: xr.Dataset) -> None:
    rogun = normal_2027.sel(reservoir="ROGUN")
    nurek_inflow = normal_2027["reservoir_inflow_bcm"].sel(reservoir="NUREK")
    outflow = rogun["reservoir_release_bcm"] + rogun["reservoir_spill_bcm"]
    np.testing.assert_allclose(nurek_inflow.values, outflow.values, rtol=1e-12)


def test_dam_energy_is_its_release_times_its_energy_per_m3(request: pytest.FixtureRequest) -> None:
    dams = {
        r["reservoir"]: r["plant"]
        for r in _rows("profile_reservoir_plant.csv")
        if r["position"] == "dam"
    }
    for ds in _cases(request):
        month = ds["time"].dt.month
        for reservoir, plant in dams.items():
            hourly = ds["available_mw"].sel(plant=plant).groupby(month).sum().values / 1e3
            stored = ds["reservoir_energy_gwh"].sel(reservoir=reservoir).values
            # 1 kWh/m3 x 1 km3 = 1 TWh = 1000 GWh
            from_water = (
                float(ds["reservoir_kwh_per_m3"].sel(reservoir=reservoir))
                * ds["reservoir_release_bcm"].sel(reservoir=reservoir).values
                * 1e3
            )
            np.testing.assert_allclose(hourly, stored, rtol=1e-12)
            np.testing.assert_allclose(stored, from_water, rtol=1e-9)


def test_plants_below_a_dam_run_on_its_outflow(normal_2027: xr.Dataset) -> None:
    # Kurpsai and Toktogul see the same water each hour: their outputs keep the ratio of
    # their energies per m3 whenever neither is at capacity and nothing spills
    toktogul = normal_2027["available_mw"].sel(plant="TOKTOGUL").values
    kurpsai = normal_2027["available_mw"].sel(plant="KURPSAI").values
    free = (toktogul < 1440 - 1e-6) & (kurpsai < 800 - 1e-6) & (toktogul > 0)
    assert float(normal_2027["reservoir_spill_bcm"].sel(reservoir="TOKTOGUL").sum()) == 0.0
    ratio = kurpsai[free] / toktogul[free]
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)


def test_normal_year_on_the_rule_curve_follows_it(seeds: ProfileSeeds) -> None:
    ds = build_profiles(year=2027, export_rule="spill-only")
    for reservoir in seeds.reservoirs:
        np.testing.assert_allclose(
            ds["reservoir_volume_bcm"].sel(reservoir=reservoir.id), reservoir.guide_bcm, atol=1e-9
        )
        np.testing.assert_allclose(
            ds["reservoir_release_bcm"].sel(reservoir=reservoir.id),
            ds["reservoir_planned_release_bcm"].sel(reservoir=reservoir.id),
            atol=1e-9,
        )


def test_rule_curve_plan_is_inflow_plus_drawdown(seeds: ProfileSeeds) -> None:
    toktogul = next(r for r in seeds.reservoirs if r.id == "TOKTOGUL")
    inflow = np.full(12, 2.0)
    plan = planned_release_bcm(toktogul, inflow)
    guide = np.array(toktogul.guide_bcm)
    # February: 2 km3 in, the curve falls from 11.2 to 9.9 km3
    assert plan[1] == pytest.approx(2.0 + guide[0] - guide[1])
    assert plan.sum() == pytest.approx(24.0)  # a closed curve returns to where it began
    with pytest.raises(InputError, match="rule curve"):
        planned_release_bcm(toktogul, np.full(12, 0.5))  # too little water to refill by 1 October


def test_normal_year_energy_matches_the_seeded_plant_energy(seeds: ProfileSeeds) -> None:
    ds = build_profiles(year=2027, export_rule="spill-only")
    annual = {r["plant"]: float(r["annual_twh"]) for r in _rows("profile_plant_energy.csv")}
    for reservoir in seeds.reservoirs:
        for plant in reservoir.plants:
            twh = float(ds["available_mw"].sel(plant=plant).sum()) / 1e6
            # calibrated monthly; the hourly capacity caps cost at most a few per cent
            assert twh == pytest.approx(annual[plant], rel=0.04), plant


def test_energy_per_m3_is_physical(normal_2027: xr.Dataset) -> None:
    kwh = normal_2027["reservoir_kwh_per_m3"].to_series()
    # rho g H eta / 3.6e6: Nurek's 230 m rated head at 90 % gives 0.56 kWh/m3
    assert 0.4 < kwh["NUREK"] < 0.65
    # Toktogul made 1,260 MW at 932 m3/s in December 2024: 0.38 kWh/m3
    assert 0.33 < kwh["TOKTOGUL"] < 0.5


def test_nurek_drawdown_energy_matches_the_2009_figure(seeds: ProfileSeeds) -> None:
    # 2009: an 8.5 m drawdown of Nurek is worth about 1 billion kWh for the Vakhsh cascade;
    # 8.5 m x 98 km2 of surface is about 0.83 km3 through Nurek and every plant below it
    ds = build_profiles(year=2027)
    nurek = next(r for r in seeds.reservoirs if r.id == "NUREK")
    month = ds["time"].dt.month == 1
    flow_ratio = [
        float(ds["available_mw"].sel(plant=p).where(month).sum())
        / float(ds["available_mw"].sel(plant="NUREK").where(month).sum())
        for p in (nurek.dam_plant, *nurek.downstream_plants)
    ]
    cascade_kwh_per_m3 = float(ds["reservoir_kwh_per_m3"].sel(reservoir="NUREK")) * sum(flow_ratio)
    assert 0.7 < 8.5 * 98e6 * cascade_kwh_per_m3 / 1e9 < 1.3  # TWh


def test_dead_storage_is_never_crossed(request: pytest.FixtureRequest, seeds: ProfileSeeds) -> None:
    dead = {r.id: r.dead_bcm for r in seeds.reservoirs}
    for ds in _cases(request):
        for reservoir, floor in dead.items():
            assert float(ds["reservoir_volume_bcm"].sel(reservoir=reservoir).min()) >= floor - 1e-9


def test_a_drought_runs_into_dead_storage_and_says_so(drought: list[xr.Dataset]) -> None:
    winter = drought[0].sel(month=[1, 2, 3], reservoir=["TOKTOGUL", "NUREK"])
    assert bool(winter["reservoir_at_dead_storage"].any("month").all())
    # starting on the floor, every winter month releases less than the rule curve plans
    assert bool((winter["reservoir_release_bcm"] < winter["reservoir_planned_release_bcm"]).all())
    for ds in drought:
        at_dead = ds["reservoir_at_dead_storage"].values.astype(bool)
        release = ds["reservoir_release_bcm"].values
        planned = ds["reservoir_planned_release_bcm"].values
        # a month flagged at dead storage released less than the rule wanted
        assert (release[at_dead] < planned[at_dead]).all()
        assert (ds["reservoir_volume_bcm"].values[at_dead] > 0).all()


def test_years_carry_their_water_over(drought: list[xr.Dataset]) -> None:
    for before, after in itertools.pairwise(drought):
        np.testing.assert_array_equal(
            after["reservoir_initial_volume_bcm"].values,
            before["reservoir_volume_bcm"].isel(month=-1).values,
        )
        assert after.attrs["year"] == before.attrs["year"] + 1


def test_full_contract_dry_year_ends_summer_with_less_water(
    dry_full: xr.Dataset, dry_no_export: xr.Dataset
) -> None:
    september = {"month": 9}
    for reservoir in ("TOKTOGUL", "NUREK"):
        full = float(dry_full["reservoir_volume_bcm"].sel(reservoir=reservoir, **september))
        none = float(dry_no_export["reservoir_volume_bcm"].sel(reservoir=reservoir, **september))
        assert full < none - 0.1, reservoir
    # and less water in the turbines of the winter that follows
    winter = dry_full["time"].dt.month.isin(WINTER_AFTER_EXPORT)
    hydro = dry_full["technology"].str.startswith("hydro")

    def winter_hydro(ds: xr.Dataset) -> float:
        return float(ds["available_mw"].where(winter).sel(plant=hydro).sum())

    assert winter_hydro(dry_full) < winter_hydro(dry_no_export) * 0.97
    assert float(dry_full["export_available_total_mw"].sum()) > float(
        dry_no_export["export_available_total_mw"].sum()
    )


def test_spill_only_export_leaves_the_winter_untouched(
    dry_spill_only: xr.Dataset, dry_no_export: xr.Dataset
) -> None:
    assert float(dry_spill_only["export_available_total_mw"].sum()) > 0.0
    np.testing.assert_array_equal(
        dry_spill_only["reservoir_volume_bcm"].values, dry_no_export["reservoir_volume_bcm"].values
    )
    winter = dry_spill_only["time"].dt.month.isin(WINTER_AFTER_EXPORT)
    np.testing.assert_array_equal(
        dry_spill_only["available_mw"].where(winter, drop=True).values,
        dry_no_export["available_mw"].where(winter, drop=True).values,
    )
    assert float(dry_spill_only["export_release_mw"].sum()) == 0.0


def test_october_target_is_met_and_keeps_todays_normal_export(
    normal_2027: xr.Dataset, seeds: ProfileSeeds
) -> None:
    assert normal_2027.attrs["export_rule"] == "october-target"
    for reservoir in seeds.reservoirs:
        if reservoir.export_supplier:
            september = float(
                normal_2027["reservoir_volume_bcm"].sel(reservoir=reservoir.id, month=9)
            )
            assert september >= reservoir.october_target_bcm - 1e-9
    # before the reservoirs the normal year offered 4.24 TWh from 1 May to 30 September
    assert float(normal_2027["export_available_total_mw"].sum()) / 1e6 == pytest.approx(
        4.24, abs=0.15
    )


def test_wetter_years_and_looser_rules_export_more() -> None:
    twh = {
        (hydrology, rule): float(
            build_profiles(year=2027, hydrology=hydrology, export_rule=rule)[
                "export_available_total_mw"
            ].sum()
        )
        / 1e6
        for hydrology in ("dry", "wet")
        for rule in ("spill-only", "full-contract")
    }
    assert twh[("dry", "spill-only")] < twh[("wet", "spill-only")]
    assert twh[("dry", "spill-only")] < twh[("dry", "full-contract")]
    # the full contract: 1,300 MW over the 153 days of the season
    assert twh[("dry", "full-contract")] == pytest.approx(1.3 * 153 * 24 / 1e3, rel=1e-4)


def test_export_water_is_offered_even_when_the_supplier_is_short_at_home(
    normal_2027: xr.Dataset,
) -> None:
    earmarked = normal_2027["export_release_mw"].sel(supplier="KG")
    offered = normal_2027["export_available_mw"].sel(supplier="KG")
    assert float(earmarked.sum()) > 0.0
    hours = earmarked > 1.0
    # Kyrgyzstan imports for its own summer load, and its export is the reservoir water
    assert (
        offered.where(hours, drop=True) >= 0.99 * earmarked.where(hours, drop=True).clip(max=390.0)
    ).all()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("initial_volume_bcm", {"TOKTOGUL": 5.0}),
        ("initial_volume_bcm", {"KAMBARATA": 10.0}),
        ("october_target_bcm", {"NUREK": 11.0}),
    ],
)
def test_bad_volumes_are_named(key: str, value: dict[str, float]) -> None:
    with pytest.raises(InputError) as error:
        build_profiles(year=2027, **{key: value})  # type: ignore[arg-type]
    assert key in str(error.value)


def test_unknown_export_rule_is_named() -> None:
    with pytest.raises(InputError, match="export_rule"):
        build_profiles(year=2027, export_rule="take-or-pay")
