"""The accuracy oracle of the batch engine: one post-contingency hour solved by runpp.

Written apart from the fast path on purpose: the topology of a contingency is set
here on a copy of the pandapower network, by element *name*, from the contingency
definition and the parameters -- the circuits and units it names go out of
service, a line-connected reactor goes with its line, a tripped plant's generator
goes out -- and nothing of the engine's own topology code
(:mod:`casa1000.studies.engine`, ``PostState.branch_out``/``shunts_out``/``gen_out``)
is used.  Only the post-contingency *injections and control states* come from
the model (they are what the study defines, not how the solver is set up): the
outputs, which generators run (an idle one is taken out of service, as
``set_hour(honour_commitment=True)`` does), their reactive limits and the
switched shunts' settings.  pandapower de-energises islands itself and enforces
the reactive limits (``enforce_q_lims=True``).  The load flow uses
:data:`casa1000.grid.solve.RUNPP_OPTIONS`; a case it does not solve from its
DC start is tried again from ``init_vm_pu`` when the caller gives one.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.grid.builder import BuiltNet
from casa1000.grid.solve import RUNPP_OPTIONS
from casa1000.studies.engine.batch_ac import Injections
from casa1000.studies.security.contingency_set import Contingency

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class OracleResult:
    """runpp results in pandapower element order (lines, then trafos)."""

    converged: bool
    vm_pu: FloatArray
    """(buses,) NaN where de-energised."""
    p_from_mw: FloatArray
    """(branches,) active power at the from/hv end; 0 out of service."""
    loading_percent: FloatArray
    """(branches,) loading; 0 out of service."""
    out_of_service: list[str]
    """Names of the elements this contingency took out (for the tests to check)."""


def _parent_line(built: BuiltNet, circuit: str) -> str | None:
    for line in built.params.lines:
        if circuit == line.id or circuit.startswith(line.id + "/"):
            return line.id
    return None


def solve_contingency(
    built: BuiltNet,
    contingency: Contingency,
    inj: Injections,
    row: int,
    *,
    q_limits: bool = True,
    init_vm_pu: FloatArray | None = None,
) -> OracleResult:
    """Solve one hour of one contingency with runpp (``built`` is not modified).

    Parameters
    ----------
    built
        The network as the parameters build it.
    contingency
        What goes out.
    inj
        The model's post-contingency injections (``PostState.inj``).
    row
        The hour (row of ``inj``).
    q_limits
        Enforce the generators' reactive limits.
    init_vm_pu
        (buses,) voltages to start from if the DC start fails [pu].
    """
    import pandapower as pp

    net = copy.deepcopy(built.net)
    net.gen["p_mw"] = inj.gen_p_mw[row]
    net.sgen["p_mw"] = inj.sgen_p_mw[row]
    net.load["p_mw"] = inj.load_p_mw[row]
    net.load["q_mvar"] = inj.load_q_mvar[row]
    if inj.gen_on is not None:
        net.gen["in_service"] = net.gen.in_service & inj.gen_on[row]
    if inj.gen_q_min_mvar is not None and inj.gen_q_max_mvar is not None:
        net.gen["min_q_mvar"] = inj.gen_q_min_mvar[row]
        net.gen["max_q_mvar"] = inj.gen_q_max_mvar[row]
    if inj.shunt_q_mvar is not None:
        for k, i in enumerate(built.index.compensator.values()):
            net.shunt.at[i, "q_mvar"] = inj.shunt_q_mvar[row, k]
    out: list[str] = []
    lines_out = set()
    for name in contingency.branches:
        for table in ("line", "trafo"):
            hit = net[table].name == name
            if hit.any():
                net[table].loc[hit, "in_service"] = False
                out.append(name)
        parent = _parent_line(built, name)
        if parent is not None:
            lines_out.add(parent)
    if "line" in net.shunt:
        reactors = net.shunt.line.isin(lines_out)
        net.shunt.loc[reactors, "in_service"] = False
        out.extend(str(n) for n in net.shunt.name[reactors])
    for plant in contingency.plants:
        hit = net.gen.name == plant
        net.gen.loc[hit, "in_service"] = False
        out.extend(str(n) for n in net.gen.name[hit])
    options = dict(RUNPP_OPTIONS, enforce_q_lims=q_limits)
    try:
        try:
            pp.runpp(net, **options)
        except pp.LoadflowNotConverged:
            if init_vm_pu is None:
                raise
            start = np.nan_to_num(init_vm_pu, nan=1.0)
            pp.runpp(net, **dict(options, init="auto", init_vm_pu=start, init_va_degree=None))
    except pp.LoadflowNotConverged:
        nan = np.full(len(net.line) + len(net.trafo), np.nan)
        return OracleResult(
            converged=False,
            vm_pu=np.full(len(net.bus), np.nan),
            p_from_mw=nan,
            loading_percent=nan,
            out_of_service=out,
        )
    p_from = np.concatenate([net.res_line.p_from_mw.to_numpy(), net.res_trafo.p_hv_mw.to_numpy()])
    loading = np.concatenate(
        [net.res_line.loading_percent.to_numpy(), net.res_trafo.loading_percent.to_numpy()]
    )
    return OracleResult(
        converged=True,
        vm_pu=net.res_bus.vm_pu.to_numpy(),
        p_from_mw=np.nan_to_num(p_from),
        loading_percent=np.nan_to_num(loading),
        out_of_service=out,
    )
