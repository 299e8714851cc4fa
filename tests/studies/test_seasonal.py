"""The seasonal study against the issue's figures, runpp, and physical invariants."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandapower as pp
import pytest
import xarray as xr
from typer.testing import CliRunner

from casa1000.cli import app
from casa1000.grid.builder import build_net, set_hour
from casa1000.grid.params import GridParams
from casa1000.grid.solve import RUNPP_OPTIONS
from casa1000.profiles.build import build_profiles
from casa1000.studies.seasonal import (
    CurtailReason,
    SeasonalConfig,
    run_seasonal,
)
from casa1000.studies.seasonal_tables import monthly_summary, totals
from casa1000.studies.spine.results_io import read_netcdf, write_netcdf
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles


def _season(ds: xr.Dataset) -> xr.Dataset:
    return ds.sel(time=(ds.time.dt.month >= 5) & (ds.time.dt.month <= 9))


def test_delivered_energy_in_season(seasonal_2027: xr.Dataset) -> None:
    ds = seasonal_2027
    season = _season(ds)
    delivered_twh = float(season.delivered_mw.sum()) / 1e6
    assert 4.0 <= delivered_twh <= 5.0
    outside = ds.sel(time=~ds.time.isin(season.time))
    assert float(outside.delivered_mw.sum()) == 0.0
    assert float(outside.export_sent_mw.sum()) == 0.0


def test_every_hour_converges_and_balances(seasonal_2027: xr.Dataset) -> None:
    ds = seasonal_2027
    assert bool(ds.converged.all())
    assert float(np.abs(ds.balance_mismatch_mw).max()) < 0.1
    assert float(ds.ac_losses_mw.min()) >= 0.0
    losses = ds.hvdc_line_loss_mw + ds.converter_loss_mw.sum("terminal")
    sent = ds.hvdc_sent_mw
    delivered_pk = ds.delivered_mw.sel(offtaker="PK")
    assert np.allclose(sent - losses, delivered_pk, atol=1e-6)


def test_fast_path_equals_runpp(
    as_built: GridParams, profiles_2027: xr.Dataset, seasonal_2027: xr.Dataset
) -> None:
    ds = seasonal_2027
    factor = ds.export_factor.values
    cover = {str(z): ds.loss_cover_mw.sel(zone=z).values for z in ds.zone.values}
    inputs = inputs_from_profiles(as_built, profiles_2027, export_factor=factor)
    schedule = inputs.with_loss_cover(cover).schedule(as_built)
    built = build_net(as_built, schedule, 0)
    rng = np.random.default_rng(1)
    hours = [*rng.choice(ds.sizes["time"], 10, replace=False), 4500]  # 4500: a July hour
    for h in hours:
        # the batch path is commitment-aware and enforces reactive limits: so does the oracle
        set_hour(built, schedule, int(h), honour_commitment=True)
        pp.runpp(built.net, **dict(RUNPP_OPTIONS, enforce_q_lims=True))
        net = built.net
        assert np.abs(net.res_bus.vm_pu.to_numpy() - ds.vm_pu.values[h]).max() <= 1e-6
        p_line = net.res_line.p_from_mw.to_numpy()
        p_trafo = net.res_trafo.p_hv_mw.to_numpy()
        assert np.abs(np.r_[p_line, p_trafo] - ds.p_from_mw.values[h]).max() <= 1e-3
        loading = np.r_[net.res_line.loading_percent, net.res_trafo.loading_percent]
        assert np.abs(loading - ds.loading_percent.values[h]).max() <= 1e-6
        ext = net.res_ext_grid.p_mw.to_numpy()
        assert np.abs(ext - ds.external_mw.values[h]).max() <= 1e-3


def _afghan_overload(profiles: xr.Dataset, hours: list[int]) -> xr.Dataset:
    heavy = profiles.copy(deep=True)
    heavy["contract_mw"].loc[{"time": heavy.time[hours], "offtaker": "AF"}] = 2000.0
    heavy["export_available_total_mw"][hours] = 3000.0
    return heavy


def test_nonconvergent_hour_is_reported_and_isolated(
    as_built: GridParams, profiles_2027: xr.Dataset, seasonal_2027: xr.Dataset
) -> None:
    july = _season(profiles_2027).time.values
    hours = [int(np.flatnonzero(profiles_2027.time.values == july[i])[0]) for i in (1500, 1501)]
    heavy = _afghan_overload(profiles_2027, hours)
    raw = run_seasonal(as_built, heavy, SeasonalConfig(curtail=False))
    assert not raw.converged.values[hours].any()
    assert all("did not converge" in r for r in raw.nonconvergence_reason.values[hours])
    others = np.setdiff1d(np.arange(raw.sizes["time"]), hours)
    assert raw.converged.values[others].all()
    assert np.array_equal(raw.vm_pu.values[others], seasonal_2027.vm_pu.values[others])

    cut = run_seasonal(as_built, heavy)
    assert cut.converged.values[hours].all()
    assert (cut.curtail_reason.values[hours] == CurtailReason.VOLTAGE_COLLAPSE).all()
    assert (cut.curtailed_mw.values[hours] > 0).all()
    assert np.array_equal(cut.vm_pu.values[others], seasonal_2027.vm_pu.values[others])


def test_converter_rating_curtails(as_built: GridParams, profiles_2027: xr.Dataset) -> None:
    from casa1000.grid.overrides import apply_overrides

    small = apply_overrides(as_built, {"hvdc.rating_mw": "600"}, where="test")
    ds = run_seasonal(small, profiles_2027, SeasonalConfig(months=(7,)))
    assert float(ds.hvdc_sent_mw.max()) <= 600.0 + 1e-9
    assert (ds.curtail_reason == CurtailReason.CONVERTER).any()


def test_dry_year_delivers_less(as_built: GridParams, seasonal_2027: xr.Dataset) -> None:
    dry = run_seasonal(as_built, build_profiles(year=2027, hydrology="dry"))
    assert float(dry.delivered_mw.sum()) < float(seasonal_2027.delivered_mw.sum())


def test_netcdf_round_trip_and_provenance(seasonal_2027: xr.Dataset, tmp_path: Path) -> None:
    path = write_netcdf(seasonal_2027, tmp_path / "seasonal.nc")
    back = read_netcdf(path)
    for name in ("vm_pu", "loading_percent", "delivered_mw", "converged", "curtail_reason"):
        assert np.array_equal(back[name].values, seasonal_2027[name].values, equal_nan=True)
    assert list(back.branch.values) == list(seasonal_2027.branch.values)
    for key in ("casa1000_version", "parameter_hash", "profile_hash", "scenario", "variant"):
        assert back.attrs[key]
    assert back.vm_pu.attrs["units"] == "pu"


def test_deterministic_and_inputs_untouched(
    as_built: GridParams, profiles_2027: xr.Dataset
) -> None:
    before = profiles_2027.copy(deep=True)
    a = run_seasonal(as_built, profiles_2027, SeasonalConfig(months=(6,)))
    b = run_seasonal(as_built, profiles_2027, SeasonalConfig(months=(6,)))
    xr.testing.assert_equal(a, b)  # values and coords bit for bit; attrs hold the time
    xr.testing.assert_identical(before, profiles_2027)


def test_monthly_summary_adds_up(seasonal_2027: xr.Dataset) -> None:
    months = monthly_summary(seasonal_2027)
    total = totals(seasonal_2027).iloc[0]
    assert list(months.index) == list(range(1, 13))
    assert total.delivered_pk_gwh == pytest.approx(months.delivered_pk_gwh.sum())
    assert total.hours == seasonal_2027.sizes["time"]
    # the loss share is against the power sent into the HVDC, not the whole export
    hvdc = seasonal_2027.hvdc_line_loss_mw + seasonal_2027.converter_loss_mw.sum("terminal")
    expected = 100 * float(hvdc.sum()) / float(seasonal_2027.hvdc_sent_mw.sum())
    assert total.hvdc_loss_percent == pytest.approx(expected)
    assert 2.0 < total.hvdc_loss_percent < 4.5


def test_cli_seasonal(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["study", "seasonal", "--months", "7", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "seasonal.nc").exists() and (tmp_path / "seasonal_summary.csv").exists()
    bad = runner.invoke(app, ["study", "seasonal", "--months", "13", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "month numbers 1 to 12" in bad.output
