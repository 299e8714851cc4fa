"""Summary tables of a contingency study: per contingency, ranking, worst case per element.

Pure functions of the dataset written by
:func:`casa1000.studies.contingency.run_contingency`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from casa1000.studies.spine.schema import decode_lookup
from casa1000.studies.spine.study import StudySummary


def _hours_with(cond: xr.DataArray) -> npt.NDArray[np.int64]:
    """Hours in which ``cond`` holds, per contingency."""
    return np.asarray(cond.sum("time").values, dtype=np.int64)


def _labels(
    ds: xr.Dataset, name: str, hour: npt.NDArray[np.intp], c: npt.NDArray[np.intp]
) -> npt.NDArray[np.str_]:
    """Decode the element codes of ``ds[name]`` at (``hour[i]``, ``c[i]``) into IDs."""
    var = ds[name]
    picked = xr.DataArray(var.values[hour, c], dims="row", attrs=var.attrs)
    return np.asarray(decode_lookup(picked, ds).values)


def contingency_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per contingency: outcome counts and worst values over the hours.

    Parameters
    ----------
    ds
        A result of :func:`run_contingency`.

    Returns
    -------
    pandas.DataFrame
        Indexed by contingency ID; hours are counts of hours, powers [MW],
        loadings [%], voltages [pu].
    """
    loading = ds.max_loading_percent
    load_fill = loading.fillna(-np.inf)
    t_arg = load_fill.argmax("time").values
    vmin = ds.vm_min_pu.fillna(np.inf)
    v_arg = vmin.argmin("time").values
    c = np.arange(ds.sizes["contingency"])
    table = pd.DataFrame(
        {
            "kind": ds.contingency_kind.values,
            "description": ds.contingency_description.values,
            "hours": ds.sizes["time"],
            "ac_solved_hours": _hours_with(ds.ac_solved),
            "nonconverged_hours": _hours_with(~ds.converged),
            "thermal_violation_hours": _hours_with(ds.thermal_violations > 0),
            "voltage_violation_hours": _hours_with(
                (ds.undervoltage_violations + ds.overvoltage_violations) > 0
            ),
            "island_hours": _hours_with(ds.unserved_mw > 1e-9),
            "insecure_hours": _hours_with(~ds.secure),
            "nonconverged_before_remedial_hours": _hours_with(ds.status_before_remedial != 0),
            "remedial_restored_hours": _hours_with(ds.remedial_outcome == 1),
            "remedial_not_restored_hours": _hours_with(ds.remedial_outcome == 2),
            "max_afghan_runback_mw": ds.afghan_runback_mw.max("time").values,
            "max_load_shed_mw": ds.load_shed_mw.max("time").values,
            "load_shed_mwh": ds.load_shed_mw.sum("time").values,
            "max_unserved_mw": ds.unserved_mw.max("time").values,
            "max_export_lost_mw": ds.export_lost_mw.max("time").values,
            "worst_loading_percent": loading.max("time").values,
            "worst_loading_branch": _labels(ds, "max_loading_branch", t_arg, c),
            # a contingency that never converges has no worst hour
            "worst_loading_time": np.where(
                loading.notnull().any("time").values,
                ds.time.values[t_arg],
                np.datetime64("NaT"),
            ),
            "vm_min_pu": ds.vm_min_pu.min("time").values,
            "vm_min_bus": _labels(ds, "vm_min_bus", v_arg, c),
            "vm_max_pu": ds.vm_max_pu.max("time").values,
            "max_performance_index": ds.performance_index.max("time").values,
            "mean_performance_index": ds.performance_index.mean("time").values,
            "kg_share_lost": ds.kg_share_lost.values,
        },
        index=pd.Index(ds.contingency.values, name="contingency"),
    )
    return table


def ranking(ds: xr.Dataset) -> pd.DataFrame:
    """Contingencies from most to least severe.

    Ordered by hours without convergence, then hours with any violation or lost
    load, then the worst performance index (all descending); ``rank`` starts at 1.
    """
    table = contingency_table(ds)
    table = table.drop(index=[i for i in table.index if i == "BASE"])
    table = table.sort_values(
        ["nonconverged_hours", "insecure_hours", "max_performance_index"],
        ascending=False,
        kind="stable",
    )
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def worst_per_element(ds: xr.Dataset) -> pd.DataFrame:
    """Find the worst case of every branch and bus, with the hour and contingency causing it.

    Returns
    -------
    pandas.DataFrame
        Rows ``(element_type, element, quantity)``: ``loading_percent`` of each
        branch, ``vm_min_pu`` and ``vm_max_pu`` of each bus, with ``value``,
        ``limit``, ``violated``, ``time`` and ``contingency``.
    """
    lim = (ds.attrs["thermal_limit_percent"], ds.attrs["vmin_pu"], ds.attrs["vmax_pu"])
    parts = [
        pd.DataFrame(
            {
                "element_type": "branch",
                "element": ds.branch.values,
                "quantity": "loading_percent",
                "value": ds.branch_worst_loading_percent.values,
                "limit": lim[0],
                "violated": ds.branch_worst_loading_percent.values > lim[0],
                "time": ds.branch_worst_time.values,
                "contingency": ds.branch_worst_contingency.values,
            }
        ),
        pd.DataFrame(
            {
                "element_type": "bus",
                "element": ds.bus.values,
                "quantity": "vm_min_pu",
                "value": ds.bus_worst_vm_min_pu.values,
                "limit": lim[1],
                "violated": ds.bus_worst_vm_min_pu.values < lim[1],
                "time": ds.bus_worst_vm_min_time.values,
                "contingency": ds.bus_worst_vm_min_contingency.values,
            }
        ),
        pd.DataFrame(
            {
                "element_type": "bus",
                "element": ds.bus.values,
                "quantity": "vm_max_pu",
                "value": ds.bus_worst_vm_max_pu.values,
                "limit": lim[2],
                "violated": ds.bus_worst_vm_max_pu.values > lim[2],
                "time": ds.bus_worst_vm_max_time.values,
                "contingency": ds.bus_worst_vm_max_contingency.values,
            }
        ),
    ]
    return pd.concat(parts, ignore_index=True)


def tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Return the tables of a contingency result: per contingency and worst case per element."""
    return {"table": contingency_table(ds), "worst_elements": worst_per_element(ds)}


RANKING_COLUMNS = (
    "rank",
    "nonconverged_hours",
    "insecure_hours",
    "thermal_violation_hours",
    "voltage_violation_hours",
    "max_unserved_mw",
    "remedial_restored_hours",
    "max_afghan_runback_mw",
    "max_load_shed_mw",
    "worst_loading_percent",
    "worst_loading_branch",
    "vm_min_pu",
    "vm_min_bus",
    "max_performance_index",
)
"""Columns of the ranking shown on screen (every column goes to the CSV)."""


def _pv_margin_lines(ds: xr.Dataset) -> list[str]:
    """One line per corridor case: the PV margin's spread and the hours past the nose."""
    lines = []
    for suffix, case in (("", "both circuits in"), ("_n1", "first circuit out")):
        name = f"corridor_margin{suffix}_mw"
        if name not in ds or not bool(ds[name].notnull().any()):
            continue
        m = ds[name].values[np.isfinite(ds[name].values)]
        lines.append(
            f"corridor PV margin, {case} (MW of offtake to the nose, {m.size} export hours): "
            f"min {m.min():.0f}, median {np.median(m):.0f}; past the nose in "
            f"{int((m < 0).sum())} h"
        )
    return lines


def summary(ds: xr.Dataset, top: int = 15) -> StudySummary:
    """Return the case counts and the ``top`` most severe contingencies of a result."""
    a = ds.attrs
    secure = ds.secure.sel(contingency=ds.contingency != "BASE").all("contingency")
    headline = (
        f"{a['cases_total']} cases ({ds.sizes['time']} h x {ds.sizes['contingency']} "
        f"contingencies): {a['cases_ac_solved']} AC-solved, {a['cases_identical_copied']} "
        f"identical to an AC-solved case, {a['cases_symmetric_twin']} parallel-circuit twins, "
        f"{a['cases_screened_linear']} screened linearly",
        f"hours N-1 secure (every contingency converged, within limits, no load lost): "
        f"{int(secure.sum())} of {ds.sizes['time']}",
        f"remedial actions ({a.get('remedial_actions', 'none')}): "
        f"{a.get('cases_remedial_restored', 0)} cases restored, "
        f"{a.get('cases_remedial_not_restored', 0)} not restored; "
        f"Afghan import run back {float(ds.afghan_runback_mw.max()):.0f} MW at most, "
        f"load shed {float(ds.load_shed_mw.max()):.0f} MW at most",
        *_pv_margin_lines(ds),
    )
    ranked = ranking(ds).head(top)
    return StudySummary(headline=headline, tables={"ranking": ranked[list(RANKING_COLUMNS)]})
