"""Tables of a transfer-capability result: hours ranked, limiters, summary.

Pure functions of the dataset written by
:func:`casa1000.studies.transfer_capability.run_transfer`.
"""

from __future__ import annotations

import pandas as pd
import xarray as xr

from casa1000.studies.spine.study import StudySummary
from casa1000.studies.transfer_rules import Limiter


def transfer_table(ds: xr.Dataset) -> pd.DataFrame:
    """Hours ranked most restrictive first.

    Returns
    -------
    pandas.DataFrame
        One row per hour: capability [MW], limiting contingency, element and
        limiter, tier, export available [MW]; sorted by capability ascending.
    """
    names = {int(k): k.name.lower() for k in Limiter}
    table = pd.DataFrame(
        {
            "transfer_capability_mw": ds.transfer_capability_mw.values,
            "limiting_contingency": ds.limiting_contingency.values,
            "limiting_element": ds.limiting_element.values,
            "limiter": [names[int(k)] for k in ds.limiter.values],
            "tier": ds.tier.values,
            "linear_estimate_mw": ds.linear_estimate_mw.values,
            "export_available_mw": ds.export_available_mw.values,
        },
        index=pd.Index(ds.time.values, name="time"),
    )
    return table.sort_values("transfer_capability_mw", kind="stable")


def limiter_summary(ds: xr.Dataset) -> pd.DataFrame:
    """Hours limited by each (contingency, element, limiter), most frequent first."""
    table = transfer_table(ds)
    grouped = table.groupby(["limiting_contingency", "limiting_element", "limiter"])
    out = grouped["transfer_capability_mw"].agg(["count", "min", "mean"])
    out.columns = ["hours", "min_capability_mw", "mean_capability_mw"]
    return out.sort_values("hours", ascending=False)


def tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Return the tables of a transfer result: hours ranked and limiters."""
    return {"table": transfer_table(ds), "limiters": limiter_summary(ds)}


def summary(ds: xr.Dataset, top: int = 15) -> StudySummary:
    """Return the capability statistics, the ``top`` most restrictive hours and the limiters."""
    a = ds.attrs
    cap = ds.transfer_capability_mw
    headline: tuple[str, ...] = (
        f"secure transfer capability over {ds.sizes['time']} h ({a['direction']}): min "
        f"{float(cap.min()):.0f}, mean {float(cap.mean()):.0f}, max {float(cap.max()):.0f} MW "
        f"(ceiling {a['ceiling_mw']:.0f} MW)",
        f"tiers: {a['hours_tier1_verified']} h linear estimate AC-verified, "
        f"{a['hours_tier3_refined']} h refined by AC bisection; AC cases: "
        f"{a['ac_cases_zero_export']} at zero export, {a['ac_cases_ceiling']} at the ceiling, "
        f"{a['ac_cases_search']} in the search, {a['ac_cases_verification']} "
        f"in the final N-1 verification",
    )
    unsettled = int(a.get("hours_unsettled", 0))
    if unsettled:
        headline += (
            f"{unsettled} h unsettled: their AC verdicts changed between solves (reactive-limit "
            "states reached by another path); they keep the last search's capability",
        )
    return StudySummary(
        headline=headline,
        tables={
            "most restrictive hours": transfer_table(ds).head(top),
            "limiters": limiter_summary(ds).head(top),
        },
    )
