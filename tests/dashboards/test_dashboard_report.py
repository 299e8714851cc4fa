"""The report file: self-contained, plotly.js once, names escaped, bad folders refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from plotly.offline import get_plotlyjs
from typer.testing import CliRunner

from casa1000.cli import app
from casa1000.dashboards.report import plotly_bundle, write_report
from casa1000.errors import InputError

INJECTION = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def page(result_folders: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    facts = write_report([result_folders.reference, result_folders.injected], out, drill_cases=2)
    assert facts.figures >= 10
    assert facts.size_bytes == out.stat().st_size
    return out.read_text(encoding="utf-8")


def test_plotly_js_is_embedded_once(page: str) -> None:
    assert len(re.findall(r"\* plotly\.js .*v\d+\.\d+\.\d+", page)) == 1
    assert "plotly.js (cartesian - minified) v" in page  # the 1.5 MB bundle
    assert get_plotlyjs()[:200] not in page
    assert len(page.encode()) < 15e6


def test_full_plotly_js_when_a_figure_needs_it() -> None:
    import plotly.graph_objects as go

    cartesian = [go.Figure(go.Heatmap(z=[[1.0]])), go.Figure(frames=[go.Frame(data=[go.Bar()])])]
    assert plotly_bundle(cartesian)[0] == "cartesian"
    geo = [*cartesian, go.Figure(go.Scattergeo(lon=[70.0], lat=[40.0]))]
    name, script = plotly_bundle(geo)
    assert name == "full" and script == get_plotlyjs()


def test_nothing_is_loaded_from_elsewhere(page: str) -> None:
    assert not re.search(r"<script[^>]+src=", page)
    assert "<link" not in page
    assert "<iframe" not in page
    assert "connect-src 'none'" in page  # the page's CSP forbids any connection


def test_scenario_name_is_text(page: str) -> None:
    assert INJECTION not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # each figure's JSON sits in a script block no data can close
    blocks = re.findall(
        r'<script type="application/json" id="fig-\d+-json">(.*?)</script>', page, re.S
    )
    assert blocks and all("</" not in b and "<script" not in b for b in blocks)


def test_sections_and_sortable_ranking(page: str) -> None:
    for anchor in ("overview", "seasonal", "contingencies", "comparison"):
        assert f'<section id="{anchor}">' in page
    assert '<table class="data sortable">' in page


def test_half_written_folder_is_refused(result_folders: Any, tmp_path: Path) -> None:
    folder = tmp_path / "half"
    shutil.copytree(result_folders.reference, folder)
    (folder / "contingency.manifest.json").unlink()
    with pytest.raises(InputError, match="manifest"):
        write_report([folder], tmp_path / "r.html", drill_cases=0)
    assert not (tmp_path / "r.html").exists()


def test_mixed_folder_is_refused(result_folders: Any, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(result_folders.reference, folder)
    for name in ("seasonal.nc", "seasonal_summary.csv", "seasonal_totals.csv"):
        shutil.copy(result_folders.injected / name, folder / name)
    shutil.copy(
        result_folders.injected / "seasonal.manifest.json", folder / "seasonal.manifest.json"
    )
    with pytest.raises(InputError, match="one scenario"):
        write_report([folder], tmp_path / "r.html", drill_cases=0)


def test_cli_report_by_default_and_one_line_errors(result_folders: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "cli.html"
    done = runner.invoke(
        app, ["dashboard", str(result_folders.injected), "--out", str(out), "--drill-down", "0"]
    )
    assert done.exit_code == 0, done.output
    assert out.is_file() and "wrote" in done.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = runner.invoke(app, ["dashboard", "report", str(empty), "--out", str(out)])
    assert refused.exit_code == 2
    assert refused.stderr.strip().splitlines()[-1].startswith("error: ")
    wrong = runner.invoke(app, ["dashboard", str(empty), "--out", str(tmp_path / "r.txt")])
    assert wrong.exit_code == 2 and ".html" in wrong.stderr


def test_serve_refuses_a_bad_port() -> None:
    refused = CliRunner().invoke(app, ["dashboard", "serve", "--port", "70000"])
    assert refused.exit_code == 2
    assert "port" in refused.stderr
