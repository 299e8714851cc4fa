"""The offline report in a real browser: loads offline, draws every figure, escapes names."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import launch, needs_chromium, watch

from casa1000.dashboards.report import write_report

pytestmark = needs_chromium
INJECTION = "<script>alert(1)</script>"

DRAWN = """() => {
  const plots = Array.from(document.querySelectorAll('div.plot'));
  const drawn = plots.filter(d => d.classList.contains('js-plotly-plot')
      && d._fullLayout !== undefined
      && d.querySelectorAll('g.trace, g.hm, .heatmaplayer image').length > 0);
  return [plots.length, drawn.length];
}"""


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    yield from launch()


@pytest.fixture(scope="module")
def report(result_folders: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "report.html"
    write_report([result_folders.reference, result_folders.injected], out, drill_cases=2)
    return out


@pytest.fixture(scope="module")
def opened(
    chromium: Any, report: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, Any, float]]:
    """The report opened once for the module's tests (each leaves the page usable)."""
    page = chromium.new_page(viewport={"width": 1300, "height": 900})
    seen = watch(page)
    started = time.perf_counter()
    page.goto(report.as_uri(), wait_until="load")
    # a function, not an expression: the page's CSP forbids eval
    page.wait_for_function(
        f"() => {{ const [all, drawn] = ({DRAWN})(); return all > 0 && all === drawn; }}",
        timeout=60_000,
    )
    seconds = time.perf_counter() - started
    yield page, seen, seconds
    page.screenshot(path=str(tmp_path_factory.mktemp("screenshots") / "report.png"))
    page.close()


def test_report_opens_offline_and_draws_every_figure(opened: tuple[Any, Any, float]) -> None:
    page, seen, seconds = opened
    total, drawn = page.evaluate(DRAWN)
    assert total >= 10 and drawn == total
    assert seen.requests == []
    assert seen.errors == []
    assert seen.dialogs == []
    print(f"report drawn in {seconds:.2f} s")  # shown with -s; the note reports the median


def test_slider_changes_the_map(opened: tuple[Any, Any, float]) -> None:
    page, seen, _ = opened
    find = """() => {
      const gd = Array.from(document.querySelectorAll('div.plot'))
          .find(d => d.data && d.data.some(t => t.name === 'flow'));
      const k = gd.data.findIndex(t => t.name === 'flow');
      return {id: gd.id, colours: Array.from(gd._fullData[k].marker.color),
              active: gd._fullLayout.sliders[0].active};
    }"""
    before = page.evaluate(find)
    assert before["active"] == 0
    plot = page.locator(f"#{before['id']}")
    plot.scroll_into_view_if_needed()
    label = plot.locator("g.slider-group text", has_text="Jul").first.bounding_box()
    rail = plot.locator("rect.slider-rail-touch-rect").first.bounding_box()
    assert label is not None and rail is not None
    page.mouse.click(label["x"] + label["width"] / 2, rail["y"] + rail["height"] / 2)
    page.wait_for_function(
        f"() => document.getElementById('{before['id']}')._fullLayout.sliders[0].active === 2"
    )
    after = page.evaluate(find)
    assert after["colours"] != before["colours"]
    assert seen.errors == []


def test_scenario_name_shows_as_text(opened: tuple[Any, Any, float]) -> None:
    page, seen, _ = opened
    subtitles = page.locator("div.card-subtitle", has_text=INJECTION)
    assert subtitles.count() >= 1
    assert INJECTION in page.inner_text("main")
    legend = page.locator("g.legend text", has_text=INJECTION)
    assert legend.count() >= 1  # plotly shows the name as text, too
    assert page.evaluate("document.querySelectorAll('main script:not([type])').length") == 0
    assert seen.dialogs == []


def test_ranking_table_sorts(opened: tuple[Any, Any, float]) -> None:
    page, _, _ = opened
    table = page.locator("table.sortable").first
    first_cell = "t => t.tBodies[0].rows[0].cells[0].textContent"
    header = table.locator("th", has_text="contingency").first
    header.click()
    ascending = table.evaluate(first_cell)
    header.click()
    descending = table.evaluate(first_cell)
    names = table.evaluate("t => Array.from(t.tBodies[0].rows).map(r => r.cells[0].textContent)")
    assert ascending == min(names) and descending == max(names)
