"""Figure structure: trace types, axis titles with units, values that match the results."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
import xarray as xr

from casa1000.dashboards.comparison import comparison_blocks
from casa1000.dashboards.contingency_figures import (
    figure_branch_worst,
    figure_bus_worst,
    figure_drilldown,
    figure_severity,
    ranking_table,
)
from casa1000.dashboards.drilldown import drill_down, worst_cases
from casa1000.dashboards.geography import country_borders
from casa1000.dashboards.network_map import map_states, network_layout, params_for
from casa1000.dashboards.overview import map_figure, season_limits
from casa1000.dashboards.report import build_report
from casa1000.dashboards.results import read_result_sets
from casa1000.dashboards.seasonal_figures import (
    figure_capability_duration,
    figure_capability_map,
    figure_casa_flow,
    figure_monthly_energy,
    figure_unserved,
)
from casa1000.dashboards.supply_figures import figure_afghan_supply, figure_reservoirs
from casa1000.dashboards.theme import plot_text

UNIT = re.compile(r"\[[^\]]+\]")
INJECTION = "<script>alert(1)</script>"  # the scenario name of the conftest's second folder


def _axes(fig: go.Figure) -> list[dict[str, object]]:
    layout = fig.to_dict()["layout"]
    used = set()
    for trace in fig.data:
        for key in ("xaxis", "yaxis"):
            ref = getattr(trace, key, None) or key[0]
            used.add(key[0] + "axis" + ref[1:])
    return [layout.get(name, {}) for name in sorted(used)]


def assert_units_on_every_axis(fig: go.Figure) -> None:
    for axis in _axes(fig):
        title = (axis.get("title") or {}).get("text", "")
        assert UNIT.search(str(title)), f"axis without a unit: {title!r}"


def _finite(values: object) -> np.ndarray:
    return np.asarray(values, dtype=float)


def test_monthly_energy_is_the_seasonal_table(result_folders: Any) -> None:
    ds = result_folders.results["seasonal"]
    fig = figure_monthly_energy(ds)
    assert {t.type for t in fig.data} == {"bar"}
    assert_units_on_every_axis(fig)
    pk = next(t for t in fig.data if t.name == "delivered to Pakistan")
    # oracle: the hourly deliveries of the result summed per month [MWh -> GWh]
    months = ds.time.dt.month.values
    expected = [ds.delivered_mw.sel(offtaker="PK").values[months == m].sum() / 1e3 for m in (6, 7)]
    assert list(pk.x) == ["Jun", "Jul"]
    np.testing.assert_allclose(_finite(pk.y), expected, atol=1e-3)
    for trace in fig.data:
        assert np.isfinite(_finite(trace.y)).all()


def test_day_hour_maps_have_no_hole_where_hours_exist(result_folders: Any) -> None:
    for fig, name in (
        (figure_casa_flow(result_folders.results["seasonal"]), "export_sent_mw"),
        (figure_capability_map(result_folders.results["transfer"]), "transfer_capability_mw"),
    ):
        (heat,) = fig.data
        assert heat.type == "heatmap"
        assert "[MW]" in heat.colorbar.title.text
        assert_units_on_every_axis(fig)
        z = _finite(heat.z)
        assert z.shape == (24, 2)  # two days of hours
        assert np.isfinite(z).all()
        ds = result_folders.results["seasonal" if name == "export_sent_mw" else "transfer"]
        assert z.max() == pytest.approx(float(ds[name].max()), abs=0.05)


def test_duration_curve_is_sorted_and_names_the_limiters(result_folders: Any) -> None:
    tr = result_folders.results["transfer"]
    fig = figure_capability_duration(tr)
    assert_units_on_every_axis(fig)
    curve = fig.data[0]
    y = _finite(curve.y)
    assert (np.diff(y) <= 0).all()
    np.testing.assert_allclose(np.sort(y), np.sort(tr.transfer_capability_mw.values))
    marked = sum(len(t.x) for t in fig.data if str(t.name).startswith("limited by"))
    assert marked == tr.sizes["time"]


def test_unserved_per_zone(result_folders: Any) -> None:
    ds = result_folders.results["seasonal"]
    fig = figure_unserved(ds)
    assert {t.type for t in fig.data} == {"bar"}
    assert_units_on_every_axis(fig)
    total = sum(_finite(t.y).sum() for t in fig.data if str(t.name).startswith("unserved"))
    assert total == pytest.approx(float(ds.unserved_mw.sum()) / 1e3, abs=1e-3)


def test_contingency_figures(result_folders: Any) -> None:
    ds = result_folders.results["contingency"]
    for fig in (figure_branch_worst(ds), figure_bus_worst(ds), figure_severity(ds)):
        assert_units_on_every_axis(fig)
    bars = figure_branch_worst(ds).data[0]
    assert bars.type == "bar" and bars.orientation == "h"
    assert float(np.nanmax(_finite(bars.x))) == pytest.approx(
        float(ds.branch_worst_loading_percent.max()), abs=0.01
    )
    heat = figure_severity(ds).data
    assert [t.type for t in heat] == ["heatmap", "heatmap"]
    # the overlay marks exactly the rows that did not converge
    failed = np.isfinite(_finite(heat[1].z)).sum()
    assert failed == int((~ds.converged.values.astype(bool)).sum())
    table = ranking_table(ds).markup
    assert table.count("<tr>") == ds.sizes["contingency"]  # heading + every contingency but BASE


def test_drill_down_matches_the_study(result_folders: Any) -> None:
    ds = result_folders.results["contingency"]
    drill = drill_down(ds, 4)
    assert drill.cases, drill.note
    order = [str(c) for c in ds.contingency.values]
    times = list(ds.time.values)
    for case in drill.cases:
        t, j = times.index(case.time), order.index(case.contingency)
        base = order.index("BASE")
        # oracle: the envelopes the study stored for this hour and contingency (the drill-down
        # shows the outage alone: where remedial actions restored the case, the stored state
        # is theirs, and the drill-down says so instead)
        if int(ds.remedial_outcome[t, j]) == 1:
            assert case.remedial.startswith("remedial actions:")
        elif case.converged:
            assert np.nanmax(case.loading_after_percent) == pytest.approx(
                float(ds.max_loading_percent[t, j]), abs=1e-6
            )
            assert np.nanmin(case.vm_after_pu) == pytest.approx(float(ds.vm_min_pu[t, j]), abs=1e-8)
        else:
            assert np.isnan(case.vm_after_pu).all()
        assert np.nanmax(case.loading_before_percent) == pytest.approx(
            float(ds.max_loading_percent[t, base]), abs=1e-6
        )
    assert [c.contingency for c in drill.cases] == [order[j] for _, j in worst_cases(ds, 4)]
    fig = figure_drilldown(drill, vmin_pu=0.9, vmax_pu=1.1, limit=100.0)
    assert_units_on_every_axis(fig)
    assert len(fig.data) == 4 * len(drill.cases)
    assert sum(bool(t.visible) for t in fig.data) == 4
    assert len(fig.layout.updatemenus[0].buttons) == len(drill.cases)


def test_drill_down_refuses_profiles_it_cannot_rebuild(result_folders: Any) -> None:
    ds = result_folders.results["contingency"].copy()
    ds.attrs["profile_source"] = "file my_profiles.csv"
    drill = drill_down(ds, 2)
    assert drill.cases == ()
    assert "file my_profiles.csv" in drill.note


def test_map_has_a_frame_per_month_and_the_tie_flow(result_folders: Any) -> None:
    ds = result_folders.results["seasonal"]
    fig = map_figure(ds, "two days")
    assert [f.name for f in fig.frames] == ["whole period", "Jun", "Jul"]
    assert len(fig.layout.sliders[0].steps) == 3
    assert_units_on_every_axis(fig)
    assert {t.type for t in fig.data} == {"scatter"}
    layout = network_layout(
        params_for(ds.attrs), dict(zip(ds.branch.values, ds.branch_parent.values, strict=True))
    )
    states = map_states(ds, layout)
    k = [e.id for e in layout.edges].index("DATKA_SUGHD")
    # oracle: the result's own Datka-Sughd flow, averaged over each period
    assert states[0].flow_mw[k] == pytest.approx(float(ds.datka_sughd_mw.mean()), rel=1e-9)
    july = ds.datka_sughd_mw.sel(time=ds.time.dt.month == 7)
    assert states[2].flow_mw[k] == pytest.approx(float(july.mean()), rel=1e-9)
    hvdc = [i for i, e in enumerate(layout.edges) if e.kind.value == "HVDC"]
    delivered = float(-ds.converter_p_mw.sel(terminal="NOWSHERA").mean())
    assert states[0].flow_mw[hvdc[0]] == pytest.approx(delivered, rel=1e-9)
    arrows = next(t for t in fig.data if t.name == "flow")
    assert np.isfinite(_finite(arrows.marker.color)).all()


def test_borders_cover_the_casa_countries() -> None:
    borders = country_borders()
    names = {n for n, _, _ in borders.labels}
    assert {"Kyrgyzstan", "Tajikistan", "Afghanistan", "Pakistan"} <= names
    lon = np.array([x for x in borders.lon if x is not None])
    lat = np.array([y for y in borders.lat if y is not None])
    # the Afghan-Tajik border (the Panj, about 37-38.5 N) lies in the window
    assert ((lat > 37.0) & (lat < 38.5) & (lon > 67.5) & (lon < 71.5)).any()


def test_season_limits(result_folders: Any) -> None:
    table = season_limits(result_folders.results["transfer"])
    assert list(table.index) == ["summer (Jun-Aug)"]
    assert table.hours.iloc[0] == 48
    assert table.hours_limited.iloc[0] <= 48


def test_every_report_figure_has_units_and_escapes_names(result_folders: Any) -> None:
    sets = read_result_sets([result_folders.reference, result_folders.injected])
    report, _ = build_report(sets, drill_cases=2)
    figures = [b for s in report.sections for b in s.blocks if isinstance(b, go.Figure)]
    assert len(figures) >= 10
    for fig in figures:
        assert_units_on_every_axis(fig)
        text = json.dumps(fig.to_plotly_json(), default=str)
        assert INJECTION not in text
    comparison = [b for b in comparison_blocks(sets) if isinstance(b, go.Figure)]
    legend = [t.name for fig in comparison for t in fig.data]
    assert any(plot_text(INJECTION) in str(name) for name in legend)


def test_element_names_are_escaped_in_figures(result_folders: Any) -> None:
    ds: xr.Dataset = result_folders.results["contingency"]
    evil = "<img src=x onerror=alert(1)>"
    names = [evil if b == "DATKA_SUGHD" else str(b) for b in ds.branch.values]
    relabelled = ds.assign_coords(branch=names)
    fig = figure_branch_worst(relabelled)
    text = json.dumps(fig.to_plotly_json(), default=str)
    assert evil not in text
    assert plot_text(evil) in text


def test_reservoirs_and_afghan_supply(result_folders: Any) -> None:
    ds = result_folders.results["seasonal"]
    reservoirs = figure_reservoirs(ds)
    assert reservoirs is not None
    assert_units_on_every_axis(reservoirs)
    for name in ds.reservoir.values:
        line = next(t for t in reservoirs.data if t.name == name and t.type == "scatter")
        np.testing.assert_allclose(
            _finite(line.y), ds.reservoir_volume_bcm.sel(reservoir=name).values, atol=1e-3
        )
    supply = figure_afghan_supply(ds)
    assert supply is not None
    assert_units_on_every_axis(supply)
    total = sum(_finite(t.y).sum() for t in supply.data if t.name != "unserved")
    assert total == pytest.approx(float(ds.af_supply_mw.sum()) / 1e3, abs=1e-2)
    bare = ds.drop_vars([v for v in ds.data_vars if str(v).startswith(("reservoir_", "af_"))])
    assert figure_reservoirs(bare.drop_vars("reservoir")) is None
    assert figure_afghan_supply(bare) is None
