"""One source of truth for a scenario: the network and the hourly profiles a study runs on.

A :class:`Scenario` names what a planner chose -- the variant, a scenario file,
``--set`` overrides, and either a profile build (year, hydrology, ...) or a
profile file -- and :meth:`Scenario.load` turns it into validated
:class:`StudyInputs`.  The contract and the HVDC rating of the parameters reach
the profiles: a built year takes its contract schedule and export cap from the
parameters, so ``--set contract.pakistan_mw=500`` changes what every study
delivers; a profile *file* fixes its own contract schedule, so a contract
override is refused for it (the rating still caps its export).  Every result
records the scenario it ran (:meth:`Scenario.attrs`).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.overrides import load_params, parse_set_options, read_scenario
from casa1000.grid.params import Contract, GridParams
from casa1000.profiles.config import ProfileConfig
from casa1000.profiles.seed_tables import ContractSeed, ProfileSeeds, load_profile_seeds
from casa1000.studies.spine.provenance import hash_dataset, params_hash

DEFAULT_YEAR = 2027
"""Study year of the reference scenario."""


@dataclass(frozen=True, kw_only=True)
class StudyInputs:
    """Everything a study runs on.

    Parameters
    ----------
    scenario
        What was chosen (recorded in the result).
    params
        The validated network.
    profiles
        The validated hourly profiles.
    results
        Results of other studies this one builds on, by study name.
    """

    scenario: Scenario
    params: GridParams
    profiles: xr.Dataset
    results: Mapping[str, xr.Dataset] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A planner's choice of network and profiles.

    Parameters
    ----------
    name
        Label of the scenario (free text; shown in reports, always escaped).
    variant
        ``as_built`` or ``design_2014``; ``None``: the scenario file's, else as built.
    scenario_file
        TOML overrides applied before ``sets``.
    sets
        ``key=value`` overrides, applied last.
    profile_config
        How to build the study year when no ``profile_file`` is given (2027,
        normal hydrology by default).
    profile_file
        A profile file (``.nc`` or ``.csv``) instead of a build.
    """

    name: str = "reference"
    variant: str | None = None
    scenario_file: Path | None = None
    sets: tuple[str, ...] = ()
    profile_config: ProfileConfig | None = None
    profile_file: Path | None = None

    @classmethod
    def given(cls, params: GridParams, name: str = "python") -> Scenario:
        """Describe inputs a Python caller built, known by their hashes.

        Parameters
        ----------
        params
            The network the caller passes.
        name
            Label of the scenario.
        """
        return cls(name=name, variant=params.variant.value)

    @classmethod
    def from_attrs(
        cls, attrs: Mapping[str, object], *, profile_file: Path | None = None
    ) -> Scenario:
        """Rebuild the scenario a result recorded in its attributes (see :meth:`attrs`).

        The variant and the overrides (scenario file values and ``--set``
        options, recorded together) are replayed as ``--set`` options; a built
        profile year is rebuilt from its recorded settings.  Profiles passed by
        a Python caller (recorded as ``given``, as are those of ``Scenario()``)
        are taken to be the recorded year's reference build -- compare the
        profile hash before trusting it.  Profiles read from a file cannot be
        rebuilt: give their file.

        Parameters
        ----------
        attrs
            Attributes of a study result.
        profile_file
            The profile file the result was made from (instead of its record).

        Returns
        -------
        Scenario
            A scenario whose :meth:`load` gives the same network and profiles
            (check the hashes to be sure: seeds may have changed since).

        Raises
        ------
        InputError
            For unreadable records, or profiles that cannot be rebuilt.

        Examples
        --------
        >>> s = Scenario(sets=("hvdc.rating_mw=1000",), profile_config=ProfileConfig(year=2027))
        >>> inputs = s.load()
        >>> again = Scenario.from_attrs(s.attrs(inputs.params, inputs.profiles))
        >>> again.sets, again.profile_config.year
        (('hvdc.rating_mw=1000',), 2027)
        """
        where = "result attributes"
        try:
            overrides = json.loads(str(attrs.get("overrides", "{}")))
            if not isinstance(overrides, dict):
                raise ValueError
        except ValueError:
            raise InputError(where, "overrides", attrs.get("overrides"), "a JSON object") from None
        variant = str(attrs.get("variant") or "") or None
        sets = tuple(f"{k}={v}" for k, v in sorted(overrides.items()))
        name = str(attrs.get("scenario") or "reference")
        if profile_file is not None:
            return cls(name=name, variant=variant, sets=sets, profile_file=profile_file)
        source = str(attrs.get("profile_source", ""))
        year, hydrology = str(attrs.get("profile_year", "")), attrs.get("profile_hydrology")
        if source == "given" and year.isdigit() and hydrology:
            # profiles passed in Python, or the reference build of Scenario(): rebuild that
            # year; the caller checks the profile hash (a custom year will not match it)
            source = json.dumps({"year": int(year), "hydrology": str(hydrology)})
        if not source.startswith("{"):
            raise InputError(
                where,
                "profile_source",
                source,
                "profiles built from a year; for profiles read from a file or passed in "
                "Python, give that profile file",
            )
        try:
            recorded = json.loads(source)
            # enum settings are recorded by value: turn them back into their members
            for f in dataclasses.fields(ProfileConfig):
                if isinstance(f.default, enum.Enum) and f.name in recorded:
                    recorded[f.name] = type(f.default)(recorded[f.name])
            config = ProfileConfig(**recorded)
        except (ValueError, TypeError):
            raise InputError(where, "profile_source", source, "recorded profile settings") from None
        return cls(name=name, variant=variant, sets=sets, profile_config=config)

    def params(self) -> GridParams:
        """Load the validated network of this scenario.

        Raises
        ------
        InputError
            For a bad variant, scenario file or override.
        """
        return load_params(variant=self.variant, scenario=self.scenario_file, sets=self.sets)

    def load(self) -> StudyInputs:
        """Resolve the scenario into validated study inputs.

        Raises
        ------
        InputError
            For bad parameters or profiles, or a contract override on a profile file.
        """
        params = self.params()
        if self.profile_file is not None:
            profiles = self._read_file(params)
        else:
            config = dataclasses.replace(
                self.profile_config or ProfileConfig(year=DEFAULT_YEAR),
                converter_limit_mw=params.hvdc.rating_mw,
            )
            from casa1000.profiles.build import build_profiles_from_config

            seeds = seeds_with_contract(load_profile_seeds(), params)
            profiles = build_profiles_from_config(config, seeds=seeds)
        return StudyInputs(scenario=self, params=params, profiles=profiles)

    def _read_file(self, params: GridParams) -> xr.Dataset:
        from casa1000.profiles.io import read_profiles_csv, read_profiles_netcdf

        assert self.profile_file is not None
        contract_keys = sorted(k for k in self.overrides() if k.startswith("contract."))
        if contract_keys:
            raise InputError(
                str(self.profile_file),
                contract_keys[0],
                self.overrides()[contract_keys[0]],
                "no contract override with a profile file: the file's contract_mw columns "
                "fix the schedule (edit them, or build the year instead)",
            )
        limit = params.hvdc.rating_mw
        if self.profile_file.suffix.lower() == ".csv":
            return read_profiles_csv(self.profile_file, converter_limit_mw=limit)
        profiles = read_profiles_netcdf(self.profile_file)
        if float(profiles.attrs.get("converter_limit_mw", limit)) != limit:
            from casa1000.profiles.exports import afghan_offtake_mw, derive_exports

            seeds = load_profile_seeds()
            profiles = derive_exports(
                profiles,
                reserve_share=seeds.reserve_share,
                supplier_share=seeds.contract.supplier_share,
                converter_limit_mw=limit,
            )
            demand = profiles["demand_mw"].copy()
            demand.loc[{"zone": "AF"}] = afghan_offtake_mw(
                profiles["contract_mw"], profiles["export_available_total_mw"]
            )
            profiles = profiles.assign(demand_mw=demand)
            profiles.attrs["converter_limit_mw"] = limit
        return profiles

    def overrides(self) -> dict[str, str]:
        """Return the scenario file's values and the ``--set`` options (dotted key -> text)."""
        out: dict[str, str] = {}
        if self.scenario_file is not None:
            _, values = read_scenario(self.scenario_file)
            out.update({k: str(v) for k, v in values.items()})
        out.update(parse_set_options(self.sets))
        return out

    def attrs(self, params: GridParams, profiles: xr.Dataset) -> dict[str, object]:
        """Return the attributes that record this scenario in a result (no clock: deterministic).

        Returns
        -------
        dict
            Scenario name, variant, overrides (JSON), parameter and profile hashes,
            the profile year, hydrology and source, and the HVDC rating.
        """
        if self.profile_file is not None:
            source = f"file {self.profile_file.name}"
        elif self.profile_config is not None:
            source = json.dumps(_config_dict(self.profile_config), sort_keys=True)
        else:
            source = "given"  # profiles passed in by a Python caller, known by their hash
        return {
            "scenario": self.name,
            "variant": params.variant.value,
            "overrides": json.dumps(self.overrides(), sort_keys=True),
            "parameter_hash": params_hash(params),
            "profile_hash": hash_dataset(profiles),
            "profile_year": str(profiles.attrs.get("year", "")),
            "profile_hydrology": str(profiles.attrs.get("hydrology", "")),
            "profile_source": source,
            "profile_export_rule": str(profiles.attrs.get("export_rule", "")),
            "hvdc_rating_mw": params.hvdc.rating_mw,
        }


def profile_config_from(scenario_file: Path | None, flags: Mapping[str, object]) -> ProfileConfig:
    """Settle the study year: the scenario file's ``[profiles]`` table, then ``flags``.

    Parameters
    ----------
    scenario_file
        A scenario TOML file whose optional ``[profiles]`` table holds fields of
        :class:`~casa1000.profiles.config.ProfileConfig` (``year``, ``hydrology``,
        ``export_rule``, ``initial_volume_bcm = {TOKTOGUL = 9.5}``, ...).
    flags
        Field -> value given on the command line; None means not given.

    Returns
    -------
    ProfileConfig
        The settings, validated (2027, normal hydrology where nothing is given).

    Raises
    ------
    InputError
        For an unreadable file, an unknown field or a bad value.

    Examples
    --------
    >>> profile_config_from(None, {"year": 2030, "hydrology": None}).year
    2030
    """
    values: dict[str, object] = {"year": DEFAULT_YEAR}
    where = "--scenario"
    if scenario_file is not None:
        where = str(scenario_file)
        try:
            doc = tomllib.loads(scenario_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(
                where, "file", str(scenario_file), f"a readable TOML file ({exc})"
            ) from None
        table = doc.get("profiles", {})
        if not isinstance(table, dict):
            raise InputError(where, "profiles", table, "a [profiles] table")
        values.update(table)
    values.update({k: v for k, v in flags.items() if v is not None})
    fields = {f.name: f for f in dataclasses.fields(ProfileConfig)}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise InputError(
            where, f"profiles.{unknown[0]}", values[unknown[0]], "one of " + ", ".join(fields)
        )
    from casa1000.profiles.config import ExportRule, Hydrology

    for name, kind in (("hydrology", Hydrology), ("export_rule", ExportRule)):
        if name in values and not isinstance(values[name], kind):
            try:
                values[name] = kind(str(values[name]))
            except ValueError:
                allowed = ", ".join(m.value for m in kind)
                raise InputError(where, f"profiles.{name}", values[name], allowed) from None
    try:
        return ProfileConfig(**values)  # type: ignore[arg-type]
    except TypeError as exc:
        raise InputError(where, "profiles", str(exc), "fields of the right type") from None


def _config_dict(config: ProfileConfig) -> dict[str, object]:
    return {
        f.name: (v.value if hasattr(v, "value") else dict(v) if isinstance(v, Mapping) else v)
        for f in dataclasses.fields(config)
        if (v := getattr(config, f.name)) is not None
    }


def _month_day(text: str) -> tuple[int, int]:
    month, _, day = text.partition("-")
    return int(month), int(day)


def seeds_with_contract(seeds: ProfileSeeds, params: GridParams) -> ProfileSeeds:
    """Return the profile seeds with the contract and link rating of ``params``.

    Parameters
    ----------
    seeds
        The profile seeds.
    params
        The scenario's network: its contract and HVDC rating win over the seeds'.

    Returns
    -------
    ProfileSeeds
        A copy; ``seeds`` is unchanged.
    """
    contract: Contract = params.contract
    return dataclasses.replace(
        seeds,
        contract=ContractSeed(
            season_start=_month_day(contract.season_start),
            season_end=_month_day(contract.season_end),
            offtaker_mw={"PK": contract.pakistan_mw, "AF": contract.afghanistan_mw},
            supplier_share={"KG": contract.kyrgyzstan_share, "TJ": contract.tajikistan_share},
            link_rating_mw=params.hvdc.rating_mw,
        ),
    )
