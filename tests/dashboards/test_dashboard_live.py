"""The live what-if view: starts on a free local port, re-runs on a change, stops cleanly."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from browser import launch, needs_chromium, watch

from casa1000.dashboards.live import LiveServer, WhatIf
from casa1000.errors import InputError

DELIVERED_PK = """() => {
  // null until dcc.Graph has drawn (the status line can arrive first)
  const gd = document.querySelector('#hourly .js-plotly-plot');
  if (!gd || !gd._fullData) return null;
  const k = gd._fullData.findIndex(t => t.name === 'delivered to Pakistan');
  return k < 0 ? null : Array.from(gd._fullData[k].y).reduce((a, b) => a + b, 0);
}"""


def test_what_if_sets_and_refusals() -> None:
    choice = WhatIf(hvdc_rating_mw=1000, outage="line.DATKA_SUGHD", pakistan_mw=800)
    assert choice.sets() == (
        "hvdc.rating_mw=1000",
        "contract.pakistan_mw=800",
        "contract.afghanistan_mw=300",
        "line.DATKA_SUGHD.in_service=false",
    )
    with pytest.raises(InputError):
        WhatIf(hydrology="very wet").run()
    with pytest.raises(InputError):
        WhatIf(month=13).run()


def test_port_in_use_is_a_user_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match="port"):
            LiveServer(port=port, app=_tiny_app())


def _tiny_app() -> Any:
    import dash
    from dash import html

    app = dash.Dash(__name__, assets_folder="no-assets")
    app.layout = html.Div("ok")
    return app


def test_server_binds_locally_and_stops() -> None:
    server = LiveServer(port=0, app=_tiny_app()).start_in_background()
    assert server.url.startswith("http://127.0.0.1:") and server.port > 0
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass
    server.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2)


def test_command_stops_cleanly_on_ctrl_c() -> None:
    command = [sys.executable, "-m", "casa1000", "-q", "dashboard", "serve", "--port", "0"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert "http://127.0.0.1:" in line
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
            assert proc.returncode == 0, err
            assert err.strip() == ""  # no traceback
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


@pytest.fixture()
def live() -> Iterator[LiveServer]:
    server = LiveServer(port=0).start_in_background()
    yield server
    server.stop()


@needs_chromium
def test_changed_input_updates_the_figures(live: LiveServer, tmp_path: Any) -> None:
    for browser in launch():
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        seen = watch(page, allowed=(live.url,))
        page.goto(live.url)
        status = "document.querySelector('#status').innerText"
        page.wait_for_function(f"() => {status}.startsWith('run 1')", timeout=120_000)
        page.wait_for_function(f"() => ({DELIVERED_PK})() !== null", timeout=30_000)
        before = page.evaluate(DELIVERED_PK)
        started = time.perf_counter()
        page.fill("#hvdc", "600")
        page.press("#hvdc", "Enter")
        page.wait_for_function(f"() => {status}.startsWith('run 2')", timeout=120_000)
        page.wait_for_function(
            f"() => ![null, {before}].includes(({DELIVERED_PK})())", timeout=30_000
        )
        seconds = time.perf_counter() - started
        after = page.evaluate(DELIVERED_PK)
        assert after < before  # a 600 MW link delivers less than the 1,300 MW one
        assert "hvdc.rating_mw=600" in page.inner_text("#status")
        assert page.locator("#map .js-plotly-plot").count() == 1
        page.screenshot(path=str(tmp_path / "live.png"))
        assert seen.requests == []
        assert seen.errors == []
        print(f"what-if re-run shown in {seconds:.2f} s")
