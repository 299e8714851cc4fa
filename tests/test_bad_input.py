"""Bad input through the command line: one line naming the culprit, exit 2, nothing left behind.

Each case is (command line, fragment the one error line must contain).  ``{tmp}``
stands for a fresh folder holding the bad files below; ``{out}`` for an output
folder that must not exist after the refusal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from casa1000.cli import app

runner = CliRunner()

FILES = {
    "bad.toml": 'variant = "as_built"\n[hvdc\nrating_mw = 1000\n',
    "variant3.toml": "variant = 3\n",
    "unknown.toml": "[hvdc]\nrating_mwx = 1000\n",
    "typo_line.toml": "[line.DATKA_SUGHX]\nlength_km = 477\n",
    "profiles_table.toml": '[profiles]\nhydrology = "soggy"\n',
    "profiles_field.toml": "[profiles]\nyears = 2030\n",
    "notes.txt": "not a NetCDF file\n",
    "bad_header.csv": "time,demand_mw:XX\n2027-01-01T00:00:00+05:00,1\n",
    "groups_bad.toml": "[[group]\nid = 'X'\n",
    "groups_unknown.toml": (
        '[[group]]\nid = "X"\nbranches = ["NO_SUCH_LINE"]\nsource = "wiki_casa1000"\n'
        'confidence = "H"\n'
    ),
    "groups_nosource.toml": '[[group]]\nid = "X"\nbranches = ["DATKA_SUGHD"]\nconfidence = "H"\n',
}
BINARY = {"binary.toml": bytes(range(256)), "binary_groups.toml": b"\xff\xfe\x00bad"}
STUDY_OUT = ["--out", "{out}"]

CASES: list[tuple[list[str], str]] = [
    # grid parameters by --set
    (["grid", "check", "--set", "line.DATKA_SUGHD.length_km=0"], "a length in (0, 3000] km"),
    (["grid", "check", "--set", "line.DATKA_SUGHD.length_km=1e6"], "a length in (0, 3000] km"),
    (["grid", "check", "--set", "nonsense=1"], "a key such as"),
    (["grid", "check", "--set", "line.DATKA_SUGHD.to_bus=NOWHERE"], "an existing bus id"),
    (["grid", "check", "--set", "line.FOO.length_km=3"], "to add one, write add.line.FOO"),
    (["grid", "check", "--set", "line.DATKA_SUGHX.length_km=3"], "did you mean DATKA_SUGHD"),
    (["grid", "check", "--set", "line.DATKA_SUGHD.lenght_km=3"], "did you mean length_km"),
    (["grid", "check", "--set", "hvdc.ratng_mw=1000"], "did you mean rating_mw"),
    (["grid", "check", "--set", "hvdc.rating_mw=1e300"], "a rating in (0, 12000] MW"),
    (["grid", "check", "--set", "hvdc.rating_mw=-1"], "a rating in (0, 12000] MW"),
    (["grid", "check", "--set", "hvdc.rating_mw=0"], "a rating in (0, 12000] MW"),
    (["grid", "check", "--set", "hvdc.rating_mw=abc"], "a number"),
    (["grid", "check", "--set", "hvdc.rating_mw=nan"], "a number"),
    (["grid", "check", "--set", "hvdc.rating_mw=inf"], "a number"),
    (["grid", "check", "--set", "hvdc.poles=3"], "1 or 2 poles"),
    (["grid", "check", "--set", "hvdc.poles=1.5"], "a whole number"),
    (["grid", "check", "--set", "hvdc.monopolar_return=air"], "one of metallic, earth"),
    (["grid", "check", "--set", "contract.pakistan_mw=-1"], "a contracted power in 0..12000"),
    (["grid", "check", "--set", "contract.afghanistan_mw=1e9"], "a contracted power in 0..12000"),
    (["grid", "check", "--set", "contract.tajikistan_share=1.5"], "a share in 0..1"),
    (["grid", "check", "--set", "contract.tajikistan_share=0.5"], "add up to 1"),
    (["grid", "check", "--set", "contract.season_start=13-01"], "a date MM-DD"),
    (["grid", "check", "--set", "contract.season_end=02-30"], "a date MM-DD"),
    (["grid", "check", "--set", "plant.TOKTOGUL.in_service=maybe"], "true or false"),
    (["grid", "check", "--set", "plant.TOKTOGUL.unit_mw=1e7"], "a unit size in (0, 2000] MW"),
    (["grid", "check", "--set", "plant.TOKTOGUL.vm_pu=1.5"], "a set-point in 0.9..1.1 pu"),
    (["grid", "check", "--set", "bus.DATKA.vn_kv=0"], "a voltage in (0, 1200] kV"),
    (["grid", "check", "--set", "bus.DATKA.lat=95"], "a latitude in -90..90"),
    (["grid", "check", "--set", "line.DATKA_SUGHD.circuits=0"], "1 to 8 circuits"),
    (["grid", "check", "--set", "trafo.DATKA_T.units=100"], "1 to 8 units"),
    (["grid", "check", "--set", "trafo.DATKA_T.vk_percent=80"], "0..50 %"),
    (["grid", "check", "--set", "external.CAPS_EXT.vm_pu=2"], "a set-point in 0.9..1.1 pu"),
    (["grid", "check", "--set", "external.CAPS_EXT.max_import_mw=-5"], "an import capability"),
    (["grid", "check", "--set", "load.KG_NORTH.power_factor=0"], "a power factor in (0, 1]"),
    (["grid", "check", "--set", "line_type.OHL500_3xAC400.x_ohm_per_km=-1"], "a reactance"),
    (["grid", "check", "--set", "line_type.OHL500_3xAC400.max_i_ka=500"], "a current rating"),
    (["grid", "check", "--set", "shunt.KABUL_COMP.q_mvar=1e6"], "-5000..5000 Mvar"),
    (["grid", "check", "--set", "hvdc.terminal.NOWSHERA.rating_mw=0"], "a rating in (0, 12000]"),
    (["grid", "check", "--set", "hvdc.terminal.NOWSHERA.filter_banks=-1"], "0 to 20 banks"),
    (["grid", "check", "--set", "hvdc.segment.SANGTUDA_NOWSHERA.length_km=0"], "(0, 5000] km"),
    (["grid", "check", "--set", "add.line.DATKA_SUGHD.length_km=3"], "a new line id"),
    (["grid", "check", "--set", "add.line.NEW.length_km=3"], "required"),
    (["grid", "check", "--set", "=5"], "key=value"),
    (["grid", "check", "--set", "justkey"], "key=value"),
    (["grid", "check", "--variant", "nope"], "--variant"),
    # scenario files
    (["grid", "check", "--scenario", "{tmp}/does-not-exist.toml"], "a readable file"),
    (["grid", "check", "--scenario", "{tmp}/bad.toml"], "valid TOML"),
    (["grid", "check", "--scenario", "{tmp}/binary.toml"], "valid TOML"),
    (["grid", "check", "--scenario", "{tmp}/variant3.toml"], "a text such as as_built"),
    (["grid", "check", "--scenario", "{tmp}/unknown.toml"], "did you mean rating_mw"),
    (["grid", "check", "--scenario", "{tmp}/typo_line.toml"], "did you mean DATKA_SUGHD"),
    (["grid", "show", "--format", "xml"], "--format"),
    # grid solve and export
    (["grid", "solve", "--export-mw", "-5"], "0 to 5000 MW"),
    (["grid", "solve", "--export-mw", "1e9"], "0 to 5000 MW"),
    (["grid", "solve", "--export-mw", "lots"], "--export-mw"),
    (["grid", "export", "--out", "{out}/casa.txt"], "a file name ending in .json"),
    (["grid", "export", "--format", "mat", "--out", "{out}/casa.json"], "ending in .mat"),
    (["grid", "export", "--format", "csv", "--out", "{out}/casa.csv"], "--format"),
    # profiles build and show
    (["profiles", "build", "--out", "{out}/p.txt"], "a file name ending in .nc or .csv"),
    (["profiles", "build", "--year", "1990", "--out", "{out}/p.nc"], "2020 to 2060"),
    (["profiles", "build", "--year", "2100", "--out", "{out}/p.nc"], "2020 to 2060"),
    (["profiles", "build", "--year", "abc", "--out", "{out}/p.nc"], "abc"),
    (["profiles", "build", "--hydrology", "soggy", "--out", "{out}/p.nc"], "soggy"),
    (["profiles", "build", "--hydro-scale", "0", "--out", "{out}/p.nc"], "above 0 and at most 10"),
    (["profiles", "build", "--hydro-scale", "11", "--out", "{out}/p.nc"], "at most 10"),
    (["profiles", "build", "--demand-growth", "-1", "--out", "{out}/p.nc"], "above 0"),
    (["profiles", "build", "--seed", "-1", "--out", "{out}/p.nc"], "a non-negative integer"),
    (["profiles", "build", "--export-rule", "all", "--out", "{out}/p.nc"], "--export-rule"),
    (["profiles", "build", "--initial-volume", "TOKTOGUL", "--out", "{out}/p.nc"], "RESERVOIR="),
    (
        ["profiles", "build", "--scenario", "{tmp}/profiles_table.toml", "--out", "{out}/p.nc"],
        "soggy",
    ),
    (
        ["profiles", "build", "--scenario", "{tmp}/profiles_field.toml", "--out", "{out}/p.nc"],
        "years",
    ),
    (["profiles", "show", "{tmp}/missing.nc"], "an existing NetCDF file"),
    (["profiles", "show", "{tmp}/notes.txt"], "a NetCDF profile file"),
    (["profiles", "show", "{tmp}/bad_header.csv"], "bad_header.csv"),
    # studies
    (["study", "seasonal", "--months", "9-5", *STUDY_OUT], "ranges ascending"),
    (["study", "seasonal", "--months", "5-", *STUDY_OUT], "month numbers"),
    (["study", "seasonal", "--months", "13", *STUDY_OUT], "month numbers"),
    (["study", "seasonal", "--months", "0", *STUDY_OUT], "month numbers"),
    (["study", "seasonal", "--year", "1960", *STUDY_OUT], "2020 to 2060"),
    (["study", "seasonal", "--profiles", "{tmp}/missing.nc", *STUDY_OUT], "an existing NetCDF"),
    (["study", "seasonal", "--profiles", "{tmp}/bad_header.csv", *STUDY_OUT], "bad_header.csv"),
    (["study", "seasonal", "--set", "hvdc.rating_mw=0", *STUDY_OUT], "a rating in (0, 12000]"),
    (["study", "seasonal", "--format", "yaml", *STUDY_OUT], "--format"),
    (["study", "seasonal", "--reverse-mw", "x", *STUDY_OUT], "--reverse-mw"),
    (["study", "seasonal", "--out", "{tmp}/notes.txt"], "a folder (this is a file)"),
    (["study", "contingency", "--vmin", "1.0", "--vmax", "1.0", *STUDY_OUT], "0 < vmin < vmax"),
    (["study", "contingency", "--vmin", "abc", *STUDY_OUT], "abc"),
    (["study", "contingency", "--thermal-limit", "0", *STUDY_OUT], "0 < limit"),
    (["study", "contingency", "--thermal-limit", "5000", *STUDY_OUT], "0 < limit"),
    (["study", "contingency", "--min-unit-mw", "-1", *STUDY_OUT], "0 to 100000 MW"),
    (["study", "contingency", "--min-plant-mw", "-1", *STUDY_OUT], "0 to 100000 MW"),
    (["study", "contingency", "--top", "-3", *STUDY_OUT], "1 to 1000 rows"),
    (["study", "contingency", "--top", "0", *STUDY_OUT], "1 to 1000 rows"),
    (["study", "contingency", "--benchmark", "-1", *STUDY_OUT], "0 (off) to 8760 hours"),
    (["study", "contingency", "--groups", "{tmp}/missing.toml", *STUDY_OUT], "a readable TOML"),
    (["study", "contingency", "--groups", "{tmp}/binary_groups.toml", *STUDY_OUT], "a readable"),
    (["study", "contingency", "--groups", "{tmp}/groups_bad.toml", *STUDY_OUT], "valid TOML"),
    (["study", "contingency", "--groups", "{tmp}/groups_unknown.toml", *STUDY_OUT], "NO_SUCH"),
    (["study", "contingency", "--groups", "{tmp}/groups_nosource.toml", *STUDY_OUT], "source"),
    (["study", "transfer", "--resolution-mw", "0", *STUDY_OUT], "a step > 0 MW"),
    (["study", "transfer", "--ceiling-mw", "-5", *STUDY_OUT], "an export > 0 MW"),
    (["study", "transfer", "--direction", "up", *STUDY_OUT], "--direction"),
    (["study", "transfer", "--top", "-1", *STUDY_OUT], "1 to 1000 rows"),
    (["study", "benchmark", "--sample", "0"], "at least 1 hour"),
    (["study", "benchmark", "--sample", "100000"], "at most 8760"),
    (["study", "nonsense"], "nonsense"),
    (["nonsense"], "nonsense"),
]


def _fill(args: list[str], tmp: Path, out: Path) -> list[str]:
    return [a.replace("{tmp}", str(tmp)).replace("{out}", str(out)) for a in args]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, data in BINARY.items():
        (folder / name).write_bytes(data)
    return folder


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(("args", "fragment"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_bad_input_is_one_line_exit_2_and_leaves_nothing(
    args: list[str], fragment: str, bad_files: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    before = sorted(p.name for p in bad_files.iterdir())
    result = runner.invoke(app, _fill(args, bad_files, out))
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    assert fragment in lines[0], lines[0]
    assert not out.exists() or not any(out.iterdir()), sorted(out.iterdir())
    assert sorted(p.name for p in bad_files.iterdir()) == before
