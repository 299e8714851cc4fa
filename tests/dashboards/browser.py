"""Driving Debian's chromium with Playwright: launch options and what a page is watched for."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CASA1000_CHROMIUM") or "/usr/bin/chromium")
"""Debian's chromium (``.ci/run`` installs it and names it in CASA1000_CHROMIUM)."""
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL = ("file:", "data:", "blob:")

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"browser test: no chromium at {CHROMIUM} (apt-get install chromium, or set "
    "CASA1000_CHROMIUM to its path)",
)


@dataclass
class Watch:
    """Everything a page did that a self-contained, safe page must not do."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def watch(page: Any, allowed: tuple[str, ...] = LOCAL) -> Watch:
    """Record requests outside ``allowed``, console and page errors, and dialogs (dismissed)."""
    seen = Watch()
    page.on("request", lambda r: None if r.url.startswith(allowed) else seen.requests.append(r.url))
    page.on(
        "console", lambda m: seen.errors.append(m.text) if m.type in ("error", "assert") else None
    )
    page.on("pageerror", lambda e: seen.errors.append(str(e)))

    def dialog(d: Any) -> None:
        seen.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return seen


def launch() -> Iterator[Any]:
    """Yield a headless chromium (the generator of a fixture)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
