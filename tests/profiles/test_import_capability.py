"""Import capability in the profiles: seeded by month, built, written, read and defaulted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.reference import load_reference
from casa1000.profiles import read_profiles_csv
from casa1000.profiles.import_capability import import_capability_seed
from casa1000.profiles.io import read_profiles_netcdf, write_profiles_netcdf
from casa1000.profiles.seed_cells import parse_csv, read_seed_bytes
from casa1000.profiles.seed_tables import ProfileSeeds
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles

WINTER = (1, 2, 3, 11, 12)
SUMMER = (6, 7, 8)


def test_seeds_state_twelve_months_per_supplier_within_their_range(seeds: ProfileSeeds) -> None:
    cap = seeds.import_capability
    for zone in ("KG", "TJ"):
        assert len(cap.max_import_mw[zone]) == 12
        for m in range(12):
            assert cap.low_mw[zone][m] <= cap.max_import_mw[zone][m] <= cap.high_mw[zone][m]
    # the neighbours have less to sell in winter, and Tajikistan's ties are the weaker
    for zone in ("KG", "TJ"):
        assert max(cap.max_import_mw[zone][m - 1] for m in WINTER) < min(
            cap.max_import_mw[zone][m - 1] for m in SUMMER
        )
    assert all(cap.max_import_mw["TJ"][m - 1] < cap.max_import_mw["KG"][m - 1] for m in WINTER)


def test_the_build_spreads_each_month_over_its_hours(
    normal_2027: xr.Dataset, seeds: ProfileSeeds
) -> None:
    cap = normal_2027["import_capability_mw"]
    assert cap.dims == ("time", "supplier") and cap.attrs["units"] == "MW"
    for stamp in ("2027-01-01T00:00", "2027-07-15T18:00", "2027-12-31T23:00"):
        month = pd.Timestamp(stamp).month
        row = cap.sel(time=stamp)
        for zone in ("KG", "TJ"):
            expected = seeds.import_capability.max_import_mw[zone][month - 1]
            assert float(row.sel(supplier=zone)) == expected
    # constant within a month
    january = cap.sel(time=slice("2027-01-01", "2027-01-31"))
    assert int(january.sel(supplier="TJ").to_series().nunique()) == 1


def test_csv_round_trip_keeps_the_capability(csv_2027: Path, normal_2027: xr.Dataset) -> None:
    back = read_profiles_csv(csv_2027)
    np.testing.assert_array_equal(
        back["import_capability_mw"].values, normal_2027["import_capability_mw"].values
    )


def test_a_csv_without_the_columns_gets_the_seeded_capability(
    csv_2027: Path, normal_2027: xr.Dataset, tmp_path: Path
) -> None:
    frame = pd.read_csv(csv_2027, dtype=str)
    old = tmp_path / "old.csv"
    frame.drop(columns=["import_capability_mw:KG", "import_capability_mw:TJ"]).to_csv(
        old, index=False
    )
    back = read_profiles_csv(old)
    np.testing.assert_array_equal(
        back["import_capability_mw"].values, normal_2027["import_capability_mw"].values
    )


def test_a_csv_states_its_own_capability(csv_2027: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(csv_2027, dtype=str)
    frame["import_capability_mw:TJ"] = "123.5"
    own = tmp_path / "own.csv"
    frame.to_csv(own, index=False)
    back = read_profiles_csv(own)
    assert float(back["import_capability_mw"].sel(supplier="TJ").max()) == 123.5
    assert float(back["import_capability_mw"].sel(supplier="TJ").min()) == 123.5


def test_half_a_pair_of_columns_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(csv_2027, dtype=str)
    half = tmp_path / "half.csv"
    frame.drop(columns=["import_capability_mw:TJ"]).to_csv(half, index=False)
    with pytest.raises(InputError, match="import_capability_mw:TJ missing"):
        read_profiles_csv(half)


def test_a_negative_capability_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(csv_2027, dtype=str)
    frame.loc[3, "import_capability_mw:KG"] = "-1"
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(InputError, match="row 5 column 'import_capability_mw:KG'"):
        read_profiles_csv(bad)


def test_an_old_netcdf_file_keeps_the_shared_limit_alone(
    normal_2027: xr.Dataset, tmp_path: Path
) -> None:
    old = normal_2027.drop_vars("import_capability_mw")
    back = read_profiles_netcdf(write_profiles_netcdf(old, tmp_path / "old.nc"))
    assert "import_capability_mw" not in back.data_vars
    params = load_reference()
    assert inputs_from_profiles(params, back.isel(time=slice(0, 24))).import_cap_mw is None
    new = inputs_from_profiles(params, normal_2027.isel(time=slice(0, 24)))
    assert new.import_cap_mw is not None
    np.testing.assert_array_equal(
        new.import_cap_mw["TJ"],
        normal_2027["import_capability_mw"].sel(supplier="TJ").values[:24],
    )
    # the bridge carries the limits into the schedule and through a selection of hours
    picked = new.take([3, 3, 5])
    assert picked.import_cap_mw is not None and picked.import_cap_mw["KG"].shape == (3,)


def _seed_frame(edit: str = "", row: int = 0, value: str = "") -> pd.DataFrame:
    frame = parse_csv(read_seed_bytes("import_capability.csv"))
    if edit:
        frame[edit] = frame[edit].astype(object)
        frame.loc[frame.index[row], edit] = value
    return frame


@pytest.mark.parametrize(
    ("edit", "row", "value", "message"),
    [
        ("zone", 0, "UZ", "a supplier zone"),
        ("month", 1, "1", "one row per zone and month"),
        ("max_import_mw", 0, "5000", "within low_mw..high_mw"),
        ("low_mw", 0, "-3", "a number from 0.0"),
    ],
)
def test_a_broken_seed_names_the_row(edit: str, row: int, value: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        import_capability_seed(_seed_frame(edit, row, value), ("KG", "TJ"))


def test_a_missing_month_is_refused() -> None:
    frame = _seed_frame().iloc[1:]
    with pytest.raises(InputError, match="KG,1"):
        import_capability_seed(frame, ("KG", "TJ"))
