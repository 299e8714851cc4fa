"""The Python API: curated exports, lazy top level, layering of imports."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import casa1000

ROOT = Path(casa1000.__file__).parent
PACKAGES = [
    "casa1000",
    "casa1000.grid",
    "casa1000.profiles",
    "casa1000.studies",
    "casa1000.studies.spine",
    "casa1000.studies.engine",
    "casa1000.studies.security",
    "casa1000.dashboards",
]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None, f"{package}.{name}"


def test_the_top_level_is_instant_and_pulls_in_nothing_heavy() -> None:
    code = (
        "import sys, casa1000; "
        "print(sorted(m for m in ('pandapower', 'xarray', 'pandas', 'lightsim2grid') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _package_files() -> list[tuple[Path, Path]]:
    """(path, path relative to the package) of the package's own modules, not tests or venvs."""
    out = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("tests", "build") or any(p.startswith(".") for p in rel.parts):
            continue
        if "site-packages" in rel.parts:
            continue
        out.append((path, rel))
    return out


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_cli_imports_typer_and_only_dashboards_import_plotly_and_dash() -> None:
    for path, rel in _package_files():
        found = _imports(path)
        if rel.as_posix() != "cli.py":
            assert "typer" not in found, rel
        if rel.parts[0] != "dashboards":
            assert not found & {"plotly", "dash"}, rel


def test_product_code_never_imports_a_benchmark() -> None:
    for path, rel in _package_files():
        if rel.parts[:2] == ("studies", "benchmarks"):
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                inside_cli = rel.as_posix() == "cli.py"  # the CLI offers the benchmark command
                assert inside_cli or "benchmarks" not in node.module, rel
