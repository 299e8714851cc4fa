"""Exporting the built network: pandapower JSON (native) and MATPOWER ``.mat``.

Converters are fixed P/Q loads in the network, so the MATPOWER case carries them
as bus demands and loses nothing of the HVDC model (pandapower's own ``dcline``
would be exported as two plain generators).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from casa1000.grid.atomic import atomic_output
from casa1000.grid.builder import BuiltNet


class ExportFormat(StrEnum):
    """File formats of :func:`export_net`."""

    JSON = "json"
    MATPOWER = "mat"


def export_net(built: BuiltNet, path: Path, fmt: ExportFormat) -> Path:
    """Write ``built.net`` to ``path`` atomically.

    Parameters
    ----------
    built
        The network (solved or not; results are written when present).
    path
        Output file.
    fmt
        ``json`` (pandapower) or ``mat`` (MATPOWER case struct ``mpc``).

    Returns
    -------
    Path
        ``path``.
    """
    import pandapower as pp

    with atomic_output(path) as tmp:
        if fmt is ExportFormat.JSON:
            pp.to_json(built.net, str(tmp))
        else:
            from pandapower.converter.matpower.to_mpc import to_mpc

            to_mpc(built.net, str(tmp), init="flat")
    return path
