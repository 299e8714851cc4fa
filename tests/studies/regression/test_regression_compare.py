"""Tolerances: values just inside and just outside, NaN, and the series norms."""

from __future__ import annotations

import math

import pytest

from casa1000.studies.regression.compare import Status, judge, series_norm
from casa1000.studies.regression.measure import SeriesValues, rounded
from casa1000.studies.regression.suite import Resample, Tolerance


def _judge(baseline: float, now: float, tol: Tolerance) -> Status:
    return judge(
        entry="e", study="s", metric="m", units="GWh", baseline=baseline, now=now, tolerance=tol
    ).status


@pytest.mark.parametrize(
    ("tol", "baseline", "allowed"),
    [
        (Tolerance(abs_tol=0.5), 3000.0, 0.5),
        (Tolerance(rel_tol=1e-4), 3000.0, 0.3),
        (Tolerance(abs_tol=0.5, rel_tol=1e-4), 3000.0, 0.5),  # the larger of the two
        (Tolerance(abs_tol=0.1, rel_tol=1e-3), 3000.0, 3.0),
        (Tolerance(abs_tol=0.1, rel_tol=1e-3), -3000.0, 3.0),  # relative to |baseline|
        (Tolerance(abs_tol=0.01, rel_tol=1e-3), 0.0, 0.01),
    ],
)
def test_just_inside_passes_and_just_outside_fails(
    tol: Tolerance, baseline: float, allowed: float
) -> None:
    assert tol.allowed(baseline) == pytest.approx(allowed)
    step = allowed * 1e-6
    for sign in (1, -1):
        assert _judge(baseline, baseline + sign * (allowed - step), tol) is Status.PASS
        assert _judge(baseline, baseline + sign * (allowed + step), tol) is Status.FAIL


def test_exact_tolerance_needs_equality() -> None:
    tol = Tolerance(abs_tol=0.0)
    assert _judge(48.0, 48.0, tol) is Status.PASS
    assert _judge(48.0, 47.0, tol) is Status.FAIL


def test_nan_equals_nan_and_nothing_else() -> None:
    tol = Tolerance(abs_tol=1.0)
    assert _judge(math.nan, math.nan, tol) is Status.PASS
    check = judge(
        entry="e", study="s", metric="m", units="MW", baseline=1.0, now=math.nan, tolerance=tol
    )
    assert check.status is Status.FAIL and check.note == "was 1, now nan MW"
    assert _judge(math.nan, 1.0, tol) is Status.FAIL
    assert _judge(math.inf, math.inf, tol) is Status.PASS


def test_the_note_says_how_far_and_what_was_allowed() -> None:
    check = judge(
        entry="e",
        study="s",
        metric="m",
        units="GWh",
        baseline=100.0,
        now=97.0,
        tolerance=Tolerance(rel_tol=1e-2),
    )
    assert check.delta == pytest.approx(-3.0)
    assert check.note == "moved by -3 GWh, beyond the tolerance of 1 GWh"


def _series(values: tuple[float, ...], time: tuple[str, ...] | None = None) -> SeriesValues:
    labels = time or tuple(f"2027-07-01T{h:02d}:00" for h in range(len(values)))
    return SeriesValues(units="MW", resample=Resample.HOUR, time=labels, values=values, stats={})


def test_series_norms_against_a_hand_calculation() -> None:
    old, new = _series((3.0, -4.0, 0.0)), _series((3.0, -1.0, 4.0))
    largest, reference, note = series_norm(old, new, "max_abs")
    assert (largest, reference, note) == (4.0, 4.0, "")
    rms, reference, _ = series_norm(old, new, "rms")
    assert rms == pytest.approx(math.sqrt((9 + 16) / 3))
    assert reference == pytest.approx(math.sqrt(25 / 3))


def test_series_nan_on_both_sides_is_equal_on_one_side_is_a_change() -> None:
    assert series_norm(_series((math.nan, 1.0)), _series((math.nan, 1.0)), "rms")[0] == 0.0
    norm, _, note = series_norm(_series((math.nan, 1.0)), _series((2.0, 1.0)), "max_abs")
    assert norm == math.inf and "1 points are NaN on one side only" in note


def test_a_changed_time_axis_is_a_change() -> None:
    norm, _, note = series_norm(_series((1.0, 2.0)), _series((1.0, 2.0, 3.0)), "max_abs")
    assert norm == math.inf
    assert note.startswith("time axis changed: 2 points from 2027-07-01T00:00 to 2027-07-01T01:00")


def test_rounding_keeps_ten_significant_digits() -> None:
    assert rounded(3173.6537032123456) == 3173.653703
    assert rounded(1.23456789012345e-7) == 1.23456789e-07
    assert math.isnan(rounded(math.nan)) and rounded(0.0) == 0.0
