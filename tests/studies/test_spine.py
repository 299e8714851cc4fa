"""The study spine: declared schemas, one runner, files tied together by a manifest."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.params import GridParams
from casa1000.profiles.config import Hydrology, ProfileConfig
from casa1000.profiles.schema import DatasetSchema, VariableSpec
from casa1000.studies.registry import STUDIES, study_spec
from casa1000.studies.seasonal import SeasonalConfig
from casa1000.studies.spine import results_io
from casa1000.studies.spine.runner import (
    execute,
    read_result,
    read_result_set,
    write_result,
)
from casa1000.studies.spine.scenario import Scenario, StudyInputs

JULY = SeasonalConfig(months=(7,))


@pytest.fixture(scope="module")
def reference() -> StudyInputs:
    return Scenario().load()


@pytest.fixture(scope="module")
def july(reference: StudyInputs) -> xr.Dataset:
    return execute(STUDIES["seasonal"], reference, JULY).dataset


def test_registry_names_every_study() -> None:
    assert list(STUDIES) == ["seasonal", "contingency", "transfer", "indicators"]
    for name, spec in STUDIES.items():
        assert spec.name == name and spec.schema.name == name
        assert spec.files[0] == f"{name}.nc" and spec.files[-1] == f"{name}.manifest.json"
    with pytest.raises(InputError, match="one of seasonal"):
        study_spec("nonsense")


def test_every_study_result_validates(reference: StudyInputs) -> None:
    hours = reference.profiles.isel(time=np.r_[4416:4422])
    inputs = dataclasses.replace(reference, profiles=hours)
    results: dict[str, xr.Dataset] = {}
    for spec in STUDIES.values():  # in registry order, each builds on the ones before
        ds = execute(spec, dataclasses.replace(inputs, results=results)).dataset
        results[spec.name] = ds
        spec.schema.validate(ds)
        assert ds.attrs["study"] == spec.name and ds.attrs["Conventions"] == "CF-1.10"
        for name, var in ds.data_vars.items():
            declared = spec.schema.variables[str(name)]
            assert var.attrs["long_name"] == declared.long_name
            if declared.units is not None:
                assert var.attrs["units"] == declared.units
            if var.dtype.kind in "bU":  # no units on booleans and strings
                assert "units" not in var.attrs
        assert json.loads(ds.attrs["config"])  # the settings are recorded


def test_two_runs_of_one_scenario_are_identical(reference: StudyInputs, july: xr.Dataset) -> None:
    again = execute(STUDIES["seasonal"], reference, JULY)
    assert again.dataset.identical(july)
    assert again.facts.wall_time_s > 0 and again.facts.created


def test_a_schema_refuses_what_it_does_not_declare(july: xr.Dataset) -> None:
    schema = STUDIES["seasonal"].schema
    with pytest.raises(InputError, match="variables"):
        schema.validate(july.assign(extra=july.export_factor))
    with pytest.raises(InputError, match="vm_pu units"):
        bad = july.copy()
        bad["vm_pu"] = bad.vm_pu.assign_attrs(units="kV")
        schema.validate(bad)
    with pytest.raises(InputError, match="schema_version"):
        schema.validate(july.assign_attrs(schema_version=99))
    with pytest.raises(InputError, match="a contingency result"):
        STUDIES["contingency"].schema.validate(july)


def test_build_names_a_missing_variable() -> None:
    schema = DatasetSchema(
        name="demo",
        title="casa1000 demo",
        version=1,
        variables={"p_mw": VariableSpec(dims=("t",), units="MW", long_name="power")},
    )
    with pytest.raises(ValueError, match="missing variables \\['p_mw'\\]"):
        schema.build(coords={}, data={})


def test_override_of_the_contract_changes_the_delivered_energy(reference: StudyInputs) -> None:
    small = Scenario(sets=("contract.pakistan_mw=500",)).load()
    spec = STUDIES["seasonal"]
    ref = execute(spec, reference, JULY).dataset.delivered_mw.sum("time")
    cut = execute(spec, small, JULY).dataset
    pk = float(cut.delivered_mw.sum("time").sel(offtaker="PK"))
    assert 0 < pk < 0.6 * float(ref.sel(offtaker="PK"))
    assert json.loads(cut.attrs["overrides"]) == {"contract.pakistan_mw": "500"}
    from casa1000.studies.spine.provenance import params_hash

    assert cut.attrs["parameter_hash"] != params_hash(reference.params)


def test_contract_override_on_a_profile_file_is_refused(tmp_path: Path) -> None:
    from casa1000.profiles.io import write_profiles_netcdf

    path = write_profiles_netcdf(Scenario().load().profiles, tmp_path / "p.nc")
    with pytest.raises(InputError, match="no contract override with a profile file"):
        Scenario(profile_file=path, sets=("contract.pakistan_mw=500",)).load()


def test_write_then_read_through_the_manifest(july: xr.Dataset, tmp_path: Path) -> None:
    spec = STUDIES["seasonal"]
    result = execute(spec, Scenario().load(), JULY)
    written = write_result(spec, result, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(spec.files)
    manifest = json.loads(written.manifest.read_text())
    assert set(manifest["files"]) == set(spec.files[:-1])
    assert manifest["run"]["wall_time_s"] > 0 and manifest["scenario"]["variant"] == "as_built"
    back = read_result(spec, tmp_path)
    assert back.dataset.identical(result.dataset)
    assert back.facts.created == result.facts.created


def test_a_killed_run_leaves_a_set_the_reader_refuses(july: xr.Dataset, tmp_path: Path) -> None:
    spec = STUDIES["seasonal"]
    dry = Scenario(profile_config=ProfileConfig(year=2027, hydrology=Hydrology.DRY))
    write_result(spec, execute(spec, dry.load(), JULY), tmp_path)
    # a wet run killed after its NetCDF replaced the dry one, before its tables
    (tmp_path / "seasonal.manifest.json").unlink()
    results_io.write_netcdf(july, tmp_path / "seasonal.nc")
    with pytest.raises(InputError, match="manifest"):
        read_result(spec, tmp_path)
    # the same, but with the old manifest still there: the checksum gives it away
    write_result(spec, execute(spec, dry.load(), JULY), tmp_path)
    results_io.write_netcdf(july, tmp_path / "seasonal.nc")
    with pytest.raises(InputError, match="belongs to another run"):
        read_result(spec, tmp_path)


def test_a_mixed_set_is_refused(reference: StudyInputs, tmp_path: Path) -> None:
    dry = Scenario(profile_config=ProfileConfig(year=2027, hydrology=Hydrology.DRY)).load()
    hours = np.r_[4416:4420]
    seasonal, contingency = STUDIES["seasonal"], STUDIES["contingency"]
    normal_inputs = dataclasses.replace(reference, profiles=reference.profiles.isel(time=hours))
    dry_inputs = dataclasses.replace(dry, profiles=dry.profiles.isel(time=hours))
    write_result(seasonal, execute(seasonal, normal_inputs), tmp_path)
    write_result(contingency, execute(contingency, dry_inputs), tmp_path)
    with pytest.raises(InputError, match="one scenario"):
        read_result_set([seasonal, contingency], tmp_path)
    write_result(contingency, execute(contingency, normal_inputs), tmp_path)
    both = read_result_set([seasonal, contingency], tmp_path)
    assert set(both) == {"seasonal", "contingency"}


def test_read_only_output_is_one_error_before_the_study(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, data: bytes) -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(InputError, match="Read-only file system"):
        results_io.ensure_writable(tmp_path / "out")


def test_full_disk_leaves_nothing_half_written(
    july: xr.Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = STUDIES["seasonal"]
    result = execute(spec, Scenario().load(), JULY)

    def full(self: xr.Dataset, path: str, **kwargs: object) -> None:
        Path(path).write_bytes(b"partial")
        raise RuntimeError("NetCDF: HDF error")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", full)
    with pytest.raises(InputError, match="space to spare"):
        write_result(spec, result, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == []


def test_stale_temporaries_of_killed_runs_are_removed(july: xr.Dataset, tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    stale = tmp_path / f".seasonal.nc.{dead}.{'a' * 32}.nc"
    stale.write_bytes(b"left over")
    live = tmp_path / f".seasonal.nc.{os.getpid()}.{'b' * 32}.nc"
    live.write_bytes(b"being written")
    assert results_io.stale_temporaries(tmp_path) == [stale]
    spec = STUDIES["seasonal"]
    write_result(spec, execute(spec, Scenario().load(), JULY), tmp_path)
    assert not stale.exists() and live.exists()


def test_local_time_survives_the_file_and_cf_readers_see_the_offset(
    july: xr.Dataset, tmp_path: Path
) -> None:
    path = results_io.write_netcdf(july, tmp_path / "s.nc")
    raw = xr.open_dataset(path, decode_times=False)
    assert raw.time.attrs["units"].endswith("+05:00")
    assert int(raw.time.values[0]) == 24 * 181  # 1 July 00:00 local, hours since 1 Jan local
    back = results_io.read_netcdf(path)
    assert back.time.values[0] == july.time.values[0]


def test_the_write_chunk_cache_is_the_writers_alone(
    july: xr.Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The small chunk cache holds only while a file is written, even one that fails."""
    import netCDF4

    before = netCDF4.get_chunk_cache()
    seen: list[tuple[int, int, float]] = []

    def full_disk(self: xr.Dataset, *args: object, **kwargs: object) -> None:
        seen.append(netCDF4.get_chunk_cache())
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(xr.Dataset, "to_netcdf", full_disk)
        with pytest.raises(InputError, match="No space left"):
            results_io.write_netcdf(july, tmp_path / "s.nc")
    assert seen[0][0] == results_io.WRITE_CHUNK_CACHE_BYTES
    assert netCDF4.get_chunk_cache() == before
    assert not list(tmp_path.iterdir())
    back = results_io.read_netcdf(results_io.write_netcdf(july, tmp_path / "s.nc"))
    np.testing.assert_array_equal(back.delivered_mw.values, july.delivered_mw.values)
    assert netCDF4.get_chunk_cache() == before


def test_hand_made_profiles_get_a_clear_error(as_built: GridParams) -> None:
    from casa1000.studies.seasonal import run_seasonal

    with pytest.raises(InputError, match="time"):
        run_seasonal(as_built, xr.Dataset())
