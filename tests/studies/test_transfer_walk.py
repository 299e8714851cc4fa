"""The transfer search's path, on made-up verdicts: it must visit what the plain bisection visits.

Oracle: the plain path written out directly (every suspect evaluated at every
export tried).  With thresholds (monotone security) the knowledge-based walk must
end where the plain path ends, whatever was learnt before (seeds); deciding
exactly, it must do so for any verdicts at all.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from casa1000.studies.transfer_rules import Limiter, Verdicts
from casa1000.studies.transfer_walk import Knowledge, walk

CEILING = 1300.0
RESOLUTION = 10.0
Insecure = Callable[[int, int, float], bool]


def plain_path(estimate: float, insecure: Callable[[float], bool]) -> tuple[float, int, float]:
    """Capability, tier and last insecure export of the plain method for one hour."""
    last = np.nan
    if insecure(estimate):
        lo, hi, last, refine = 0.0, estimate, estimate, True
    else:
        lo, hi, refine = estimate, np.inf, False
        if estimate + RESOLUTION <= CEILING and not insecure(estimate + RESOLUTION):
            lo, hi, refine = estimate + RESOLUTION, CEILING, True
    if not refine:
        return estimate, 1, last
    steps = 0
    while steps < 20:
        steps += 1
        trial = float(np.floor(0.5 * (lo + hi)))
        if insecure(trial):
            hi, last = trial, trial
        else:
            lo = trial
        if hi - lo <= RESOLUTION:
            break
    return lo, 3, last


def _solver(know: Knowledge, insecure: Insecure, log: list[int]) -> Callable[..., None]:
    def solve(hours: np.ndarray, export: np.ndarray, want: np.ndarray) -> None:
        for j in np.flatnonzero(want.any(axis=0)):
            rows = np.flatnonzero(want[:, j])
            bad = np.array([insecure(int(hours[r]), int(j), float(export[r])) for r in rows])
            log.append(rows.size)
            know.record(
                hours[rows],
                int(j),
                export[rows],
                Verdicts(
                    insecure=bad,
                    severity=np.where(bad, 1.0, -np.inf),
                    element=np.zeros(rows.size, dtype=np.int64),
                    kind=np.full(rows.size, Limiter.THERMAL, dtype=np.int8),
                ),
            )

    return solve


thresholds = st.lists(
    st.lists(st.floats(0, 1400, allow_nan=False), min_size=3, max_size=3),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(
    limits=thresholds,
    estimates=st.lists(st.integers(0, 1300), min_size=8, max_size=8),
    seed_at=st.lists(st.integers(0, 1300), min_size=8, max_size=8),
)
def test_walk_follows_the_plain_path_when_security_is_monotone(
    limits: list[list[float]], estimates: list[int], seed_at: list[int]
) -> None:
    """Contingency ``c`` of hour ``h`` is insecure above its threshold; seeds anywhere."""
    table = np.array(limits)
    n = table.shape[0]
    est = np.array(estimates[:n], dtype=float)

    def insecure(h: int, c: int, x: float) -> bool:
        return bool(x > table[h, c])

    suspects = table < CEILING
    know = Knowledge(suspects, CEILING)
    log: list[int] = []
    solve = _solver(know, insecure, log)
    hours = np.arange(n)
    # what an earlier search learnt: every suspect solved at some export
    seeds = np.array(seed_at[:n], dtype=float)
    solve(hours, seeds, suspects.copy())
    got = walk(hours, est, know, solve, ceiling_mw=CEILING, resolution_mw=RESOLUTION)
    for h in range(n):
        cap, tier, last = plain_path(
            est[h], lambda x, h=h: any(insecure(h, c, x) for c in range(3))
        )
        assert got.capability_mw[h] == cap
        assert got.tier[h] == tier
        np.testing.assert_equal(got.last_insecure_mw[h], last)


@settings(max_examples=40, deadline=None)
@given(
    verdicts=st.lists(
        st.lists(st.integers(0, 2**31), min_size=3, max_size=3), min_size=1, max_size=6
    ),
    estimates=st.lists(st.integers(0, 1300), min_size=6, max_size=6),
)
def test_exact_walk_follows_the_plain_path_whatever_the_verdicts(
    verdicts: list[list[int]], estimates: list[int]
) -> None:
    """Deciding only from verdicts at the export itself, any (non-monotone) verdicts work."""
    salt = np.array(verdicts)
    n = salt.shape[0]
    est = np.array(estimates[:n], dtype=float)

    def insecure(h: int, c: int, x: float) -> bool:
        return bool((int(x) * 2654435761 + int(salt[h, c])) % 7 < 3)

    know = Knowledge(np.ones((n, 3), dtype=bool), CEILING)
    know.exact[:] = True
    solve = _solver(know, insecure, [])
    hours = np.arange(n)
    got = walk(hours, est, know, solve, ceiling_mw=CEILING, resolution_mw=RESOLUTION)
    for h in range(n):
        cap, tier, _ = plain_path(est[h], lambda x, h=h: any(insecure(h, c, x) for c in range(3)))
        assert got.capability_mw[h] == cap
        assert got.tier[h] == tier


def test_a_good_seed_settles_the_path_without_solving() -> None:
    """Secure at the capability and insecure one step above: nothing left to solve."""
    suspects = np.array([[True, True, False]])
    know = Knowledge(suspects, CEILING)
    log: list[int] = []

    def insecure(h: int, c: int, x: float) -> bool:
        return x > (820.0 if c == 0 else 1000.0)

    solve = _solver(know, insecure, log)
    solve(np.array([0]), np.array([818.0]), suspects.copy())
    solve(np.array([0]), np.array([826.0]), suspects.copy())
    seeded = len(log)
    got = walk(np.array([0]), np.array([296.0]), know, solve, ceiling_mw=CEILING, resolution_mw=10)
    assert got.capability_mw[0] == 818.0 and got.last_insecure_mw[0] == 826.0
    assert len(log) == seeded
