"""The transfer rule on hand-made rows: which bus voltages limit the export."""

from __future__ import annotations

import numpy as np
import pytest

from casa1000.studies.engine.row_solver import SolvedRows, Status
from casa1000.studies.security.limits import Limits
from casa1000.studies.transfer_rules import Limiter, SecurityRule

CEILING_MW = 1300.0


def _rows(vm: list[list[float]]) -> SolvedRows:
    v = np.array(vm)
    n = v.shape[0]
    status = np.full(n, Status.CONVERGED, dtype=np.int8)
    return SolvedRows(
        status=status,
        area_status=status[:, None],
        ac_solved=np.ones(n, dtype=bool),
        vm_pu=v,
        loading_percent=np.zeros((n, 1)),
    )


def _rule(cutoff_pu_per_100mw: float) -> SecurityRule:
    limits = Limits(thermal_percent=100.0, vmin_pu=0.90, vmax_pu=1.10)
    return SecurityRule(
        limits,
        0.03,
        CEILING_MW,
        np.array([1000.0]),
        voltage_cutoff_pu_per_100mw=cutoff_pu_per_100mw,
    )


# bus 0 is inside the band at zero export; buses 1 and 2 are at 0.89 pu before any export.
# At the 1,300 MW ceiling the export lowers bus 1 by 0.00026 pu (2e-5 pu per 100 MW: it
# hardly moves) and bus 2 by 0.13 pu (0.01 pu per 100 MW)
ZERO = [[1.00, 0.89, 0.89]]
CEILING = [[0.98, 0.88974, 0.76]]


def _verdicts(cutoff: float, tried: list[float]) -> tuple[bool, int, int]:
    rule = _rule(cutoff)
    ref = rule.reference(_rows(ZERO), _rows(CEILING))
    v = rule.verdicts(_rows([tried]), ref)
    return bool(v.insecure[0]), int(v.element[0]), int(v.kind[0])


def test_a_bus_low_before_the_export_limits_only_if_the_export_moves_it() -> None:
    # bus 1 a little lower than at zero export: it barely moves, so it does not limit
    assert not _verdicts(0.001, [0.99, 0.889998, 0.89])[0]
    # bus 2, which the export moves, limits as soon as it is below its zero-export value
    insecure, element, kind = _verdicts(0.001, [0.99, 0.89, 0.8899])
    assert insecure and element == 1 + 2 and kind == Limiter.UNDERVOLTAGE
    # a bus inside the band at zero export always limits when it leaves the band
    insecure, element, _ = _verdicts(0.001, [0.899, 0.89, 0.89])
    assert insecure and element == 1 + 0  # branches first, then buses


def test_the_strict_rule_counts_every_bus() -> None:
    assert _verdicts(0.0, [0.99, 0.889998, 0.89])[0]


def test_the_linear_crossing_skips_a_bus_the_export_does_not_move() -> None:
    rule = _rule(0.001)
    crossing, element, kind = rule.crossings(
        rule.reference(_rows(ZERO), _rows(CEILING)), _rows(CEILING)
    )
    # bus 2 falls below its zero-export 0.89 pu at once; bus 1 is not considered
    assert crossing[0] == pytest.approx(0.0) and element[0] == 1 + 2
    assert kind[0] == Limiter.UNDERVOLTAGE
    strict = _rule(0.0)
    crossing, element, _ = strict.crossings(
        strict.reference(_rows(ZERO), _rows(CEILING)), _rows(CEILING)
    )
    assert crossing[0] == pytest.approx(0.0) and element[0] in (1 + 1, 1 + 2)
