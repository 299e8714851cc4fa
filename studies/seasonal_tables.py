"""Summaries of a seasonal study: monthly energy, losses, utilisation, violations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from casa1000.errors import StudyError

MWH_PER_GWH = 1000.0


def monthly_summary(ds: xr.Dataset) -> pd.DataFrame:
    """Monthly figures of a seasonal study, plus a ``total`` row.

    Parameters
    ----------
    ds
        Result of :func:`casa1000.studies.seasonal.run_seasonal` (hourly steps).

    Returns
    -------
    pandas.DataFrame
        Per month: delivered energy to PK and AF [GWh], export sent and curtailed
        [GWh], HVDC and AC (CAPS) losses [GWh] and HVDC loss share [%],
        utilisation of Datka-Sughd and of the HVDC [%], hours with voltage or
        thermal violations, hours that did not converge and curtailed hours.
    """
    month = ds.time.dt.month
    tie = ds.branch_parent == "DATKA_SUGHD"
    if not bool(tie.any()):
        raise StudyError("the result has no Datka-Sughd line; its utilisation cannot be reported")
    rating_ds = float(ds.branch_rating_mva.where(tie).sum())
    hvdc_rating = float(ds.attrs.get("hvdc_rating_mw", np.nan))
    hvdc_loss = ds.hvdc_line_loss_mw + ds.converter_loss_mw.sum("terminal")
    frame = pd.DataFrame(
        {
            "delivered_pk_gwh": ds.delivered_mw.sel(offtaker="PK").fillna(0.0).values,
            "delivered_af_gwh": ds.delivered_mw.sel(offtaker="AF").fillna(0.0).values,
            "sent_gwh": ds.export_sent_mw.values,
            "curtailed_gwh": ds.curtailed_mw.values,
            "hvdc_loss_gwh": hvdc_loss.values,
            "ac_loss_caps_gwh": ds.ac_losses_mw.sel(area="CAPS").fillna(0.0).values,
            "datka_sughd_abs_mw": np.abs(ds.datka_sughd_mw.values),
            "hvdc_sent_mw": ds.hvdc_sent_mw.values,
            "violation_h": ((ds.voltage_violations + ds.thermal_violations) > 0).values,
            "not_converged_h": (~ds.converged.astype(bool)).values,
            "curtailed_h": (ds.curtail_reason > 0).values,
        },
        index=pd.Index(month.values, name="month"),
    )
    energy = [c for c in frame.columns if c.endswith("_gwh")]
    grouped = frame.groupby(level=0)
    out = grouped[energy].sum() / MWH_PER_GWH
    out["hvdc_loss_percent"] = 100 * out.hvdc_loss_gwh / out.sent_gwh.where(out.sent_gwh > 0)
    out["datka_sughd_util_percent"] = 100 * grouped.datka_sughd_abs_mw.mean() / rating_ds
    out["hvdc_util_percent"] = 100 * grouped.hvdc_sent_mw.mean() / hvdc_rating
    for col in ("violation_h", "not_converged_h", "curtailed_h"):
        out[col] = grouped[col].sum().astype(int)
    total = out[energy].sum()
    total["hvdc_loss_percent"] = (
        100 * total.hvdc_loss_gwh / total.sent_gwh if total.sent_gwh else np.nan
    )
    total["datka_sughd_util_percent"] = 100 * frame.datka_sughd_abs_mw.mean() / rating_ds
    total["hvdc_util_percent"] = 100 * frame.hvdc_sent_mw.mean() / hvdc_rating
    for col in ("violation_h", "not_converged_h", "curtailed_h"):
        total[col] = int(frame[col].sum())
    out.loc["total"] = total
    out.index = out.index.map(str)
    return out
