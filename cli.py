"""Command line of casa1000: a thin typer adapter over the library.

Heavy imports (pandapower, xarray) happen inside the commands so that
``casa1000 --help`` stays fast.  Conventions:

* errors a user can cause -- bad options, files, keys -- print one line
  ``error: ...`` on stderr and exit with code 2; a failed load flow in
  ``grid solve`` exits with 1;
* results are written before anything is printed; progress and file notices go
  to stderr (a bar in a terminal, log lines otherwise), the summary to stdout;
* every summary is available as ``--format table|csv|json``; tables are plain
  and untruncated when stdout is not a terminal.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from typer.core import TyperGroup

from casa1000.errors import Casa1000Error

if TYPE_CHECKING:
    import pandas as pd

    from casa1000.grid.params import GridParams
    from casa1000.grid.solve import BaseCaseResult
    from casa1000.studies.spine.scenario import Scenario
    from casa1000.studies.spine.study import StudyResult, StudySummary

P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger("casa1000")


class _OneLineErrors(TyperGroup):
    """The top-level group: usage errors become one ``error:`` line and exit code 2."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as exc:
            # typer vendors click; its usage errors all derive from TyperException
            if type(exc).__name__ == "NoArgsIsHelpError":  # no arguments: show the help
                typer.echo(exc.format_message(), err=True)
                sys.exit(2)
            message = exc.format_message()
            given = _given_value(exc, list(sys.argv[1:] if args is None else args))
            if given is not None and repr(given) not in message:
                message = f"{message} (got {given!r})"
            typer.echo(f"error: {message}", err=True)
            sys.exit(2)
        except typer.Abort:
            typer.echo("aborted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # the reader of stdout went away (``| head``): results are already written;
            # exit as a process ended by SIGPIPE would, so a pipeline with pipefail notices
            with contextlib.suppress(OSError):
                sys.stdout = open(  # noqa: SIM115 - stays open until exit
                    "/dev/null", "w", encoding="utf-8"
                )
            sys.exit(141)
        if standalone_mode:
            sys.exit(code if isinstance(code, int) else 0)
        return code


def _given_value(exc: Exception, args: list[str]) -> str | None:
    """Find the text the user gave for the option a usage error is about."""
    param = getattr(exc, "param", None)
    names = list(getattr(param, "opts", ()) or ())
    for k, arg in enumerate(args):
        for name in names:
            if arg == name and k + 1 < len(args):
                return args[k + 1]
            if arg.startswith(name + "="):
                return arg[len(name) + 1 :]
    return None


def _typer(help_text: str, **kwargs: Any) -> typer.Typer:
    return typer.Typer(
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        help=help_text,
        **kwargs,
    )


app = _typer(
    "Seasonal transfer, contingency and energy-security studies of CASA-1000.",
    cls=_OneLineErrors,
    add_completion=False,
)
grid_app = _typer("The parametric network model.")
app.add_typer(grid_app, name="grid")
profiles_app = _typer("Hourly profiles of a study year.")
app.add_typer(profiles_app, name="profiles")
study_app = _typer("Studies driven by the profiles; each writes NetCDF, CSV and a manifest.")
app.add_typer(study_app, name="study")
# --- sub-apps: dashboards (issue 11); add below this line ---


class _ReportByDefault(TyperGroup):
    """``casa1000 dashboard DIR ...`` is short for ``casa1000 dashboard report DIR ...``."""

    # click's Context (typer vendors click and does not export the class it annotates with)
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.list_commands(ctx) and args[0] not in ("--help", "-h"):
            args = ["report", *args]
        return super().parse_args(ctx, args)


dashboard_app = _typer(
    "Offline HTML report of result folders (casa1000 dashboard RESULTS_DIR... --out "
    "report.html), and a live what-if view (casa1000 dashboard serve).",
    cls=_ReportByDefault,
)
app.add_typer(dashboard_app, name="dashboard")

# (end of dashboard sub-apps)

# --- sub-apps: regression suite (issue 12); add below this line ---
regress_app = _typer(
    "Regression suite: named reference studies compared with stored baselines "
    "(exit 0 pass, 1 regression, 2 bad input or baseline)."
)
app.add_typer(regress_app, name="regress")

# (end of regression sub-apps)

# --- sub-apps: sweeps and main job (issue 13); add below this line ---

# (end of sweep sub-apps)


class VariantOption(StrEnum):
    """Variants offered on the command line."""

    AS_BUILT = "as_built"
    DESIGN_2014 = "design_2014"


class HydrologyOption(StrEnum):
    """Hydrology variants offered on the command line."""

    DRY = "dry"
    NORMAL = "normal"
    WET = "wet"


class DirectionOption(StrEnum):
    """Transfer directions offered on the command line."""

    TOTAL = "total"
    PAKISTAN = "pakistan"
    AFGHANISTAN = "afghanistan"


class ExportFormatOption(StrEnum):
    """Export formats offered on the command line."""

    JSON = "json"
    MAT = "mat"


class OutputFormat(StrEnum):
    """How a summary is printed."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def _version(value: bool) -> None:
    if value:
        import casa1000

        typer.echo(f"casa1000 {casa1000.__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors and results, no progress.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also debug messages (on stderr).")
    ] = False,
) -> None:
    """Seasonal transfer, contingency and energy-security studies of CASA-1000."""
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


VariantArg = Annotated[
    VariantOption | None,
    typer.Option("--variant", help="Network variant (default: the scenario's, else as_built)."),
]
ScenarioArg = Annotated[
    Path | None, typer.Option("--scenario", help="TOML scenario file layered over the reference.")
]
SetArg = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="KEY=VALUE",
        help="Override by dotted key, e.g. --set hvdc.rating_mw=1000 (repeatable).",
    ),
]
FormatArg = Annotated[OutputFormat, typer.Option("--format", help="Summary as table, csv or json.")]


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn casa1000 errors into one line on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except Casa1000Error as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=2) from None

    return wrapper


def _params(
    variant: VariantOption | None, scenario: Path | None, sets: list[str] | None
) -> GridParams:
    from casa1000.grid.overrides import load_params

    return load_params(
        variant=variant.value if variant else None, scenario=scenario, sets=sets or ()
    )


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, default=str, allow_nan=False))


def _jsonable(value: object) -> object:
    """Replace NaN and infinities (not JSON) by None, recursively."""
    if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
        return None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _long_rows(data: Mapping[str, object], prefix: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """Flatten nested mappings into (path..., value) rows for a tidy CSV."""
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from _long_rows(value, (*prefix, str(key)))
        else:
            yield [*prefix, str(key), "" if value is None else str(value)]


def _print_long_csv(data: Mapping[str, object], header: Sequence[str]) -> None:
    import csv

    rows = list(_long_rows(data))
    width = max(len(r) for r in rows)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    names = [*header[: width - 1], "value"]
    names = [*names[:-1], *(f"key{k}" for k in range(len(names) - 1, width - 1)), "value"]
    writer.writerow(names)
    for row in rows:
        writer.writerow([*row[:-1], *([""] * (width - len(row))), row[-1]])


def _cell(column: str, value: object) -> str:
    if isinstance(value, float):
        if value != value:
            return "-"
        if column.endswith("_pu"):
            return f"{value:.4f}"
        return f"{value:,.1f}"
    return str(value)


def _print_frame(title: str, frame: pd.DataFrame) -> None:
    """Print a table: rich in a terminal, plain and untruncated otherwise."""
    table = frame.reset_index() if frame.index.name is not None else frame
    columns = [str(c) for c in table.columns]
    cells = [
        [_cell(c, v) for c, v in zip(columns, row, strict=True)]
        for row in table.itertuples(index=False)
    ]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        rich_table = Table(title=title)
        for col in columns:
            rich_table.add_column(col, justify="right", overflow="fold")
        for row in cells:
            rich_table.add_row(*row)
        Console(markup=False).print(rich_table)
        return
    widths = [max(len(col), *(len(r[i]) for r in cells)) for i, col in enumerate(columns)]
    typer.echo(title)
    typer.echo("  ".join(col.rjust(w) for col, w in zip(columns, widths, strict=True)))
    for row in cells:
        typer.echo("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))


def _emit(summary: StudySummary, fmt: OutputFormat, files: Sequence[Path]) -> None:
    """Print a study summary in the chosen format (files are already written)."""
    if fmt is OutputFormat.JSON:
        _print_json(
            _jsonable(
                {
                    "headline": list(summary.headline),
                    "tables": {
                        name: json.loads(
                            frame.reset_index().to_json(orient="records", date_format="iso")
                        )
                        for name, frame in summary.tables.items()
                    },
                    "files": [str(p) for p in files],
                }
            )
        )
        return
    if fmt is OutputFormat.CSV:
        frame = next(iter(summary.tables.values()))
        frame.to_csv(sys.stdout, index=frame.index.name is not None, lineterminator="\n")
        return
    for line in summary.headline:
        typer.echo(line)
    for name, frame in summary.tables.items():
        _print_frame(name, frame)


PROGRESS_QUIET_S = 3.0
"""Seconds a job runs before progress lines appear in a log (not a terminal)."""


@contextlib.contextmanager
def _progress(label: str) -> Iterator[Callable[[str, float], None]]:
    """Report progress on stderr: a bar in a terminal, a log line per stage otherwise."""
    if log.getEffectiveLevel() > logging.INFO:
        yield lambda stage, done: None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(f"{label}: start", total=1.0)
            yield lambda stage, done: bar.update(
                task, completed=done, description=f"{label}: {stage}"
            )
        return
    import time

    started = time.monotonic()
    last: dict[str, object] = {"stage": None, "done": -1.0}

    def line(stage: str, done: float) -> None:
        # quiet for the first seconds: a short job (or one refused at once) prints no progress
        if time.monotonic() - started < PROGRESS_QUIET_S:
            return
        if stage != last["stage"] or done >= float(str(last["done"])) + 0.25:
            log.info("%s: %s %3.0f %%", label, stage, 100 * done)
            last.update(stage=stage, done=done)

    yield line


@grid_app.command("show")
@user_errors
def grid_show(
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Elements by zone with their key ratings."""
    import pandas as pd

    from casa1000.grid.summary import describe_network

    info = describe_network(_params(variant, scenario, set_))
    if fmt is OutputFormat.JSON:
        _print_json(info)
        return
    if fmt is OutputFormat.CSV:
        _print_long_csv(info, ("section", "element", "field"))
        return
    typer.echo(f"CASA-1000 network, variant {info['variant']}: {info['counts']}")
    for zone, content in info["zones"].items():
        rows = []
        for kind in ("plants", "lines", "trafos", "shunts", "loads"):
            for element, fields in content[kind].items():
                text = ", ".join(f"{k} {v}" for k, v in fields.items() if v is not None)
                rows.append({"kind": kind[:-1], "id": element, "data": text})
        _print_frame(f"zone {zone}", pd.DataFrame(rows).set_index("kind"))
    hv = info["hvdc"]
    typer.echo(
        f"HVDC: {hv['rating_mw']:g} MW, +/-{hv['pole_voltage_kv']:g} kV, {hv['poles']} poles; "
        f"terminals {hv['terminals']}; segments {hv['segments']}"
    )
    typer.echo(f"synchronous areas: { {a: len(b) for a, b in info['areas'].items()} }")


@grid_app.command("check")
@user_errors
def grid_check(
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Validate the parameters and report sources by confidence."""
    from casa1000.grid.summary import check_report

    report = check_report(_params(variant, scenario, set_))
    if fmt is OutputFormat.JSON:
        _print_json(report)
    elif fmt is OutputFormat.CSV:
        _print_long_csv(report, ("section", "field"))
    else:
        typer.echo(f"variant {report['variant']}: {'valid' if report['ok'] else 'INVALID'}")
        typer.echo(f"cited values by confidence: {report['confidence']}")
        typer.echo(f"buses per synchronous area: {report['areas']}")
        typer.echo(
            f"{len(report['assumptions'])} values rest on modelling assumptions "
            "(source casa1000_assumption; their notes say why)"
        )


@grid_app.command("solve")
@user_errors
def grid_solve(
    export_mw: Annotated[
        float, typer.Option("--export-mw", help="Total CASA export at the sending end [MW].")
    ] = 1300.0,
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Base-case AC load flow of the reference hour at a given CASA export (exit 1 if it fails)."""
    from casa1000.errors import InputError
    from casa1000.grid.solve import solve_base_case

    if not 0 <= export_mw <= 5000:
        raise InputError("--export-mw", "export_mw", export_mw, "0 to 5000 MW")
    result = solve_base_case(_params(variant, scenario, set_), export_mw=export_mw)
    data = result.to_dict()
    requested = sum(result.export_mw.values())
    # as built, the Afghan share goes over the AC corridor, never through the HVDC
    corridor = result.export_mw["AF"] if result.variant == "as_built" else 0.0
    clipped = requested - (result.hvdc["sent_mw"] + corridor)
    data["export_clipped_mw"] = clipped
    if fmt is OutputFormat.JSON:
        _print_json(_jsonable(data))
    elif fmt is OutputFormat.CSV:
        _print_long_csv(_jsonable(data), ("section", "element", "field"))  # type: ignore[arg-type]
    else:
        _print_solution(result)
    if clipped > 1e-6:
        log.warning(
            "note: %.1f MW of the %.1f MW asked for is not sent: the HVDC rating or its "
            "terminals limit the export",
            clipped,
            requested,
        )
    if not result.converged:
        log.error("error: the load flow did not converge: %s", result.reason)
        raise typer.Exit(code=1)


def _print_solution(result: BaseCaseResult) -> None:
    status = "converged" if result.converged else f"NOT CONVERGED: {result.reason}"
    typer.echo(
        f"{result.variant}, export asked PK {result.export_mw['PK']:.0f} MW + "
        f"AF {result.export_mw['AF']:.0f} MW: {status}"
    )
    buses = result.buses.assign(band=result.buses.in_band.map({True: "ok", False: "out"}))
    _print_frame("bus voltages", buses[["zone", "area", "vn_kv", "vm_pu", "va_degree", "band"]])
    _print_frame(
        "branch flows",
        result.branches[
            ["from_bus", "to_bus", "p_from_mw", "q_from_mvar", "pl_mw", "loading_percent"]
        ],
    )
    _print_frame(
        "converters (load convention: + drawn from AC)",
        result.converters[
            [
                "bus",
                "role",
                "p_ac_mw",
                "q_conv_mvar",
                "q_filter_mvar",
                "q_net_mvar",
                "converter_loss_mw",
                "dc_voltage_kv",
            ]
        ],
    )
    h = result.hvdc
    typer.echo(
        f"HVDC: sent {h['sent_mw']:.1f} MW, delivered {h['delivered_mw']:.1f} MW, "
        f"losses {h['total_loss_mw']:.1f} MW ({h['loss_percent']:.2f} %: DC line "
        f"{h['dc_line_loss_mw']:.1f}, converters {h['converter_loss_mw']:.1f})"
    )
    _print_frame("area balances [MW]", result.areas)


@grid_app.command("export")
@user_errors
def grid_export(
    out: Annotated[Path, typer.Option("--out", help="Output file.")],
    fmt: Annotated[
        ExportFormatOption, typer.Option("--format", help="json (pandapower) or mat (MATPOWER).")
    ] = ExportFormatOption.JSON,
    export_mw: Annotated[
        float, typer.Option("--export-mw", help="CASA export to set [MW].")
    ] = 1300.0,
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
) -> None:
    """Write the network of the reference hour as pandapower JSON or MATPOWER .mat."""
    from casa1000.errors import InputError
    from casa1000.grid.builder import build_net
    from casa1000.grid.export import ExportFormat, export_net
    from casa1000.grid.solve import reference_schedule, run_ac

    if out.suffix.lower() != f".{fmt.value}":
        raise InputError("--out", "out", str(out), f"a file name ending in .{fmt.value}")
    if not 0 <= export_mw <= 5000:
        raise InputError("--export-mw", "export_mw", export_mw, "0 to 5000 MW")
    params = _params(variant, scenario, set_)
    built = build_net(params, reference_schedule(params, export_mw=export_mw))
    run_ac(built)
    export_net(built, out, ExportFormat(fmt.value))
    log.info("wrote %s", out)


YearArg = Annotated[
    int | None,
    typer.Option(
        "--year", help="Study year (sets the calendar) [default: 2027 or the scenario's]."
    ),
]
HydrologyArg = Annotated[
    HydrologyOption | None,
    typer.Option("--hydrology", help="Water year [default: normal or the scenario's]."),
]
DemandGrowthArg = Annotated[
    float | None,
    typer.Option("--demand-growth", help="Multiplier on KG/TJ demand, (0, 10] [default: 1]."),
]


class ExportRuleOption(StrEnum):
    """Export rules offered on the command line (see ``casa1000.profiles.config.ExportRule``)."""

    SPILL_ONLY = "spill-only"
    OCTOBER_TARGET = "october-target"
    FULL_CONTRACT = "full-contract"


ExportRuleArg = Annotated[
    ExportRuleOption | None,
    typer.Option(
        "--export-rule",
        help="Water the exporters may release for CASA in May-Sep [default: october-target].",
    ),
]
ReverseArg = Annotated[
    float | None,
    typer.Option(
        "--reverse-mw", help="Winter reverse-flow contract Pakistan -> Tajikistan [MW, default 0]."
    ),
]
VolumeArg = Annotated[
    list[str] | None,
    typer.Option(
        "--initial-volume",
        metavar="RESERVOIR=BCM",
        help="Volume on 1 January, e.g. TOKTOGUL=9.5 (repeatable) [1e9 m3].",
    ),
]
TargetArg = Annotated[
    list[str] | None,
    typer.Option(
        "--october-target",
        metavar="RESERVOIR=BCM",
        help="Volume each reservoir must reach by 1 October, e.g. TOKTOGUL=14 [1e9 m3].",
    ),
]
ProfilesArg = Annotated[
    Path | None,
    typer.Option("--profiles", help="Profiles file (.nc or .csv) instead of --year/--hydrology."),
]
MonthsArg = Annotated[
    str | None, typer.Option("--months", help="Months to study, e.g. 5-9 or 1,7,12 (default all).")
]
OutDirArg = Annotated[Path, typer.Option("--out", help="Output folder.")]
TopArg = Annotated[int, typer.Option("--top", help="Rows of ranked tables shown (1-1000).")]


@profiles_app.command("build")
@user_errors
def profiles_build(
    out: Annotated[Path, typer.Option("--out", help="Output file, .nc (NetCDF) or .csv.")],
    year: YearArg = None,
    hydrology: HydrologyArg = None,
    hydro_scale: Annotated[
        float | None, typer.Option("--hydro-scale", help="Extra hydro multiplier, (0, 10].")
    ] = None,
    demand_growth: DemandGrowthArg = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the weather variation.")
    ] = None,
    export_rule: ExportRuleArg = None,
    reverse_mw: ReverseArg = None,
    initial_volume: VolumeArg = None,
    october_target: TargetArg = None,
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
) -> None:
    """Build the hourly profiles of a study year (contract and rating from the scenario)."""
    from casa1000.errors import InputError
    from casa1000.profiles.io import write_profiles_csv, write_profiles_netcdf

    suffix = out.suffix.lower()
    if suffix not in (".nc", ".csv"):
        raise InputError("--out", "out", str(out), "a file name ending in .nc or .csv")
    flags = _profile_flags(year, hydrology, demand_growth, export_rule, reverse_mw)
    flags.update(
        hydro_scale=hydro_scale,
        seed=seed,
        initial_volume_bcm=_volumes("--initial-volume", initial_volume),
        october_target_bcm=_volumes("--october-target", october_target),
    )
    inputs = _scenario(variant, scenario, set_, None, flags).load()
    writer = write_profiles_csv if suffix == ".csv" else write_profiles_netcdf
    writer(inputs.profiles, out)
    log.info("wrote %s (%d hours)", out, inputs.profiles.sizes["time"])


def _volumes(option: str, pairs: list[str] | None) -> dict[str, float] | None:
    """Parse ``RESERVOIR=BCM`` options."""
    from casa1000.errors import InputError

    if not pairs:
        return None
    out: dict[str, float] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise InputError(
                option, pair, value, "RESERVOIR=volume in 1e9 m3, e.g. TOKTOGUL=9.5"
            ) from None
    return out


def _profile_flags(
    year: int | None,
    hydrology: HydrologyOption | None,
    demand_growth: float | None,
    export_rule: ExportRuleOption | None,
    reverse_mw: float | None,
) -> dict[str, object]:
    """Profile settings given on the command line (None: not given)."""
    return {
        "year": year,
        "hydrology": hydrology.value if hydrology else None,
        "demand_growth": demand_growth,
        "export_rule": export_rule.value if export_rule else None,
        "reverse_contract_mw": reverse_mw,
    }


@profiles_app.command("show")
@user_errors
def profiles_show(
    file: Annotated[Path, typer.Argument(help="Profiles file (.nc or .csv).")],
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Monthly energy per zone, peaks and export available per month."""
    from casa1000.profiles.summary import monthly_summary
    from casa1000.studies.spine.scenario import Scenario
    from casa1000.studies.spine.study import StudySummary

    profiles = Scenario(profile_file=file).load().profiles
    table = monthly_summary(profiles).round(1)
    table.index.name = "month"
    _emit(StudySummary(headline=(f"profiles {file}",), tables={"monthly": table}), fmt, [])


def _parse_months(text: str | None) -> tuple[int, ...]:
    from casa1000.errors import InputError

    if not text:
        return ()
    months: list[int] = []
    allowed = "month numbers 1 to 12 such as 5-9 or 1,7,12 (ranges ascending)"
    for part in text.split(","):
        lo, dash, hi = (x.strip() for x in part.partition("-"))
        try:
            first, last = int(lo), int(hi if dash else lo)
        except ValueError:
            raise InputError("--months", "months", text, allowed) from None
        if first > last or not (first >= 1 and last <= 12):
            raise InputError("--months", "months", text, allowed)
        months += list(range(first, last + 1))
    return tuple(months)


def _scenario(
    variant: VariantOption | None,
    scenario: Path | None,
    sets: list[str] | None,
    profiles: Path | None,
    flags: dict[str, object],
) -> Scenario:
    from casa1000.errors import InputError
    from casa1000.studies.spine.scenario import Scenario, profile_config_from

    if profiles is not None:
        given = sorted(k for k, v in flags.items() if v is not None)
        if given:
            raise InputError(
                "--profiles", given[0], flags[given[0]], "no profile settings with a profiles file"
            )
    return Scenario(
        name=scenario.stem if scenario else "reference",
        variant=variant.value if variant else None,
        scenario_file=scenario,
        sets=tuple(sets or ()),
        profile_config=None if profiles else profile_config_from(scenario, flags),
        profile_file=profiles,
    )


def _run_study(
    name: str, scenario: Scenario, config: object, out: Path, fmt: OutputFormat, top: int
) -> StudyResult:
    """Run one registered study, write its files, then print its summary."""
    from casa1000.errors import InputError
    from casa1000.studies.registry import study_spec
    from casa1000.studies.spine.results_io import ensure_writable
    from casa1000.studies.spine.runner import execute, write_result

    if not 1 <= top <= 1000:
        raise InputError("--top", "top", top, "1 to 1000 rows")
    spec = study_spec(name)
    with _progress(f"{name} study") as progress:
        progress("inputs", 0.0)
        inputs = scenario.load()  # bad input is refused before the output folder is made
        ensure_writable(out)
        result = execute(spec, inputs, config, progress=progress)
    written = write_result(spec, result, out)
    files = [written.data, *written.tables.values(), written.manifest]
    log.info("wrote %s", ", ".join(str(p) for p in files))
    _emit(spec.summary(result.dataset, top), fmt, files)
    return result


@study_app.command("seasonal")
@user_errors
def study_seasonal(
    out: OutDirArg = Path("casa1000-results"),
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    profiles: ProfilesArg = None,
    year: YearArg = None,
    hydrology: HydrologyArg = None,
    demand_growth: DemandGrowthArg = None,
    export_rule: ExportRuleArg = None,
    reverse_mw: ReverseArg = None,
    months: MonthsArg = None,
    no_curtail: Annotated[
        bool, typer.Option("--no-curtail", help="Report hours that fail instead of curtailing.")
    ] = False,
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Run a year of hourly AC load flow: delivered energy, losses, loadings, curtailment."""
    from casa1000.studies.seasonal import SeasonalConfig

    config = SeasonalConfig(months=_parse_months(months), curtail=not no_curtail)
    flags = _profile_flags(year, hydrology, demand_growth, export_rule, reverse_mw)
    scen = _scenario(variant, scenario, set_, profiles, flags)
    _run_study("seasonal", scen, config, out, fmt, 12)


ThermalArg = Annotated[
    float, typer.Option("--thermal-limit", help="Thermal limit of branches [%].")
]
VminArg = Annotated[float, typer.Option("--vmin", help="Lowest post-contingency voltage [pu].")]
VmaxArg = Annotated[float, typer.Option("--vmax", help="Highest post-contingency voltage [pu].")]
GroupsArg = Annotated[
    Path | None,
    typer.Option("--groups", help="TOML file of named N-k groups (default: the seed groups)."),
]
MinUnitArg = Annotated[
    float, typer.Option("--min-unit-mw", help="Smallest generating unit screened [MW].")
]
MinPlantArg = Annotated[
    float, typer.Option("--min-plant-mw", help="Smallest whole plant screened [MW].")
]


def _check_groups(scenario: Scenario, groups: Path | None) -> None:
    """Read a named-group file against the scenario's network before any long work."""
    if groups is None:
        return
    from casa1000.grid.builder import build_net
    from casa1000.studies.security.contingency_set import load_groups

    load_groups(build_net(scenario.params()), groups)


def _positive(option: str, value: float) -> float:
    from casa1000.errors import InputError

    if not 0 <= value <= 100_000:
        raise InputError(option, option.lstrip("-").replace("-", "_"), value, "0 to 100000 MW")
    return value


@study_app.command("contingency")
@user_errors
def study_contingency(
    out: OutDirArg = Path("casa1000-results"),
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    profiles: ProfilesArg = None,
    year: YearArg = None,
    hydrology: HydrologyArg = None,
    demand_growth: DemandGrowthArg = None,
    export_rule: ExportRuleArg = None,
    reverse_mw: ReverseArg = None,
    months: MonthsArg = None,
    thermal_limit: ThermalArg = 100.0,
    vmin: VminArg = 0.90,
    vmax: VmaxArg = 1.10,
    groups: GroupsArg = None,
    min_unit_mw: MinUnitArg = 100.0,
    min_plant_mw: MinPlantArg = 1000.0,
    top: TopArg = 15,
    benchmark: Annotated[
        int,
        typer.Option("--benchmark", help="Also time the plain runpp loop on this many hours."),
    ] = 0,
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Screen N-1 and named N-k contingencies in every hour (full AC, per-case table)."""
    from casa1000.errors import InputError
    from casa1000.studies.contingency import ContingencyConfig
    from casa1000.studies.security.limits import Limits

    if not 0 <= benchmark <= 8760:
        raise InputError("--benchmark", "benchmark", benchmark, "0 (off) to 8760 hours")
    config = ContingencyConfig(
        months=_parse_months(months),
        limits=Limits(thermal_percent=thermal_limit, vmin_pu=vmin, vmax_pu=vmax),
        min_unit_mw=_positive("--min-unit-mw", min_unit_mw),
        min_plant_mw=_positive("--min-plant-mw", min_plant_mw),
        groups_file=groups,
    )
    flags = _profile_flags(year, hydrology, demand_growth, export_rule, reverse_mw)
    scen = _scenario(variant, scenario, set_, profiles, flags)
    _check_groups(scen, groups)
    result = _run_study("contingency", scen, config, out, fmt, top)
    if benchmark:
        from casa1000.studies.benchmarks.contingency_benchmark import benchmark_contingency

        inputs = scen.load()
        report = benchmark_contingency(
            inputs.params,
            inputs.profiles,
            config,
            fast_total_s=result.facts.wall_time_s,
            sample_hours=benchmark,
        )
        for line in report.lines():
            log.warning("%s", line)


@study_app.command("transfer")
@user_errors
def study_transfer(
    out: OutDirArg = Path("casa1000-results"),
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    profiles: ProfilesArg = None,
    year: YearArg = None,
    hydrology: HydrologyArg = None,
    demand_growth: DemandGrowthArg = None,
    export_rule: ExportRuleArg = None,
    reverse_mw: ReverseArg = None,
    months: MonthsArg = None,
    thermal_limit: ThermalArg = 100.0,
    vmin: VminArg = 0.90,
    vmax: VmaxArg = 1.10,
    groups: GroupsArg = None,
    min_unit_mw: MinUnitArg = 100.0,
    min_plant_mw: MinPlantArg = 1000.0,
    direction: Annotated[
        DirectionOption,
        typer.Option("--direction", help="total (PK + AF pro rata), pakistan or afghanistan."),
    ] = DirectionOption.TOTAL,
    ceiling_mw: Annotated[
        float | None,
        typer.Option("--ceiling-mw", help="Largest export tried [MW] (default PK + AF contract)."),
    ] = None,
    resolution_mw: Annotated[
        float, typer.Option("--resolution-mw", help="Bisection resolution [MW].")
    ] = 10.0,
    top: TopArg = 15,
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Find, hour by hour, the largest N-1 secure CASA export and what limits it."""
    from casa1000.studies.security.limits import Limits
    from casa1000.studies.transfer_capability import TransferConfig, TransferDirection

    config = TransferConfig(
        months=_parse_months(months),
        direction=TransferDirection(direction.value),
        limits=Limits(thermal_percent=thermal_limit, vmin_pu=vmin, vmax_pu=vmax),
        ceiling_mw=ceiling_mw,
        resolution_mw=resolution_mw,
        min_unit_mw=_positive("--min-unit-mw", min_unit_mw),
        min_plant_mw=_positive("--min-plant-mw", min_plant_mw),
        groups_file=groups,
    )
    flags = _profile_flags(year, hydrology, demand_growth, export_rule, reverse_mw)
    scen = _scenario(variant, scenario, set_, profiles, flags)
    _check_groups(scen, groups)
    _run_study("transfer", scen, config, out, fmt, top)


@study_app.command("benchmark")
@user_errors
def study_benchmark(
    sample: Annotated[int, typer.Option("--sample", help="Hours solved the plain way.")] = 48,
    variant: VariantArg = None,
    year: YearArg = None,
) -> None:
    """Time the seasonal fast path against a plain pandapower runpp loop (same run)."""
    from casa1000.errors import InputError
    from casa1000.studies.benchmarks.seasonal_benchmark import benchmark_seasonal

    if not 1 <= sample <= 8760:
        raise InputError("--sample", "sample", sample, "at least 1 hour and at most 8760")
    inputs = _scenario(variant, None, None, None, {"year": year}).load()
    result = benchmark_seasonal(inputs.params, inputs.profiles, sample_hours=sample)
    for line in result.lines():
        typer.echo(line)


# --- study indicators (issue 10); add below this line ---


@study_app.command("indicators")
@user_errors
def study_indicators(
    results: Annotated[
        list[Path],
        typer.Argument(
            help="Results folder(s), each with a seasonal result (and optionally "
            "contingency and transfer); several are compared, the first as base."
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Output folder (default: the results folder; with several, "
            "casa1000-indicators with one subfolder per set and the comparison).",
        ),
    ] = None,
    years: Annotated[
        int, typer.Option("--years", help="Years of the adequacy Monte Carlo (1-100000).")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo.")] = 0,
    emission_factor: Annotated[
        float | None,
        typer.Option(
            "--emission-factor",
            help="CO2 of Pakistan's marginal plant [t/MWh] (default: seeded 0.58).",
        ),
    ] = None,
    outage_rates: Annotated[
        Path | None, typer.Option("--outage-rates", help="Outage-rate CSV instead of the seeds.")
    ] = None,
    tariffs: Annotated[
        Path | None, typer.Option("--tariffs", help="Tariff CSV instead of the seeds.")
    ] = None,
    profiles: Annotated[
        Path | None,
        typer.Option("--profiles", help="The profile file the results were made from, if any."),
    ] = None,
    top: TopArg = 10,
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Energy-security indicators of result sets: delivery, security, adequacy, dependence."""
    from casa1000.errors import InputError
    from casa1000.studies.indicators.comparison import (
        compare,
        comparison_table,
        write_comparison,
    )
    from casa1000.studies.indicators.result_folders import load_result_set, set_labels
    from casa1000.studies.indicators.study import SPEC, IndicatorsConfig
    from casa1000.studies.spine.results_io import ensure_writable
    from casa1000.studies.spine.runner import execute, write_result
    from casa1000.studies.spine.study import StudySummary

    if not 1 <= top <= 1000:
        raise InputError("--top", "top", top, "1 to 1000 rows")
    config = IndicatorsConfig(
        mc_years=years,
        mc_seed=seed,
        marginal_emission_factor_t_per_mwh=emission_factor,
        outage_rates_file=outage_rates,
        tariffs_file=tariffs,
    )
    for folder in results:
        if not folder.is_dir():
            raise InputError(str(folder), "RESULTS_DIR", str(folder), "an existing results folder")
    labels = set_labels(results)
    base = out or Path("casa1000-indicators")
    targets = [out or results[0]] if len(results) == 1 else [base / lb for lb in labels]
    for target in targets:
        ensure_writable(target)
    sets = {}
    files: list[Path] = []
    for label, folder, target in zip(labels, results, targets, strict=True):
        with _progress(f"indicators {label}") as progress:
            progress("inputs", 0.0)
            inputs = load_result_set(folder, profile_file=profiles)
            result = execute(SPEC, inputs, config, progress=progress)
        written = write_result(SPEC, result, target)
        files += [written.data, *written.tables.values(), written.manifest]
        sets[label] = result.dataset
    if len(results) == 1:
        log.info("wrote %s", ", ".join(str(p) for p in files))
        _emit(SPEC.summary(next(iter(sets.values())), top), fmt, files)
        return
    comparison = compare(sets)
    files += write_comparison(comparison, base)
    log.info("wrote %s", ", ".join(str(p) for p in files))
    lines = [f"indicators of {len(sets)} result sets, differences to {labels[0]}"]
    for label, ds in sets.items():
        first = SPEC.summary(ds, top).headline
        lines += [f"{label}: {first[0][3:]}", f"{label}: {first[6][3:]}"]
    _emit(
        StudySummary(
            headline=tuple(lines),
            tables={"comparison": comparison_table(comparison).round(2)},
        ),
        fmt,
        files,
    )


# (end of indicator commands)


# --- dashboard commands (issue 11); add below this line ---


@dashboard_app.command("report")
@user_errors
def dashboard_report(
    folders: Annotated[
        list[Path],
        typer.Argument(
            metavar="RESULTS_DIR...",
            help="Result folders (casa1000 study ... --out DIR); the first is the reference.",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("report.html"),
    drill_down: Annotated[
        int,
        typer.Option(
            "--drill-down",
            help="Contingencies whose worst hour is solved again for the drill-down (0: none).",
        ),
    ] = 6,
) -> None:
    """Write one self-contained HTML report that opens offline in any browser."""
    from casa1000.dashboards.report import write_report

    with _progress("dashboard") as progress:
        facts = write_report(folders, out, drill_cases=drill_down, progress=progress)
    log.info("%s", facts.drill_down_note)
    typer.echo(
        f"wrote {facts.path} ({facts.size_bytes / 1e6:.1f} MB, {facts.figures} figures, "
        f"{facts.seconds:.1f} s)"
    )


@dashboard_app.command("serve")
@user_errors
def dashboard_serve(
    port: Annotated[int, typer.Option("--port", help="TCP port; 0 picks a free one.")] = 8050,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
) -> None:
    """Serve the live what-if view: change the scenario, the seasonal study re-runs."""
    from casa1000.dashboards.live import LiveServer

    server = LiveServer(host=host, port=port)
    try:
        # announced inside the try: a Ctrl-C right after the address still stops cleanly
        typer.echo(f"casa1000 what-if view on {server.url} (Ctrl-C stops it)")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    log.info("stopped")


# (end of dashboard commands)


# --- regression commands (issue 12); add below this line ---
SuiteArg = Annotated[
    Path | None,
    typer.Option("--suite", help="Suite file (TOML); default: the built-in suite."),
]
OnlyArg = Annotated[
    list[str] | None,
    typer.Option("--only", metavar="NAME", help="Run only this entry (repeatable)."),
]


def _regress_frame(frame: pd.DataFrame, fmt: OutputFormat) -> pd.DataFrame:
    """Numbers as 6 significant digits on screen (the rows mix MW, GWh and pu)."""
    if fmt is not OutputFormat.TABLE:
        return frame
    shown = frame.copy()
    for col in shown.columns:
        if shown[col].dtype.kind == "f":
            shown[col] = [("-" if v != v else f"{v:.6g}") for v in shown[col]]
    return shown


@regress_app.command("run")
@user_errors
def regress_run(
    suite: SuiteArg = None,
    only: OnlyArg = None,
    out: Annotated[
        Path, typer.Option("--out", help="Folder of the JUnit XML, HTML report and CSV table.")
    ] = Path("casa1000-results/regression"),
    keep_results: Annotated[
        bool,
        typer.Option("--keep-results", help="Also write each entry's full result under --out."),
    ] = False,
    all_series: Annotated[
        bool, typer.Option("--all-series", help="Plot every series, not only the failing ones.")
    ] = False,
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Run the suite and compare with its baselines.

    Exit code 0 when every check passes, 1 on a regression (a check beyond its
    tolerance, or a study that fails), 2 on bad input -- including a missing,
    corrupt or out-of-date baseline: the gate cannot judge, and the fix is
    ``casa1000 regress update --only NAME --reason "..."``.
    """
    from casa1000.dashboards.regression_report import write_regression_report
    from casa1000.studies.regression.gate import run_suite
    from casa1000.studies.regression.junit import write_junit
    from casa1000.studies.regression.suite import read_suite
    from casa1000.studies.spine.results_io import ensure_writable, write_table
    from casa1000.studies.spine.study import StudySummary

    spec = read_suite(suite)
    ensure_writable(out)
    with _progress("regression suite") as progress:
        report = run_suite(
            spec,
            only or (),
            progress=progress,
            results_dir=out / "results" if keep_results else None,
        )
    table = report.table()
    files = [
        write_junit(report, out / "regression.xml"),
        write_regression_report(report, out / "regression.html", all_series=all_series),
        write_table(table, out / "regression_checks.csv", index=False),
    ]
    log.info("wrote %s", ", ".join(str(p) for p in files))
    summary = StudySummary(
        headline=report.headline(), tables={"checks": _regress_frame(table, fmt)}
    )
    _emit(summary, fmt, files)
    if report.exit_code:
        raise typer.Exit(code=report.exit_code)


@regress_app.command("update")
@user_errors
def regress_update(
    reason: Annotated[
        str, typer.Option("--reason", help="Why the baselines move (goes in the changelog).")
    ],
    suite: SuiteArg = None,
    only: OnlyArg = None,
    fmt: FormatArg = OutputFormat.TABLE,
) -> None:
    """Re-baseline (all entries, or --only some) and record what moved and why.

    The changelog beside the baselines gets the reason, the code version
    (package and git commit) and the data version (seed hashes), and per entry
    the values that moved, old -> new.  Nothing is written unless every entry
    ran (exit code 1 otherwise).
    """
    from casa1000.studies.regression.gate import update_suite
    from casa1000.studies.regression.suite import read_suite
    from casa1000.studies.spine.study import StudySummary

    spec = read_suite(suite)
    with _progress("regression update") as progress:
        report = update_suite(spec, reason=reason, only=only or (), progress=progress)
    if report.failed:
        for name, why in report.failed.items():
            typer.echo(f"error: entry {name} failed, nothing written: {why}", err=True)
        raise typer.Exit(code=1)
    files = [*report.written, *([report.changelog] if report.changelog else [])]
    log.info("wrote %d baselines and %s", len(report.written), report.changelog)
    moved = sum(len(c.values) for c in report.changes)
    headline = (
        f"re-baselined {len(report.written)} entries of {spec.name} in "
        f"{report.wall_time_s:.1f} s: {moved} values moved; "
        + ", ".join(f"{c.entry} {c.status}" for c in report.changes),
    )
    summary = StudySummary(
        headline=headline, tables={"changes": _regress_frame(report.table(), fmt)}
    )
    _emit(summary, fmt, files)


@regress_app.command("list")
@user_errors
def regress_list(suite: SuiteArg = None, fmt: FormatArg = OutputFormat.TABLE) -> None:
    """List the entries of the suite: study, scenario, what they compare."""
    import pandas as pd

    from casa1000.studies.regression.suite import read_suite
    from casa1000.studies.spine.study import StudySummary

    spec = read_suite(suite)
    rows = [
        {
            "entry": e.name,
            "study": e.study,
            "metrics": len(e.metrics),
            "series": len(e.series),
            "title": e.title,
        }
        for e in spec.entries
    ]
    summary = StudySummary(
        headline=(f"suite {spec.name} ({spec.path}): {len(rows)} entries",),
        tables={"entries": pd.DataFrame(rows).set_index("entry")},
    )
    _emit(summary, fmt, [])


# (end of regression commands)


# --- main job and sweep commands (issue 13); add below this line ---

# (end of main job and sweep commands)


def main() -> None:
    """Entry point of the ``casa1000`` command and of ``python -m casa1000``."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
