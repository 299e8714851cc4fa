"""Whole-process timings: a command run in a fresh Python process, and the machine it ran on.

A process's cost is what a user waits for: interpreter start, imports, the work,
writing the files.  :func:`time_process` runs a command a few times and keeps
the median wall time and the peak resident memory of the command (measured by a
small parent process); :func:`import_times` reads ``python -X importtime`` to say where
the import time goes; :data:`BARE_LIGHTSIM` is the strongest plain process: load
an exported pandapower network into lightsim2grid and solve given hours with
``TimeSeriesCPP``, nothing else.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, kw_only=True)
class ProcessTiming:
    """Median wall time [s] and largest peak memory [MB] of repeated runs of a command."""

    label: str
    wall_s: float
    runs: tuple[float, ...]
    peak_memory_mb: float

    def line(self) -> str:
        """One report line."""
        spread = ", ".join(f"{r:.2f}" for r in self.runs)
        return (
            f"{self.label}: {self.wall_s:.2f} s median of {len(self.runs)} ({spread}), "
            f"peak {self.peak_memory_mb:.0f} MB"
        )


_MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, "
    "text=True); w = time.perf_counter() - t; "
    "m = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
    "sys.stderr.write(r.stderr[-2000:] + f'\\n@@ {r.returncode} {w} {m}\\n')"
)
"""A small parent that runs the command and reports its exit code, wall time and peak RSS
(the parent stays small, so the children's peak is the command's own)."""


def time_process(
    label: str, command: list[str], *, runs: int = 3, cwd: Path | None = None
) -> ProcessTiming:
    """Run ``command`` ``runs`` times in fresh processes; median wall time and peak memory.

    Raises
    ------
    RuntimeError
        If a run fails (its standard error is quoted).
    """
    walls = []
    peak = 0.0
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, *command],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
        last = done.stderr.strip().splitlines()[-1].split()
        code, wall, rss = int(last[1]), float(last[2]), float(last[3])
        if code:
            raise RuntimeError(f"{label} failed ({code}): {done.stderr[-500:]}")
        walls.append(wall)
        peak = max(peak, rss / 1024.0)
    return ProcessTiming(
        label=label, wall_s=statistics.median(walls), runs=tuple(walls), peak_memory_mb=peak
    )


def import_times(code: str, top: int = 8) -> list[tuple[str, float]]:
    """Cumulative import time [s] of the top-level packages a Python snippet imports.

    Parameters
    ----------
    code
        Python source run with ``-X importtime`` (e.g. ``"import casa1000.cli"``).
    top
        Packages kept, slowest first.
    """
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    totals: dict[str, float] = {}
    pattern = re.compile(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|(\s*)(\S+)")
    for line in out.stderr.splitlines():
        m = pattern.match(line)
        # only the outermost imports: their cumulative time includes what they import
        if m and len(m.group(2)) == 1:
            name = m.group(3).split(".")[0]
            totals[name] = totals.get(name, 0.0) + int(m.group(1)) / 1e6
    return sorted(totals.items(), key=lambda kv: -kv[1])[:top]


def numba_installed() -> bool:
    """Whether numba can be imported (pandapower then JIT-compiles its load flow)."""
    import importlib.util

    return importlib.util.find_spec("numba") is not None


def machine() -> list[str]:
    """Facts of the machine and the stack a benchmark ran on."""
    import lightsim2grid
    import numpy
    import pandapower

    cpu = platform.processor() or "unknown CPU"
    meminfo = Path("/proc/meminfo")
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [
            ln.split(":", 1)[1].strip()
            for ln in cpuinfo.read_text().splitlines()
            if ln.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    ram = ""
    if meminfo.is_file():
        kb = int(meminfo.read_text().split()[1])
        ram = f", {kb / 1024 / 1024:.0f} GB RAM"
    jit = (
        "numba installed"
        if numba_installed()
        else "numba not installed (pip install numba to let pandapower use it)"
    )
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return [
        f"machine: {cpu}, {os.cpu_count()} cores{ram}; load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min) when the report was made",
        f"Python {platform.python_version()}, numpy {numpy.__version__}, pandapower "
        f"{pandapower.__version__}, lightsim2grid {lightsim2grid.__version__}; {jit}",
    ]


BARE_LIGHTSIM = """
import sys, numpy as np
import pandapower as pp
from lightsim2grid.network import init_from_pandapower
from lightsim2grid.lightsim2grid_cpp import TimeSeriesCPP
import warnings
net = pp.from_json(sys.argv[1])
data = np.load(sys.argv[2])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    full = init_from_pandapower(net)
bus_area = data["bus_area"]
pos = {b: i for i, b in enumerate(net.bus.index)}
def ends(table, col):
    return np.array([pos[b] for b in net[table][col]], dtype=int)
gen_bus = [g.bus_id for g in full.get_generators()]
out = {}
for area in np.unique(bus_area[bus_area >= 0]):
    inside = bus_area == area
    model = full.copy()
    for off, idx in ((model.deactivate_powerline, ends("line", "from_bus")),
                     (model.deactivate_trafo, ends("trafo", "hv_bus")),
                     (model.deactivate_load, ends("load", "bus")),
                     (model.deactivate_sgen, ends("sgen", "bus")),
                     (model.deactivate_shunt, ends("shunt", "bus"))):
        for i in np.flatnonzero(~inside[idx]):
            off(int(i))
    for g, b in enumerate(gen_bus):
        if not inside[b]:
            model.deactivate_gen(g)
    for b in np.flatnonzero(~inside):
        model.deactivate_bus(int(b))
    v0 = data[f"v0_{area}"].astype(complex)
    ts = TimeSeriesCPP(model)
    ts.compute_Vs(data["gen_p"], data["sgen_p"], data["load_p"], data["load_q"], v0, 30, 1e-10)
    ts.compute_flows()
    out[f"v{area}"] = np.asarray(ts.get_voltages())[:, inside]
    out[f"a{area}"] = np.asarray(ts.get_flows())
np.savez(sys.argv[3], **out)
"""
"""The bare process: ``python -c BARE_LIGHTSIM net.json injections.npz out.npz``."""
