"""Command line of casa1000: a thin typer adapter over the library.

Heavy imports (pandapower, xarray) happen inside the commands so that
``casa1000 --help`` stays fast.  Errors a user can cause print one line and exit
with code 2.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from casa1000.errors import Casa1000Error

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Seasonal transfer, contingency and energy-security studies of CASA-1000.",
)
grid_app = typer.Typer(no_args_is_help=True, help="The parametric network model.")
app.add_typer(grid_app, name="grid")
profiles_app = typer.Typer(no_args_is_help=True, help="Hourly profiles of a study year.")
app.add_typer(profiles_app, name="profiles")
study_app = typer.Typer(no_args_is_help=True, help="Studies driven by the profiles.")
app.add_typer(study_app, name="study")


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
        "--set", help="Override by dotted key, e.g. --set hvdc.rating_mw=1000 (repeatable)."
    ),
]
JsonArg = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


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


def _params(variant: VariantOption | None, scenario: Path | None, sets: list[str] | None) -> Any:
    from casa1000.grid.overrides import load_params

    return load_params(
        variant=variant.value if variant else None, scenario=scenario, sets=sets or ()
    )


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


@grid_app.command("show")
@user_errors
def grid_show(
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    as_json: JsonArg = False,
) -> None:
    """Elements by zone with their key ratings."""
    from rich.console import Console
    from rich.table import Table

    from casa1000.grid.summary import describe_network

    info = describe_network(_params(variant, scenario, set_))
    if as_json:
        _print_json(info)
        return
    console = Console()
    console.print(f"[bold]CASA-1000 network, variant {info['variant']}[/bold]  {info['counts']}")
    for zone, content in info["zones"].items():
        table = Table(title=f"zone {zone}", show_lines=False)
        for col in ("kind", "id", "where", "rating"):
            table.add_column(col)
        for pid, p in content["plants"].items():
            table.add_row(
                "plant",
                pid,
                p["bus"],
                f"{p['p_max_mw']:g} MW ({p['units']} units, {p['technology']})",
            )
        for lid, ln in content["lines"].items():
            table.add_row(
                "line",
                lid,
                f"{ln['from_bus']}-{ln['to_bus']}",
                f"{ln['length_km']:g} km x{ln['circuits']}, "
                f"{ln['rating_mva_per_circuit']:g} MVA/circuit",
            )
        for tid, t in content["trafos"].items():
            table.add_row(
                "trafo", tid, f"{t['hv_bus']}/{t['lv_bus']}", f"{t['units']} x {t['sn_mva']:g} MVA"
            )
        for sid, s in content["shunts"].items():
            table.add_row("shunt", sid, s["bus"], f"{s['q_mvar']:g} Mvar ({s['switching']})")
        for lid, ld in content["loads"].items():
            size = (
                f"{ld['p_ref_mw']:g} MW fixed"
                if ld["p_ref_mw"] is not None
                else f"share {ld['share']:g}"
            )
            table.add_row("load", lid, ld["bus"], size)
        console.print(table)
    hv = info["hvdc"]
    console.print(
        f"HVDC: {hv['rating_mw']:g} MW, +/-{hv['pole_voltage_kv']:g} kV, {hv['poles']} poles; "
        f"terminals {hv['terminals']}; segments {hv['segments']}"
    )
    console.print(f"synchronous areas: { {a: len(b) for a, b in info['areas'].items()} }")


@grid_app.command("check")
@user_errors
def grid_check(
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    as_json: JsonArg = False,
) -> None:
    """Validate the parameters and report sources by confidence."""
    from casa1000.grid.summary import check_report

    report = check_report(_params(variant, scenario, set_))
    if as_json:
        _print_json(report)
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
    as_json: JsonArg = False,
) -> None:
    """Base-case AC load flow of the reference hour at a given CASA export."""
    from casa1000.errors import InputError
    from casa1000.grid.solve import solve_base_case

    if not 0 <= export_mw <= 5000:
        raise InputError("--export-mw", "export_mw", export_mw, "0 to 5000 MW")
    result = solve_base_case(_params(variant, scenario, set_), export_mw=export_mw)
    if as_json:
        _print_json(result.to_dict())
        return
    _print_solution(result)


def _print_solution(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    status = "converged" if result.converged else f"[red]NOT CONVERGED[/red]: {result.reason}"
    console.print(
        f"[bold]{result.variant}[/bold], export PK {result.export_mw['PK']:.0f} MW + "
        f"AF {result.export_mw['AF']:.0f} MW: {status}"
    )
    buses = Table(title="bus voltages")
    for col in ("bus", "zone", "area", "kV", "vm_pu", "va_deg", "band"):
        buses.add_column(col)
    for bid, row in result.buses.iterrows():
        band = "ok" if row.in_band else "[red]out[/red]"
        buses.add_row(
            str(bid),
            row.zone,
            row.area,
            f"{row.vn_kv:g}",
            f"{row.vm_pu:.4f}",
            f"{row.va_degree:.2f}",
            band,
        )
    console.print(buses)
    branches = Table(title="branch flows")
    for col in ("branch", "from", "to", "P_from MW", "Q_from Mvar", "losses MW", "loading %"):
        branches.add_column(col)
    for cid, row in result.branches.iterrows():
        branches.add_row(
            str(cid),
            row.from_bus,
            row.to_bus,
            f"{row.p_from_mw:.1f}",
            f"{row.q_from_mvar:.1f}",
            f"{row.pl_mw:.2f}",
            f"{row.loading_percent:.1f}",
        )
    console.print(branches)
    conv = Table(title="converters (load convention: + drawn from AC)")
    for col in (
        "terminal",
        "bus",
        "role",
        "P MW",
        "Q conv Mvar",
        "filters Mvar",
        "Q net Mvar",
        "loss MW",
        "Vdc kV",
    ):
        conv.add_column(col)
    for tid, row in result.converters.iterrows():
        conv.add_row(
            str(tid),
            row.bus,
            row.role,
            f"{row.p_ac_mw:.1f}",
            f"{row.q_conv_mvar:.1f}",
            f"{row.q_filter_mvar:.0f}",
            f"{row.q_net_mvar:.1f}",
            f"{row.converter_loss_mw:.2f}",
            f"{row.dc_voltage_kv:.1f}",
        )
    console.print(conv)
    h = result.hvdc
    console.print(
        f"HVDC: sent {h['sent_mw']:.1f} MW, delivered {h['delivered_mw']:.1f} MW, "
        f"losses {h['total_loss_mw']:.1f} MW ({h['loss_percent']:.2f} %: DC line "
        f"{h['dc_line_loss_mw']:.1f}, converters {h['converter_loss_mw']:.1f})"
    )
    areas = Table(title="area balances [MW]")
    for col in ("area", "generation", "external", "load", "converters", "losses", "mismatch"):
        areas.add_column(col)
    for area, row in result.areas.iterrows():
        areas.add_row(
            str(area),
            f"{row.generation_mw:.1f}",
            f"{row.external_mw:.1f}",
            f"{row.load_mw:.1f}",
            f"{row.converter_mw:.1f}",
            f"{row.losses_mw:.2f}",
            f"{row.mismatch_mw:.2e}",
        )
    console.print(areas)


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
    from casa1000.grid.builder import build_net
    from casa1000.grid.export import ExportFormat, export_net
    from casa1000.grid.schedule import make_schedule, split_export
    from casa1000.grid.solve import run_ac

    params = _params(variant, scenario, set_)
    zones = {z.id: z.ref_demand_mw for z in params.zones}
    schedule = make_schedule(
        params,
        demand_mw={"KG": [zones["KG"]], "TJ": [zones["TJ"]]},
        export_mw=split_export(params.contract, [export_mw]),
    )
    built = build_net(params, schedule)
    run_ac(built)
    export_net(built, out, ExportFormat(fmt.value))
    typer.echo(f"wrote {out}")


YearArg = Annotated[int, typer.Option("--year", help="Study year (sets the calendar).")]
HydrologyArg = Annotated[HydrologyOption, typer.Option("--hydrology", help="Water year.")]
ProfilesArg = Annotated[
    Path | None,
    typer.Option("--profiles", help="Profiles file (.nc or .csv) instead of --year/--hydrology."),
]
MonthsArg = Annotated[
    str | None, typer.Option("--months", help="Months to study, e.g. 5-9 or 1,7,12 (default all).")
]
OutDirArg = Annotated[Path, typer.Option("--out", help="Output folder.")]


def _read_profiles(path: Path, converter_limit_mw: float | None = None) -> Any:
    from casa1000.profiles.io import read_profiles_csv, read_profiles_netcdf

    if path.suffix.lower() == ".csv":
        return read_profiles_csv(path, converter_limit_mw=converter_limit_mw)
    return read_profiles_netcdf(path)


@profiles_app.command("build")
@user_errors
def profiles_build(
    out: Annotated[Path, typer.Option("--out", help="Output file, .nc (NetCDF) or .csv.")],
    year: YearArg = 2027,
    hydrology: HydrologyArg = HydrologyOption.NORMAL,
    hydro_scale: Annotated[
        float, typer.Option("--hydro-scale", help="Extra hydro multiplier.")
    ] = 1.0,
    demand_growth: Annotated[
        float, typer.Option("--demand-growth", help="Multiplier on KG/TJ demand.")
    ] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the weather variation.")] = 0,
) -> None:
    """Build the hourly profiles of a study year from the seeds."""
    from casa1000.profiles.build import build_profiles
    from casa1000.profiles.io import write_profiles_csv, write_profiles_netcdf

    ds = build_profiles(
        year=year,
        hydrology=hydrology.value,
        hydro_scale=hydro_scale,
        demand_growth=demand_growth,
        seed=seed,
    )
    writer = write_profiles_csv if out.suffix.lower() == ".csv" else write_profiles_netcdf
    writer(ds, out)
    typer.echo(f"wrote {out} ({ds.sizes['time']} hours)")


@profiles_app.command("show")
@user_errors
def profiles_show(
    file: Annotated[Path, typer.Argument(help="Profiles file (.nc or .csv).")],
) -> None:
    """Monthly energy per zone, peaks and export available per month."""
    from rich.console import Console
    from rich.table import Table

    from casa1000.profiles.summary import summary_rows

    header, rows = summary_rows(_read_profiles(file))
    table = Table(title=f"profiles {file}")
    for col in header:
        table.add_column(col, justify="right")
    for row in rows:
        table.add_row(*row)
    Console().print(table)


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


def _output_folder(out: Path) -> Path:
    """Check before a long study that its results can be written to ``out``."""
    from casa1000.errors import InputError

    if out.exists() and not out.is_dir():
        raise InputError("--out", "out", str(out), "a folder (this is a file)")
    return out


def _write_table(table: Any, path: Path, *, index: bool = True) -> Path:
    """Write a summary table as CSV atomically."""
    from casa1000.grid.atomic import atomic_output

    with atomic_output(path) as tmp:
        table.to_csv(tmp, index=index)
    return path


def _study_inputs(
    variant: VariantOption | None,
    scenario: Path | None,
    sets: list[str] | None,
    profiles: Path | None,
    year: int,
    hydrology: HydrologyOption,
) -> tuple[Any, Any]:
    from casa1000.profiles.build import build_profiles

    params = _params(variant, scenario, sets)
    limit = params.hvdc.rating_mw
    if profiles is not None:
        return params, _read_profiles(profiles, converter_limit_mw=limit)
    return params, build_profiles(year=year, hydrology=hydrology.value, converter_limit_mw=limit)


SEASONAL_COLUMNS = {
    "month": "month",
    "delivered_pk_gwh": "PK GWh",
    "delivered_af_gwh": "AF GWh",
    "sent_gwh": "sent GWh",
    "curtailed_gwh": "cut GWh",
    "hvdc_loss_percent": "HVDC loss %",
    "ac_loss_caps_gwh": "AC loss GWh",
    "datka_sughd_util_percent": "Datka-Sughd %",
    "hvdc_util_percent": "HVDC use %",
    "violation_h": "viol. h",
    "not_converged_h": "no conv. h",
}
"""Summary columns shown by ``study seasonal`` (all of them go to the CSV)."""


@study_app.command("seasonal")
@user_errors
def study_seasonal(
    out: OutDirArg = Path("casa1000-results"),
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    profiles: ProfilesArg = None,
    year: YearArg = 2027,
    hydrology: HydrologyArg = HydrologyOption.NORMAL,
    months: MonthsArg = None,
    no_curtail: Annotated[
        bool, typer.Option("--no-curtail", help="Report hours that fail instead of curtailing.")
    ] = False,
) -> None:
    """Run a year of hourly AC load flow: delivered energy, losses, loadings, curtailment."""
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from casa1000.studies.seasonal import SeasonalConfig, run_seasonal
    from casa1000.studies.seasonal_tables import monthly_summary
    from casa1000.studies.spine.results_io import write_results

    _output_folder(out)
    config = SeasonalConfig(months=_parse_months(months), curtail=not no_curtail)
    console = Console()
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("seasonal study: inputs", total=1.0)
        params, prof = _study_inputs(variant, scenario, set_, profiles, year, hydrology)

        def progress(stage: str, done: float) -> None:
            bar.update(task, completed=done, description=f"seasonal study: {stage}")

        ds = run_seasonal(params, prof, config, progress=progress)
        path = write_results(ds, out / "seasonal.nc")
    summary = monthly_summary(ds)
    table = Table(title=f"seasonal study, {ds.attrs['variant']}, {ds.sizes['time']} hours")
    for header in SEASONAL_COLUMNS.values():
        table.add_column(header, justify="right")
    for month, row in summary.iterrows():
        cells = [str(month)]
        for col in list(SEASONAL_COLUMNS)[1:]:
            value = row[col]
            if value != value:  # NaN: no export that month
                cells.append("-")
            else:
                cells.append(f"{value:.1f}" if col.endswith("_percent") else f"{value:.0f}")
        table.add_row(*cells)
    console.print(table)
    _write_table(summary, out / "seasonal_summary.csv")
    console.print(f"wrote {path} and {out / 'seasonal_summary.csv'}")


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


@study_app.command("contingency")
@user_errors
def study_contingency(
    out: OutDirArg = Path("casa1000-results"),
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    profiles: ProfilesArg = None,
    year: YearArg = 2027,
    hydrology: HydrologyArg = HydrologyOption.NORMAL,
    months: MonthsArg = None,
    thermal_limit: ThermalArg = 100.0,
    vmin: VminArg = 0.90,
    vmax: VmaxArg = 1.10,
    groups: GroupsArg = None,
    min_unit_mw: MinUnitArg = 100.0,
    min_plant_mw: MinPlantArg = 1000.0,
    top: Annotated[int, typer.Option("--top", help="Contingencies shown in the ranking.")] = 15,
    benchmark: Annotated[
        int,
        typer.Option("--benchmark", help="Also time the plain runpp loop on this many hours."),
    ] = 0,
) -> None:
    """Screen N-1 and named N-k contingencies in every hour (full AC, per-case table)."""
    import time

    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from casa1000.studies.contingency import ContingencyConfig, run_contingency
    from casa1000.studies.contingency_tables import (
        contingency_table,
        ranking,
        worst_per_element,
    )
    from casa1000.studies.security.limits import Limits
    from casa1000.studies.spine.results_io import write_results

    _output_folder(out)
    if benchmark < 0:
        from casa1000.errors import InputError

        raise InputError("--benchmark", "benchmark", benchmark, "0 (off) or a number of hours")
    config = ContingencyConfig(
        months=_parse_months(months),
        limits=Limits(thermal_percent=thermal_limit, vmin_pu=vmin, vmax_pu=vmax),
        min_unit_mw=min_unit_mw,
        min_plant_mw=min_plant_mw,
        groups_file=groups,
    )
    console = Console()
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("contingency screening: inputs", total=1.0)
        params, prof = _study_inputs(variant, scenario, set_, profiles, year, hydrology)

        def progress(stage: str, done: float) -> None:
            bar.update(task, completed=done, description=f"contingency screening: {stage}")

        started = time.perf_counter()
        ds = run_contingency(params, prof, config, progress=progress)
        fast_s = time.perf_counter() - started
        path = write_results(ds, out / "contingency.nc")
    a = ds.attrs
    console.print(
        f"{a['cases_total']} cases ({ds.sizes['time']} h x {ds.sizes['contingency']} "
        f"contingencies) in {fast_s:.1f} s: {a['cases_ac_solved']} AC-solved, "
        f"{a['cases_identical_copied']} identical to an AC-solved case, "
        f"{a['cases_symmetric_twin']} parallel-circuit twins, 0 screened linearly; "
        f"peak memory {a['peak_memory_mb']:.0f} MB"
    )
    ranked = ranking(ds).head(top)
    table = Table(title=f"most severe contingencies, {a['variant']}")
    columns = {
        "rank": "#",
        "nonconverged_hours": "no conv. h",
        "insecure_hours": "insecure h",
        "thermal_violation_hours": "thermal h",
        "voltage_violation_hours": "voltage h",
        "max_unserved_mw": "unserved MW",
        "worst_loading_percent": "max load %",
        "worst_loading_branch": "branch",
        "vm_min_pu": "vmin pu",
        "vm_min_bus": "bus",
        "max_performance_index": "max PI",
    }
    table.add_column("contingency")
    for header in columns.values():
        table.add_column(header, justify="right")
    for cid, row in ranked.iterrows():
        cells = [str(cid)]
        for col in columns:
            value = row[col]
            if not isinstance(value, float):
                cells.append(str(value))
            elif value != value:  # NaN: never converged
                cells.append("-")
            else:
                cells.append(f"{value:.3f}" if col == "vm_min_pu" else f"{value:.1f}")
        table.add_row(*cells)
    console.print(table)
    _write_table(contingency_table(ds), out / "contingency_table.csv")
    _write_table(worst_per_element(ds), out / "contingency_worst_elements.csv", index=False)
    tables = f"{out / 'contingency_table.csv'} and {out / 'contingency_worst_elements.csv'}"
    console.print(f"wrote {path}, {tables}")
    if benchmark:
        from casa1000.studies.benchmarks.contingency_benchmark import benchmark_contingency

        result = benchmark_contingency(
            params, prof, config, fast_total_s=fast_s, sample_hours=benchmark
        )
        for line in result.lines():
            console.print(line)


@study_app.command("transfer")
@user_errors
def study_transfer(
    out: OutDirArg = Path("casa1000-results"),
    variant: VariantArg = None,
    scenario: ScenarioArg = None,
    set_: SetArg = None,
    profiles: ProfilesArg = None,
    year: YearArg = 2027,
    hydrology: HydrologyArg = HydrologyOption.NORMAL,
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
    top: Annotated[int, typer.Option("--top", help="Most restrictive hours shown.")] = 15,
) -> None:
    """Find, hour by hour, the largest N-1 secure CASA export and what limits it."""
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from casa1000.studies.security.limits import Limits
    from casa1000.studies.spine.results_io import write_results
    from casa1000.studies.transfer_capability import (
        TransferConfig,
        TransferDirection,
        limiter_summary,
        run_transfer,
        transfer_table,
    )

    _output_folder(out)
    config = TransferConfig(
        months=_parse_months(months),
        direction=TransferDirection(direction.value),
        limits=Limits(thermal_percent=thermal_limit, vmin_pu=vmin, vmax_pu=vmax),
        ceiling_mw=ceiling_mw,
        resolution_mw=resolution_mw,
        min_unit_mw=min_unit_mw,
        min_plant_mw=min_plant_mw,
        groups_file=groups,
    )
    console = Console()
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("transfer capability: inputs", total=1.0)
        params, prof = _study_inputs(variant, scenario, set_, profiles, year, hydrology)

        def progress(stage: str, done: float) -> None:
            bar.update(task, completed=done, description=f"transfer capability: {stage}")

        ds = run_transfer(params, prof, config, progress=progress)
        path = write_results(ds, out / "transfer.nc")
    a = ds.attrs
    cap = ds.transfer_capability_mw
    console.print(
        f"secure transfer capability over {ds.sizes['time']} h: min {float(cap.min()):.0f}, "
        f"mean {float(cap.mean()):.0f}, max {float(cap.max()):.0f} MW "
        f"(ceiling {a['ceiling_mw']:.0f} MW); tiers: {a['hours_tier1_verified']} h linear "
        f"estimate AC-verified, {a['hours_tier3_refined']} h refined by AC bisection; "
        f"AC cases {a['ac_cases_tier1_linear']} + {a['ac_cases_tier2_verify']} + "
        f"{a['ac_cases_tier3_refine']}"
    )
    ranked = transfer_table(ds).head(top)
    table = Table(title="most restrictive hours")
    for header in ("hour", "capability MW", "contingency", "element", "limiter", "tier"):
        table.add_column(header, justify="right")
    for when, row in ranked.iterrows():
        table.add_row(
            str(when)[:16],
            f"{row.transfer_capability_mw:.0f}",
            row.limiting_contingency,
            row.limiting_element,
            row.limiter,
            str(row.tier),
        )
    console.print(table)
    limiters = limiter_summary(ds)
    console.print(limiters.head(top).to_string())
    _write_table(transfer_table(ds), out / "transfer_table.csv")
    _write_table(limiters, out / "transfer_limiters.csv")
    console.print(f"wrote {path}, {out / 'transfer_table.csv'} and {out / 'transfer_limiters.csv'}")


@study_app.command("benchmark")
@user_errors
def study_benchmark(
    sample: Annotated[int, typer.Option("--sample", help="Hours solved the plain way.")] = 48,
    variant: VariantArg = None,
    year: YearArg = 2027,
) -> None:
    """Time the seasonal fast path against a plain pandapower runpp loop (same run)."""
    from casa1000.errors import InputError
    from casa1000.profiles.build import build_profiles
    from casa1000.studies.benchmarks.seasonal_benchmark import benchmark_seasonal

    if sample < 1:
        raise InputError("--sample", "sample", sample, "at least 1 hour")
    params = _params(variant, None, None)
    profiles = build_profiles(year=year, converter_limit_mw=params.hvdc.rating_mw)
    result = benchmark_seasonal(params, profiles, sample_hours=sample)
    for line in result.lines():
        typer.echo(line)


def main() -> None:
    """Entry point for ``python -m casa1000``."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
