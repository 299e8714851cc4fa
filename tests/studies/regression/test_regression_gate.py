"""The gate on a tiny two-entry suite: update then run, a real change, bad baselines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from casa1000.errors import InputError
from casa1000.studies.regression import gate
from casa1000.studies.regression.compare import Status
from casa1000.studies.regression.gate import run_suite, update_suite
from casa1000.studies.regression.suite import Suite, read_suite


def test_update_then_run_passes(baselined: Suite) -> None:
    report = run_suite(baselined)
    assert report.exit_code == 0
    assert [o.entry for o in report.outcomes] == ["alpha", "beta"]
    # 2 metrics + 5 series checks per entry, every one within tolerance and in fact exact
    assert len(report.checks) == 14
    assert all(c.status is Status.PASS for c in report.checks)
    assert all(c.delta == 0 for c in report.checks)
    assert report.headline()[1] == "result: PASS"


def test_baselines_are_deterministic_text(baselined: Suite) -> None:
    path = baselined.baselines_dir / "alpha.json"
    before = path.read_bytes()
    update_suite(baselined, reason="again, nothing changed", when="2027-01-02")
    assert path.read_bytes() == before  # no clock, no code version: an unchanged model, no diff
    doc = json.loads(before)
    points = doc["series"]["hvdc_line_loss_mw"]["points"]
    assert len(points) == 48 and points[0][0] == "2027-07-01T00:00"
    # one point per line, with its time: a diff shows which hours moved
    assert '  ["2027-07-01T00:00", ' in before.decode()


def test_changelog_records_reason_code_data_and_moves(
    baselined: Suite, perturb: Callable[..., None]
) -> None:
    text = baselined.changelog.read_text()
    assert "## 2027-01-01: first baselines" in text
    assert "- code: casa1000 " in text and "- data: profile seed_hash " in text
    assert "### alpha (new)" in text and "`delivered_pk_gwh`: new, " in text
    perturb("alpha")
    report = update_suite(
        baselined, reason="DC line resistance corrected", only=["alpha"], when="2027-02-01"
    )
    text = baselined.changelog.read_text()
    # newest first, the older section kept below
    assert text.index("2027-02-01: DC line resistance corrected") < text.index("2027-01-01")
    section = report.section
    assert "### alpha (changed:" in section and "beta" not in section
    line = next(ln for ln in section.splitlines() if ln.startswith("- `hvdc_losses_gwh`"))
    old, new = line.split(": ")[1].split(" GWh")[0].split(" -> ")
    assert float(new) > float(old)  # more resistance, more losses
    assert "series `hvdc_line_loss_mw` points moved: max |change|" in section
    assert run_suite(baselined, ["alpha"]).exit_code == 0


def test_a_parameter_change_trips_the_gate_and_spares_the_other_entry(
    baselined: Suite, perturb: Callable[..., None]
) -> None:
    perturb("alpha")
    report = run_suite(baselined)
    assert report.exit_code == 1
    alpha, beta = report.outcomes
    # the unrelated entry, compared only with its own baseline, still passes
    assert not alpha.passed and beta.passed
    assert all(c.entry == "alpha" for c in report.failures)
    failed = {c.metric for c in report.failures}
    assert {"hvdc_losses_gwh", "hvdc_line_loss_mw:max_abs", "hvdc_line_loss_mw:rms"} <= failed
    check = next(c for c in report.failures if c.metric == "hvdc_losses_gwh")
    assert check.now > check.baseline and check.delta > check.tolerance
    assert check.note.startswith("moved by +") and "beyond the tolerance of" in check.note
    lines = report.headline()
    assert lines[1] == "result: REGRESSION in alpha"
    assert any(ln.startswith("FAIL alpha hvdc_losses_gwh: moved by +") for ln in lines)


def test_only_runs_the_named_entries(baselined: Suite, perturb: Callable[..., None]) -> None:
    perturb("beta", factor=3.0)
    report = run_suite(baselined, ["alpha"])
    assert [o.entry for o in report.outcomes] == ["alpha"] and report.exit_code == 0
    with pytest.raises(InputError, match="an entry of"):
        run_suite(baselined, ["gamma"])


def test_missing_baseline_is_bad_input_with_the_fix(baselined: Suite) -> None:
    (baselined.baselines_dir / "beta.json").unlink()
    with pytest.raises(InputError) as err:
        run_suite(baselined)
    text = str(err.value)
    assert "beta.json" in text and "'missing'" in text
    assert 'regress update --only beta --reason "..."' in text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("damage", "fragment"),
    [
        (lambda t: t[: len(t) // 2], "corrupt JSON at line"),
        (lambda t: "", "corrupt JSON at line 1"),
        (lambda t: t.replace('"format_version": 1', '"format_version": 99'), "format_version = 99"),
        (lambda t: t.replace('"format": "casa1000', '"format": "other'), "format = 'other"),
        (lambda t: t.replace('\n "metrics": {', '\n "metricz": {'), "metrics = 'NoneType'"),
        (lambda t: t.replace('"value": ', '"value": "x", "was": ', 1), "value = 'x'"),
        (lambda t: t.replace('"p50": ', '"p51": ', 1), "stats.p50 = None"),
        (lambda t: "[1, 2]", "baseline = 'list' is not allowed; expected a JSON object"),
    ],
)
def test_corrupt_or_schema_mismatched_baseline_is_reported_clearly(
    baselined: Suite, damage: Callable[[str], str], fragment: str
) -> None:
    path = baselined.baselines_dir / "alpha.json"
    path.write_text(damage(path.read_text()))
    with pytest.raises(InputError) as err:
        run_suite(baselined)
    text = str(err.value)
    assert text.startswith(str(path)) and fragment in text and "\n" not in text
    assert "regress update --only alpha" in text


def test_an_entry_changed_since_its_baseline_is_stale(
    baselined: Suite, write_suite: Callable[..., Path]
) -> None:
    path = write_suite()
    path.write_text(path.read_text().replace("2027-07-02", "2027-07-03", 1))
    with pytest.raises(InputError) as err:
        run_suite(read_suite(path))
    text = str(err.value)
    assert "definition.scenario.period" in text and "2027-07-03" in text
    assert "the entry changed since its baseline" in text


def test_tolerances_may_change_without_rebaselining(
    baselined: Suite, write_suite: Callable[..., Path]
) -> None:
    path = write_suite()
    path.write_text(path.read_text().replace("rel_tol = 1e-4", "rel_tol = 0.5"))
    assert run_suite(read_suite(path), ["alpha"]).exit_code == 0


def test_a_crashing_study_is_an_error_row_and_the_others_still_run(
    baselined: Suite, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = gate.run_entry

    def crash_alpha(entry: object, **kw: object) -> object:
        if getattr(entry, "name", "") == "alpha":
            raise RuntimeError("solver exploded")
        return real(entry, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(gate, "run_entry", crash_alpha)
    report = run_suite(baselined)  # alpha crashes at once: one study runs
    assert report.exit_code == 1
    alpha, beta = report.outcomes
    assert [c.status for c in alpha.checks] == [Status.ERROR]
    assert "RuntimeError: solver exploded" in alpha.checks[0].note
    assert beta.passed
    # an update with a failing entry writes nothing
    before = (baselined.baselines_dir / "alpha.json").read_bytes()
    changelog = baselined.changelog.read_text()
    result = update_suite(baselined, reason="should not land", only=["alpha"])
    assert result.failed == {"alpha": "RuntimeError: solver exploded"} and not result.written
    assert (baselined.baselines_dir / "alpha.json").read_bytes() == before
    assert baselined.changelog.read_text() == changelog


def test_update_needs_a_reason(baselined: Suite) -> None:
    with pytest.raises(InputError, match="--reason"):
        update_suite(baselined, reason="  ")


def test_update_replaces_an_unreadable_baseline_and_removes_orphans(
    baselined: Suite, write_suite: Callable[..., Path]
) -> None:
    (baselined.baselines_dir / "alpha.json").write_text("{")
    suite = read_suite(write_suite(("alpha",)))  # beta left the suite
    assert [p.name for p in gate.orphan_baselines(suite)] == ["beta.json"]
    report = update_suite(suite, reason="drop beta")
    assert "replaced an unreadable baseline" in report.section
    assert "### beta (removed)" in report.section
    assert not (suite.baselines_dir / "beta.json").exists()
    assert run_suite(suite).exit_code == 0


def test_results_can_be_kept_for_a_closer_look(baselined: Suite, tmp_path: Path) -> None:
    from casa1000.studies.registry import study_spec
    from casa1000.studies.spine.runner import read_result

    run_suite(baselined, ["alpha"], results_dir=tmp_path / "results")
    result = read_result(study_spec("seasonal"), tmp_path / "results" / "alpha")
    assert result.dataset.sizes["time"] == 48
