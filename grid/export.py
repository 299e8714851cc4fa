"""Exporting the built network: pandapower JSON (native) and MATPOWER ``.mat``.

Converters are fixed P/Q loads in the network, so the MATPOWER case carries them
as bus demands and loses nothing of the HVDC model (pandapower's own ``dcline``
would be exported as two plain generators).  The slacks (external equivalents)
carry their stated reactive capability as Q limits.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from casa1000.grid.atomic import atomic_output
from casa1000.grid.builder import BuiltNet

QMAX, QMIN = 3, 4
"""Columns of the MATPOWER ``gen`` matrix (0-based) holding the reactive limits [Mvar]."""


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
            from scipy.io import savemat

            net = built.net
            mpc = to_mpc(net, None, init="flat")
            # pandapower writes a slack's Q limits only for an OPF, leaving zeros that
            # take the slack's voltage control away in tools that enforce Q limits;
            # carry the equivalents' stated reactive capability instead
            rows = net._pd2ppc_lookups["ext_grid"]
            gen = mpc["mpc"]["gen"]
            for i in net.ext_grid.index[net.ext_grid.in_service]:
                gen[int(rows[i]), QMAX] = float(net.ext_grid.at[i, "max_q_mvar"])
                gen[int(rows[i]), QMIN] = float(net.ext_grid.at[i, "min_q_mvar"])
            savemat(str(tmp), mpc)
    return path
