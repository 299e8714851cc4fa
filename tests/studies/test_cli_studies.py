"""Bad input to the study commands: one line, exit 2, before any long work."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from casa1000.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["study", "seasonal", "--months", "9-5"], "ranges ascending"),
        (["study", "seasonal", "--months", "5-"], "month numbers"),
        (["study", "contingency", "--vmin", "1.0", "--vmax", "1.0"], "0 < vmin < vmax"),
        (["study", "contingency", "--thermal-limit", "0"], "0 < limit"),
        (["study", "transfer", "--resolution-mw", "0"], "a step > 0 MW"),
        (["study", "transfer", "--ceiling-mw", "-5"], "an export > 0 MW"),
        (["study", "benchmark", "--sample", "0"], "at least 1 hour"),
    ],
)
def test_bad_study_options(args: list[str], fragment: str, tmp_path: Path) -> None:
    extra = ["--out", str(tmp_path)] if args[1] != "benchmark" else []
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0]


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    clash = tmp_path / "results"
    clash.write_text("not a folder")
    result = runner.invoke(app, ["study", "seasonal", "--months", "7", "--out", str(clash)])
    assert result.exit_code == 2 and "a folder (this is a file)" in result.output


def test_profile_file_in_place_of_a_folder(tmp_path: Path) -> None:
    clash = tmp_path / "file"
    clash.write_text("x")
    result = runner.invoke(app, ["profiles", "build", "--out", str(clash / "p.nc")])
    assert result.exit_code == 2 and "writable folder" in result.output


def test_version_prints_the_package_version() -> None:
    import casa1000

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"casa1000 {casa1000.__version__}"


def test_parse_errors_are_one_line_naming_option_and_value(tmp_path: Path) -> None:
    result = runner.invoke(app, ["study", "seasonal", "--year", "abc", "--out", str(tmp_path)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--year" in lines[0] and "abc" in lines[0]


def test_csv_summary_is_complete_and_parseable(tmp_path: Path) -> None:
    import io

    import pandas as pd

    result = runner.invoke(
        app, ["-q", "study", "seasonal", "--months", "7", "--format", "csv", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.month) == [7]
    assert table.delivered_pk_gwh.iloc[0] > 600
    assert (tmp_path / "seasonal.manifest.json").is_file()


def test_json_summary_lists_the_files(tmp_path: Path) -> None:
    import json

    result = runner.invoke(
        app,
        ["-q", "study", "seasonal", "--months", "7", "--format", "json", "--out", str(tmp_path)],
    )
    data = json.loads(result.stdout)
    assert data["headline"] and data["tables"]["monthly"][0]["month"] == 7
    assert any(f.endswith("seasonal.nc") for f in data["files"])
