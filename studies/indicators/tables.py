"""Tables and the headline of an indicators result.

:func:`key_figures` flattens the dataset into one row per figure (id, value,
unit, what it is, and why it is missing when it is); the comparison of result
sets and the headline are built on it.  :func:`summary` gives the ten numbers an
analyst should read first, in words, and the key tables.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import pandas as pd
import xarray as xr

from casa1000.studies.spine.study import StudySummary

TABLES: Final = (
    "key_figures",
    "monthly",
    "contingencies",
    "adequacy",
    "dependence",
    "losses",
    "revenue",
)
"""Tables of the indicators study, written as ``indicators_<name>.csv``."""
HVDC_SEGMENTS: Final = ("sending_station", "dc_line", "receiving_stations")


def _has(ds: xr.Dataset, name: str) -> bool:
    return name in ds.data_vars


def _f(da: xr.DataArray) -> float:
    return float(da.values) if da.size == 1 else float("nan")


def _missing(ds: xr.Dataset, study: str) -> str:
    why = str(ds.attrs.get(f"absent_{study}", f"no {study} result"))
    return f"needs the {study} study ({why})"


def _row(key: str, value: float, unit: str, label: str, note: str = "") -> dict[str, object]:
    return {"indicator": key, "value": value, "unit": unit, "label": label, "note": note}


def _season_duration(ds: xr.Dataset, exceeded_percent: float) -> float:
    curve = ds["capability_duration_season_mw"]
    if not bool(np.isfinite(curve.values).any()):
        curve = ds["capability_duration_mw"]
    return float(curve.sel(duration=exceeded_percent, method="nearest"))


def _delivery_rows(ds: xr.Dataset) -> list[dict[str, object]]:
    d = ds["delivered_gwh"].sum("month")
    fulfil = ds["contract_fulfilment_percent"]
    loss = ds["loss_gwh"].sum("month")
    basis = ds["loss_basis_gwh"].sum("month")
    hvdc_loss = float(loss.sel(segment=list(HVDC_SEGMENTS)).sum())
    hvdc_sent = float(basis.sel(segment="sending_station"))
    ac = [str(s) for s in ds.segment.values if str(s).startswith("ac_")]
    return [
        _row("delivered_pk_gwh", _f(d.sel(offtaker="PK")), "GWh", "energy delivered to Pakistan"),
        _row(
            "delivered_af_gwh", _f(d.sel(offtaker="AF")), "GWh", "energy delivered to Afghanistan"
        ),
        _row("sent_gwh", float(ds["sent_gwh"].sum()), "GWh", "export sent (sending end)"),
        _row(
            "contract_fulfilment_pk_percent",
            _f(fulfil.sel(offtaker="PK")),
            "%",
            "Pakistan's contracted energy delivered",
        ),
        _row(
            "contract_fulfilment_af_percent",
            _f(fulfil.sel(offtaker="AF")),
            "%",
            "Afghanistan's contracted energy delivered",
        ),
        _row(
            "hvdc_utilisation_season_percent",
            _f(ds["hvdc_utilisation_season_percent"]),
            "%",
            "HVDC utilisation in the contract season",
        ),
        _row(
            "hvdc_utilisation_annual_percent",
            _f(ds["hvdc_utilisation_annual_percent"]),
            "%",
            "HVDC utilisation over all hours",
        ),
        _row(
            "hvdc_loss_percent",
            100.0 * hvdc_loss / hvdc_sent if hvdc_sent > 0 else float("nan"),
            "%",
            "HVDC losses (converters and DC line) of the power sent into it",
        ),
        *[
            _row(
                f"{s}_loss_percent",
                _f(ds["loss_percent"].sel(segment=s)),
                "%",
                f"AC losses of area {s[3:].upper()} of the energy injected into it",
            )
            for s in ac
        ],
        _row(
            "curtailed_gwh",
            float(ds["curtailed_gwh"].sum()),
            "GWh",
            "export available but not sent",
        ),
    ]


def _security_rows(ds: xr.Dataset) -> list[dict[str, object]]:
    rows = []
    c_note = "" if _has(ds, "n1_secure") else _missing(ds, "contingency")
    t_note = "" if _has(ds, "secure_capability_mw") else _missing(ds, "transfer")
    nan = float("nan")

    def get(name: str) -> float:
        return _f(ds[name]) if _has(ds, name) else nan

    rows += [
        _row(
            "n1_secure_hours_percent",
            get("n1_secure_hours_percent"),
            "%",
            "hours N-1 secure",
            c_note,
        ),
        _row(
            "n1_secure_season_hours_percent",
            get("n1_secure_season_hours_percent"),
            "%",
            "contract-season hours N-1 secure",
            c_note,
        ),
        _row(
            "n1_secure_export_percent",
            get("n1_secure_export_percent"),
            "%",
            "export energy sent in N-1 secure hours",
            c_note,
        ),
    ]
    rows += _remedial_rows(ds, c_note)
    secure_gwh = float(ds["secure_deliverable_gwh"].sum()) if not t_note else nan
    rows += [
        _row(
            "secure_deliverable_gwh",
            secure_gwh,
            "GWh",
            "export within the hourly N-1 secure transfer capability",
            t_note,
        ),
        _row(
            "transfer_hours_sent_gwh",
            get("transfer_hours_sent_gwh"),
            "GWh",
            "export sent in the hours the transfer study covers",
            t_note,
        ),
        _row(
            "capability_p10_season_mw",
            _season_duration(ds, 90.0) if not t_note else nan,
            "MW",
            "secure transfer capability available in 90 % of contract-season hours (P10)",
            t_note,
        ),
        _row(
            "capability_p50_season_mw",
            _season_duration(ds, 50.0) if not t_note else nan,
            "MW",
            "median secure transfer capability in the contract season (P50)",
            t_note,
        ),
    ]
    rows += _margin_rows(ds, c_note)
    if not c_note:
        ende = ds["expected_not_delivered_mwh"].fillna(0.0)
        worst = str(ende.contingency.values[int(np.argmax(ende.values))])
        rows += [
            _row(
                "expected_not_delivered_mwh",
                float(ende.sum()),
                "MWh",
                "expected export not delivered because of forced outages (all contingencies)",
            ),
            _row(
                "worst_contingency_expected_mwh",
                float(ende.max()),
                "MWh",
                f"expected export not delivered, worst contingency {worst}",
            ),
        ]
    else:
        rows += [
            _row("expected_not_delivered_mwh", nan, "MWh", "expected export not delivered", c_note),
            _row("worst_contingency_expected_mwh", nan, "MWh", "worst contingency", c_note),
        ]
    return rows


def _absent_note(ds: xr.Dataset, c_note: str, variable: str, attr: str) -> str:
    if c_note:
        return c_note
    if _has(ds, variable):
        return ""
    return str(ds.attrs.get(attr, "not in this indicators result"))


def _remedial_rows(ds: xr.Dataset, c_note: str) -> list[dict[str, object]]:
    """Rows of N-1 security without remedial actions and of the remedial energy."""
    note = _absent_note(ds, c_note, "afghan_runback_mwh", "absent_remedial")
    nan = float("nan")

    def get(name: str) -> float:
        return _f(ds[name]) if not note else nan

    def outages(name: str) -> float:
        if note:
            return nan
        da = ds[name].sel(contingency=ds.contingency != "BASE")
        return float(da.fillna(0.0).sum())

    return [
        _row(
            "n1_secure_without_remedial_hours_percent",
            get("n1_secure_without_remedial_hours_percent"),
            "%",
            "hours N-1 secure with no remedial action needed",
            note,
        ),
        _row(
            "n1_secure_without_remedial_season_hours_percent",
            get("n1_secure_without_remedial_season_hours_percent"),
            "%",
            "contract-season hours N-1 secure with no remedial action needed",
            note,
        ),
        _row(
            "expected_afghan_runback_mwh",
            outages("expected_afghan_runback_mwh"),
            "MWh",
            "expected Afghan import run back after forced outages (all contingencies)",
            note,
        ),
        _row(
            "expected_load_shed_mwh",
            outages("expected_load_shed_mwh"),
            "MWh",
            "expected load shed after forced outages (all contingencies)",
            note,
        ),
        _row(
            "afghan_runback_screened_mwh",
            outages("afghan_runback_mwh"),
            "MWh",
            "Afghan import run back, summed over every screened hour and contingency",
            note,
        ),
        _row(
            "load_shed_screened_mwh",
            outages("load_shed_mwh"),
            "MWh",
            "load shed, summed over every screened hour and contingency",
            note,
        ),
    ]


def _margin_rows(ds: xr.Dataset, c_note: str) -> list[dict[str, object]]:
    """Rows of the corridor's PV margin in the contract season."""
    note = _absent_note(ds, c_note, "corridor_margin_season_h", "absent_pv_margin")

    def get(name: str) -> float:
        return _f(ds[name]) if not note else float("nan")

    return [
        _row(
            "corridor_margin_p10_season_mw",
            get("corridor_margin_p10_season_mw"),
            "MW",
            "Afghan corridor PV margin (offtake to the nose) in 90 % of contract-season hours, "
            "both circuits in (P10)",
            note,
        ),
        _row(
            "corridor_margin_p50_season_mw",
            get("corridor_margin_p50_season_mw"),
            "MW",
            "median Afghan corridor PV margin in the contract season, both circuits in",
            note,
        ),
        _row(
            "corridor_margin_n1_p10_season_mw",
            get("corridor_margin_n1_p10_season_mw"),
            "MW",
            "Afghan corridor PV margin in 90 % of contract-season hours, first circuit out (P10)",
            note,
        ),
        _row(
            "corridor_margin_n1_p50_season_mw",
            get("corridor_margin_n1_p50_season_mw"),
            "MW",
            "median Afghan corridor PV margin in the contract season, first circuit out",
            note,
        ),
        _row(
            "corridor_margin_n1_negative_season_h",
            get("corridor_margin_n1_negative_season_h"),
            "h",
            "contract-season hours past the corridor's nose with the first circuit out",
            note,
        ),
        _row(
            "corridor_margin_season_h",
            get("corridor_margin_season_h"),
            "h",
            "contract-season hours with a corridor PV margin (an Afghan offtake)",
            note,
        ),
    ]


def _adequacy_rows(ds: xr.Dataset) -> list[dict[str, object]]:
    rows = []
    unserved = ds["unserved_gwh"]
    winter = unserved.sel(month=[m for m in ds.month.values if m in (10, 11, 12, 1, 2, 3)])
    rows.append(
        _row(
            "unserved_gwh",
            float(unserved.sum()),
            "GWh",
            "unserved demand at home, export served first (seasonal dispatch)",
        )
    )
    rows.append(
        _row(
            "home_unserved_gwh",
            float(ds["home_unserved_gwh"].sum()),
            "GWh",
            "unserved demand at home if the export gives way (no forced outages)",
        )
    )
    rows.append(
        _row(
            "home_loss_of_load_h",
            float(ds["home_loss_of_load_h"].sum("month").max()),
            "h",
            "hours with unserved demand in the worst zone if the export gives way",
        )
    )
    rows.append(
        _row(
            "unserved_winter_gwh",
            float(winter.sum()),
            "GWh",
            "unserved demand at home, October to March",
        )
    )
    for z in ds.zone.values:
        rows += [
            _row(
                f"unserved_{str(z).lower()}_gwh",
                float(unserved.sel(zone=z).sum()),
                "GWh",
                f"unserved demand in {z}",
            ),
            _row(
                f"loss_of_load_{str(z).lower()}_h",
                float(ds["loss_of_load_h"].sel(zone=z).sum()),
                "h",
                f"hours with unserved demand in {z}",
            ),
            _row(
                f"reserve_margin_min_{str(z).lower()}_percent",
                float(ds["reserve_margin_percent"].sel(zone=z).min()),
                "%",
                f"lowest monthly reserve margin at peak in {z} (own plants)",
            ),
            _row(
                f"mc_lole_{str(z).lower()}_h",
                _f(ds["mc_lole_h"].sel(zone=z)),
                "h/yr",
                f"loss-of-load expectation in {z} with forced outages",
            ),
            _row(
                f"mc_eens_{str(z).lower()}_gwh",
                _f(ds["mc_eens_mwh"].sel(zone=z)) / 1000.0,
                "GWh/yr",
                f"expected energy not served in {z} with forced outages",
            ),
            _row(
                f"mc_eens_cv_{str(z).lower()}_percent",
                100.0 * _f(ds["mc_eens_cv"].sel(zone=z)),
                "%",
                f"coefficient of variation of the EENS estimate in {z}",
            ),
        ]
    if _has(ds, "reservoir_min_volume_bcm"):
        for r in ds.reservoir.values:
            rows.append(
                _row(
                    f"reservoir_min_volume_{str(r).lower()}_bcm",
                    _f(ds["reservoir_min_volume_bcm"].sel(reservoir=r)),
                    "1e9 m3",
                    f"lowest end-of-month volume of {r}",
                )
            )
        rows.append(
            _row(
                "reservoir_dead_storage_months",
                float(ds["reservoir_dead_storage_months"].sum()),
                "1",
                "reservoir-months ending at dead storage",
            )
        )
    rows.append(
        _row(
            "mc_system_lole_h",
            _f(ds["mc_system_lole_h"]),
            "h/yr",
            "hours a year with loss of load in any zone (Monte Carlo)",
        )
    )
    return rows


def _dependence_rows(ds: xr.Dataset) -> list[dict[str, object]]:
    rows = []
    dep = ds["import_dependence_percent"]
    for c in ds.country.values:
        for period in ("annual", "winter"):
            rows.append(
                _row(
                    f"import_dependence_{str(c).lower()}_{period}_percent",
                    _f(dep.sel(country=c, period=period)),
                    "%",
                    f"import dependence of {c}, {period} (imports - exports over demand)",
                )
            )
    kg_note = "" if _has(ds, "kg_export_via_datka_sughd_percent") else _missing(ds, "contingency")
    af_note = "" if _has(ds, "afghan_unserved_gwh") else str(ds.attrs.get("absent_afghan_balance"))
    for name, case, unit, label in (
        (
            "afghan_import_dependence_without_casa_percent",
            "without_casa",
            "%",
            "share of Afghan consumption imported without CASA",
        ),
        (
            "afghan_unserved_without_casa_gwh",
            "without_casa",
            "GWh",
            "Afghan demand not served without CASA",
        ),
        ("afghan_unserved_with_casa_gwh", "with_casa", "GWh", "Afghan demand not served with CASA"),
        (
            "afghan_corridor_hhi_without_casa",
            "without_casa",
            "1",
            "concentration (HHI) of Afghan import corridors without CASA",
        ),
        (
            "afghan_corridor_hhi_with_casa",
            "with_casa",
            "1",
            "concentration (HHI) of Afghan import corridors with CASA",
        ),
    ):
        var = {
            "%": "afghan_import_dependence_percent",
            "GWh": "afghan_unserved_gwh",
            "1": "afghan_corridor_hhi",
        }[unit]
        value = _f(ds[var].sel(afghan_case=case)) if not af_note else float("nan")
        rows.append(_row(name, value, unit, label, af_note))
    rows += [
        _row(
            "casa_supplier_hhi",
            _f(ds["casa_supplier_hhi"]),
            "1",
            "concentration (HHI) of the CASA export by supplier",
        ),
        _row(
            "pk_supply_via_afghanistan_percent",
            _f(ds["pk_supply_via_afghanistan_percent"]),
            "%",
            "Pakistan's CASA supply crossing Afghanistan",
        ),
        _row(
            "kg_share_of_export_percent",
            _f(ds["kg_share_of_export_percent"]),
            "%",
            "Kyrgyz share of the CASA export (needs Datka-Sughd)",
        ),
        _row(
            "kg_export_via_datka_sughd_percent",
            _f(ds["kg_export_via_datka_sughd_percent"]) if not kg_note else float("nan"),
            "%",
            "Kyrgyz export lost when Datka-Sughd is out",
            kg_note,
        ),
    ]
    return rows


def _economics_rows(ds: xr.Dataset) -> list[dict[str, object]]:
    rev = ds["revenue_musd"]
    rows = [
        _row("revenue_total_musd", float(rev.sum()), "MUSD", "CASA-1000 revenue (all parties)"),
        *[
            _row(
                f"revenue_{str(p).lower()}_musd",
                _f(rev.sel(party=p)),
                "MUSD",
                f"revenue of {p}",
            )
            for p in ds.party.values
        ],
    ]
    for name, label, study in (
        ("revenue_insecure_hours_musd", "revenue earned in N-1 insecure hours", "contingency"),
        (
            "revenue_above_capability_musd",
            "revenue on the export beyond the secure capability",
            "transfer",
        ),
        (
            "revenue_expected_outage_loss_musd",
            "expected revenue lost to forced outages",
            "contingency",
        ),
    ):
        present = _has(ds, name)
        rows.append(
            _row(
                name,
                _f(ds[name]) if present else float("nan"),
                "MUSD",
                label,
                "" if present else _missing(ds, study),
            )
        )
    rows += [
        _row(
            "avoided_co2_kt",
            _f(ds["avoided_co2_kt"]),
            "kt",
            f"CO2 avoided in Pakistan at {_f(ds['marginal_emission_factor_t_per_mwh']):.2f} t/MWh",
        ),
        _row("avoided_fuel_tj", _f(ds["avoided_fuel_tj"]), "TJ", "fuel heat avoided in Pakistan"),
    ]
    return rows


def key_figures(ds: xr.Dataset) -> pd.DataFrame:
    """One row per key figure of an indicators result.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator``, ``value``, ``unit``, ``label``, ``note`` (why a
        figure is missing); the order is that of the study's sections.
    """
    rows = (
        _delivery_rows(ds)
        + _security_rows(ds)
        + _adequacy_rows(ds)
        + _dependence_rows(ds)
        + _economics_rows(ds)
    )
    return pd.DataFrame(rows, columns=["indicator", "value", "unit", "label", "note"])


def monthly(ds: xr.Dataset) -> pd.DataFrame:
    """Monthly indicators: delivery, secure deliverable energy, adequacy, capability percentiles."""
    out = pd.DataFrame(index=pd.Index(ds.month.values.astype(int), name="month"))
    for o in ds.offtaker.values:
        out[f"delivered_{str(o).lower()}_gwh"] = ds["delivered_gwh"].sel(offtaker=o).values
        out[f"contract_{str(o).lower()}_gwh"] = ds["contract_gwh"].sel(offtaker=o).values
    out["sent_gwh"] = ds["sent_gwh"].sum("offtaker").values
    if _has(ds, "secure_deliverable_gwh"):
        out["secure_deliverable_gwh"] = ds["secure_deliverable_gwh"].values
    out["curtailed_gwh"] = ds["curtailed_gwh"].sum("reason").values
    out["hvdc_utilisation_percent"] = ds["hvdc_utilisation_percent"].values
    for z in ds.zone.values:
        key = str(z).lower()
        out[f"unserved_{key}_gwh"] = ds["unserved_gwh"].sel(zone=z).values
        out[f"loss_of_load_{key}_h"] = ds["loss_of_load_h"].sel(zone=z).values
        out[f"import_need_{key}_gwh"] = ds["import_need_gwh"].sel(zone=z).values
        out[f"reserve_margin_{key}_percent"] = ds["reserve_margin_percent"].sel(zone=z).values
        out[f"mc_lole_{key}_h"] = ds["mc_lole_month_h"].sel(zone=z).values
        out[f"mc_eens_{key}_gwh"] = ds["mc_eens_month_mwh"].sel(zone=z).values / 1000.0
    if _has(ds, "capability_quantile_mw"):
        for q in ds["quantile"].values:
            out[f"capability_p{int(q)}_mw"] = ds["capability_quantile_mw"].sel(quantile=q).values
    return out


def contingencies(ds: xr.Dataset) -> pd.DataFrame:
    """Rank contingencies by expected export not delivered (empty without a contingency result).

    With remedial actions in the result, the MWh of Afghan import run back and
    of load shed by each contingency, and their expectations, are columns too.
    """
    cols = [
        "contingency",
        "kind",
        "energy_at_risk_gwh",
        "energy_at_risk_collapse_gwh",
        "outage_frequency_per_year",
        "outage_duration_h",
        "outage_probability",
        "expected_not_delivered_mwh",
    ]
    if _has(ds, "afghan_runback_mwh"):
        cols += [
            "afghan_runback_mwh",
            "load_shed_mwh",
            "expected_afghan_runback_mwh",
            "expected_load_shed_mwh",
        ]
    if not _has(ds, "energy_at_risk_gwh"):
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(
        {
            "contingency": ds.contingency.values.astype(str),
            "kind": ds.contingency_kind.values.astype(str),
            **{c: ds[c].values for c in cols[2:]},
        }
    )
    frame = frame[frame.contingency != "BASE"]
    return frame.sort_values(
        ["expected_not_delivered_mwh", "energy_at_risk_gwh"], ascending=False, na_position="last"
    ).reset_index(drop=True)


def adequacy_table(ds: xr.Dataset) -> pd.DataFrame:
    """Adequacy per zone: deterministic unserved energy and hours, Monte Carlo LOLE/EENS."""
    winter = [m for m in ds.month.values if m in (10, 11, 12, 1, 2, 3)]
    rows = []
    for z in ds.zone.values:
        rows.append(
            {
                "zone": str(z),
                "unserved_gwh": float(ds["unserved_gwh"].sel(zone=z).sum()),
                "unserved_winter_gwh": float(ds["unserved_gwh"].sel(zone=z, month=winter).sum()),
                "loss_of_load_h": float(ds["loss_of_load_h"].sel(zone=z).sum()),
                "home_unserved_gwh": float(ds["home_unserved_gwh"].sel(zone=z).sum()),
                "home_loss_of_load_h": float(ds["home_loss_of_load_h"].sel(zone=z).sum()),
                "import_need_gwh": float(ds["import_need_gwh"].sel(zone=z).sum()),
                "reserve_margin_min_percent": float(ds["reserve_margin_percent"].sel(zone=z).min()),
                "mc_lole_h": _f(ds["mc_lole_h"].sel(zone=z)),
                "mc_eens_gwh": _f(ds["mc_eens_mwh"].sel(zone=z)) / 1000.0,
                "mc_eens_p95_gwh": _f(ds["mc_eens_p95_mwh"].sel(zone=z)) / 1000.0,
                "mc_eens_cv_percent": 100.0 * _f(ds["mc_eens_cv"].sel(zone=z)),
                "mc_years": int(ds.sizes["mc_year"]),
            }
        )
    return pd.DataFrame(rows).set_index("zone")


def dependence_table(ds: xr.Dataset) -> pd.DataFrame:
    """Import dependence and hourly import shares per country and period."""
    rows = []
    for c in ds.country.values:
        for p in ds.period.values:
            rows.append(
                {
                    "country": str(c),
                    "period": str(p),
                    "import_dependence_percent": _f(
                        ds["import_dependence_percent"].sel(country=c, period=p)
                    ),
                    "import_share_mean_percent": _f(
                        ds["import_share_mean_percent"].sel(country=c, period=p)
                    ),
                    "import_share_max_percent": _f(
                        ds["import_share_max_percent"].sel(country=c, period=p)
                    ),
                }
            )
    return pd.DataFrame(rows)


def losses_table(ds: xr.Dataset) -> pd.DataFrame:
    """Losses per segment against the energy entering it."""
    return pd.DataFrame(
        {
            "loss_gwh": ds["loss_gwh"].sum("month").values,
            "basis_gwh": ds["loss_basis_gwh"].sum("month").values,
            "loss_percent": ds["loss_percent"].values,
        },
        index=pd.Index(ds.segment.values.astype(str), name="segment"),
    )


def revenue_table(ds: xr.Dataset) -> pd.DataFrame:
    """Revenue per party over the hours studied [MUSD]."""
    return pd.DataFrame(
        {"revenue_musd": ds["revenue_musd"].values},
        index=pd.Index(ds.party.values.astype(str), name="party"),
    )


def _rounded(frame: pd.DataFrame, decimals: int = 3) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(decimals)
    return out


def tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Every table of an indicators result (see :data:`TABLES`), rounded for the CSV files."""
    out = {
        "key_figures": key_figures(ds).set_index("indicator"),
        "monthly": monthly(ds),
        "contingencies": contingencies(ds).set_index("contingency"),
        "adequacy": adequacy_table(ds),
        "dependence": dependence_table(ds).set_index(["country", "period"]),
        "losses": losses_table(ds),
        "revenue": revenue_table(ds),
    }
    return {k: _rounded(v, 6 if k == "contingencies" else 3) for k, v in out.items()}


def _v(figures: pd.DataFrame, key: str) -> float:
    row = figures.loc[figures.indicator == key, "value"]
    return float(row.iloc[0]) if len(row) else float("nan")


def _n(value: float, fmt: str = ",.0f") -> str:
    return "n/a" if not math.isfinite(value) else format(value, fmt)


def headline(ds: xr.Dataset) -> tuple[str, ...]:
    """Return the ten numbers an analyst should read first, in plain words with units."""
    k = key_figures(ds)

    def v(key: str) -> float:
        return _v(k, key)

    zones = [str(z) for z in ds.zone.values]
    unrated = "" if _has(ds, "n1_secure") else " (no contingency result)"
    worst = k.loc[k.indicator == "worst_contingency_expected_mwh", "label"].iloc[0]
    worst_name = str(worst).rsplit(" ", 1)[-1] if "worst contingency" in str(worst) else "n/a"
    lole = ", ".join(
        f"{z} {_n(v(f'mc_lole_{z.lower()}_h'))} h/yr and "
        f"{_n(v(f'mc_eens_{z.lower()}_gwh'), '.1f')} GWh/yr "
        f"(CV {_n(v(f'mc_eens_cv_{z.lower()}_percent'), '.1f')} %)"
        for z in zones
    )
    dep = ", ".join(
        f"{c} {_n(v(f'import_dependence_{c.lower()}_winter_percent'), '.0f')} %"
        for c in ("KG", "TJ")
    )
    lol = max(v(f"loss_of_load_{z.lower()}_h") for z in zones)
    partial = v("transfer_hours_sent_gwh") < v("sent_gwh") - 1e-6
    coverage = " (in the hours the transfer study covers)" if partial else ""
    return (
        f"1. Delivered: {_n(v('delivered_pk_gwh') / 1000, '.2f')} TWh to Pakistan and "
        f"{_n(v('delivered_af_gwh') / 1000, '.2f')} TWh to Afghanistan of "
        f"{_n(v('sent_gwh') / 1000, '.2f')} TWh sent.",
        f"2. Contract fulfilment: Pakistan {_n(v('contract_fulfilment_pk_percent'), '.1f')} %, "
        f"Afghanistan {_n(v('contract_fulfilment_af_percent'), '.1f')} % of contracted energy; "
        f"HVDC losses {_n(v('hvdc_loss_percent'), '.2f')} % of the power sent into it.",
        f"3. N-1 secure: {_n(v('n1_secure_hours_percent'), '.0f')} % of hours with remedial "
        f"actions, {_n(v('n1_secure_without_remedial_hours_percent'), '.0f')} % without; "
        f"{_n(v('n1_secure_season_hours_percent'), '.0f')} % and "
        f"{_n(v('n1_secure_without_remedial_season_hours_percent'), '.0f')} % of export-season "
        f"hours{unrated}; Afghan corridor PV margin (P10, export season) "
        f"{_n(v('corridor_margin_p10_season_mw'))} MW intact, "
        f"{_n(v('corridor_margin_n1_p10_season_mw'))} MW with a circuit out, "
        f"{_n(v('corridor_margin_n1_negative_season_h'))} hours past the nose with it out.",
        f"4. Within the hourly N-1 secure transfer capability: "
        f"{_n(v('secure_deliverable_gwh') / 1000, '.2f')} of "
        f"{_n(v('transfer_hours_sent_gwh') / 1000, '.2f')} TWh sent"
        f"{coverage}.",
        f"5. Firm transfer capability in the export season: "
        f"{_n(v('capability_p10_season_mw'))} MW in 90 % of hours, median "
        f"{_n(v('capability_p50_season_mw'))} MW.",
        f"6. Worst outage by expected export not delivered: {worst_name}, "
        f"{_n(v('worst_contingency_expected_mwh'))} MWh over the hours studied (all "
        f"outages {_n(v('expected_not_delivered_mwh'))} MWh); expected Afghan import run back "
        f"{_n(v('expected_afghan_runback_mwh'), ',.1f')} MWh and load shed "
        f"{_n(v('expected_load_shed_mwh'), ',.1f')} MWh.",
        f"7. Unserved at home: {_n(v('unserved_gwh'), '.1f')} GWh in {_n(lol)} hours with the "
        f"export served first ({_n(v('unserved_winter_gwh'), '.1f')} GWh of it October-March); "
        f"{_n(v('home_unserved_gwh'), '.1f')} GWh in {_n(v('home_loss_of_load_h'))} hours if "
        f"the export gives way.",
        f"8. With forced outages (Monte Carlo, {int(ds.sizes['mc_year'])} years): {lole}.",
        f"9. Winter import dependence: {dep}; Afghanistan imports "
        f"{_n(v('import_dependence_af_annual_percent'), '.0f')} % of what it consumes, its "
        f"unserved demand {_n(v('afghan_unserved_without_casa_gwh'))} GWh without CASA and "
        f"{_n(v('afghan_unserved_with_casa_gwh'))} GWh with it; "
        f"{_n(v('pk_supply_via_afghanistan_percent'), '.0f')} % of Pakistan's CASA supply "
        f"crosses Afghanistan.",
        f"10. Revenue {_n(v('revenue_total_musd'), '.0f')} million USD, of which "
        f"{_n(v('revenue_insecure_hours_musd'), '.0f')} million earned in N-1 insecure hours; "
        f"{_n(v('avoided_co2_kt'), '.0f')} kt CO2 avoided in Pakistan.",
    )


def summary(ds: xr.Dataset, top: int = 10) -> StudySummary:
    """Return the headline and the key tables of an indicators result.

    Parameters
    ----------
    ds
        An indicators result.
    top
        Rows of the contingency ranking shown.
    """
    figures = key_figures(ds)
    shown = {
        "key figures": _rounded(figures.set_index("indicator"), 2),
        "adequacy": _rounded(adequacy_table(ds), 2),
        "contingencies": _rounded(contingencies(ds).head(top).set_index("contingency"), 4),
        "monthly": _rounded(monthly(ds), 1),
    }
    # a table without rows (no contingency result) is left out rather than shown empty
    return StudySummary(headline=headline(ds), tables={k: v for k, v in shown.items() if len(v)})
