"""Tables of a seasonal study: monthly energy, losses, utilisation, violations, and totals.

Pure functions of the dataset written by :func:`casa1000.studies.seasonal.run_seasonal`.
Energies are in GWh, utilisations and loss shares in %, hours are counts.  The
HVDC loss share is against the power sent into the HVDC (the Afghan offtake of
the as-built design never enters it); AC losses are those of the CAPS area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from casa1000.errors import StudyError
from casa1000.studies.spine.study import StudySummary

MWH_PER_GWH = 1000.0
TABLES = ("summary", "totals")
"""Tables of the seasonal study, written as ``seasonal_<name>.csv``."""
ENERGY = (
    "delivered_pk_gwh",
    "delivered_af_gwh",
    "sent_gwh",
    "curtailed_gwh",
    "hvdc_sent_gwh",
    "hvdc_loss_gwh",
    "caps_ac_loss_gwh",
)
HOURS = ("violation_h", "not_converged_h", "curtailed_h")


def _tie(ds: xr.Dataset) -> xr.DataArray:
    """Branches of the supplier ties (Datka-Sughd) named in the result's attributes."""
    tie: xr.DataArray = ds.branch_parent.isin(str(ds.attrs["supplier_ties"]).split())
    return tie


def _hourly(ds: xr.Dataset) -> pd.DataFrame:
    tie = _tie(ds)
    if not bool(tie.any()):
        raise StudyError("the result has no supplier tie line; its utilisation cannot be reported")
    hvdc_loss = ds.hvdc_line_loss_mw + ds.converter_loss_mw.sum("terminal")
    caps = ds.ac_losses_mw.sel(area=str(ds.attrs["supplier_area"]))
    return pd.DataFrame(
        {
            "delivered_pk_gwh": ds.delivered_mw.sel(offtaker="PK").fillna(0.0).values,
            "delivered_af_gwh": ds.delivered_mw.sel(offtaker="AF").fillna(0.0).values,
            "sent_gwh": ds.export_sent_mw.values,
            "curtailed_gwh": ds.curtailed_mw.values,
            "hvdc_sent_gwh": ds.hvdc_sent_mw.values,
            "hvdc_loss_gwh": hvdc_loss.values,
            "caps_ac_loss_gwh": caps.fillna(0.0).values,
            "datka_sughd_abs_mw": np.abs(ds.datka_sughd_mw.values),
            "violation_h": ((ds.voltage_violations + ds.thermal_violations) > 0).values,
            "not_converged_h": (~ds.converged.astype(bool)).values,
            "curtailed_h": (ds.curtail_reason > 0).values,
        },
        index=pd.Index(ds.time.dt.month.values, name="month"),
    )


def _ratios(frame: pd.DataFrame, energy: pd.DataFrame, ds: xr.Dataset) -> pd.DataFrame:
    """Loss share and utilisations of energy sums (rows) and their hourly frame."""
    tie = _tie(ds)
    rating_tie = float(ds.branch_rating_mva.where(tie).sum())
    hvdc_rating = float(ds.attrs.get("hvdc_rating_mw", np.nan))
    out = pd.DataFrame(index=energy.index)
    sent = energy.hvdc_sent_gwh.where(energy.hvdc_sent_gwh > 0)
    out["hvdc_loss_percent"] = 100 * energy.hvdc_loss_gwh / sent
    out["datka_sughd_util_percent"] = 100 * frame.datka_sughd_abs_mw / rating_tie
    out["hvdc_util_percent"] = 100 * frame.hvdc_sent_gwh / hvdc_rating
    return out


def monthly_summary(ds: xr.Dataset) -> pd.DataFrame:
    """Monthly figures of a seasonal study (one row per month studied).

    Parameters
    ----------
    ds
        Result of :func:`casa1000.studies.seasonal.run_seasonal` (hourly steps).

    Returns
    -------
    pandas.DataFrame
        Indexed by month (1-12): delivered energy to PK and AF, export sent and
        curtailed, power sent into the HVDC, HVDC losses and CAPS AC losses
        [GWh]; HVDC loss share of the power sent into the HVDC [%]; mean
        utilisation of Datka-Sughd and of the HVDC [%]; hours with voltage or
        thermal violations, hours that did not converge, curtailed hours.
    """
    hourly = _hourly(ds)
    grouped = hourly.groupby(level=0)
    energy = grouped[list(ENERGY)].sum() / MWH_PER_GWH
    means = grouped[["datka_sughd_abs_mw", "hvdc_sent_gwh"]].mean()
    out = energy.join(_ratios(means, energy, ds))
    for col in HOURS:
        out[col] = grouped[col].sum().astype(int)
    return out


def totals(ds: xr.Dataset) -> pd.DataFrame:
    """Totals over all hours studied (one row): the same columns as :func:`monthly_summary`.

    Utilisations are means over every hour studied; the loss share is total HVDC
    losses over the total power sent into the HVDC.
    """
    hourly = _hourly(ds)
    energy = hourly[list(ENERGY)].sum().to_frame().T / MWH_PER_GWH
    means = hourly[["datka_sughd_abs_mw", "hvdc_sent_gwh"]].mean().to_frame().T
    out = energy.join(_ratios(means, energy, ds))
    for col in HOURS:
        out[col] = int(hourly[col].sum())
    out.insert(0, "hours", len(hourly))
    return out.reset_index(drop=True)


PRECISION = {"_gwh": 3, "_percent": 2}
"""Decimals written per column suffix: energy to the MWh, shares to 0.01 %."""


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        for suffix, decimals in PRECISION.items():
            if str(col).endswith(suffix):
                out[col] = out[col].round(decimals)
    return out


def tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Return the tables of a seasonal result: monthly summary and totals, rounded."""
    return {"summary": _rounded(monthly_summary(ds)), "totals": _rounded(totals(ds))}


def _corridor_lines(ds: xr.Dataset) -> list[str]:
    """Count the hours an AC offtaker's bus is below its band, and the runback needed."""
    if "corridor_undervoltage" not in ds:
        return []
    low = ds.corridor_undervoltage.values
    need = ds.corridor_runback_needed_mw.values
    return [
        f"hours with an Afghan (AC offtaker) bus below its band: {int(low.sum())}; "
        f"runback needed {float(need.max(initial=0.0)):.0f} MW at most, "
        f"{float(need.sum()) / 1000:.1f} GWh"
    ]


def summary(ds: xr.Dataset, top: int = 12) -> StudySummary:
    """Return the headline figures and the monthly table of a seasonal result.

    Parameters
    ----------
    ds
        A seasonal result.
    top
        Unused (every month is shown).
    """
    t = totals(ds).iloc[0]
    a = ds.attrs
    headline = (
        f"{int(t.hours)} hours, {a.get('variant', '')}, {a.get('profile_hydrology', '')} "
        f"hydrology: delivered {t.delivered_pk_gwh / 1000:.2f} TWh to Pakistan and "
        f"{t.delivered_af_gwh / 1000:.2f} TWh to Afghanistan of {t.sent_gwh / 1000:.2f} TWh "
        f"sent; {t.curtailed_gwh:.0f} GWh of available export curtailed",
        f"HVDC losses {t.hvdc_loss_gwh:.0f} GWh ({t.hvdc_loss_percent:.2f} % of the "
        f"{t.hvdc_sent_gwh / 1000:.2f} TWh sent into the HVDC); CAPS AC losses "
        f"{t.caps_ac_loss_gwh:.0f} GWh",
        f"hours with a voltage or thermal violation: {int(t.violation_h)}; not converged: "
        f"{int(t.not_converged_h)}; curtailed: {int(t.curtailed_h)}",
        *_corridor_lines(ds),
    )
    return StudySummary(headline=headline, tables={"monthly": _rounded(monthly_summary(ds))})
