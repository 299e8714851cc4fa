"""The grid commands through typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casa1000.cli import app

runner = CliRunner()


def test_solve_json_keyed_by_string_ids() -> None:
    result = runner.invoke(app, ["grid", "solve", "--export-mw", "1300", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["converged"] is True
    assert "DATKA" in data["buses"] and "DATKA_SUGHD" in data["branches"]
    assert set(data["areas"]) == {"CAPS", "PK"}
    assert data["converters"]["SANGTUDA"]["p_ac_mw"] == pytest.approx(1000.0)


def test_solve_tables_for_design_2014() -> None:
    result = runner.invoke(app, ["grid", "solve", "--variant", "design_2014", "--export-mw", "0"])
    assert result.exit_code == 0, result.output
    assert "converged" in result.output and "AF_NEPS" in result.output


def test_show_and_check() -> None:
    shown = runner.invoke(app, ["grid", "show", "--format", "json"])
    assert shown.exit_code == 0
    info = json.loads(shown.output)
    assert info["zones"]["KG"]["plants"]["TOKTOGUL"]["p_max_mw"] == 1440
    checked = runner.invoke(app, ["grid", "check", "--format", "json"])
    assert json.loads(checked.output)["ok"] is True


def test_export_writes_file(tmp_path: Path) -> None:
    out = tmp_path / "casa.json"
    result = runner.invoke(app, ["grid", "export", "--out", str(out)])
    assert result.exit_code == 0 and out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["grid", "solve", "--set", "line.DATKA_SUGHD.length_km=0"],
        ["grid", "solve", "--set", "nonsense=1"],
        ["grid", "show", "--set", "line.DATKA_SUGHD.to_bus=NOWHERE"],
        ["grid", "check", "--scenario", "does-not-exist.toml"],
        ["grid", "solve", "--export-mw", "-5"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in result.output
