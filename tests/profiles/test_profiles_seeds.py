"""Every number of the profile seed files carries a resolvable source and a confidence."""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from casa1000.profiles.seed_tables import SEED_FILES

SEEDS = resources.files("casa1000.seeds")
PROFILE_FILES = sorted(
    entry.name
    for entry in SEEDS.iterdir()
    if entry.name.startswith("profile_") and entry.name.endswith(".csv")
)


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(SEEDS.joinpath(name).read_text().splitlines()))


def test_every_profile_seed_file_is_read_and_hashed() -> None:
    assert PROFILE_FILES and set(PROFILE_FILES) <= set(SEED_FILES)


@pytest.mark.parametrize("name", PROFILE_FILES)
def test_rows_cite_known_sources_with_confidence(name: str) -> None:
    known = {row["id"] for row in _rows("sources.csv")}
    for number, row in enumerate(_rows(name), start=2):
        where = f"{name} row {number}"
        cited = set(re.split(r"[;\s]+", row["source"].strip()))
        assert cited and cited <= known, where
        assert row["confidence"] in {"H", "M", "L"}, where
        if "casa1000_assumption" in cited:
            assert len(row["note"].strip()) > 15, f"{where}: an assumption must say why"
