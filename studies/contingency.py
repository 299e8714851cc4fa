r"""Contingency screening: full AC N-1 (and named N-k groups) for every hour of a study.

For each hour and each contingency of
:func:`~casa1000.studies.security.contingency_set.define_contingencies` the
post-contingency state of :mod:`casa1000.studies.security.post_contingency` is
solved by a full AC load flow (:mod:`casa1000.studies.engine.contingency_sweep`) and reported:
convergence (with the reason), islands and unserved load, the most loaded branch,
the lowest and highest voltage with their buses, violations by type against
:class:`~casa1000.studies.security.limits.Limits`, and a performance index.

Remedial actions.  Where an outage leaves a case that does not converge, or a bus
of the action zones below the voltage limit, the automatic actions of
:class:`~casa1000.studies.security.remedial.RemedialRule` act (Afghan import
runback, then under-voltage load shedding) and the row reports the state they
reach; ``status_before_remedial`` keeps what the outage alone did, and
``afghan_runback_mw``/``load_shed_mw`` what the actions took.  A row is
``secure`` when its final state converges within the limits with no load lost
(islanded or shed; Afghan import run back is export lost, like an HVDC runback);
``secure_without_remedial`` when no action was needed as well.

Reactive limits and commitment.  Idle plants do not regulate; running plants are
held to the reactive capability of their running units (PV -> PQ switching, see
:mod:`casa1000.studies.engine.area_sweep`) unless ``q_limits`` is off.

Tiers.  No case is screened out by a linear estimate: every (hour, contingency)
row is either AC-solved or an exact copy of an AC-solved row (identical
injections and topology, or the sister outage of an identical parallel circuit),
so every reported violation is an AC result.  The dataset's attributes count the
rows of each tier.

Severity.  The performance index of a row is, after Ejebe and Wollenberg [1]_,

.. math:: PI = \sum_b \frac{1}{2n}\left(\frac{L_b}{L_{max}}\right)^{2n}
          + \sum_i \frac{1}{2n}\left(\frac{V_i - V_{mid}}{\Delta V}\right)^{2n}

with ``n = 2``, ``L`` the branch loading against the thermal limit,
``V_mid``/``ΔV`` the middle/half-width of the voltage band; a row that does not
converge has no index and ranks above every index.  Contingencies are ranked by
hours without convergence, then insecure hours (a violation or unserved load),
then worst index.

References
----------
.. [1] G. C. Ejebe and B. F. Wollenberg, "Automatic contingency selection",
   IEEE Trans. PAS-98(1), 97-109, 1979.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.grid.builder import BuiltNet, build_net
from casa1000.grid.params import GridParams
from casa1000.studies import contingency_tables
from casa1000.studies.engine.batch_ac import BatchAC
from casa1000.studies.engine.contingency_sweep import (
    ContingencySweep,
    ElementWorst,
    RowEnvelopes,
    SweepTotals,
    Twin,
)
from casa1000.studies.engine.row_solver import (
    MAX_ITER,
    STATUS_REASON,
    TOLERANCE_PU,
    Level,
    SolvedRows,
    Status,
)
from casa1000.studies.security.contingency_set import (
    Contingency,
    ContingencyKind,
    define_contingencies,
)
from casa1000.studies.security.limits import Limits
from casa1000.studies.security.post_contingency import PostContingency, PostState
from casa1000.studies.security.pv_margin import corridor_nose, first_corridor_circuit
from casa1000.studies.security.remedial import RemedialOutcome, RemedialRule, Remedy
from casa1000.studies.spine.hours import select_hours
from casa1000.studies.spine.runner import execute
from casa1000.studies.spine.scenario import Scenario, StudyInputs
from casa1000.studies.spine.schedule_inputs import ScheduleInputs, inputs_from_profiles
from casa1000.studies.spine.schema import DatasetSchema, VariableSpec
from casa1000.studies.spine.spill import Spill
from casa1000.studies.spine.study import RUN_FACT_PREFIX, Progress, StudySpec

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class ContingencyConfig:
    """Settings of the contingency study.

    Parameters
    ----------
    months
        Months (1-12) to study; all by default.
    limits
        Thermal [%] and voltage [pu] limits.
    min_unit_mw
        Smallest unit whose loss is screened [MW].
    min_plant_mw
        Smallest plant whose trip is screened [MW].
    groups_file
        Named N-k groups (TOML); the seed file by default.
    include_groups
        Screen the named groups.
    threads
        Worker threads of the batch solver.
    chunk_rows
        Rows solved and held at once (bounds memory: about 2 kB a row); hours
        are taken in parts of whole start-voltage blocks (a twelfth of the
        study), at least one block a part: a year in three parts by default.
        Each finished part's (hour, contingency) rows go to a scratch file in
        the temporary folder (``TMPDIR``; about 110 bytes a row, 70 MB for a
        year), read back as the result is written
        (:mod:`~casa1000.studies.spine.spill`).  The results do not depend on
        it beyond round-off (about 1e-13).
    q_limits
        Hold running plants to their reactive capability (PV -> PQ switching).
    remedial
        The remedial actions allowed after an outage (``RemedialRule(runback=False,
        shed=False)``: none, the state the outage leaves).
    pv_margin
        Report the AC corridor's PV margin (MW of offtake to the nose) of every
        export hour, both circuits in and the first circuit out
        (:func:`~casa1000.studies.security.pv_margin.corridor_nose`).
    pv_margin_step_mw, pv_margin_resolution_mw
        Scan step and bisection width of the nose [MW].
    """

    months: tuple[int, ...] = ()
    limits: Limits = field(default_factory=Limits)
    min_unit_mw: float = 100.0
    min_plant_mw: float = 1000.0
    groups_file: Path | None = None
    include_groups: bool = True
    threads: int = 2
    chunk_rows: int = 2_920
    q_limits: bool = True
    remedial: RemedialRule = field(default_factory=RemedialRule)
    pv_margin: bool = True
    pv_margin_step_mw: float = 25.0
    pv_margin_resolution_mw: float = 1.0


SCHEMA = DatasetSchema(
    name="contingency",
    title="casa1000 contingency screening",
    version=3,
    coords={
        "time": VariableSpec(
            dims=("time",), dtype="datetime64[ns]", long_name="hour (local UTC+05:00)"
        ),
        "contingency": VariableSpec(dims=("contingency",), dtype="str", long_name="contingency id"),
        "contingency_kind": VariableSpec(
            dims=("contingency",), dtype="str", long_name="contingency kind"
        ),
        "contingency_description": VariableSpec(
            dims=("contingency",), dtype="str", long_name="contingency description"
        ),
        "branch": VariableSpec(
            dims=("branch",), dtype="str", long_name="line circuit or transformer unit id"
        ),
        "bus": VariableSpec(dims=("bus",), dtype="str", long_name="bus id"),
    },
    variables={
        "status": VariableSpec(
            dims=("time", "contingency"), long_name="load flow outcome", dtype="int8", flags=Status
        ),
        "converged": VariableSpec(
            dims=("time", "contingency"),
            long_name="post-contingency load flow converged",
            dtype="bool",
        ),
        "ac_solved": VariableSpec(
            dims=("time", "contingency"),
            long_name="row AC-solved (False: exact copy of an identical AC-solved row)",
            dtype="bool",
        ),
        "max_loading_percent": VariableSpec(
            dims=("time", "contingency"), long_name="highest branch loading", units="%"
        ),
        "max_loading_branch": VariableSpec(
            dims=("time", "contingency"),
            long_name="most loaded branch (index into branch; -1: none)",
            dtype="int32",
            lookup="branch",
        ),
        "vm_min_pu": VariableSpec(
            dims=("time", "contingency"), long_name="lowest energised bus voltage", units="pu"
        ),
        "vm_min_bus": VariableSpec(
            dims=("time", "contingency"),
            long_name="bus of vm_min_pu (index into bus; -1: none)",
            dtype="int32",
            lookup="bus",
        ),
        "vm_max_pu": VariableSpec(
            dims=("time", "contingency"), long_name="highest bus voltage", units="pu"
        ),
        "vm_max_bus": VariableSpec(
            dims=("time", "contingency"),
            long_name="bus of vm_max_pu (index into bus; -1: none)",
            dtype="int32",
            lookup="bus",
        ),
        "thermal_violations": VariableSpec(
            dims=("time", "contingency"),
            long_name="branches above the thermal limit",
            units="1",
            dtype="int16",
        ),
        "undervoltage_violations": VariableSpec(
            dims=("time", "contingency"), long_name="buses below vmin", units="1", dtype="int16"
        ),
        "overvoltage_violations": VariableSpec(
            dims=("time", "contingency"), long_name="buses above vmax", units="1", dtype="int16"
        ),
        "secure": VariableSpec(
            dims=("time", "contingency"),
            long_name="converged within limits, no load lost (after remedial actions)",
            dtype="bool",
        ),
        "secure_without_remedial": VariableSpec(
            dims=("time", "contingency"),
            long_name="secure with no remedial action needed",
            dtype="bool",
        ),
        "status_before_remedial": VariableSpec(
            dims=("time", "contingency"),
            long_name="load flow outcome the outage alone leaves",
            dtype="int8",
            flags=Status,
        ),
        "remedial_outcome": VariableSpec(
            dims=("time", "contingency"),
            long_name="what the remedial actions did",
            dtype="int8",
            flags=RemedialOutcome,
        ),
        "afghan_runback_mw": VariableSpec(
            dims=("time", "contingency"),
            long_name="offtake over AC (Afghan import) run back after the outage",
            units="MW",
        ),
        "load_shed_mw": VariableSpec(
            dims=("time", "contingency"),
            long_name="load shed by under-voltage load shedding after the outage",
            units="MW",
        ),
        "unserved_mw": VariableSpec(
            dims=("time", "contingency"), long_name="load on islanded buses", units="MW"
        ),
        "corridor_nose_mw": VariableSpec(
            dims=("time",),
            long_name="AC offtake at the nose of the corridor's PV curve, both circuits in",
            units="MW",
            optional=True,
        ),
        "corridor_margin_mw": VariableSpec(
            dims=("time",),
            long_name="PV margin of the corridor (offtake to the nose), both circuits in",
            units="MW",
            optional=True,
        ),
        "corridor_nose_n1_mw": VariableSpec(
            dims=("time",),
            long_name="AC offtake at the nose of the corridor's PV curve, first circuit out",
            units="MW",
            optional=True,
        ),
        "corridor_margin_n1_mw": VariableSpec(
            dims=("time",),
            long_name="PV margin of the corridor (offtake to the nose), first circuit out",
            units="MW",
            optional=True,
        ),
        "export_lost_mw": VariableSpec(
            dims=("time", "contingency"),
            long_name="export not delivered (runback, contract path, islanded offtake)",
            units="MW",
        ),
        "performance_index": VariableSpec(
            dims=("time", "contingency"),
            long_name="Ejebe-Wollenberg performance index (n=2), thermal + voltage",
            units="1",
        ),
        "pi_thermal": VariableSpec(
            dims=("time", "contingency"), long_name="thermal part of the index", units="1"
        ),
        "pi_voltage": VariableSpec(
            dims=("time", "contingency"), long_name="voltage part of the index", units="1"
        ),
        "worst_loading_percent": VariableSpec(
            dims=("contingency", "branch"),
            long_name="highest loading of each branch over the hours",
            units="%",
        ),
        "worst_vm_min_pu": VariableSpec(
            dims=("contingency", "bus"),
            long_name="lowest voltage of each bus over the hours",
            units="pu",
        ),
        "worst_vm_max_pu": VariableSpec(
            dims=("contingency", "bus"),
            long_name="highest voltage of each bus over the hours",
            units="pu",
        ),
        "branch_worst_loading_percent": VariableSpec(
            dims=("branch",), long_name="worst loading", units="%"
        ),
        "branch_worst_contingency": VariableSpec(
            dims=("branch",), long_name="cause of the worst loading", dtype="str"
        ),
        "branch_worst_time": VariableSpec(
            dims=("branch",), long_name="hour of the worst loading", dtype="datetime64[ns]"
        ),
        "bus_worst_vm_min_pu": VariableSpec(dims=("bus",), long_name="lowest voltage", units="pu"),
        "bus_worst_vm_min_contingency": VariableSpec(
            dims=("bus",), long_name="cause of the lowest voltage", dtype="str"
        ),
        "bus_worst_vm_min_time": VariableSpec(
            dims=("bus",), long_name="hour of the lowest voltage", dtype="datetime64[ns]"
        ),
        "bus_worst_vm_max_pu": VariableSpec(dims=("bus",), long_name="highest voltage", units="pu"),
        "bus_worst_vm_max_contingency": VariableSpec(
            dims=("bus",), long_name="cause of the highest voltage", dtype="str"
        ),
        "bus_worst_vm_max_time": VariableSpec(
            dims=("bus",), long_name="hour of the highest voltage", dtype="datetime64[ns]"
        ),
        "kg_share_lost": VariableSpec(
            dims=("contingency",),
            long_name="Kyrgyz share of the export cut off from the HVDC (contract path)",
            dtype="bool",
        ),
        "hvdc_capacity_mw": VariableSpec(
            dims=("contingency",),
            long_name="HVDC rating with the poles left in service",
            units="MW",
        ),
        "hvdc_sent_mw": VariableSpec(
            dims=("time", "contingency"),
            long_name="power sent into the HVDC after the runback",
            units="MW",
        ),
        "islanded_buses": VariableSpec(
            dims=("contingency",),
            long_name="buses cut off from their area's slack",
            units="1",
            dtype="int16",
        ),
    },
)
"""The declared contingency result."""


def find_twins(built: BuiltNet, contingencies: tuple[Contingency, ...]) -> dict[int, Twin]:
    """Single-branch outages identical to an earlier one by symmetry.

    The circuits of one line (and the units of one transformer bank) have
    identical parameters and ends, so losing circuit 2 gives the solution of
    losing circuit 1 with the two circuits' results exchanged.

    Returns
    -------
    dict
        Contingency index -> (index solved instead, branch permutation).
    """
    ix = built.index
    pos = {b: i for i, b in enumerate(ix.branch_ids)}
    parent = {**ix.line_parent, **ix.trafo_parent}
    first: dict[str, tuple[int, str]] = {}
    twins: dict[int, Twin] = {}
    for j, c in enumerate(contingencies):
        if c.kind not in (ContingencyKind.LINE, ContingencyKind.TRAFO) or len(c.branches) != 1:
            continue
        b = c.branches[0]
        if parent[b] in first:
            j0, b0 = first[parent[b]]
            perm = np.arange(len(pos))
            perm[pos[b0]], perm[pos[b]] = pos[b], pos[b0]
            twins[j] = (j0, perm)
        else:
            first[parent[b]] = (j, b)
    return twins


class _RowFlags:
    """What each post-contingency state of a part of the hours says beyond its load flow."""

    def __init__(self, hours: int, n_c: int) -> None:
        shape = (hours, n_c)
        self.unserved = np.zeros(shape)
        self.export_lost = np.zeros(shape)
        self.hvdc_sent = np.zeros(shape)
        self.runback = np.zeros(shape)
        self.shed = np.zeros(shape)
        self.outcome = np.zeros(shape, dtype=np.int8)
        self.status_before = np.zeros(shape, dtype=np.int8)
        self.status_before_set = np.zeros(shape, dtype=bool)

    def copy_twin(self, j: int, j0: int) -> None:
        for arr in vars(self).values():
            arr[:, j] = arr[:, j0]


class _ContingencyFacts:
    """What each contingency's state says whatever the hour."""

    def __init__(self, n_c: int) -> None:
        self.kg_share_lost = np.zeros(n_c, dtype=bool)
        self.islanded_buses = np.zeros(n_c, dtype=np.int16)
        self.hvdc_capacity = np.zeros(n_c)

    def record(self, j: int, st: PostState) -> None:
        self.kg_share_lost[j] = st.kg_share_lost
        self.islanded_buses[j] = int(st.island_bus.sum())
        self.hvdc_capacity[j] = st.hvdc_capacity_mw

    def copy_twin(self, j: int, j0: int) -> None:
        for per_c in (self.kg_share_lost, self.islanded_buses, self.hvdc_capacity):
            per_c[j] = per_c[j0]


@dataclass(frozen=True, kw_only=True)
class Screening:
    """The pieces of one screening run, shared by the contingency and transfer studies."""

    built: BuiltNet
    inputs: ScheduleInputs
    contingencies: tuple[Contingency, ...]
    twins: dict[int, Twin]
    batch: BatchAC

    def post(self, hours: slice | npt.NDArray[np.int64]) -> PostContingency:
        """Post-contingency states of some hours (a slice or row indices of the inputs)."""
        if isinstance(hours, slice):
            rows = np.arange(hours.start or 0, hours.stop)
            return PostContingency(self.built, self.inputs.take(rows))
        return PostContingency(self.built, self.inputs.take(hours))


def prepare(params: GridParams, inputs: ScheduleInputs, config: ContingencyConfig) -> Screening:
    """Build the network, its batch solver and the contingency set for ``inputs``."""
    built = build_net(params, inputs.schedule(params), 0)
    contingencies = define_contingencies(
        built,
        min_unit_mw=config.min_unit_mw,
        min_plant_mw=config.min_plant_mw,
        groups_file=config.groups_file,
        include_groups=config.include_groups,
    )
    return Screening(
        built=built,
        inputs=inputs,
        contingencies=contingencies,
        twins=find_twins(built, contingencies),
        batch=BatchAC(built, q_limits=config.q_limits),
    )


def run_contingency(
    params: GridParams,
    profiles: xr.Dataset,
    config: ContingencyConfig | None = None,
    *,
    progress: Progress | None = None,
) -> xr.Dataset:
    """Screen every contingency in every hour of ``profiles``.

    Parameters
    ----------
    params
        The (validated) network.
    profiles
        Hourly profiles (:func:`casa1000.profiles.build.build_profiles`).
    config
        Study settings.
    progress
        Called with a stage name and the fraction done.

    Returns
    -------
    xarray.Dataset
        Dims ``time``, ``contingency``, ``branch``, ``bus``: per (hour,
        contingency) status, loadings, voltages, violations, islands, unserved
        load and performance index; per element the worst case with its hour and
        contingency.  The most loaded branch and the extreme buses are integer
        codes into the ``branch`` and ``bus`` coordinates (attribute ``lookup``,
        ``-1``: none).  Units in attrs, provenance and tier counts in the
        dataset attrs.  Neither input is modified.

    Raises
    ------
    InputError
        If a month or the groups file is invalid.
    """
    inputs = StudyInputs(scenario=Scenario.given(params), params=params, profiles=profiles)
    return execute(SPEC, inputs, config, progress=progress).dataset


class _States:
    """Post-contingency states of one part of the hours at a time (the part the sweep is on)."""

    def __init__(self, scr: Screening, config: ContingencyConfig) -> None:
        self.scr = scr
        self.config = config
        self.facts = _ContingencyFacts(len(scr.contingencies))
        self.rows = _RowFlags(0, len(scr.contingencies))
        """The flags of the current part's rows."""
        self._part: slice | None = None
        self._post: PostContingency | None = None
        self._remedy: Remedy | None = None

    def _at(self, part: slice) -> PostContingency:
        if self._post is None or part != self._part:
            self._part, self._post = part, self.scr.post(part)
            self._remedy = Remedy(self._post, self.config.remedial, self.config.limits.vmin_pu)
            self.rows = _RowFlags(part.stop - part.start, len(self.scr.contingencies))
        return self._post

    def __call__(self, j: int, part: slice) -> PostState:
        st = self._at(part).state(self.scr.contingencies[j])
        rows = self.rows
        rows.unserved[:, j] = st.unserved_mw
        rows.export_lost[:, j] = st.export_cut_mw + st.export_islanded_mw
        rows.hvdc_sent[:, j] = st.hvdc_sent_mw
        self.facts.record(j, st)
        return st

    def remedy(
        self, level: Level, j: int, part: slice, state: PostState, res: SolvedRows
    ) -> SolvedRows:
        """Apply the remedial actions to contingency ``j``'s rows and record them."""
        self._at(part)
        assert self._remedy is not None
        rows = np.arange(res.status.size)
        final, record = self._remedy.apply(level, state, rows, res)
        flags = self.rows
        flags.runback[:, j] = record.runback_mw
        flags.shed[:, j] = record.shed_mw
        flags.outcome[:, j] = record.outcome
        flags.status_before[:, j] = record.status_before
        flags.status_before_set[:, j] = True
        flags.export_lost[:, j] += record.runback_mw
        return final


ROW_VARIABLES = tuple(
    name for name, spec in SCHEMA.variables.items() if spec.dims == ("time", "contingency")
)
"""The (time, contingency) variables, written part by part."""


class _Rows:
    """Takes each finished part of the sweep: its (time, contingency) variables to the spill."""

    def __init__(self, states: _States, twins: dict[int, Twin], hours: int) -> None:
        self.states = states
        self.twins = twins
        n_c = len(states.scr.contingencies)
        self.spill = Spill(
            {"time": hours, "contingency": n_c},
            {
                name: (SCHEMA.variables[name].dims, SCHEMA.variables[name].dtype)
                for name in ROW_VARIABLES
            },
        )
        self.ac_solved = 0
        self.restored = 0
        self.not_restored = 0

    def __call__(self, part: slice, env: RowEnvelopes) -> None:
        flags = self.states.rows
        assert flags.unserved.shape[0] == env.status.shape[0], "flags of another part"
        for j, (j0, _) in self.twins.items():
            flags.copy_twin(j, j0)
        rows = _row_variables(env, flags, self.states.config.limits)
        self.spill.write(part, rows)
        self.ac_solved += int(env.solved.sum())
        self.restored += int((flags.outcome == RemedialOutcome.RESTORED).sum())
        self.not_restored += int((flags.outcome == RemedialOutcome.NOT_RESTORED).sum())


def _row_variables(
    env: RowEnvelopes, flags: _RowFlags, lim: Limits
) -> dict[str, npt.NDArray[np.generic]]:
    """Return the (time, contingency) variables of a part of the hours."""
    ok = env.status == Status.CONVERGED
    violations = env.nth + env.nuv + env.nov
    # the base case (and every row of a study without remedial actions) is as solved
    before = np.where(flags.status_before_set, flags.status_before, env.status).astype(np.int8)
    secure = ok & (violations == 0) & (flags.unserved <= 1e-9) & (flags.shed <= 1e-9)
    return {
        "status": env.status,
        "converged": ok,
        "ac_solved": env.solved,
        "max_loading_percent": env.lmax,
        "max_loading_branch": env.lbr,
        "vm_min_pu": env.vmin,
        "vm_min_bus": env.vminb,
        "vm_max_pu": env.vmax,
        "vm_max_bus": env.vmaxb,
        "thermal_violations": env.nth,
        "undervoltage_violations": env.nuv,
        "overvoltage_violations": env.nov,
        "secure": secure,
        "secure_without_remedial": secure & (flags.outcome == RemedialOutcome.NONE),
        "status_before_remedial": before,
        "remedial_outcome": flags.outcome,
        "afghan_runback_mw": flags.runback,
        "load_shed_mw": flags.shed,
        "unserved_mw": flags.unserved,
        "export_lost_mw": flags.export_lost,
        "performance_index": env.pit + env.piv,
        "pi_thermal": env.pit,
        "pi_voltage": env.piv,
        "hvdc_sent_mw": flags.hvdc_sent,
    }


def _run(inputs: StudyInputs, config: ContingencyConfig, report: Progress) -> xr.Dataset:
    params = inputs.params
    profiles = select_hours(inputs.profiles, config.months)
    report("setup", 0.0)
    scr = prepare(params, inputs_from_profiles(params, profiles), config)
    hours = profiles.sizes["time"]
    n_c = len(scr.contingencies)
    sweep = ContingencySweep(
        scr.batch, config.limits, threads=config.threads, chunk_rows=config.chunk_rows
    )
    states = _States(scr, config)
    rows = _Rows(states, scr.twins, hours)
    totals = sweep.stream(
        states,
        hours,
        n_c,
        rows,
        twins=scr.twins,
        progress=lambda done: report("solve", done),
        remedy=states.remedy if config.remedial.active else None,
    )
    for j, (j0, _) in scr.twins.items():
        states.facts.copy_twin(j, j0)
    margins = _pv_margins(params, scr, config, report) if config.pv_margin else {}
    report("assemble", 1.0)
    ds = _assemble(profiles, scr, totals, rows, states.facts, config, margins)
    ds.attrs[RUN_FACT_PREFIX + "solver_time_s"] = round(sweep.solver_s, 3)
    return ds


def _pv_margins(
    params: GridParams, scr: Screening, config: ContingencyConfig, report: Progress
) -> dict[str, FloatArray]:
    """Find the corridor's nose and PV margin per hour, both circuits in and the first out."""
    if not params.ac_offtakers:
        return {}
    out: dict[str, FloatArray] = {}
    for suffix, circuits in (("", ()), ("_n1", first_corridor_circuit(params, scr.built))):
        report("pv margin" + suffix, 0.0)
        margin = corridor_nose(
            params,
            scr.built,
            scr.inputs,
            circuits_out=circuits,
            step_mw=config.pv_margin_step_mw,
            resolution_mw=config.pv_margin_resolution_mw,
            threads=config.threads,
            q_limits=config.q_limits,
            batch=scr.batch,
        )
        out[f"corridor_nose{suffix}_mw"] = margin.nose_mw
        out[f"corridor_margin{suffix}_mw"] = margin.margin_mw
    return out


def _assemble(
    profiles: xr.Dataset,
    scr: Screening,
    totals: SweepTotals,
    rows: _Rows,
    facts: _ContingencyFacts,
    config: ContingencyConfig,
    margins: dict[str, FloatArray] | None = None,
) -> xr.Dataset:
    net, ix = scr.built.net, scr.built.index
    cs = scr.contingencies
    time_ = profiles.time.values
    branch_ids = ix.branch_ids
    bus_ids = [str(b) for b in net.bus.name]
    lim = config.limits
    n_twin_rows = len(scr.twins) * len(time_)
    n_ac = rows.ac_solved
    n_rows = len(time_) * len(cs)
    ids = np.array([c.id for c in cs])

    def worst_by_element(
        worst: ElementWorst, pick_max: bool
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.str_], npt.NDArray[np.datetime64]]:
        vals = np.where(np.isnan(worst.value), -np.inf if pick_max else np.inf, worst.value)
        j = vals.argmax(axis=0) if pick_max else vals.argmin(axis=0)
        e = np.arange(worst.value.shape[1])
        hour = worst.hour[j, e]
        found = hour >= 0
        when = np.where(found, time_[np.maximum(hour, 0)], np.datetime64("NaT"))
        return worst.value[j, e], np.where(found, ids[j], ""), when

    wl, wl_c, wl_t = worst_by_element(totals.worst_loading, True)
    wlo, wlo_c, wlo_t = worst_by_element(totals.worst_vm_min, False)
    whi, whi_c, whi_t = worst_by_element(totals.worst_vm_max, True)
    per_row: dict[str, npt.ArrayLike | xr.Variable] = dict(rows.spill.variables())
    data = {
        **per_row,
        **(margins or {}),
        "worst_loading_percent": totals.worst_loading.value,
        "worst_vm_min_pu": totals.worst_vm_min.value,
        "worst_vm_max_pu": totals.worst_vm_max.value,
        "branch_worst_loading_percent": wl,
        "branch_worst_contingency": wl_c,
        "branch_worst_time": wl_t,
        "bus_worst_vm_min_pu": wlo,
        "bus_worst_vm_min_contingency": wlo_c,
        "bus_worst_vm_min_time": wlo_t,
        "bus_worst_vm_max_pu": whi,
        "bus_worst_vm_max_contingency": whi_c,
        "bus_worst_vm_max_time": whi_t,
        "kg_share_lost": facts.kg_share_lost,
        "hvdc_capacity_mw": facts.hvdc_capacity,
        "islanded_buses": facts.islanded_buses,
    }
    return SCHEMA.build(
        coords={
            "time": time_,
            "contingency": [c.id for c in cs],
            "contingency_kind": [c.kind.value for c in cs],
            "contingency_description": [c.description for c in cs],
            "branch": branch_ids,
            "bus": bus_ids,
        },
        data=data,
        attrs={
            "solver": (
                f"lightsim2grid ScenarioSweepCPP Newton-Raphson (KLU) per synchronous area, "
                f"max {MAX_ITER} iterations, tolerance {TOLERANCE_PU:g} pu"
            ),
            "thermal_limit_percent": lim.thermal_percent,
            "vmin_pu": lim.vmin_pu,
            "vmax_pu": lim.vmax_pu,
            "nonconvergence_reasons": "; ".join(
                [f"{s.name.lower()}: {STATUS_REASON[s]}" for s in Status if s]
                + ["remedial_outcome not_restored: the actions do not restore it (none taken)"]
            ),
            "cases_total": n_rows,
            "cases_ac_solved": n_ac,
            "cases_identical_copied": n_rows - n_ac - n_twin_rows,
            "cases_symmetric_twin": n_twin_rows,
            "cases_screened_linear": 0,
            "area_rows_solved": totals.rows_solved,
            "remedial_actions": config.remedial.describe(),
            "q_limits": int(config.q_limits),
            "cases_remedial_restored": rows.restored,
            "cases_remedial_not_restored": rows.not_restored,
        },
    )


SPEC: StudySpec[ContingencyConfig] = StudySpec(
    name="contingency",
    title="N-1 and named N-k contingencies in every hour, in full AC: a per-case table",
    config_type=ContingencyConfig,
    run=_run,
    schema=SCHEMA,
    tables=contingency_tables.tables,
    table_names=("table", "worst_elements"),
    summary=contingency_tables.summary,
)
"""The contingency study in the registry."""
