"""Fixtures of the indicator tests: tiny hand-made results built with the studies' schemas,
and a real result set on a few days of the reference year."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from casa1000.grid.areas import synchronous_areas
from casa1000.grid.params import GridParams
from casa1000.profiles.schema import DatasetSchema
from casa1000.studies import contingency, seasonal, transfer_capability
from casa1000.studies.contingency import ContingencyConfig
from casa1000.studies.spine.runner import execute
from casa1000.studies.spine.scenario import Scenario, StudyInputs
from casa1000.studies.transfer_capability import TransferConfig

# two January and two July hours: winter without export, summer with it
TIMES = pd.DatetimeIndex(
    ["2027-01-15 00:00", "2027-01-15 01:00", "2027-07-01 00:00", "2027-07-01 01:00"]
)


def build(
    schema: DatasetSchema,
    coords: Mapping[str, object],
    data: Mapping[str, object],
) -> xr.Dataset:
    """A dataset of ``schema``: the given values, zeros (or False, "") for the rest."""
    sizes = {name: len(np.atleast_1d(np.asarray(v))) for name, v in coords.items()}
    full: dict[str, object] = {}
    for name, spec in schema.variables.items():
        if name in data:
            full[name] = data[name]
            continue
        if spec.optional:
            continue
        shape = tuple(sizes[d] for d in spec.dims)
        if spec.dtype == "str":
            full[name] = np.full(shape, "", dtype=object)
        elif spec.dtype == "datetime64[ns]":
            full[name] = np.full(shape, np.datetime64("2027-01-01T00:00", "ns"))
        elif spec.dtype == "bool":
            full[name] = np.zeros(shape, dtype=bool)
        else:
            full[name] = np.zeros(shape, dtype=spec.dtype)
    return schema.build(coords=dict(coords), data=full)


@pytest.fixture(scope="session")
def make_seasonal(as_built: GridParams) -> Callable[..., xr.Dataset]:
    """Build a seasonal result of the as-built network on ``TIMES`` (or given times)."""

    def make(data: Mapping[str, object], times: pd.DatetimeIndex = TIMES) -> xr.Dataset:
        p = as_built
        areas = synchronous_areas(p)
        buses = [b.id for b in p.buses]
        area_names = sorted({a for a in areas.values() if a})
        coords = {
            "time": times,
            "bus": buses,
            "branch": ["B1"],
            "terminal": [t.id for t in (p.hvdc.rectifier, *p.hvdc.inverters)],
            "offtaker": ["PK", "AF"],
            "area": area_names,
            "plant": [pl.id for pl in p.plants],
            "zone": ["KG", "TJ"],
            "bus_zone": [b.zone for b in p.buses],
            "bus_vn_kv": [b.vn_kv for b in p.buses],
            "bus_vmin_pu": [0.9] * len(buses),
            "bus_vmax_pu": [1.1] * len(buses),
            "bus_area": [areas[b] for b in buses],
            "branch_area": ["CAPS"],
            "branch_rating_mva": [1000.0],
            "branch_parent": ["B1"],
        }
        base: dict[str, object] = {"converged": np.ones(len(times), dtype=bool)}
        if "export_sent_mw" in data:
            # both suppliers offering enough: the dispatch splits the export by contract share
            sent = np.broadcast_to(np.asarray(data["export_sent_mw"], dtype=float), (len(times),))
            shares = [p.contract.kyrgyzstan_share, p.contract.tajikistan_share]
            base["supplier_export_mw"] = np.outer(sent, shares)
        return build(seasonal.SCHEMA, coords, {**base, **data})

    return make


@pytest.fixture(scope="session")
def make_profiles(as_built: GridParams) -> Callable[..., xr.Dataset]:
    """Build profiles on ``TIMES``: demand, availability, contract (only what indicators read)."""

    def make(
        *,
        demand: Mapping[str, object] | None = None,
        available: Mapping[str, object] | None = None,
        contract: Mapping[str, object] | None = None,
        afghan: tuple[object, Mapping[str, object]] | None = None,
        times: pd.DatetimeIndex = TIMES,
    ) -> xr.Dataset:
        n = len(times)
        zones = ["KG", "TJ", "AF", "PK"]
        plants = [pl.id for pl in as_built.plants]
        d = np.zeros((n, 4))
        for z, v in (demand or {}).items():
            d[:, zones.index(z)] = v
        a = np.zeros((n, len(plants)))
        for pl, v in (available or {}).items():
            a[:, plants.index(pl)] = v
        c = np.zeros((n, 2))
        for o, v in (contract or {}).items():
            c[:, ["PK", "AF"].index(o)] = v
        ds = xr.Dataset(
            {
                "demand_mw": (("time", "zone"), d),
                "available_mw": (("time", "plant"), a),
                "contract_mw": (("time", "offtaker"), c),
            },
            coords={"time": times, "zone": zones, "plant": plants, "offtaker": ["PK", "AF"]},
        )
        if afghan is not None:  # the Afghan balance: demand and what each source can give
            from casa1000.profiles.afghan_balance import SOURCES

            af_demand, af_available = afghan
            av = np.zeros((n, len(SOURCES)))
            for source, v in af_available.items():
                av[:, SOURCES.index(source)] = v
            ds["af_demand_mw"] = ("time", np.broadcast_to(np.asarray(af_demand, float), (n,)))
            ds["af_available_mw"] = (("time", "af_source"), av)
            ds = ds.assign_coords(af_source=list(SOURCES))
        return ds

    return make


@pytest.fixture(scope="session")
def make_contingency() -> Callable[..., xr.Dataset]:
    """Build a contingency result over ``ids`` (kinds given) on ``TIMES``."""

    def make(
        ids: list[str],
        kinds: list[str],
        data: Mapping[str, object],
        times: pd.DatetimeIndex = TIMES,
    ) -> xr.Dataset:
        coords = {
            "time": times,
            "contingency": ids,
            "contingency_kind": kinds,
            "contingency_description": ids,
            "branch": ["B1"],
            "bus": ["X"],
        }
        base = {
            "converged": np.ones((len(times), len(ids)), dtype=bool),
            "secure": np.ones((len(times), len(ids)), dtype=bool),
        }
        return build(contingency.SCHEMA, coords, {**base, **data})

    return make


@pytest.fixture(scope="session")
def make_transfer() -> Callable[..., xr.Dataset]:
    """Build a transfer result with the given hourly capability on ``TIMES``."""

    def make(capability_mw: object, times: pd.DatetimeIndex = TIMES) -> xr.Dataset:
        coords = {"time": times, "contingency": ["BASE"], "contingency_kind": ["base"]}
        return build(transfer_capability.SCHEMA, coords, {"transfer_capability_mw": capability_mw})

    return make


@pytest.fixture(scope="session")
def real_inputs(as_built: GridParams, profiles_2027: xr.Dataset) -> StudyInputs:
    """The reference year's profiles on 12 hours (15 January night, 1 July afternoon), with
    all three results."""
    stamp = profiles_2027.time.dt.strftime("%m-%d %H")
    picked = [f"01-15 {h:02d}" for h in range(6)] + [f"07-01 {h:02d}" for h in range(12, 18)]
    hours = profiles_2027.sel(time=stamp.isin(picked))
    inputs = StudyInputs(scenario=Scenario.given(as_built), params=as_built, profiles=hours)
    results: dict[str, xr.Dataset] = {}
    for spec, config in (
        (seasonal.SPEC, None),
        (contingency.SPEC, ContingencyConfig()),
        (transfer_capability.SPEC, TransferConfig(resolution_mw=50.0)),
    ):
        ds = execute(spec, dataclasses.replace(inputs, results=results), config).dataset
        results[spec.name] = ds
    return dataclasses.replace(inputs, results=results)
