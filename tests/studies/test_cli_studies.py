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


def _one_error_line(output: str) -> str:
    lines = [ln for ln in output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    return lines[0]


def test_read_only_output_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def refuse(self: Path, data: bytes) -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    out = tmp_path / "out"
    result = runner.invoke(app, ["study", "seasonal", "--months", "7", "--out", str(out)])
    assert result.exit_code == 2
    assert "Read-only file system" in _one_error_line(result.output)


def test_full_disk_is_one_line_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xarray as xr

    def full(self: xr.Dataset, path: str, **kwargs: object) -> None:
        Path(path).write_bytes(b"partial")
        raise RuntimeError("NetCDF: HDF error")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", full)
    out = tmp_path / "out"
    result = runner.invoke(app, ["study", "seasonal", "--months", "7", "--out", str(out)])
    assert result.exit_code == 2
    assert "space to spare" in _one_error_line(result.output)
    assert list(out.iterdir()) == []


def test_tables_are_complete_when_piped(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["-q", "study", "contingency", "--months", "7", "--top", "73", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    # not a terminal: plain rows, ids never cut, so circuits 1 and 2 stay apart
    assert "LINE:SANGTUDA_PULEKHUMRI/1" in result.stdout
    assert "LINE:SANGTUDA_PULEKHUMRI/2" in result.stdout
    assert "…" not in result.stdout
