"""Drill-down data: every bus voltage and branch loading before and after the worst contingencies.

A contingency result keeps, per (hour, contingency), only envelopes (highest
loading, lowest voltage, ...).  For the report's drill-down the chosen hours are
solved again, at report time, with the library the study itself used: the
result's scenario is rebuilt from its attributes (variant, overrides, profile
build), checked against the recorded parameter and profile hashes, and the
chosen hours go through :func:`casa1000.studies.contingency.prepare` and the
contingency sweep with ``keep_elements=True``.  The cases shown are the worst
hour (highest performance index, else the first hour without convergence) of
each of the ``n`` top-ranked contingencies.  The state shown after an outage is
the one the outage alone leaves; where the study's remedial actions (Afghan
import runback, load shedding) restored the case, the case says how much they
took (:func:`remedial_note`).

When the scenario cannot be rebuilt (profiles read from a file or passed in by a
Python caller, a hash that no longer matches) the drill-down is left out and the
reason is reported.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.errors import Casa1000Error
from casa1000.studies.contingency_tables import ranking

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class DrillCase:
    """One (hour, contingency): every bus voltage and branch loading before and after.

    Voltages [pu] and loadings [%] are NaN for an islanded bus or branch and for
    every element of a state that did not converge.
    """

    time: np.datetime64
    contingency: str
    description: str
    converged: bool
    bus: tuple[str, ...]
    vm_before_pu: FloatArray
    vm_after_pu: FloatArray
    branch: tuple[str, ...]
    loading_before_percent: FloatArray
    loading_after_percent: FloatArray
    remedial: str = ""
    """What the remedial actions did in this case (empty: none needed, or a result
    without them); the state shown is the one the outage alone leaves."""


@dataclass(frozen=True, kw_only=True)
class DrillDown:
    """The drill-down cases, or why there are none."""

    cases: tuple[DrillCase, ...]
    note: str
    """How the cases were obtained, or why the drill-down is missing."""


def worst_cases(ds: xr.Dataset, n: int) -> list[tuple[int, int]]:
    """Return (hour, contingency) indices of the worst hour of the ``n`` top-ranked contingencies.

    The worst hour is the first hour without convergence, else the hour of the
    highest performance index.  Of the parallel circuits of one line (ids
    ``LINE:X/1``, ``LINE:X/2``) only the first ranked is taken.

    Parameters
    ----------
    ds
        A contingency result.
    n
        Number of contingencies (ranked by
        :func:`casa1000.studies.contingency_tables.ranking`).
    """
    order = list(ds.contingency.values)
    pi = ds.performance_index.values
    converged = ds.converged.values.astype(bool)
    out: list[tuple[int, int]] = []
    seen: set[str] = set()
    for cid in ranking(ds).index:
        # circuit 2 of a line ranks next to circuit 1 with the same figures: show one
        stem = str(cid).rsplit("/", 1)[0]
        if stem in seen:
            continue
        if len(out) == n:
            break
        seen.add(stem)
        j = order.index(cid)
        column = pi[:, j]
        if np.isfinite(column).any():
            t = int(np.nanargmax(column))
            if not converged[:, j].all():
                t = int(np.flatnonzero(~converged[:, j])[0])
        else:
            t = int(np.flatnonzero(~converged[:, j])[0]) if (~converged[:, j]).any() else 0
        out.append((t, j))
    return out


def remedial_note(ds: xr.Dataset, t: int, j: int) -> str:
    """Say what the remedial actions did at hour ``t`` after contingency ``j``.

    Returns
    -------
    str
        Empty when no action was needed or the result has no remedial actions;
        else the MW run back and shed that restored the case, or that the
        largest actions could not.

    Examples
    --------
    >>> ds = xr.Dataset(
    ...     {
    ...         "remedial_outcome": (("time", "contingency"), [[0, 1]]),
    ...         "afghan_runback_mw": (("time", "contingency"), [[0.0, 120.0]]),
    ...         "load_shed_mw": (("time", "contingency"), [[0.0, 40.0]]),
    ...     }
    ... )
    >>> remedial_note(ds, 0, 1)
    'remedial actions: 120 MW Afghan import run back and 40 MW load shed restored it'
    >>> remedial_note(ds, 0, 0)
    ''
    """
    if "remedial_outcome" not in ds.data_vars:
        return ""
    outcome = int(ds.remedial_outcome.values[t, j])
    if outcome == 2:
        return "the largest remedial actions allowed do not restore it"
    if outcome != 1:
        return ""
    taken = []
    actions = (("afghan_runback_mw", "Afghan import run back"), ("load_shed_mw", "load shed"))
    for name, what in actions:
        mw = float(ds[name].values[t, j]) if name in ds.data_vars else 0.0
        if mw > 0:
            taken.append(f"{mw:,.0f} MW {what}")
    return f"remedial actions: {' and '.join(taken) or 'switching'} restored it"


def _contingency_config(ds: xr.Dataset) -> object:
    from casa1000.studies.contingency import ContingencyConfig
    from casa1000.studies.security.limits import Limits

    recorded = json.loads(str(ds.attrs.get("config", "{}")))
    known = {f.name for f in dataclasses.fields(ContingencyConfig)}
    kwargs: dict[str, object] = {}
    for key, value in recorded.items():
        if key not in known:
            continue
        if key == "limits":
            kwargs[key] = Limits(**value)
        elif key == "months":
            kwargs[key] = tuple(value)
        elif key == "groups_file":
            kwargs[key] = None if value is None else Path(value)
        else:
            kwargs[key] = value
    return ContingencyConfig(**kwargs)  # type: ignore[arg-type]


def rebuild_inputs(ds: xr.Dataset) -> tuple[object, xr.Dataset] | str:
    """Rebuild the network and profiles a result ran on from its attributes.

    Returns
    -------
    tuple or str
        ``(params, profiles)`` restricted to the result's hours, or the reason
        they cannot be rebuilt.
    """
    from casa1000.studies.spine.provenance import hash_dataset, params_hash
    from casa1000.studies.spine.scenario import Scenario, profile_config_from

    a = ds.attrs
    source = str(a.get("profile_source", ""))
    if not source.startswith("{"):
        return f"its profiles came from {source or 'an unknown source'}, not from a build"
    try:
        # the profile settings as recorded, parsed the way the command line parses them
        build = profile_config_from(None, json.loads(source))
        overrides = json.loads(str(a.get("overrides", "{}")))
        scenario = Scenario(
            name=str(a.get("scenario", "")),
            variant=str(a.get("variant", "")) or None,
            sets=tuple(f"{k}={v}" for k, v in overrides.items()),
            profile_config=build,
        )
        inputs = scenario.load()
    except (Casa1000Error, ValueError, TypeError) as exc:
        return f"its scenario could not be rebuilt ({exc})"
    if params_hash(inputs.params) != a.get("parameter_hash"):
        return "the rebuilt network differs from the one recorded (parameter hash)"
    try:
        hours = inputs.profiles.sel(time=ds.time.values)
    except KeyError:
        return "the result's hours are not hours of the rebuilt profiles"
    # the study ran on the whole built year, or (a Python caller) on the result's hours of it
    if a.get("profile_hash") not in (hash_dataset(inputs.profiles), hash_dataset(hours)):
        return "the rebuilt profiles differ from those recorded (profile hash)"
    return inputs.params, hours


def drill_down(ds: xr.Dataset, n: int = 6) -> DrillDown:
    """Solve the worst hour of the ``n`` top-ranked contingencies again, keeping every element.

    Parameters
    ----------
    ds
        A contingency result (read through the runner).
    n
        Number of cases.

    Returns
    -------
    DrillDown
        The cases in ranking order, or none and the reason.
    """
    from casa1000.grid.params import GridParams
    from casa1000.studies.contingency import ContingencyConfig, prepare
    from casa1000.studies.engine.contingency_sweep import ContingencySweep
    from casa1000.studies.spine.schedule_inputs import inputs_from_profiles

    picks = worst_cases(ds, n)
    if not picks:
        return DrillDown(cases=(), note="the result has no contingency besides the base case")
    rebuilt = rebuild_inputs(ds)
    if isinstance(rebuilt, str):
        return DrillDown(cases=(), note=f"No drill-down: {rebuilt}.")
    params, profiles = rebuilt
    assert isinstance(params, GridParams)
    config = _contingency_config(ds)
    assert isinstance(config, ContingencyConfig)
    hours = sorted({t for t, _ in picks})
    scr = prepare(params, inputs_from_profiles(params, profiles.isel(time=hours)), config)
    ids = [c.id for c in scr.contingencies]
    if ids != [str(c) for c in ds.contingency.values]:
        return DrillDown(
            cases=(), note="No drill-down: the rebuilt contingency set differs from the result's."
        )
    result = ContingencySweep(scr.batch, config.limits).run(
        lambda j, part: scr.post(part).state(scr.contingencies[j]),
        len(hours),
        len(ids),
        twins=scr.twins,
        keep_elements=True,
    )
    assert result.loading is not None and result.vm is not None
    bus = tuple(str(b) for b in scr.built.net.bus.name)
    branch = tuple(scr.built.index.branch_ids)
    cases = []
    for t, j in picks:
        row = hours.index(t)
        # the sweep below solves the outage alone, before any remedial action
        before = ds.get("status_before_remedial")
        ok = bool(ds.converged.values[t, j]) if before is None else int(before.values[t, j]) == 0
        # a state that did not converge has no voltages to show (one area may have)
        blank_bus = np.full(len(bus), np.nan)
        blank_branch = np.full(len(branch), np.nan)
        cases.append(
            DrillCase(
                time=np.datetime64(ds.time.values[t]),
                contingency=ids[j],
                description=str(ds.contingency_description.values[j]),
                converged=ok,
                bus=bus,
                vm_before_pu=result.vm[row, 0, :].copy(),
                vm_after_pu=result.vm[row, j, :].copy() if ok else blank_bus,
                branch=branch,
                loading_before_percent=result.loading[row, 0, :].copy(),
                loading_after_percent=result.loading[row, j, :].copy() if ok else blank_branch,
                remedial=remedial_note(ds, t, j),
            )
        )
    return DrillDown(
        cases=tuple(cases),
        note=(
            f"Solved again at report time with the study's own contingency sweep "
            f"({len(hours)} hour(s) x {len(ids)} contingencies, every element kept), "
            "from the scenario recorded in the result (hashes checked)."
        ),
    )
