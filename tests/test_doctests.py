"""Every module's docstring examples run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import casa1000

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(casa1000.__path__, "casa1000.")
    if not m.name.endswith("__main__")
)


def test_every_package_is_walked() -> None:
    assert "casa1000.studies.spine.runner" in MODULES
    assert "casa1000.grid.dispatch" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    failures, _ = doctest.testmod(module, optionflags=flags, verbose=False)
    assert failures == 0
