"""Monthly summary used by ``casa1000 profiles show``."""

from __future__ import annotations

import pytest
import xarray as xr

from casa1000.profiles import format_summary, monthly_summary, summary_rows


def test_monthly_summary_adds_up(normal_2027: xr.Dataset) -> None:
    table = monthly_summary(normal_2027)
    assert list(table.index) == [f"2027-{m:02d}" for m in range(1, 13)] + ["year"]
    months = table.drop(index="year")
    assert table.loc["year", "demand_gwh:KG"] == pytest.approx(
        float(normal_2027["demand_mw"].sel(zone="KG").sum()) / 1e3, rel=1e-12
    )
    assert months["demand_gwh:KG"].sum() == pytest.approx(table.loc["year", "demand_gwh:KG"])
    assert table.loc["2027-12", "peak_demand_mw:KG"] == table.loc["year", "peak_demand_mw:KG"]
    assert table.loc["2027-07", "contract_gwh"] == pytest.approx(1300 * 744 / 1e3)
    assert (months.loc["2027-01":"2027-04", "export_available_total_gwh"] == 0.0).all()
    total = months["export_available_total_gwh"].sum()
    assert total == pytest.approx(float(normal_2027["export_available_total_mw"].sum()) / 1e3)
    assert (table.filter(like="available_gwh:KG") >= 0).all().all()


def test_summary_rows_and_text(normal_2027: xr.Dataset) -> None:
    header, rows = summary_rows(normal_2027)
    assert header[0] == "month" and "export_available_total_gwh" in header
    assert len(rows) == 13 and all(len(row) == len(header) for row in rows)
    assert rows[-1][0] == "year" and rows[-1][1] == "18,500"
    text = format_summary(normal_2027)
    assert "hydrology=normal" in text and "2027-12" in text
