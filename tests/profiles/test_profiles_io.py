"""NetCDF and CSV round trips, atomic writes, and one test per CSV input error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from casa1000.errors import InputError
from casa1000.profiles import (
    read_profiles_csv,
    read_profiles_netcdf,
    write_profiles_csv,
    write_profiles_netcdf,
)


def test_netcdf_round_trip_is_identical(normal_2027: xr.Dataset, tmp_path: Path) -> None:
    path = write_profiles_netcdf(normal_2027, tmp_path / "profiles.nc")
    back = read_profiles_netcdf(path)
    xr.testing.assert_identical(back, normal_2027)
    assert [p.name for p in tmp_path.iterdir()] == ["profiles.nc"]  # no temporary left behind


def test_csv_round_trip_is_equal(normal_2027: xr.Dataset, csv_2027: Path) -> None:
    back = read_profiles_csv(csv_2027)
    monthly = {name for name in normal_2027.data_vars if str(name).startswith("reservoir_")}
    assert monthly and not monthly & set(back.data_vars)  # the reservoir balance is NetCDF-only
    for name in set(normal_2027.data_vars) - monthly:
        np.testing.assert_array_equal(back[name].values, normal_2027[name].values, err_msg=name)
        assert back[name].dims == normal_2027[name].dims
        assert back[name].attrs == normal_2027[name].attrs
    for name in set(normal_2027.coords) - {"month", "reservoir"}:
        xr.testing.assert_identical(back[name], normal_2027[name])
    assert back.attrs["year"] == 2027 and back.attrs["source_file"] == "profiles_2027.csv"


def test_csv_layout(csv_2027: Path) -> None:
    lines = csv_2027.read_text().splitlines()
    header = lines[0].split(",")
    assert header[:5] == ["time", "demand_mw:KG", "demand_mw:TJ", "demand_mw:AF", "demand_mw:PK"]
    assert "available_mw:NUREK" in header and header[-5:-3] == ["contract_mw:PK", "contract_mw:AF"]
    assert header[-3:] == ["export_release_mw:KG", "export_release_mw:TJ", "reverse_contract_mw"]
    assert not any(name.startswith("export_available") for name in header)
    assert lines[1].startswith("2027-01-01T00:00:00+05:00,")
    assert len(lines) == 1 + 8760


def test_failed_write_leaves_the_old_file(normal_2027: xr.Dataset, tmp_path: Path) -> None:
    target = tmp_path / "profiles.nc"
    target.write_text("old")
    broken = normal_2027.assign(demand_mw=-normal_2027["demand_mw"])
    with pytest.raises(InputError):
        write_profiles_netcdf(broken, target)
    assert target.read_text() == "old"


def test_write_creates_a_missing_folder(normal_2027: xr.Dataset, tmp_path: Path) -> None:
    target = tmp_path / "absent" / "p.csv"
    write_profiles_csv(normal_2027, target)
    assert target.is_file() and [p.name for p in target.parent.iterdir()] == ["p.csv"]


def test_reading_a_missing_netcdf_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothing\.nc"):
        read_profiles_netcdf(tmp_path / "nothing.nc")


def test_reading_a_netcdf_with_wrong_units_names_the_variable(
    normal_2027: xr.Dataset, tmp_path: Path
) -> None:
    path = tmp_path / "kw.nc"
    bad = normal_2027.copy()
    bad["demand_mw"] = bad["demand_mw"].assign_attrs(units="kW")
    bad.to_netcdf(path, engine="netcdf4")
    with pytest.raises(InputError) as caught:
        read_profiles_netcdf(path)
    message = str(caught.value)
    assert str(path) in message and "demand_mw units" in message and "'kW'" in message


# --- CSV input errors: each edits the good file's text, then reads it back ---------------------


def _edit(source: Path, tmp_path: Path, edit: Callable[[list[str]], list[str]]) -> Path:
    lines = source.read_text().splitlines()
    target = tmp_path / "edited.csv"
    target.write_text("\n".join(edit(lines)) + "\n")
    return target


def _set_cell(lines: list[str], row: int, column: str, value: str) -> list[str]:
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return lines


def _read_error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_profiles_csv(path)
    message = str(caught.value)
    assert str(path) in message  # every message names the file
    return message


def test_missing_hour_is_named(csv_2027: Path, tmp_path: Path) -> None:
    path = _edit(csv_2027, tmp_path, lambda lines: lines[:101] + lines[102:])  # drops hour 100
    message = _read_error(path)
    assert (
        "8759 hours" in message
        and "2027-01-05T04:00:00" in message
        and "8760 hourly rows" in message
    )


def test_duplicate_hour_is_named(csv_2027: Path, tmp_path: Path) -> None:
    path = _edit(csv_2027, tmp_path, lambda lines: [*lines[:51], lines[50], *lines[51:-1]])
    message = _read_error(path)
    assert "row 52 column 'time'" in message and "2027-01-03T01:00:00+05:00" in message
    assert "duplicate" in message


def test_nan_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    path = _edit(csv_2027, tmp_path, lambda lines: _set_cell(lines, 10, "demand_mw:TJ", "nan"))
    message = _read_error(path)
    assert "row 10 column 'demand_mw:TJ'" in message and "'nan'" in message and "NaN" in message


def test_empty_cell_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    path = _edit(csv_2027, tmp_path, lambda lines: _set_cell(lines, 12, "contract_mw:AF", ""))
    message = _read_error(path)
    assert "row 12 column 'contract_mw:AF'" in message and "''" in message


def test_text_cell_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    path = _edit(
        csv_2027, tmp_path, lambda lines: _set_cell(lines, 7, "available_mw:NUREK", "lots")
    )
    message = _read_error(path)
    assert "row 7 column 'available_mw:NUREK'" in message and "'lots'" in message


def test_negative_value_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    path = _edit(csv_2027, tmp_path, lambda lines: _set_cell(lines, 20, "demand_mw:KG", "-5.5"))
    message = _read_error(path)
    assert "row 20 column 'demand_mw:KG'" in message and "'-5.5'" in message and ">= 0" in message


def test_wrong_units_are_refused(csv_2027: Path, tmp_path: Path) -> None:
    def rename(lines: list[str]) -> list[str]:
        lines[0] = lines[0].replace("demand_mw:PK", "demand_kw:PK")
        return lines

    message = _read_error(_edit(csv_2027, tmp_path, rename))
    assert "column 'demand_kw:PK'" in message and "demand_mw, available_mw, contract_mw" in message


def test_wrong_number_of_hours_for_a_leap_year(tmp_path: Path) -> None:
    from casa1000.profiles import build_profiles

    leap = write_profiles_csv(build_profiles(year=2028), tmp_path / "leap.csv")
    path = _edit(leap, tmp_path, lambda lines: lines[: 1 + 8760])  # a 365-day file dated 2028
    message = _read_error(path)
    assert "8760 hours" in message and "8784 hourly rows for 2028" in message
    assert "2028-12-31T00:00:00" in message


def test_hour_outside_the_year_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    def shift_last(lines: list[str]) -> list[str]:
        lines[-1] = lines[-1].replace("2027-12-31T23:00:00", "2028-01-01T00:00:00", 1)
        return lines

    message = _read_error(_edit(csv_2027, tmp_path, shift_last))
    assert "row 8761 column 'time'" in message and "2028-01-01T00:00:00+05:00" in message


def test_other_utc_offset_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    def utc(lines: list[str]) -> list[str]:
        lines[1] = lines[1].replace("+05:00", "+06:00", 1)
        return lines

    message = _read_error(_edit(csv_2027, tmp_path, utc))
    assert "row 2 column 'time'" in message and "+06:00" in message and "UTC+05:00" in message


def test_unknown_zone_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    def rename(lines: list[str]) -> list[str]:
        lines[0] = lines[0].replace("demand_mw:AF", "demand_mw:UZ")
        return lines

    message = _read_error(_edit(csv_2027, tmp_path, rename))
    assert "column 'demand_mw:UZ'" in message and "'UZ'" in message and "KG, TJ, AF, PK" in message


def test_unknown_plant_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    def rename(lines: list[str]) -> list[str]:
        lines[0] = lines[0].replace("available_mw:KAMBARATA2", "available_mw:KAMBARATA1")
        return lines

    message = _read_error(_edit(csv_2027, tmp_path, rename))
    assert "column 'available_mw:KAMBARATA1'" in message and "a plant of TOKTOGUL" in message


def test_missing_column_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    def drop_contract_af(lines: list[str]) -> list[str]:
        column = lines[0].split(",").index("contract_mw:AF")
        return [",".join(c for j, c in enumerate(line.split(",")) if j != column) for line in lines]

    message = _read_error(_edit(csv_2027, tmp_path, drop_contract_af))
    assert "contract_mw:AF missing" in message


def test_available_above_capacity_is_refused(csv_2027: Path, tmp_path: Path) -> None:
    path = _edit(
        csv_2027, tmp_path, lambda lines: _set_cell(lines, 30, "available_mw:ROGUN", "1500")
    )
    message = _read_error(path)
    assert "available_mw:ROGUN at 2027-01-02T04:00:00" in message and "1500.0" in message
    assert "capacity 1200" in message


def test_csv_read_can_set_the_converter_limit(csv_2027: Path) -> None:
    ds = read_profiles_csv(csv_2027, converter_limit_mw=900.0)
    assert float(ds["export_available_total_mw"].max()) == 900.0
    assert ds.attrs["converter_limit_mw"] == 900.0
