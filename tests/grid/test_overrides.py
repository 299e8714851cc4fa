"""Overrides by dotted key and scenario file, and one error per kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from casa1000.errors import InputError
from casa1000.grid.overrides import apply_overrides, load_params, parse_set_options
from casa1000.grid.params import GridParams


def test_dotted_overrides(as_built: GridParams) -> None:
    p = apply_overrides(
        as_built,
        {
            "hvdc.rating_mw": "1000",
            "line.DATKA_SUGHD.length_km": "480",
            "plant.TOKTOGUL.in_service": "false",
            "hvdc.terminal.NOWSHERA.rating_mw": 1100,
        },
        where="--set",
    )
    assert p.hvdc.rating_mw == 1000.0
    assert {ln.id: ln.length_km for ln in p.lines}["DATKA_SUGHD"] == 480.0
    assert not {pl.id: pl.in_service for pl in p.plants}["TOKTOGUL"]
    assert p.hvdc.terminals[1].rating_mw == 1100.0
    assert as_built.hvdc.rating_mw == 1300.0  # the input is untouched
    assert p.origin_of("hvdc.rating_mw") == "--set"


def test_new_element_by_keys(as_built: GridParams) -> None:
    p = apply_overrides(
        as_built,
        {
            "add.line.DATKA_SUGHD_2.from_bus": "DATKA",
            "add.line.DATKA_SUGHD_2.to_bus": "SUGHD",
            "add.line.DATKA_SUGHD_2.line_type": "OHL500_3xAC400",
            "add.line.DATKA_SUGHD_2.length_km": 485,
        },
        where="--set",
    )
    assert "DATKA_SUGHD_2" in {ln.id for ln in p.lines}


def test_a_typo_is_refused_with_the_closest_id_not_added(as_built: GridParams) -> None:
    with pytest.raises(InputError, match="did you mean DATKA_SUGHD"):
        apply_overrides(as_built, {"line.DATKA_SUGHX.length_km": 3}, where="--set")
    with pytest.raises(InputError, match="did you mean length_km"):
        apply_overrides(as_built, {"line.DATKA_SUGHD.lenght_km": 3}, where="--set")
    with pytest.raises(InputError, match="a new line id"):
        apply_overrides(as_built, {"add.line.DATKA_SUGHD.length_km": 3}, where="--set")


def test_scenario_file_layers_under_set(tmp_path: Path) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'variant = "design_2014"\n[hvdc]\nrating_mw = 1100\n[line.DATKA_SUGHD]\nlength_km = 477\n'
    )
    p = load_params(scenario=scenario, sets=["hvdc.rating_mw=1000"])
    assert p.variant.value == "design_2014"
    assert p.hvdc.rating_mw == 1000.0
    assert {ln.id: ln.length_km for ln in p.lines}["DATKA_SUGHD"] == 477.0
    assert p.origin_of("line.DATKA_SUGHD.length_km") == str(scenario)


@pytest.mark.parametrize(
    ("overrides", "key", "fragment"),
    [
        ({"line.DATKA_SUGHD.lenght_km": "5"}, "line.DATKA_SUGHD.lenght_km", "one of the fields"),
        ({"pipeline.X.length_km": "5"}, "pipeline.X.length_km", "a key such as"),
        ({"hvdc.rating_mw": "lots"}, "hvdc.rating_mw", "a number"),
        ({"line.DATKA_SUGHD.circuits": "1.5"}, "line.DATKA_SUGHD.circuits", "a whole number"),
        ({"line.DATKA_SUGHD.in_service": "maybe"}, "line.DATKA_SUGHD.in_service", "true or false"),
        (
            {"line.DATKA_SUGHD.length_km": "-5"},
            "line.DATKA_SUGHD.length_km",
            "a length in (0, 3000] km",
        ),
        (
            {"line.DATKA_SUGHD.length_km": "0"},
            "line.DATKA_SUGHD.length_km",
            "a length in (0, 3000] km",
        ),
        ({"line.DATKA_SUGHD.to_bus": "NOWHERE"}, "line.DATKA_SUGHD.to_bus", "an existing bus id"),
        ({"hvdc.poles": "3"}, "hvdc.poles", "1 or 2 poles"),
    ],
)
def test_bad_values_name_where_key_value_and_allowed(
    overrides: dict[str, str], key: str, fragment: str
) -> None:
    sets = [f"{k}={v}" for k, v in overrides.items()]
    with pytest.raises(InputError) as err:
        load_params(sets=sets)
    message = str(err.value)
    assert message.startswith("--set: ")
    assert key in message and fragment in message
    assert repr(next(iter(overrides.values()))).strip("'") in message


def test_option_without_equals() -> None:
    with pytest.raises(InputError, match="key=value"):
        parse_set_options(["hvdc.rating_mw"])


def test_malformed_scenario_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[hvdc\nrating_mw = 1\n")
    with pytest.raises(InputError) as err:
        load_params(scenario=bad)
    assert str(bad) in str(err.value) and "valid TOML" in str(err.value)


def test_scenario_with_unknown_bus_names_the_file(tmp_path: Path) -> None:
    scenario = tmp_path / "new_line.toml"
    scenario.write_text(
        '[add.line.NEW_TIE]\nfrom_bus = "DATKA"\nto_bus = "ATLANTIS"\n'
        'line_type = "OHL500_3xAC400"\nlength_km = 100\n'
    )
    with pytest.raises(InputError) as err:
        load_params(scenario=scenario)
    assert str(err.value).startswith(f"{scenario}: line.NEW_TIE.to_bus = 'ATLANTIS'")


def test_missing_scenario_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="a readable file"):
        load_params(scenario=tmp_path / "absent.toml")


def test_unknown_variant() -> None:
    with pytest.raises(InputError, match="as_built"):
        load_params(variant="2030")
