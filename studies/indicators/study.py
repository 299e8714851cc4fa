"""The indicators study: energy-security indicators computed from a scenario's result set.

It builds on the seasonal result (required) and uses the contingency and
transfer-capability results when the set has them (``inputs.results``), so the
command line (``casa1000 study indicators RESULTS_DIR``) and the main job run
the same registered study.  Every indicator is a pure function of the result
datasets in :mod:`.delivery`, :mod:`.corridor_security`,
:mod:`.corridor_remedial`, :mod:`.adequacy`,
:mod:`.monte_carlo`, :mod:`.dependence` and :mod:`.economics`; this module
gathers them into the declared dataset (:mod:`.schema`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.errors import InputError
from casa1000.studies.indicators import (
    adequacy,
    corridor_remedial,
    corridor_security,
    delivery,
    dependence,
    economics,
    monte_carlo,
    tables,
)
from casa1000.studies.indicators.result_set import ResultSet, energy_gwh, monthly_gwh, result_set
from casa1000.studies.indicators.schema import SCHEMA
from casa1000.studies.indicators.seed_tables import IndicatorSeeds, load_indicator_seeds
from casa1000.studies.spine.scenario import StudyInputs
from casa1000.studies.spine.study import RUN_FACT_PREFIX, Progress, StudySpec

Data = dict[str, npt.ArrayLike]


@dataclass(frozen=True, kw_only=True)
class IndicatorsConfig:
    """Settings of the indicators study.

    Parameters
    ----------
    mc_years
        Years of the adequacy Monte Carlo, 1 to 100,000.
    mc_seed
        Seed of the Monte Carlo (same seed and years: identical results).
    marginal_emission_factor_t_per_mwh
        CO2 of the Pakistani plant CASA displaces [t/MWh]; the seeded
        ``pk_marginal`` (0.58, range 0.40-0.84) when None.
    marginal_efficiency
        Its net efficiency [-]; the seeded value when None.
    tariffs_file
        A tariff table instead of ``seeds/tariffs.csv``.
    outage_rates_file
        An outage-rate table instead of ``seeds/outage_rates.csv``.
    """

    mc_years: int = 1000
    mc_seed: int = 0
    marginal_emission_factor_t_per_mwh: float | None = None
    marginal_efficiency: float | None = None
    tariffs_file: Path | None = None
    outage_rates_file: Path | None = None

    def __post_init__(self) -> None:
        if isinstance(self.mc_years, bool) or not 1 <= self.mc_years <= 100_000:
            raise InputError("--years", "mc_years", self.mc_years, "1 to 100000 years")
        if isinstance(self.mc_seed, bool) or self.mc_seed < 0:
            raise InputError("--seed", "mc_seed", self.mc_seed, "a non-negative integer")
        ef = self.marginal_emission_factor_t_per_mwh
        if ef is not None and not 0.0 <= ef <= 2.0:
            raise InputError("--emission-factor", "emission factor", ef, "0 to 2 t/MWh")
        eta = self.marginal_efficiency
        if eta is not None and not 0.0 < eta <= 1.0:
            raise InputError(
                "marginal_efficiency", "marginal_efficiency", eta, "above 0, at most 1"
            )


def _season(rs: ResultSet) -> xr.DataArray:
    return rs.profiles["contract_mw"].sum("offtaker") > 0


def _delivery(rs: ResultSet) -> Data:
    s, months = rs.seasonal, rs.month_values
    rating = float(rs.params.hvdc.rating_mw)
    delivered = delivery.delivered_gwh(s, months)
    contract = delivery.contract_gwh(rs.profiles, months)
    sent = monthly_gwh(delivery.sent_by_offtaker_mw(s, rs.profiles), months)
    loss_mw, basis_mw = delivery.losses_mw(s, rs.params)
    loss = monthly_gwh(loss_mw, months)
    basis = monthly_gwh(basis_mw, months)
    return {
        "delivered_gwh": delivered.transpose("month", "offtaker").values,
        "contract_gwh": contract.transpose("month", "offtaker").values,
        "sent_gwh": sent.transpose("month", "offtaker").values,
        "contract_fulfilment_percent": delivery.fulfilment_percent(delivered, contract).values,
        "contract_fulfilment_sent_percent": delivery.fulfilment_percent(sent, contract).values,
        "hvdc_utilisation_percent": delivery.monthly_hvdc_utilisation_percent(
            s, rating, months
        ).values,
        "hvdc_utilisation_annual_percent": delivery.hvdc_utilisation_percent(s, rating),
        "hvdc_utilisation_season_percent": delivery.hvdc_utilisation_percent(
            s, rating, _season(rs)
        ),
        "loss_gwh": loss.transpose("month", "segment").values,
        "loss_basis_gwh": basis.transpose("month", "segment").values,
        "loss_percent": delivery.loss_percent(loss, basis).values,
        "curtailed_gwh": delivery.curtailed_gwh(s, months).values,
        "curtailed_hours": delivery.curtailed_hours(s).values,
    }


def _security(rs: ResultSet, seeds: IndicatorSeeds) -> tuple[Data, dict[str, npt.ArrayLike]]:
    data: Data = {}
    coords: dict[str, npt.ArrayLike] = {}
    sent = rs.sent_mw()
    season = _season(rs)
    if rs.contingency is not None:
        c = rs.contingency
        secure = corridor_security.n1_secure(c).reindex(time=rs.seasonal.time, fill_value=False)
        studied = xr.zeros_like(secure).copy(data=np.isin(rs.seasonal.time, c.time))
        at_risk, collapse = corridor_security.energy_at_risk_gwh(c, sent)
        freq, dur, _ = corridor_security.outage_rates(c, rs.params, seeds)
        prob = corridor_security.outage_probability(freq, dur)
        coords["contingency"] = c.contingency.values
        coords["contingency_kind"] = c.contingency_kind.values
        data.update(
            {
                "n1_secure": secure.values,
                "n1_secure_hours_percent": corridor_security.secure_share_percent(
                    secure, hours=studied
                ),
                "n1_secure_season_hours_percent": corridor_security.secure_share_percent(
                    secure, hours=studied & season
                ),
                "n1_secure_export_percent": corridor_security.secure_share_percent(
                    secure, weight_mw=sent, hours=studied
                ),
                "energy_at_risk_gwh": at_risk.values,
                "energy_at_risk_collapse_gwh": collapse.values,
                "outage_frequency_per_year": freq.values,
                "outage_duration_h": dur.values,
                "outage_probability": prob.values,
                "expected_not_delivered_mwh": corridor_security.expected_energy_not_delivered_mwh(
                    at_risk, prob
                ).values,
            }
        )
        data.update(_remedial(rs, c, prob, studied, season))
        data.update(_margin(rs, c, season))
    if rs.transfer is not None:
        cap = rs.transfer["transfer_capability_mw"]
        full = cap.reindex(time=rs.seasonal.time)
        coords["quantile"] = np.asarray(corridor_security.QUANTILES_PERCENT)
        coords["duration"] = np.linspace(0.0, 100.0, corridor_security.DURATION_POINTS)
        data.update(
            {
                "secure_capability_mw": full.values,
                "secure_deliverable_mw": corridor_security.secure_deliverable_mw(sent, full).values,
                "secure_deliverable_gwh": corridor_security.secure_deliverable_gwh(
                    sent, cap, rs.month_values
                ).values,
                "transfer_hours_sent_gwh": float(energy_gwh(sent.sel(time=cap.time))),
                "capability_quantile_mw": corridor_security.capability_quantiles_mw(
                    cap, rs.month_values
                ).values,
                "capability_duration_mw": corridor_security.duration_curve_mw(cap).values,
                "capability_duration_season_mw": corridor_security.duration_curve_mw(
                    cap, season.sel(time=cap.time)
                ).values,
            }
        )
    return data, coords


def _remedial(
    rs: ResultSet,
    c: xr.Dataset,
    probability: xr.DataArray,
    studied: xr.DataArray,
    season: xr.DataArray,
) -> Data:
    if corridor_remedial.missing_remedial(c):
        return {}
    secure = corridor_security.n1_secure(c, "secure_without_remedial").reindex(
        time=rs.seasonal.time, fill_value=False
    )
    runback, shed = corridor_remedial.remedial_energy_mwh(c)
    return {
        "n1_secure_without_remedial": secure.values,
        "n1_secure_without_remedial_hours_percent": corridor_security.secure_share_percent(
            secure, hours=studied
        ),
        "n1_secure_without_remedial_season_hours_percent": (
            corridor_security.secure_share_percent(secure, hours=studied & season)
        ),
        "afghan_runback_mwh": runback.values,
        "load_shed_mwh": shed.values,
        "expected_afghan_runback_mwh": corridor_remedial.expected_remedial_mwh(
            runback, probability
        ).values,
        "expected_load_shed_mwh": corridor_remedial.expected_remedial_mwh(shed, probability).values,
    }


def _margin(rs: ResultSet, c: xr.Dataset, season: xr.DataArray) -> Data:
    if corridor_remedial.missing_margin(c):
        return {}
    hours = season.sel(time=c.time)
    intact = corridor_remedial.margin_stats(c["corridor_margin_mw"], hours)
    n1 = corridor_remedial.margin_stats(c["corridor_margin_n1_mw"], hours)
    return {
        "corridor_margin_p10_season_mw": intact.p10_mw,
        "corridor_margin_p50_season_mw": intact.p50_mw,
        "corridor_margin_n1_p10_season_mw": n1.p10_mw,
        "corridor_margin_n1_p50_season_mw": n1.p50_mw,
        "corridor_margin_negative_season_h": intact.negative_h,
        "corridor_margin_n1_negative_season_h": n1.negative_h,
        "corridor_margin_season_h": intact.hours_h,
    }


def _reservoirs(rs: ResultSet) -> tuple[Data, dict[str, npt.ArrayLike]]:
    found = adequacy.reservoir_security(rs.profiles)
    if found is None:
        return {}, {}
    low, dead = found
    return (
        {"reservoir_min_volume_bcm": low.values, "reservoir_dead_storage_months": dead.values},
        {"reservoir": low.reservoir.values},
    )


def _adequacy(rs: ResultSet, seeds: IndicatorSeeds, config: IndicatorsConfig) -> Data:
    s, months = rs.seasonal, rs.month_values
    zones = [str(z) for z in s.zone.values]
    losses = s.get("loss_cover_mw")
    system = monte_carlo.adequacy_system(rs.profiles, rs.params, seeds, zones, losses)
    mc = monte_carlo.simulate(system, years=config.mc_years, seed=config.mc_seed)
    home = monte_carlo.simulate(monte_carlo.without_outages(system), years=1, seed=0)
    month_index = [mc.months.index(m) for m in months]
    return {
        "unserved_gwh": adequacy.unserved_gwh(s, months).values,
        "loss_of_load_h": adequacy.loss_of_load_hours(s, months).values,
        "import_gwh": adequacy.import_gwh(s, months).values,
        "import_need_gwh": adequacy.import_need_gwh(s, months).values,
        "reserve_margin_percent": adequacy.reserve_margin_percent(
            rs.profiles, rs.params, zones, months
        ).values,
        "home_unserved_gwh": home.ens_month_mwh[month_index] / 1000.0,
        "home_loss_of_load_h": home.lol_month_h[month_index],
        "mc_lole_h": mc.lole_h(),
        "mc_eens_mwh": mc.eens_mwh(),
        "mc_eens_cv": mc.eens_cv(),
        "mc_lole_cv": mc.lole_cv(),
        "mc_eens_p95_mwh": np.percentile(mc.ens_mwh, 95.0, axis=0),
        "mc_lole_month_h": mc.lol_month_h[month_index],
        "mc_eens_month_mwh": mc.ens_month_mwh[month_index],
        "mc_annual_ens_mwh": mc.ens_mwh,
        "mc_annual_lol_h": mc.lol_h,
        "mc_system_lole_h": float(mc.system_lol_h.mean()),
    }


def _dependence(rs: ResultSet, seeds: IndicatorSeeds) -> Data:
    s, p = rs.seasonal, rs.profiles
    shares = dependence.supplier_shares(rs.params)
    imports, exports, demand = dependence.country_flows_mw(s, p, rs.params, shares)
    hourly = dependence.hourly_import_share_percent(imports, demand)
    share_mean, share_max = dependence.period_stats(hourly)
    supply = dependence.supply_by_source_gwh(s, rs.params)
    swi, hhi = dependence.diversity(supply, "source")
    by_supplier = energy_gwh(dependence.supplier_export_mw(s, shares))
    supplier_total = float(by_supplier.sum())
    delivered = rs.delivered_mw()
    pk_gwh = float(energy_gwh(delivered.sel(offtaker="PK")))
    kg_export = dependence.supplier_export_mw(s, shares).sel(zone="KG", drop=True)
    data: Data = {
        "import_dependence_percent": dependence.import_dependence_percent(
            imports, exports, demand
        ).values,
        "import_share_mean_percent": share_mean.values,
        "import_share_max_percent": share_max.values,
        "hourly_import_share_percent": hourly.values,
        "supply_gwh": supply.values,
        "source_shannon_wiener": swi.values,
        "source_hhi": hhi.values,
        "casa_supplier_share_percent": (
            100.0 * by_supplier / supplier_total if supplier_total > 0 else by_supplier * np.nan
        ).values,
        "casa_supplier_shannon_wiener": dependence.shannon_wiener(by_supplier.values),
        "casa_supplier_hhi": dependence.herfindahl_hirschman(by_supplier.values),
        "pk_supply_via_afghanistan_percent": dependence.pk_supply_via_afghanistan_percent(
            pk_gwh, rs.params, seeds.route_km
        ),
        "afghan_route_km": dependence.afghan_route_km(rs.params, seeds.route_km),
        "kg_share_of_export_percent": (
            100.0 * float(by_supplier.sel(zone="KG")) / supplier_total
            if supplier_total > 0
            else float("nan")
        ),
    }
    corridors = dependence.afghan_corridors_gwh(p, delivered.sel(offtaker="AF"), rs.params)
    if corridors is not None:
        cases = [corridors[c] for c in dependence.AFGHAN_CASES]
        imported = [sum(dependence.corridor_shares(c)) for c in cases]
        consumed = [i + c["domestic"] for i, c in zip(imported, cases, strict=True)]
        data.update(
            {
                "afghan_import_dependence_percent": np.asarray(
                    [
                        100.0 * i / t if t > 0 else np.nan
                        for i, t in zip(imported, consumed, strict=True)
                    ]
                ),
                "afghan_unserved_gwh": np.asarray([c["unserved"] for c in cases]),
                "afghan_corridor_shannon_wiener": np.asarray(
                    [dependence.shannon_wiener(dependence.corridor_shares(c)) for c in cases]
                ),
                "afghan_corridor_hhi": np.asarray(
                    [dependence.herfindahl_hirschman(dependence.corridor_shares(c)) for c in cases]
                ),
            }
        )
    if rs.contingency is not None:
        data["kg_export_via_datka_sughd_percent"] = dependence.kg_export_via_tie_percent(
            rs.contingency, kg_export
        )
    return data


def _economics(
    rs: ResultSet, seeds: IndicatorSeeds, config: IndicatorsConfig, security: Data
) -> Data:
    s = rs.seasonal
    delivered = rs.delivered_mw()
    exports = dependence.supplier_export_mw(s, dependence.supplier_shares(rs.params))
    total = exports.sum("zone")
    share = (exports / total.where(total > 0)).fillna(0.0)
    hourly = economics.revenue_mw_usd(delivered, share, seeds.tariffs)
    factor = seeds.emission_factors["pk_marginal"]
    ef = (
        factor.co2_t_per_mwh
        if config.marginal_emission_factor_t_per_mwh is None
        else config.marginal_emission_factor_t_per_mwh
    )
    eta = factor.efficiency if config.marginal_efficiency is None else config.marginal_efficiency
    pk_gwh = float(energy_gwh(delivered.sel(offtaker="PK")))
    data: Data = {
        "revenue_musd": economics.revenue_musd(hourly).values,
        "payment_musd": economics.payments_musd(delivered, seeds.tariffs).values,
        "avoided_co2_kt": economics.avoided_co2_kt(pk_gwh, ef),
        "avoided_fuel_tj": economics.avoided_fuel_tj(pk_gwh, eta),
        "marginal_emission_factor_t_per_mwh": ef,
    }
    if "n1_secure" in security:
        secure = xr.DataArray(
            np.asarray(security["n1_secure"]), dims="time", coords={"time": s.time}
        )
        studied = xr.DataArray(
            np.isin(s.time, rs.contingency.time if rs.contingency is not None else []),
            dims="time",
            coords={"time": s.time},
        )
        data["revenue_insecure_hours_musd"] = float(
            economics.revenue_musd(hourly, studied & ~secure).sum()
        )
        delivered_mwh = float(delivered.sum()) * 1.0
        mean_usd_per_mwh = float(hourly.sum()) / delivered_mwh if delivered_mwh > 0 else 0.0
        ende = float(np.nansum(np.asarray(security["expected_not_delivered_mwh"])))
        data["revenue_expected_outage_loss_musd"] = ende * mean_usd_per_mwh / 1e6
    if rs.transfer is not None:
        data["revenue_above_capability_musd"] = economics.revenue_above_capability_musd(
            hourly, rs.sent_mw(), rs.transfer["transfer_capability_mw"]
        )
    return data


def _run(inputs: StudyInputs, config: IndicatorsConfig, report: Progress) -> xr.Dataset:
    rs = result_set(inputs)
    seeds = load_indicator_seeds(
        tariffs_file=config.tariffs_file, outage_rates_file=config.outage_rates_file
    )
    report("delivery", 0.05)
    data = _delivery(rs)
    report("security", 0.2)
    security, extra_coords = _security(rs, seeds)
    data.update(security)
    report("adequacy (Monte Carlo)", 0.3)
    started = time.perf_counter()
    data.update(_adequacy(rs, seeds, config))
    mc_s = time.perf_counter() - started
    reservoirs, reservoir_coords = _reservoirs(rs)
    data.update(reservoirs)
    extra_coords.update(reservoir_coords)
    report("dependence and economics", 0.85)
    data.update(_dependence(rs, seeds))
    data.update(_economics(rs, seeds, config, security))
    s = rs.seasonal
    attrs: dict[str, object] = {f"absent_{k}": v for k, v in rs.absent.items()}
    if "af_demand_mw" not in rs.profiles.data_vars:
        attrs["absent_afghan_balance"] = "the profiles carry no Afghan supply balance (af_*)"
    attrs.update(
        {
            "mc_years": config.mc_years,
            "mc_seed": config.mc_seed,
            "mc_method": "two-state Markov forced outages of units and import ties; "
            "copper-plate capacity balance per zone with a pooled import limit",
            "hours": int(s.sizes["time"]),
            f"{RUN_FACT_PREFIX}monte_carlo_s": round(mc_s, 3),
        }
    )
    if rs.transfer is not None:
        attrs["transfer_direction"] = corridor_security.transfer_direction(rs.transfer)
    if rs.contingency is not None:
        _, _, unrated = corridor_security.outage_rates(rs.contingency, rs.params, seeds)
        attrs["unrated_contingencies"] = " ".join(unrated)
        for key, why in (
            ("absent_remedial", corridor_remedial.missing_remedial(rs.contingency)),
            ("absent_pv_margin", corridor_remedial.missing_margin(rs.contingency)),
        ):
            if why:
                attrs[key] = why
    segments = delivery.loss_segments(s)
    supply = dependence.supply_by_source_gwh(s, rs.params)
    coords: dict[str, npt.ArrayLike] = {
        "time": s.time.values,
        "month": np.asarray(rs.month_values, dtype=np.int64),
        "offtaker": s.offtaker.values,
        "zone": s.zone.values,
        "country": list(dependence.COUNTRIES),
        "segment": segments,
        "reason": list(delivery.REASONS),
        "period": list(supply.period.values),
        "source": list(supply.source.values),
        "party": list(economics.PARTIES),
        "afghan_case": list(dependence.AFGHAN_CASES),
        "mc_year": np.arange(config.mc_years, dtype=np.int64),
        **extra_coords,
    }
    ds = SCHEMA.build(coords=coords, data=data, attrs=attrs)
    report("done", 1.0)
    return ds


SPEC: StudySpec[IndicatorsConfig] = StudySpec(
    name="indicators",
    title="energy-security indicators of a result set: delivery, corridor security, "
    "adequacy at home, dependence, economics",
    config_type=IndicatorsConfig,
    run=_run,
    schema=SCHEMA,
    tables=tables.tables,
    table_names=tables.TABLES,
    summary=tables.summary,
    needs=("seasonal",),
)
"""The indicators study in the registry."""
