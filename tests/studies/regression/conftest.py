"""A tiny two-entry suite in a temporary folder: two days of the seasonal study each.

Each entry reads its own scenario file, so a test can change one entry's network
(a deliberate parameter change) and leave the other alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from casa1000.studies.regression.gate import update_suite
from casa1000.studies.regression.suite import Suite, read_suite

ENTRY = """
[[entry]]
name = "{name}"
title = "entry {name}"
study = "seasonal"
[entry.scenario]
scenario_file = "{name}.toml"
period = ["2027-07-01", "2027-07-02"]
[entry.metrics.delivered_pk_gwh]
expr = 'delivered_mw.sel(offtaker="PK").sum() / 1e3'
units = "GWh"
rel_tol = 1e-4
[entry.metrics.hvdc_losses_gwh]
expr = "(hvdc_line_loss_mw.sum() + converter_loss_mw.sum()) / 1e3"
units = "GWh"
abs_tol = 1e-4
rel_tol = 1e-3
[entry.series.hvdc_line_loss_mw]
expr = "hvdc_line_loss_mw"
units = "MW"
abs_tol = 0.01
rel_tol = 1e-3
"""

SuiteWriter = Callable[..., Path]


def _write(folder: Path, names: tuple[str, ...], extra: str) -> Path:
    text = '[suite]\nname = "tiny"\nformat_version = 1\n'
    text += "".join(ENTRY.format(name=n) for n in names) + extra
    path = folder / "suite.toml"
    path.write_text(text, encoding="utf-8")
    for name in names:
        scenario = folder / f"{name}.toml"
        if not scenario.exists():
            scenario.write_text("# no overrides\n", encoding="utf-8")
    return path


@pytest.fixture
def write_suite(tmp_path: Path) -> SuiteWriter:
    """Return a function writing the tiny suite (plus ``extra`` TOML) and its scenario files."""

    def write(names: tuple[str, ...] = ("alpha", "beta"), extra: str = "") -> Path:
        return _write(tmp_path, names, extra)

    return write


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny suite with baselines, made once: each test works on a copy."""
    folder = tmp_path_factory.mktemp("tiny-suite")
    report = update_suite(
        read_suite(_write(folder, ("alpha", "beta"), "")),
        reason="first baselines",
        when="2027-01-01",
    )
    assert not report.failed
    return folder


@pytest.fixture
def baselined(template: Path, tmp_path: Path) -> Suite:
    """A fresh copy of the tiny suite with its baselines, in ``tmp_path``."""
    shutil.copytree(template, tmp_path, dirs_exist_ok=True)
    return read_suite(tmp_path / "suite.toml")


@pytest.fixture
def perturb(tmp_path: Path) -> Callable[..., None]:
    """Return a function changing one entry's network: a DC line of higher resistance."""

    def change(entry: str, factor: float = 1.5) -> None:
        (tmp_path / f"{entry}.toml").write_text(
            f"[hvdc]\ndc_r_ohm_per_km = {0.0094 * factor}\n", encoding="utf-8"
        )

    return change
