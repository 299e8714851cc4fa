"""Security limits applied to every post-contingency state."""

from __future__ import annotations

from dataclasses import dataclass

from casa1000.errors import InputError


@dataclass(frozen=True, kw_only=True)
class Limits:
    """Security limits applied to every (hour, contingency) row.

    Parameters
    ----------
    thermal_percent
        Branch loading above which a branch is overloaded [%].
    vmin_pu, vmax_pu
        Voltage band of energised buses [pu].
    """

    thermal_percent: float = 100.0
    vmin_pu: float = 0.90
    vmax_pu: float = 1.10

    def __post_init__(self) -> None:
        if not 0 < self.thermal_percent <= 1000:
            raise InputError(
                "--thermal-limit", "thermal_percent", self.thermal_percent, "0 < limit <= 1000 %"
            )
        if not 0 < self.vmin_pu < self.vmax_pu < 2:
            raise InputError(
                "--vmin/--vmax",
                "voltage band",
                (self.vmin_pu, self.vmax_pu),
                "0 < vmin < vmax < 2 pu",
            )
