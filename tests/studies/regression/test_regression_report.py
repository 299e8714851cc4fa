"""The HTML report: offline, every name escaped, failing series plotted; checked in chromium."""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import pytest

from casa1000.dashboards.regression_report import (
    figure_series,
    regression_report_html,
    write_regression_report,
)
from casa1000.studies.regression.compare import Check, Status
from casa1000.studies.regression.gate import EntryOutcome, SuiteReport
from casa1000.studies.regression.measure import Measurement, SeriesValues
from casa1000.studies.regression.suite import Resample

PAYLOAD = "<script>window.__pwned = 1</script>"


def _series(values: tuple[float, ...], units: str = "MW") -> SeriesValues:
    return SeriesValues(
        units=units,
        resample=Resample.HOUR,
        time=tuple(f"2027-07-01T{h:02d}:00" for h in range(len(values))),
        values=values,
        stats={},
    )


def _measurement(values: tuple[float, ...]) -> Measurement:
    return Measurement(
        entry="alpha",
        study="seasonal",
        definition={},
        scenario={},
        metrics={},
        units={},
        series={"flow_mw": _series(values, units=f"MW {PAYLOAD}")},
    )


def _report(failing: bool) -> SuiteReport:
    check = Check(
        entry="alpha",
        study="seasonal",
        metric="flow_mw:max_abs",
        units=f"MW {PAYLOAD}",
        baseline=math.nan,
        now=math.nan,
        delta=2.0 if failing else 0.0,
        tolerance=1.0,
        status=Status.FAIL if failing else Status.PASS,
        note=f"moved {PAYLOAD}" if failing else "",
    )
    outcome = EntryOutcome(
        entry="alpha",
        study="seasonal",
        title=f"title {PAYLOAD} & more",
        checks=(check,),
        wall_time_s=0.5,
        baseline=_measurement((1.0, 2.0, math.nan, 4.0)),
        now=_measurement((1.0, 4.0, math.nan, 4.0)),
    )
    return SuiteReport(
        suite=f"suite {PAYLOAD}",
        title=PAYLOAD,
        path=Path("suite.toml"),
        outcomes=(outcome,),
        wall_time_s=1.0,
    )


def test_names_are_escaped_and_nothing_is_fetched() -> None:
    page = regression_report_html(_report(failing=True))
    body = page[page.index("</head>") :]
    assert PAYLOAD not in body and "window.__pwned" in body  # present, but only escaped
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in body
    assert "<script src" not in page and "<link" not in page
    assert page.count("Plotly.newPlot(") == 1


def test_only_failing_series_are_plotted_unless_asked() -> None:
    assert "Plotly.newPlot(" not in regression_report_html(_report(failing=False))
    assert (
        regression_report_html(_report(failing=False), all_series=True).count("Plotly.newPlot(")
        == 1
    )


def test_the_figure_shows_baseline_now_and_their_difference() -> None:
    fig = figure_series("alpha", "flow_mw", _series((1.0, 2.0)), _series((1.0, 5.0)))
    names = [t.name for t in fig.data]
    assert names == ["baseline", "now", "now - baseline"]
    assert list(fig.data[2].y) == [0.0, 3.0]


def _chromium() -> str | None:
    return os.environ.get("CASA1000_CHROMIUM") or shutil.which("chromium")


@pytest.mark.skipif(_chromium() is None, reason="needs Debian's chromium")
def test_the_page_draws_offline_and_runs_no_injected_script(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    path = write_regression_report(_report(failing=True), tmp_path / "regression.html")
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        drawn = page.locator(".js-plotly-plot").count()
        pwned = page.evaluate("window.__pwned === undefined")
        browser.close()
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert errors == [] and drawn == 1 and pwned
