"""JUnit XML of a suite run, for CI systems that display test results.

One ``<testsuite>`` per entry (its wall time, failures and errors) and one
``<testcase>`` per check, ``classname`` ``regression.<entry>`` and ``name`` the
metric; a failed check carries a ``<failure>`` with the baseline, the current
value, the delta and the tolerance, an entry that did not run an ``<error>``.
:mod:`xml.etree.ElementTree` escapes every name and message.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from casa1000.grid.atomic import atomic_output
from casa1000.studies.regression.compare import Check, Status
from casa1000.studies.regression.gate import SuiteReport


def junit_xml(report: SuiteReport) -> ET.Element:
    """Return the ``<testsuites>`` element of ``report``.

    Examples
    --------
    >>> from casa1000.studies.regression.gate import EntryOutcome, SuiteReport
    >>> from casa1000.studies.regression.compare import Check, Status
    >>> check = Check(entry="e", study="seasonal", metric="m", units="GWh", baseline=1.0,
    ...               now=2.0, delta=1.0, tolerance=0.5, status=Status.FAIL, note="moved")
    >>> report = SuiteReport(suite="s", title="", path=Path("s.toml"), wall_time_s=1.0,
    ...     outcomes=(EntryOutcome(entry="e", study="seasonal", title="t", checks=(check,),
    ...                            wall_time_s=1.0),))
    >>> root = junit_xml(report)
    >>> failure = root.find("testsuite/testcase/failure")
    >>> root.get("tests"), root.get("failures"), failure.get("message")
    ('1', '1', 'm: moved')
    """
    root = ET.Element(
        "testsuites",
        name=report.suite,
        tests=str(len(report.checks)),
        failures=str(sum(c.status is Status.FAIL for c in report.checks)),
        errors=str(sum(c.status is Status.ERROR for c in report.checks)),
        time=f"{report.wall_time_s:.3f}",
    )
    for outcome in report.outcomes:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"{report.suite}.{outcome.entry}",
            tests=str(len(outcome.checks)),
            failures=str(sum(c.status is Status.FAIL for c in outcome.checks)),
            errors=str(sum(c.status is Status.ERROR for c in outcome.checks)),
            time=f"{outcome.wall_time_s:.3f}",
        )
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="study", value=outcome.study)
        ET.SubElement(props, "property", name="title", value=outcome.title)
        for check in outcome.checks:
            _testcase(suite, check)
    return root


def _testcase(parent: ET.Element, check: Check) -> None:
    case = ET.SubElement(
        parent, "testcase", classname=f"regression.{check.entry}", name=check.metric, time="0"
    )
    if check.status is Status.PASS:
        return
    tag = "failure" if check.status is Status.FAIL else "error"
    node = ET.SubElement(
        case, tag, message=f"{check.metric}: {check.note}", type=check.status.value
    )
    node.text = (
        f"entry {check.entry} ({check.study}), {check.metric} [{check.units}]: "
        f"baseline {check.baseline:.10g}, now {check.now:.10g}, delta {check.delta:+.6g}, "
        f"tolerance {check.tolerance:.6g}. {check.note}"
    )


def write_junit(report: SuiteReport, path: Path) -> Path:
    """Write the JUnit XML of ``report`` to ``path``, atomically.

    Raises
    ------
    InputError
        If the file cannot be written.
    """
    tree = ET.ElementTree(junit_xml(report))
    ET.indent(tree)
    with atomic_output(path) as tmp:
        tree.write(tmp, encoding="utf-8", xml_declaration=True)
    return path
