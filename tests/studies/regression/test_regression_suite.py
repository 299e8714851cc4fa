"""The suite file: the built-in suite and its baselines agree; bad suites fail in one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from casa1000.errors import InputError
from casa1000.studies.contingency import ContingencyConfig
from casa1000.studies.regression import __all__ as exported
from casa1000.studies.regression.baselines import baseline_path, read_baseline
from casa1000.studies.regression.settings import config_from_settings
from casa1000.studies.regression.suite import DEFAULT_SUITE, read_suite
from casa1000.studies.security.limits import Limits
from casa1000.studies.transfer_capability import TransferConfig, TransferDirection


def test_every_exported_name_resolves() -> None:
    import casa1000.studies.regression as package

    for name in exported:
        assert getattr(package, name) is not None


def test_the_built_in_suite_covers_the_reference_studies() -> None:
    suite = read_suite()
    assert suite.path == DEFAULT_SUITE
    by_name = {e.name: e for e in suite.entries}
    hydrology = {by_name[n].scenario.hydrology.value for n in by_name if n.startswith("as_built")}
    assert hydrology == {"normal", "dry", "wet"}
    assert by_name["design_2014"].scenario.variant == "design_2014"
    outage = [e for e in suite.entries if "line.DATKA_SUGHD.in_service=false" in e.scenario.sets]
    assert {e.study for e in outage} == {"seasonal", "contingency"}
    afghan = by_name["afghan_corridor_limit"]
    assert isinstance(afghan.config, TransferConfig)
    assert afghan.config.direction is TransferDirection.AFGHANISTAN
    winter = by_name["winter_week"].scenario.period
    assert winter is not None and winter[0].month == 12 and (winter[1] - winter[0]).days == 6
    assert "hvdc.poles=1" in by_name["hvdc_pole_out_june"].scenario.sets


def test_every_built_in_entry_has_an_up_to_date_baseline() -> None:
    # a suite edit without `regress update` fails here, before CI runs the suite
    suite = read_suite()
    for entry in suite.entries:
        path = baseline_path(suite.baselines_dir, entry.name)
        stored = read_baseline(path, entry, entry.definition(suite.path.parent))
        assert set(stored.metrics) == {m.name for m in entry.metrics}
    assert suite.changelog.read_text().startswith("# Changelog of the regression baselines")


def test_settings_map_onto_the_config_dataclass(tmp_path: Path) -> None:
    config = config_from_settings(
        ContingencyConfig,
        {
            "months": [7, 8],
            "limits": {"thermal_percent": 90, "vmin_pu": 0.95},
            "groups_file": "groups.toml",
            "include_groups": False,
        },
        where="suite.toml entry 'x'",
        base_dir=tmp_path,
    )
    assert config.months == (7, 8)
    assert config.limits == Limits(thermal_percent=90.0, vmin_pu=0.95)
    assert config.groups_file == tmp_path / "groups.toml"
    assert config.include_groups is False


BASE = """
[suite]
name = "s"
[[entry]]
name = "e"
study = "seasonal"
[entry.metrics]
x = { expr = "ac_losses_mw.sum()", units = "MWh", abs_tol = 1 }
"""


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda t: t.replace('study = "seasonal"', 'study = "seasonl"'), "study = 'seasonl'"),
        (lambda t: t + "[entry.settings]\nmonth = [7]\n", "settings.month = [7]"),
        (lambda t: t + "[entry.settings]\nmonths = 7\n", "settings.months = 7"),
        (lambda t: t + '[entry.settings]\ncurtail = "yes"\n', "settings.curtail = 'yes'"),
        (
            lambda t: (
                t.replace('"seasonal"', '"transfer"') + '[entry.settings]\ndirection = "up"\n'
            ),
            "settings.direction = 'up'",
        ),
        (
            lambda t: (
                t.replace('"seasonal"', '"contingency"')
                + "[entry.settings.limits]\nvmin_pu = 1.2\n"
            ),
            "settings.limits.voltage band",
        ),
        (lambda t: t.replace("ac_losses_mw.sum()", "ac_loses_mw.sum()"), "metrics.x.expr"),
        (lambda t: t.replace("ac_losses_mw.sum()", "ac_losses_mw.sum('time')"), "a scalar"),
        (lambda t: t.replace("ac_losses_mw.sum()", "__import__('os')"), "are not allowed"),
        (lambda t: t.replace(", abs_tol = 1", ""), "abs_tol and/or rel_tol"),
        (lambda t: t.replace("abs_tol = 1", "abs_tol = -1"), "metrics.x.abs_tol = -1"),
        (lambda t: t + "[entry.scenario]\nperiod = ['2027-07-09', '2027-07-01']\n", "period"),
        (lambda t: t + "[entry.scenario]\nperiod = ['2028-07-01', '2028-07-02']\n", "period"),
        (lambda t: t + "[entry.scenario]\nhydrology = 'damp'\n", "hydrology = 'damp'"),
        (lambda t: t + "[entry.scenario]\nvariant = 'as_planned'\n", "variant = 'as_planned'"),
        (lambda t: t + "[entry.scenario]\nsets = ['hvdc.rating_mw']\n", "key=value"),
        (lambda t: t + "[entry.scenario]\ndemand_growth = 0\n", "scenario.demand_growth = 0"),
        (lambda t: t + "[entry.scenario]\nyeer = 2027\n", "scenario.yeer = 2027"),
        (
            lambda t: t.replace("[entry.metrics]", 'uses = ["nothing"]\n[entry.metrics]'),
            "uses = 'nothing'",
        ),
        (lambda t: t.replace('name = "e"', 'name = "E-1"'), "entry[0].name = 'E-1'"),
        (lambda t: t + t[t.index("[[entry]]") :], "entry[1].name = 'e'"),
        (lambda t: t.replace("format", "x") + "colour = 1\n", "colour"),
        (lambda t: t.replace('name = "s"', 'name = "s"\nformat_version = 2'), "format_version"),
        (
            lambda t: t + '[entry.series]\ny = { expr = "vm_pu", units = "pu", abs_tol = 1 }\n',
            "a series along time only",
        ),
        (
            lambda t: (
                t
                + '[entry.series]\ny = { expr = "datka_sughd_mw", checks = ["p42"], abs_tol = 1 }\n'
            ),
            "series.y.checks",
        ),
        (lambda t: t.replace("[entry.metrics]\n", "").replace("x = {", "[entry.z]\nx = {"), "z"),
        (lambda t: "not toml = = 1", "valid TOML"),
    ],
)
def test_a_bad_suite_is_one_line_naming_file_entry_and_key(
    tmp_path: Path, change: Callable[[str], str], fragment: str
) -> None:
    path = tmp_path / "suite.toml"
    path.write_text(change(BASE))
    with pytest.raises(InputError) as err:
        read_suite(path)
    text = str(err.value)
    assert text.startswith(str(path)) and fragment in text and "\n" not in text


def test_a_bad_override_is_reported_before_anything_runs(tmp_path: Path) -> None:
    from casa1000.studies.regression.gate import preflight

    path = tmp_path / "suite.toml"
    path.write_text(BASE + "[entry.scenario]\nsets = ['line.NOWHERE.length_km=3']\n")
    suite = read_suite(path)
    with pytest.raises(InputError) as err:
        preflight(suite, suite.entries)
    assert str(err.value).startswith(f"{path} entry 'e' scenario")
