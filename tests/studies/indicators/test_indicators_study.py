"""The registered indicators study on a real result set: schema, files, determinism, absences."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from casa1000.errors import InputError
from casa1000.studies.indicators import tables
from casa1000.studies.indicators.comparison import compare, comparison_table, write_comparison
from casa1000.studies.indicators.study import SPEC, IndicatorsConfig
from casa1000.studies.registry import STUDIES, run_study
from casa1000.studies.spine.runner import execute, read_result, write_result
from casa1000.studies.spine.scenario import StudyInputs

FAST = IndicatorsConfig(mc_years=30, mc_seed=4)


@pytest.fixture(scope="module")
def indicators(real_inputs: StudyInputs) -> xr.Dataset:
    return execute(SPEC, real_inputs, FAST).dataset


def test_registered_and_validated(indicators: xr.Dataset) -> None:
    assert STUDIES["indicators"] is SPEC and SPEC.needs == ("seasonal",)
    SPEC.schema.validate(indicators)
    assert indicators.attrs["mc_years"] == 30 and "absent_contingency" not in indicators.attrs
    # the profiles' Afghan balance and reservoirs are used when they are there
    assert "afghan_unserved_gwh" in indicators and "reservoir_min_volume_bcm" in indicators
    with_casa, without = indicators.afghan_unserved_gwh.sel(
        afghan_case=["with_casa", "without_casa"]
    ).values
    assert with_casa <= without
    assert json.loads(str(indicators.attrs["config"]))["mc_seed"] == 4


def test_figures_agree_with_the_results_they_come_from(
    indicators: xr.Dataset, real_inputs: StudyInputs
) -> None:
    s = real_inputs.results["seasonal"]
    c = real_inputs.results["contingency"]
    t = real_inputs.results["transfer"]
    delivered = s.delivered_mw.fillna(0.0).sum("time") / 1000
    assert indicators.delivered_gwh.sum("month").values == pytest.approx(delivered.values)
    assert float(indicators.unserved_gwh.sum()) == pytest.approx(float(s.unserved_mw.sum()) / 1000)
    secure = c.secure.sel(contingency=c.contingency != "BASE").all("contingency")
    assert float(indicators.n1_secure_hours_percent) == pytest.approx(100 * float(secure.mean()))
    within = np.minimum(s.export_sent_mw, t.transfer_capability_mw).sum() / 1000
    assert float(indicators.secure_deliverable_gwh.sum()) == pytest.approx(float(within))
    # with the export interruptible home demand can only be better off than in the dispatch,
    # and forced outages only add to that shortfall
    home = indicators.home_unserved_gwh.sum("month")
    assert np.all(home.values <= indicators.unserved_gwh.sum("month").values + 1e-9)
    assert np.all(indicators.mc_eens_mwh.values >= 1000 * home.values - 1e-6)


def test_round_trip_through_the_files(real_inputs: StudyInputs, tmp_path: Path) -> None:
    result = execute(SPEC, real_inputs, FAST)
    written = write_result(SPEC, result, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SPEC.files)
    back = read_result(SPEC, tmp_path).dataset
    for name, var in result.dataset.data_vars.items():
        if var.dtype.kind == "f":
            np.testing.assert_allclose(back[name].values, var.values, equal_nan=True)
        else:
            assert np.array_equal(back[name].values, var.values), name
    assert back.time.values.tolist() == result.dataset.time.values.tolist()
    figures = written.tables["key_figures"].read_text()
    assert "n1_secure_hours_percent" in figures and "mc_lole_kg_h" in figures


def test_same_seed_same_dataset(real_inputs: StudyInputs, indicators: xr.Dataset) -> None:
    again = execute(SPEC, real_inputs, FAST).dataset
    assert again.identical(indicators)  # seeds of the Monte Carlo: see test_indicators_adequacy


def test_without_contingency_and_transfer_those_indicators_are_absent(
    real_inputs: StudyInputs,
) -> None:
    only = dataclasses.replace(real_inputs, results={"seasonal": real_inputs.results["seasonal"]})
    ds = execute(SPEC, only, FAST).dataset
    SPEC.schema.validate(ds)
    assert "n1_secure" not in ds and "secure_capability_mw" not in ds
    assert "contingency" not in ds.dims
    assert "no contingency result" in str(ds.attrs["absent_contingency"])
    figures = tables.key_figures(ds).set_index("indicator")
    assert math.isnan(figures.loc["n1_secure_hours_percent", "value"])
    assert "needs the contingency study" in figures.loc["n1_secure_hours_percent", "note"]
    assert len(tables.headline(ds)) == 10
    assert tables.contingencies(ds).empty
    with pytest.raises(InputError, match="seasonal"):
        execute(SPEC, dataclasses.replace(real_inputs, results={}), FAST)


def test_winter_only_no_export_gives_nan_not_errors(real_inputs: StudyInputs) -> None:
    january = real_inputs.profiles.time.dt.month == 1
    results = {
        name: ds.sel(time=ds.time[ds.time.dt.month == 1])
        for name, ds in real_inputs.results.items()
    }
    inputs = dataclasses.replace(
        real_inputs, profiles=real_inputs.profiles.sel(time=january), results=results
    )
    ds = execute(SPEC, inputs, FAST).dataset
    assert float(ds.sent_gwh.sum()) == 0.0
    assert np.isnan(ds.contract_fulfilment_percent.values).all()
    assert np.isnan(float(ds.n1_secure_export_percent))
    assert np.isnan(float(ds.casa_supplier_hhi)) and float(ds.revenue_musd.sum()) == 0.0
    assert all(line for line in tables.headline(ds))


def test_summary_gives_ten_numbers_and_the_tables(indicators: xr.Dataset) -> None:
    summary = SPEC.summary(indicators, 5)
    assert len(summary.headline) == 10
    assert [line.split(".")[0] for line in summary.headline] == [str(i) for i in range(1, 11)]
    assert len(summary.tables["contingencies"]) == 5
    frames = SPEC.tables(indicators)
    assert list(frames) == list(SPEC.table_names)


def test_comparison_lines_up_sets_with_differences(
    indicators: xr.Dataset, real_inputs: StudyInputs, tmp_path: Path
) -> None:
    cheaper = dataclasses.replace(FAST, marginal_emission_factor_t_per_mwh=0.4)
    other = execute(SPEC, real_inputs, cheaper).dataset
    cmp = compare({"base": indicators, "rlng": other})
    co2 = cmp.sel(indicator="avoided_co2_kt")
    delivered_pk = float(indicators.delivered_gwh.sel(offtaker="PK").sum())
    assert float(co2.difference.sel(scenario="rlng")) == pytest.approx(-0.18 * delivered_pk)
    assert float(co2.difference.sel(scenario="base")) == 0.0
    table = comparison_table(cmp)
    assert list(table.columns) == ["unit", "label", "base", "rlng", "rlng - base"]
    files = write_comparison(cmp, tmp_path)
    assert [p.name for p in files] == ["comparison.nc", "comparison.csv"]
    with pytest.raises(InputError):
        compare({})


def test_run_study_needs_the_seasonal_result() -> None:
    with pytest.raises(InputError, match="seasonal"):
        run_study("indicators", config=FAST)


def test_config_refuses_bad_values() -> None:
    with pytest.raises(InputError, match="years"):
        IndicatorsConfig(mc_years=0)
    with pytest.raises(InputError, match="emission"):
        IndicatorsConfig(marginal_emission_factor_t_per_mwh=5.0)
