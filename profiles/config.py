"""Typed configuration of a profile build: the study year and its scenario knobs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from casa1000.errors import InputError
from casa1000.profiles.timeline import FIRST_YEAR, LAST_YEAR


class Hydrology(StrEnum):
    """Water year of the hydro cascades; the factors live in ``seeds/profile_hydrology.csv``."""

    DRY = "dry"
    NORMAL = "normal"
    WET = "wet"

    @classmethod
    def parse(cls, value: Hydrology | str, *, where: str = "profile config") -> Hydrology:
        """Return the member named by ``value``.

        Parameters
        ----------
        value
            A member or its name (``"dry"``, ``"normal"`` or ``"wet"``).
        where
            Where the value came from, for the error message.

        Returns
        -------
        Hydrology
            The matching member.

        Raises
        ------
        InputError
            If ``value`` names no member.
        """
        try:
            return cls(value)
        except ValueError:
            raise InputError(where, "hydrology", value, "one of dry, normal, wet") from None


class ExportRule(StrEnum):
    """How much water the exporters may release for the CASA export in May-September.

    Every rule first operates the reservoirs for domestic supply along their
    rule curves (:mod:`casa1000.profiles.reservoir`); the rules differ in the
    extra water released when that leaves the export short of the contract.
    """

    SPILL_ONLY = "spill-only"
    """Export only the surplus of the domestic operation (water that would be
    spilled or is not needed at home); no extra release, so the export never
    changes the water left for winter."""
    OCTOBER_TARGET = "october-target"
    """Release extra water for the export as long as each reservoir still
    reaches its 1 October target volume (``october_target_bcm``)."""
    FULL_CONTRACT = "full-contract"
    """Release whatever the contract needs, down to the dead storage: the
    export is honoured whatever it costs the following winter."""

    @classmethod
    def parse(cls, value: ExportRule | str, *, where: str = "profile config") -> ExportRule:
        """Return the member named by ``value``.

        Parameters
        ----------
        value
            A member or its name (``"spill-only"``, ``"october-target"`` or
            ``"full-contract"``).
        where
            Where the value came from, for the error message.

        Returns
        -------
        ExportRule
            The matching member.

        Raises
        ------
        InputError
            If ``value`` names no member.
        """
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(member.value for member in cls)
            raise InputError(where, "export_rule", value, f"one of {allowed}") from None


@dataclass(frozen=True, kw_only=True)
class ProfileConfig:
    """Everything that selects one hourly profile year.

    Parameters
    ----------
    year
        Calendar year, 2020 to 2060; it fixes the calendar only (leap days,
        weekdays), not the energy level.
    hydrology
        Water year; scales every hydro plant's energy by the seeded factor.
    hydro_scale
        Extra multiplier on hydro energy on top of ``hydrology`` [-].
    demand_growth
        Multiplier on Kyrgyz and Tajik non-smelter demand [-]; Pakistan's
        indicator demand, the flat TALCO load and the Afghan offtake are not
        scaled.
    seed
        Seed of ``numpy.random.default_rng`` for the weather variation.
    converter_limit_mw
        Cap on the total export available [MW]; ``None`` uses the HVDC link
        rating of ``seeds/hvdc.toml`` (1,300 MW).
    export_rule
        How much water the exporters may release for the export (see
        :class:`ExportRule`); recorded in the dataset attributes.
    initial_volume_bcm
        Volume of a reservoir on 1 January [km3], by reservoir id
        (``TOKTOGUL``, ``ROGUN``, ``NUREK``), between its dead storage and its
        full volume; a reservoir not named starts on its rule curve (the
        end-of-December volume of ``seeds/profile_reservoir_rule.csv``).
    october_target_bcm
        1 October target volume of a reservoir under
        :attr:`ExportRule.OCTOBER_TARGET` [km3], by reservoir id; those not named
        keep the target of ``seeds/profile_reservoir_operation.csv``.
    reverse_contract_mw
        Power Pakistan sends to Tajikistan over the HVDC in the reverse-flow
        months of ``seeds/profile_reverse_flow.csv`` [MW], at most the link
        rating; 0 (no reverse flow) by default.

    Raises
    ------
    InputError
        If a value is out of range.
    """

    year: int
    hydrology: Hydrology = Hydrology.NORMAL
    hydro_scale: float = 1.0
    demand_growth: float = 1.0
    seed: int = 0
    converter_limit_mw: float | None = None
    export_rule: ExportRule = ExportRule.OCTOBER_TARGET
    initial_volume_bcm: Mapping[str, float] | None = None
    october_target_bcm: Mapping[str, float] | None = None
    reverse_contract_mw: float = 0.0

    def __post_init__(self) -> None:
        where = "profile config"
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise InputError(
                where, "year", self.year, f"an integer from {FIRST_YEAR} to {LAST_YEAR}"
            )
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise InputError(
                where, "year", self.year, f"an integer from {FIRST_YEAR} to {LAST_YEAR}"
            )
        if not isinstance(self.hydrology, Hydrology):
            # a plain string naming a water year is the same choice (Python users write "dry")
            object.__setattr__(self, "hydrology", Hydrology.parse(self.hydrology, where=where))
        for key, value in (
            ("hydro_scale", self.hydro_scale),
            ("demand_growth", self.demand_growth),
        ):
            if not _is_real(value) or not 0.0 < value <= 10.0:
                raise InputError(where, key, value, "a number above 0 and at most 10")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise InputError(where, "seed", self.seed, "a non-negative integer")
        limit = self.converter_limit_mw
        if limit is not None and (not _is_real(limit) or limit < 0.0):
            raise InputError(where, "converter_limit_mw", limit, "a non-negative number of MW")
        if not isinstance(self.export_rule, ExportRule):
            object.__setattr__(self, "export_rule", ExportRule.parse(self.export_rule, where=where))
        reverse = self.reverse_contract_mw
        if not _is_real(reverse) or reverse < 0.0:
            raise InputError(where, "reverse_contract_mw", reverse, "a non-negative number of MW")
        for key, volumes in (
            ("initial_volume_bcm", self.initial_volume_bcm),
            ("october_target_bcm", self.october_target_bcm),
        ):
            for name, value in (volumes or {}).items():
                if not isinstance(name, str) or not _is_real(value) or value < 0.0:
                    raise InputError(
                        where, f"{key}[{name}]", value, "a reservoir id and a volume >= 0 in km3"
                    )


def _is_real(value: object) -> bool:
    """Tell whether ``value`` is a finite int or float (not a bool)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )
