"""The declared result of the indicators study (``indicators.nc``).

Dimensions: ``time`` (the seasonal hours), ``month``, ``offtaker`` (PK, AF),
``zone`` (the supplier zones KG, TJ), ``country`` (KG, TJ, AF, PK), ``segment``
(loss segments), ``reason`` (curtailment), ``period`` (annual, winter Oct-Mar,
summer Apr-Sep), ``source`` (supply technologies and import), ``party``
(revenue), ``afghan_case`` (without, with CASA), ``mc_year`` (Monte Carlo
years); with a contingency result ``contingency``; with a transfer result
``quantile`` (P5, P10, P50) and ``duration`` (share of hours, %).  Variables that
need an absent study are absent; the dataset's ``absent_<study>`` attribute
says why.
"""

from __future__ import annotations

from casa1000.studies.spine.schema import DatasetSchema, VariableSpec


def _v(dims: tuple[str, ...], units: str, long_name: str, optional: bool = False) -> VariableSpec:
    return VariableSpec(dims=dims, units=units, long_name=long_name, optional=optional)


def _c(dim: str, long_name: str, dtype: str = "str", units: str | None = None) -> VariableSpec:
    return VariableSpec(dims=(dim,), dtype=dtype, units=units, long_name=long_name)


def _opt(dims: tuple[str, ...], units: str, long_name: str) -> VariableSpec:
    return _v(dims, units, long_name, optional=True)


S: tuple[str, ...] = ()
MO, MZ = ("month", "offtaker"), ("month", "zone")
PC = ("period", "country")
CT = ("contingency",)

SCHEMA = DatasetSchema(
    name="indicators",
    title="casa1000 energy-security indicators",
    version=2,
    coords={
        "time": VariableSpec(
            dims=("time",), dtype="datetime64[ns]", long_name="hour (local UTC+05:00)"
        ),
        "month": _c("month", "calendar month", "int64", "1"),
        "offtaker": _c("offtaker", "offtaker"),
        "zone": _c("zone", "supplier zone"),
        "country": _c("country", "country"),
        "segment": _c("segment", "loss segment"),
        "reason": _c("reason", "why export was curtailed"),
        "period": _c("period", "annual, winter (Oct-Mar) or summer (Apr-Sep)"),
        "source": _c("source", "supply source (technology or import)"),
        "party": _c("party", "revenue recipient"),
        "afghan_case": _c("afghan_case", "Afghan supply without or with the CASA offtake"),
        "mc_year": _c("mc_year", "Monte Carlo year", "int64", "1"),
        "contingency": VariableSpec(
            dims=CT, dtype="str", long_name="contingency id", optional=True
        ),
        "reservoir": VariableSpec(
            dims=("reservoir",), dtype="str", long_name="reservoir", optional=True
        ),
        "contingency_kind": VariableSpec(
            dims=CT, dtype="str", long_name="contingency kind", optional=True
        ),
        "quantile": VariableSpec(
            dims=("quantile",),
            dtype="float64",
            units="%",
            long_name="percentile of the hourly capability (P5: exceeded in 95 % of hours)",
            optional=True,
        ),
        "duration": VariableSpec(
            dims=("duration",),
            dtype="float64",
            units="%",
            long_name="share of hours in which the capability is at least the value",
            optional=True,
        ),
    },
    variables={
        # delivery
        "delivered_gwh": _v(MO, "GWh", "energy delivered to the offtaker"),
        "contract_gwh": _v(MO, "GWh", "contracted energy (sending end)"),
        "sent_gwh": _v(MO, "GWh", "export sent for the offtaker (sending end, pro rata)"),
        "contract_fulfilment_percent": _v(
            ("offtaker",), "%", "energy delivered over contracted energy"
        ),
        "contract_fulfilment_sent_percent": _v(
            ("offtaker",), "%", "export sent over contracted energy"
        ),
        "hvdc_utilisation_percent": _v(("month",), "%", "HVDC energy sent over rating x hours"),
        "hvdc_utilisation_annual_percent": _v(S, "%", "HVDC utilisation over all hours"),
        "hvdc_utilisation_season_percent": _v(
            S, "%", "HVDC utilisation over the contract-season hours"
        ),
        "loss_gwh": _v(("month", "segment"), "GWh", "losses of the segment"),
        "loss_basis_gwh": _v(("month", "segment"), "GWh", "energy entering the segment"),
        "loss_percent": _v(("segment",), "%", "losses over the energy entering the segment"),
        "curtailed_gwh": _v(("month", "reason"), "GWh", "export available but not sent"),
        "curtailed_hours": _v(("reason",), "h", "hours with export curtailed"),
        # security of the corridor
        "n1_secure": VariableSpec(
            dims=("time",),
            dtype="bool",
            long_name="every contingency but the base case secure",
            optional=True,
        ),
        "n1_secure_hours_percent": _opt(S, "%", "share of hours N-1 secure"),
        "n1_secure_season_hours_percent": _opt(
            S, "%", "share of the contract-season hours N-1 secure"
        ),
        "n1_secure_export_percent": _opt(S, "%", "share of the export energy sent in secure hours"),
        "n1_secure_without_remedial": VariableSpec(
            dims=("time",),
            dtype="bool",
            long_name="every contingency but the base case secure with no remedial action",
            optional=True,
        ),
        "n1_secure_without_remedial_hours_percent": _opt(
            S, "%", "share of hours N-1 secure without remedial actions"
        ),
        "n1_secure_without_remedial_season_hours_percent": _opt(
            S, "%", "share of the contract-season hours N-1 secure without remedial actions"
        ),
        "afghan_runback_mwh": _opt(
            CT, "MWh", "Afghan import run back after the outage, summed over the hours"
        ),
        "load_shed_mwh": _opt(CT, "MWh", "load shed after the outage, summed over the hours"),
        "expected_afghan_runback_mwh": _opt(
            CT, "MWh", "expected Afghan import run back (probability x run-back energy)"
        ),
        "expected_load_shed_mwh": _opt(CT, "MWh", "expected load shed (probability x shed energy)"),
        "corridor_margin_p10_season_mw": _opt(
            S, "MW", "corridor PV margin exceeded in 90 % of contract-season hours, both circuits"
        ),
        "corridor_margin_p50_season_mw": _opt(
            S, "MW", "median corridor PV margin in the contract season, both circuits"
        ),
        "corridor_margin_n1_p10_season_mw": _opt(
            S, "MW", "corridor PV margin exceeded in 90 % of contract-season hours, circuit out"
        ),
        "corridor_margin_n1_p50_season_mw": _opt(
            S, "MW", "median corridor PV margin in the contract season, circuit out"
        ),
        "corridor_margin_negative_season_h": _opt(
            S, "h", "contract-season hours past the corridor's nose, both circuits"
        ),
        "corridor_margin_n1_negative_season_h": _opt(
            S, "h", "contract-season hours past the corridor's nose, first circuit out"
        ),
        "corridor_margin_season_h": _opt(S, "h", "contract-season hours with a corridor PV margin"),
        "secure_capability_mw": _opt(("time",), "MW", "N-1 secure transfer capability"),
        "secure_deliverable_mw": _opt(("time",), "MW", "export within the secure capability"),
        "secure_deliverable_gwh": _opt(("month",), "GWh", "export within the secure capability"),
        "transfer_hours_sent_gwh": _opt(
            S, "GWh", "export sent in the hours the transfer study covers"
        ),
        "capability_quantile_mw": _opt(
            ("month", "quantile"), "MW", "percentile of the hourly secure capability"
        ),
        "capability_duration_mw": _opt(
            ("duration",), "MW", "duration curve of the secure capability, all hours"
        ),
        "capability_duration_season_mw": _opt(
            ("duration",), "MW", "duration curve of the secure capability, contract season"
        ),
        "energy_at_risk_gwh": _opt(CT, "GWh", "export the contingency would cut over the hours"),
        "energy_at_risk_collapse_gwh": _opt(
            CT, "GWh", "part of the energy at risk from non-convergent hours (whole export)"
        ),
        "outage_frequency_per_year": _opt(CT, "1/yr", "forced outages per year"),
        "outage_duration_h": _opt(CT, "h", "mean outage duration"),
        "outage_probability": _opt(CT, "1", "probability of being out at a random hour"),
        "expected_not_delivered_mwh": _opt(
            CT, "MWh", "expected export not delivered (probability x energy at risk)"
        ),
        # adequacy at home
        "unserved_gwh": _v(MZ, "GWh", "unserved energy of the seasonal dispatch (export firm)"),
        "loss_of_load_h": _v(MZ, "h", "hours with unserved demand"),
        "import_gwh": _v(MZ, "GWh", "energy imported over the CAPS equivalent"),
        "import_need_gwh": _v(MZ, "GWh", "demand the zone's plants could not cover"),
        "reserve_margin_percent": _v(MZ, "%", "reserve margin at the month's peak hour"),
        "home_unserved_gwh": _v(
            MZ, "GWh", "unserved energy with the export interruptible, no forced outages"
        ),
        "home_loss_of_load_h": _v(
            MZ, "h", "hours with unserved demand, export interruptible, no forced outages"
        ),
        "mc_lole_h": _v(("zone",), "h", "loss-of-load expectation per year (Monte Carlo)"),
        "mc_eens_mwh": _v(("zone",), "MWh", "expected energy not served per year (Monte Carlo)"),
        "mc_eens_cv": _v(("zone",), "1", "coefficient of variation of the EENS estimate"),
        "mc_lole_cv": _v(("zone",), "1", "coefficient of variation of the LOLE estimate"),
        "mc_eens_p95_mwh": _v(("zone",), "MWh", "95th percentile of the annual unserved energy"),
        "mc_lole_month_h": _v(MZ, "h", "loss-of-load expectation per month (Monte Carlo)"),
        "mc_eens_month_mwh": _v(MZ, "MWh", "expected energy not served per month (Monte Carlo)"),
        "mc_annual_ens_mwh": _v(("mc_year", "zone"), "MWh", "unserved energy of each year"),
        "mc_annual_lol_h": _v(("mc_year", "zone"), "h", "loss-of-load hours of each year"),
        "mc_system_lole_h": _v(S, "h", "hours per year with loss of load in any zone"),
        "reservoir_min_volume_bcm": _opt(
            ("reservoir",), "1e9 m3", "lowest end-of-month reservoir volume"
        ),
        "reservoir_dead_storage_months": _opt(("reservoir",), "1", "months ending at dead storage"),
        # dependence and diversity
        "import_dependence_percent": _v(PC, "%", "(imports - exports) / demand"),
        "import_share_mean_percent": _v(PC, "%", "mean hourly import share of load"),
        "import_share_max_percent": _v(PC, "%", "highest hourly import share of load"),
        "hourly_import_share_percent": _v(("time", "country"), "%", "hourly import share of load"),
        "supply_gwh": _v(("period", "zone", "source"), "GWh", "energy supplied by source"),
        "source_shannon_wiener": _v(("period", "zone"), "1", "Shannon-Wiener index by source"),
        "source_hhi": _v(("period", "zone"), "1", "Herfindahl-Hirschman index by source"),
        "casa_supplier_share_percent": _v(("zone",), "%", "share of the CASA export supplied"),
        "casa_supplier_shannon_wiener": _v(S, "1", "Shannon-Wiener index of the CASA suppliers"),
        "casa_supplier_hhi": _v(S, "1", "Herfindahl-Hirschman index of the CASA suppliers"),
        "afghan_import_dependence_percent": _opt(
            ("afghan_case",), "%", "share of Afghan consumption imported (CASA included)"
        ),
        "afghan_unserved_gwh": _opt(("afghan_case",), "GWh", "Afghan demand not served"),
        "afghan_corridor_shannon_wiener": _opt(
            ("afghan_case",), "1", "Shannon-Wiener index of the Afghan import corridors"
        ),
        "afghan_corridor_hhi": _opt(
            ("afghan_case",), "1", "Herfindahl-Hirschman index of the Afghan import corridors"
        ),
        "pk_supply_via_afghanistan_percent": _v(
            S, "%", "share of Pakistan's CASA supply crossing Afghanistan"
        ),
        "afghan_route_km": _v(S, "km", "length of the DC route to Pakistan in Afghanistan"),
        "kg_share_of_export_percent": _v(S, "%", "Kyrgyz share of the CASA export sent"),
        "kg_export_via_datka_sughd_percent": _opt(
            S, "%", "share of the Kyrgyz export lost without Datka-Sughd"
        ),
        # economics
        "revenue_musd": _v(("party",), "MUSD", "revenue over the hours studied"),
        "payment_musd": _v(("offtaker",), "MUSD", "payments over the hours studied"),
        "revenue_insecure_hours_musd": _opt(S, "MUSD", "revenue earned in N-1 insecure hours"),
        "revenue_above_capability_musd": _opt(
            S, "MUSD", "revenue on the export beyond the secure capability"
        ),
        "revenue_expected_outage_loss_musd": _opt(
            S, "MUSD", "expected revenue lost to forced outages"
        ),
        "avoided_co2_kt": _v(S, "kt", "CO2 avoided in Pakistan"),
        "avoided_fuel_tj": _v(S, "TJ", "fuel heat avoided in Pakistan"),
        "marginal_emission_factor_t_per_mwh": _v(
            S, "t/MWh", "emission factor of Pakistan's marginal plant used"
        ),
    },
)
"""The declared indicators result."""
