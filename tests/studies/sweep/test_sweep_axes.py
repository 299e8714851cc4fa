"""Axes, scenario points and plans of a sweep: parsing, naming, keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from casa1000.errors import InputError
from casa1000.studies.sweep.axes import (
    AxisKind,
    SweepBase,
    make_axis,
    outage_sets,
    product_points,
)
from casa1000.studies.sweep.plan import plan_sweep, with_upstream


def test_axes_know_their_kind_and_aliases() -> None:
    assert make_axis("variant", ["as_built"], where="x").kind is AxisKind.VARIANT
    assert make_axis("demand_growth", ["1.1"], where="x").kind is AxisKind.PROFILE_NUMBER
    rating = make_axis("hvdc_rating_mw", [1000, 1300], where="x")
    assert (rating.name, rating.kind, rating.values) == (
        "hvdc.rating_mw",
        AxisKind.SET,
        ("1000", "1300"),
    )
    assert rating.numeric and rating.coordinate("1000") == 1000.0
    assert make_axis("contract_pk_mw", ["900"], where="x").name == "contract.pakistan_mw"
    rule = make_axis("export_rule", ["spill-only", "full-contract"], where="x")
    assert rule.kind is AxisKind.PROFILE_CHOICE and not rule.numeric


@pytest.mark.parametrize(
    ("name", "values", "fragment"),
    [
        ("hydrology", ["dry", "damp"], "one of dry, normal, wet"),
        ("export_rule", ["whatever"], "one of spill-only"),
        ("variant", ["as_built", "as_built"], "differ"),
        ("demand_growth", ["lots"], "numbers"),
        ("seed", ["1.5"], "whole numbers"),
        ("outage", ["DATKA_SUGHD"], "<section>.<ID>"),
        ("colour", ["red"], "an axis name"),
        ("hydrology", [""], "one or more values"),
    ],
)
def test_unreadable_axes_stop_the_sweep_before_it_starts(
    name: str, values: list[str], fragment: str
) -> None:
    with pytest.raises(InputError, match=fragment):
        make_axis(name, values, where="--x")


def test_outages_become_in_service_overrides() -> None:
    assert outage_sets("hvdc.terminal.KABUL") == ("hvdc.terminal.KABUL.in_service=false",)
    assert outage_sets("none") == ()


def test_product_names_only_the_axes_that_vary() -> None:
    points = product_points(
        [
            make_axis("hydrology", ["dry", "wet"], where="x"),
            make_axis("variant", ["as_built"], where="x"),
            make_axis("hvdc.rating_mw", ["1000", "1300"], where="x"),
        ]
    )
    assert [p.name for p in points] == [
        "hydrology=dry hvdc.rating_mw=1000",
        "hydrology=dry hvdc.rating_mw=1300",
        "hydrology=wet hvdc.rating_mw=1000",
        "hydrology=wet hvdc.rating_mw=1300",
    ]
    assert points[0].values[1] == ("variant", "as_built")


def test_a_point_becomes_a_study_scenario() -> None:
    point = product_points(
        [
            make_axis("hydrology", ["dry"], where="x"),
            make_axis("demand_growth", ["1.2"], where="x"),
            make_axis("export_rule", ["spill-only"], where="x"),
            make_axis("reverse_contract_mw", ["200"], where="x"),
            make_axis("outage", ["line.DATKA_SUGHD"], where="x"),
            make_axis("hvdc.rating_mw", ["1000"], where="x"),
        ]
    )[0]
    scenario = point.scenario(SweepBase(year=2030, sets=("contract.pakistan_mw=900",)))
    assert scenario.profile_config is not None
    assert scenario.profile_config.year == 2030
    assert scenario.profile_config.hydrology.value == "dry"
    assert scenario.profile_config.demand_growth == 1.2
    assert scenario.profile_config.export_rule.value == "spill-only"
    assert scenario.profile_config.reverse_contract_mw == 200.0
    assert scenario.profile_config.hydro_scale == 1.0  # not an axis: the build's default
    assert scenario.sets == (
        "contract.pakistan_mw=900",
        "line.DATKA_SUGHD.in_service=false",
        "hvdc.rating_mw=1000",
    )
    params = scenario.params()
    assert params.hvdc.rating_mw == 1000.0
    assert not next(ln for ln in params.lines if ln.id == "DATKA_SUGHD").in_service


def test_keys_follow_inputs_and_settings_not_names() -> None:
    plan = plan_sweep(axes={"hydrology": "dry,wet"}, months=(7,))
    again = plan_sweep(axes={"hydrology": "wet,dry,normal"}, months=(7,))
    keys = {p.values: plan.key(p) for p in plan.points}
    assert all(again.key(p) == keys[p.values] for p in again.points if p.values in keys)
    other_months = plan_sweep(axes={"hydrology": "dry,wet"}, months=(8,))
    assert {other_months.key(p) for p in other_months.points}.isdisjoint(keys.values())


def test_sweep_file_with_axes_and_settings(tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    base.write_text("[hvdc]\nrating_mw = 1200\n")
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(
        'studies = ["seasonal"]\nmonths = [7]\nyear = 2028\nscenario_file = "base.toml"\n'
        'set = ["contract.pakistan_mw=900"]\n'
        '[axes]\nhydrology = ["dry", "wet"]\n"hvdc.rating_mw" = [1000, 1300]\n'
    )
    plan = plan_sweep(sweep_file=sweep, axes={"variant": "as_built,design_2014"})
    assert [a.name for a in plan.axes] == ["hydrology", "hvdc.rating_mw", "variant"]
    assert len(plan.points) == 8
    assert (plan.months, plan.base.year, plan.studies) == ((7,), 2028, ("seasonal",))
    assert plan.base.scenario_file == base
    assert plan.base.sets == ("contract.pakistan_mw=900",)
    # the command line replaces the file's axis of the same name
    assert len(plan_sweep(sweep_file=sweep, axes={"hydrology": "normal"}).points) == 2


def test_named_scenarios(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(
        '[[scenario]]\nname = "dry <b>2014</b>"\nvariant = "design_2014"\nhydrology = "dry"\n'
        '[[scenario]]\nname = "wet"\nvariant = "as_built"\nhydrology = "wet"\n'
    )
    plan = plan_sweep(sweep_file=sweep)
    assert [p.name for p in plan.points] == ["dry <b>2014</b>", "wet"]
    assert [a.values for a in plan.axes] == [("design_2014", "as_built"), ("dry", "wet")]
    with pytest.raises(InputError, match="not both"):
        plan_sweep(sweep_file=sweep, axes={"hydrology": "dry"})
    sweep.write_text('[[scenario]]\nname = "a"\nvariant = "as_built"\n[[scenario]]\nname = "a"\n')
    with pytest.raises(InputError, match="a name used once"):
        plan_sweep(sweep_file=sweep)


def test_bad_sweep_files(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep.toml"
    sweep.write_text("axis = 1\n")
    with pytest.raises(InputError, match="one of axes"):
        plan_sweep(sweep_file=sweep)
    sweep.write_text("[axes\n")
    with pytest.raises(InputError, match="valid TOML"):
        plan_sweep(sweep_file=sweep)


def test_studies_bring_their_upstream_studies_in_registry_order() -> None:
    from casa1000.studies.registry import STUDIES

    assert with_upstream(["transfer", "seasonal"]) == tuple(
        n for n in STUDIES if n in {"transfer", "seasonal"}
    )
    with pytest.raises(InputError, match="one of"):
        with_upstream(["nonsense"])
    assert plan_sweep().studies[0] == "seasonal"
    assert len(plan_sweep().points) == 1 and plan_sweep().points[0].name == "base"


def test_the_scenario_files_profile_table_applies_where_no_axis_varies(tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    base.write_text('[profiles]\nyear = 2030\nexport_rule = "spill-only"\nhydrology = "wet"\n')
    plan = plan_sweep(axes={"hydrology": "dry"}, scenario_file=base)
    config = plan.points[0].scenario(plan.base).profile_config
    assert config is not None
    assert (config.year, config.export_rule.value, config.hydrology.value) == (
        2030,
        "spill-only",
        "dry",  # the axis wins over the file
    )
    later = plan_sweep(year=2031, scenario_file=base)
    config = later.points[0].scenario(later.base).profile_config
    assert config is not None and config.year == 2031  # --year wins over the file
