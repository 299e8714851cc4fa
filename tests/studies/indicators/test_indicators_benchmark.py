"""The indicators benchmark runs and reports (its timings are never asserted)."""

from __future__ import annotations

from casa1000.studies.benchmarks.indicators_benchmark import benchmark_indicators
from casa1000.studies.spine.scenario import StudyInputs


def test_benchmark_reports_medians(real_inputs: StudyInputs) -> None:
    report = benchmark_indicators(real_inputs, repeats=1, mc_years=2)
    assert report.hours == 12 and report.studies == ("seasonal", "contingency", "transfer")
    lines = report.lines()
    assert len(lines) == 3 and "Monte Carlo of 2 years" in lines[1]
