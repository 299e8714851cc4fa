"""The regress commands: exit codes 0 / 1 / 2, the table, JUnit XML and the HTML report."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from casa1000.cli import app
from casa1000.studies.regression.suite import Suite

runner = CliRunner()


def _run(suite: Suite, out: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["regress", "run", "--suite", str(suite.path), "--out", str(out), *extra]
    )
    return result.exit_code, result.output


def test_a_passing_run_exits_0_and_writes_its_reports(baselined: Suite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _run(baselined, out)
    assert code == 0, output
    assert "regression suite tiny: 2 entries, 14 checks, 14 pass, 0 fail" in output
    assert "result: PASS" in output
    header = next(ln for ln in output.splitlines() if ln.lstrip().startswith("entry"))
    assert header.split() == [
        "entry",
        "study",
        "metric",
        "units",
        "baseline",
        "now",
        "delta",
        "tolerance",
        "status",
        "note",
    ]
    root = ET.parse(out / "regression.xml").getroot()
    assert root.tag == "testsuites" and root.get("tests") == "14" and root.get("failures") == "0"
    assert [s.get("name") for s in root.iter("testsuite")] == ["tiny.alpha", "tiny.beta"]
    assert (out / "regression_checks.csv").read_text().startswith("entry,study,metric,units")
    assert "No series differs beyond its tolerance." in (out / "regression.html").read_text()


def test_a_regression_exits_1_and_says_what_moved(
    baselined: Suite, perturb: Callable[..., None], tmp_path: Path
) -> None:
    perturb("alpha")
    out = tmp_path / "out"
    code, output = _run(baselined, out, "--format", "json")
    assert code == 1
    doc = json.loads(output[output.index("{") :])
    assert doc["headline"][1] == "result: REGRESSION in alpha"
    failed = [r for r in doc["tables"]["checks"] if r["status"] == "FAIL"]
    assert {r["entry"] for r in failed} == {"alpha"}
    losses = next(r for r in failed if r["metric"] == "hvdc_losses_gwh")
    assert losses["now"] > losses["baseline"] and losses["delta"] > losses["tolerance"]
    root = ET.parse(out / "regression.xml").getroot()
    failures = [f.get("message") for f in root.iter("failure")]
    assert any(m.startswith("hvdc_losses_gwh: moved by +") for m in failures)
    html = (out / "regression.html").read_text()
    assert "REGRESSION" in html and "alpha: hvdc_line_loss_mw" in html


def test_a_missing_baseline_exits_2_in_one_line(baselined: Suite, tmp_path: Path) -> None:
    (baselined.baselines_dir / "alpha.json").unlink()
    code, output = _run(baselined, tmp_path / "out")
    assert code == 2
    lines = [ln for ln in output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "alpha.json" in lines[0]
    assert "regress update --only alpha" in lines[0]


def test_a_bad_suite_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "suite.toml"
    bad.write_text("[suite]\nname = 's'\n")
    code, output = _run_path(bad, tmp_path)
    assert code == 2 and output.startswith("error: ") and "[[entry]]" in output


def _run_path(path: Path, tmp_path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["regress", "run", "--suite", str(path), "--out", str(tmp_path)])
    return result.exit_code, result.output


def test_update_then_run_passes_and_csv_lists_the_changes(
    baselined: Suite, perturb: Callable[..., None], tmp_path: Path
) -> None:
    perturb("beta")
    args = ["regress", "update", "--suite", str(baselined.path), "--only", "beta"]
    assert runner.invoke(app, args).exit_code == 2  # a reason is required
    result = runner.invoke(app, [*args, "--reason", "beta's DC line", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = [ln.split(",") for ln in result.output.splitlines() if ln.startswith("beta,")]
    assert any(r[2] == "hvdc_losses_gwh" and float(r[5]) > float(r[4]) for r in rows)
    assert "beta's DC line" in baselined.changelog.read_text()
    assert _run(baselined, tmp_path / "out")[0] == 0


def test_list_shows_the_entries(baselined: Suite) -> None:
    result = runner.invoke(app, ["regress", "list", "--suite", str(baselined.path)])
    assert result.exit_code == 0 and "alpha" in result.output and "beta" in result.output
