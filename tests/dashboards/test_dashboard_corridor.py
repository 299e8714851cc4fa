"""Figures of the Afghan corridor: PV margin hour by hour, remedial actions per contingency."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import xarray as xr

from casa1000.dashboards.contingency_figures import figure_drilldown, ranking_table
from casa1000.dashboards.corridor_figures import (
    figure_corridor_margin,
    figure_remedial_actions,
    remedial_by_contingency,
)
from casa1000.dashboards.drilldown import DrillCase, DrillDown, remedial_note
from casa1000.dashboards.report import Report, build_report
from casa1000.dashboards.results import read_result_sets

UNIT = re.compile(r"\[[^\]]+\]")


def assert_units_on_every_axis(fig: go.Figure) -> None:
    layout = fig.to_dict()["layout"]
    for key in ("xaxis", "yaxis"):
        title = (layout.get(key, {}).get("title") or {}).get("text", "")
        assert UNIT.search(str(title)), f"axis without a unit: {title!r}"


def _titles(report: Report) -> list[str]:
    figures = [b for s in report.sections for b in s.blocks if isinstance(b, go.Figure)]
    return [str(f.layout.title.text) for f in figures]


def _made_up() -> xr.Dataset:
    """Three hours, the base case and two outages: the corridor line needs a runback in two
    hours (30 and 60 MW) and shedding in one (25 MW); the unit outage is not restored once."""
    runback = np.zeros((3, 3))
    runback[1:, 1] = [30.0, 60.0]
    shed = np.zeros((3, 3))
    shed[2, 1] = 25.0
    outcome = np.zeros((3, 3), dtype=np.int8)
    outcome[1:, 1] = 1
    outcome[0, 2] = 2
    dims = ("time", "contingency")
    return xr.Dataset(
        {
            "afghan_runback_mw": (dims, runback),
            "load_shed_mw": (dims, shed),
            "remedial_outcome": (dims, outcome),
        },
        coords={
            "time": pd.date_range("2027-07-01", periods=3, freq="h"),
            "contingency": ["BASE", "LINE:CORRIDOR/1", "UNIT:NUREK"],
        },
    )


def test_remedial_energy_per_contingency_by_hand() -> None:
    frame = remedial_by_contingency(_made_up())
    assert frame.index.tolist() == ["LINE:CORRIDOR/1", "UNIT:NUREK"]  # BASE left out
    assert frame.loc["LINE:CORRIDOR/1"].tolist() == [90.0, 25.0, 2, 0]
    assert frame.loc["UNIT:NUREK"].tolist() == [0.0, 0.0, 0, 1]
    fig = figure_remedial_actions(_made_up())
    assert fig is not None
    assert {t.type for t in fig.data} == {"bar"} and fig.layout.barmode == "stack"
    assert_units_on_every_axis(fig)
    runback = next(t for t in fig.data if t.name == "Afghan import run back")
    shed = next(t for t in fig.data if t.name == "load shed")
    # largest on top: plotly draws the last category of a horizontal bar chart at the top
    assert list(runback.y) == ["UNIT:NUREK", "LINE:CORRIDOR/1"]
    assert list(runback.x) == [0.0, 90.0] and list(shed.x) == [0.0, 25.0]
    assert list(runback.customdata[-1]) == [2, 0]


def test_no_action_anywhere_gives_an_empty_ranking_with_a_note() -> None:
    calm = _made_up()
    calm = calm.assign(
        afghan_runback_mw=calm.afghan_runback_mw * 0,
        load_shed_mw=calm.load_shed_mw * 0,
        remedial_outcome=calm.remedial_outcome * 0,
    )
    fig = figure_remedial_actions(calm)
    assert fig is not None and all(len(t.x) == 0 for t in fig.data)
    assert "no remedial action" in fig.layout.annotations[0].text


def test_remedial_actions_of_the_study(result_folders: Any) -> None:
    ds = result_folders.results["contingency"]
    fig = figure_remedial_actions(ds)
    assert fig is not None
    assert_units_on_every_axis(fig)
    frame = remedial_by_contingency(ds)
    total = float(ds.afghan_runback_mw.sum())
    assert frame.runback_mwh.sum() == pytest.approx(total)  # oracle: the hourly MW summed
    runback = next(t for t in fig.data if t.name == "Afghan import run back")
    assert np.isfinite(np.asarray(runback.x, dtype=float)).all()
    top = frame.index[0]
    assert list(runback.y)[-1] == top
    assert runback.x[-1] == pytest.approx(frame.runback_mwh.iloc[0], abs=0.05)


def test_corridor_margin_hour_by_hour(result_folders: Any) -> None:
    ds = result_folders.results["contingency"]
    fig = figure_corridor_margin(ds)
    assert fig is not None
    assert {t.type for t in fig.data} == {"scatter"} and len(fig.data) == 2
    assert_units_on_every_axis(fig)
    assert "[MW]" in fig.layout.yaxis.title.text
    zero = [s for s in fig.layout.shapes if s.y0 == 0 and s.y1 == 0]
    assert zero, "no zero line"
    for trace, name in zip(fig.data, ("corridor_margin_mw", "corridor_margin_n1_mw"), strict=True):
        expected = ds[name].values
        y = np.asarray(trace.y, dtype=float)
        assert np.array_equal(np.isnan(y), np.isnan(expected))  # a gap only where no margin
        np.testing.assert_allclose(y, expected, atol=0.05, equal_nan=True)
    past = int((ds.corridor_margin_n1_mw < 0).sum())
    assert f"{past} of {ds.sizes['time']} hours" in fig.layout.title.text


def test_older_results_leave_the_figures_out(result_folders: Any) -> None:
    ds = result_folders.results["contingency"]
    assert figure_corridor_margin(ds.drop_vars(["corridor_margin_n1_mw"])) is None
    assert figure_remedial_actions(ds.drop_vars(["load_shed_mw"])) is None
    # a result run without the PV margin (its variables are optional): the report has no
    # margin figure and does not fail
    (main,) = read_result_sets([result_folders.reference])
    without = ds.drop_vars(["corridor_margin_mw", "corridor_margin_n1_mw", "corridor_nose_mw"])
    without = without.drop_vars(["corridor_nose_n1_mw"])
    changed = dataclasses.replace(main, results={**main.results, "contingency": without})
    titles = _titles(build_report([changed], drill_cases=0)[0])
    assert not any("PV margin" in t for t in titles)
    assert any("Remedial actions" in t for t in titles)
    assert any("PV margin" in t for t in _titles(build_report([main], drill_cases=0)[0]))


def test_remedial_outcome_in_the_ranking_and_the_drill_down(result_folders: Any) -> None:
    ds = result_folders.results["contingency"]
    markup = ranking_table(ds).markup
    assert "remedial_not_restored_hours" in markup and "load_shed_mwh" in markup
    restored = np.argwhere(ds.remedial_outcome.values == 1)
    assert len(restored), "the two days have restored cases (corridor circuit out)"
    t, j = (int(v) for v in restored[0])
    note = remedial_note(ds, t, j)
    runback = float(ds.afghan_runback_mw[t, j])
    assert note.startswith("remedial actions:") and f"{runback:,.0f} MW Afghan" in note
    nothing = np.argwhere(ds.remedial_outcome.values == 0)[0]
    assert remedial_note(ds, int(nothing[0]), int(nothing[1])) == ""
    blank = np.full(2, np.nan)
    case = DrillCase(
        time=np.datetime64(ds.time.values[t]),
        contingency=str(ds.contingency.values[j]),
        description="",
        converged=False,
        bus=("A", "B"),
        vm_before_pu=np.ones(2),
        vm_after_pu=blank,
        branch=("L1", "L2"),
        loading_before_percent=np.ones(2),
        loading_after_percent=blank,
        remedial=note,
    )
    fig = figure_drilldown(DrillDown(cases=(case,), note=""), vmin_pu=0.9, vmax_pu=1.1, limit=100)
    assert note in fig.layout.updatemenus[0].buttons[0].label
