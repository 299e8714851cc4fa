"""Hourly demand of a zone from its annual energy and its monthly, weekly and daily shapes.

How a zone's hour is made (all factors are relative, so only the last step sets
the level):

1. the daily shape of the zone's season and day type at the zone's clock hour
   (Kyrgyz hours run one hour ahead of the dataset clock);
2. times the weekday factor;
3. times a daily weather factor, lognormal with AR(1) memory, and a small
   lognormal hourly jitter, both drawn from the caller's generator;
4. each cold-spell day is then lifted so that its mean load is the seeded
   multiple of the month's mean (the Kyrgyz record of 11-12 December 2024);
5. finally every calendar month (dataset clock) is scaled so that its energy
   equals annual energy x monthly share exactly: shaping never changes energy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from casa1000.profiles.seed_tables import DemandSeed
from casa1000.profiles.timeline import SEASON_OF_MONTH, SEASONS, month_index, zone_clock

MWH_PER_TWH = 1e6


def monthly_energy_mwh(seed: DemandSeed, *, scale: float = 1.0) -> NDArray[np.float64]:
    """Return the monthly energy targets of a zone.

    Parameters
    ----------
    seed
        Demand seed of the zone.
    scale
        Multiplier on the annual energy (``demand_growth``) [-].

    Returns
    -------
    numpy.ndarray
        Energy of each month, January first [MWh].
    """
    return np.asarray(seed.monthly_share) * seed.annual_twh * MWH_PER_TWH * scale


def shaped_demand_mw(
    seed: DemandSeed,
    time: pd.DatetimeIndex,
    rng: np.random.Generator,
    *,
    scale: float = 1.0,
) -> NDArray[np.float64]:
    """Return the hourly demand of one zone.

    Parameters
    ----------
    seed
        Demand seed of the zone (energy, shapes, weather, cold spells).
    time
        Hourly timestamps of one calendar year in UTC+05:00.
    rng
        Generator for the weather variation; this call draws one daily series
        and one hourly series from it, in that order.
    scale
        Multiplier on the annual energy (``demand_growth``) [-].

    Returns
    -------
    numpy.ndarray
        Demand per hour [MW]; each calendar month's sum equals its target energy
        [MWh] to rounding.
    """
    clock = zone_clock(time, seed.zone)
    first_day = pd.Timestamp(year=time[0].year, month=1, day=1)
    day = np.asarray((clock.normalize() - first_day).days, dtype=np.intp)
    weekday = np.asarray(clock.dayofweek, dtype=np.intp)
    clock_month = month_index(clock)
    season = np.array([SEASONS.index(SEASON_OF_MONTH[m]) for m in range(12)])[clock_month]
    day_type = (weekday >= 5).astype(np.intp)  # index into DAY_TYPES: weekday, weekend

    shape = np.asarray(seed.daily_shape, dtype=np.float64)
    hourly = shape[season, day_type, np.asarray(clock.hour, dtype=np.intp)]
    hourly = hourly * np.asarray(seed.weekly_factor)[weekday]
    hourly = hourly * _weather(seed, int(day.max()) + 1, rng)[day]
    hourly = hourly * np.exp(
        rng.normal(0.0, seed.hourly_sigma, len(time)) - seed.hourly_sigma**2 / 2
    )

    month = month_index(time)
    clock_day = np.asarray(clock.day)
    for spell in seed.cold_spells:
        in_month = month == spell.month - 1
        spell_days = [
            in_month & (clock_month == spell.month - 1) & (clock_day == spell.first_day + i)
            for i in range(spell.days)
        ]
        lifts = _spell_lifts(hourly, in_month, spell_days, spell.peak_day_ratio)
        for in_day, lift in zip(spell_days, lifts, strict=True):
            hourly[in_day] *= lift

    target = monthly_energy_mwh(seed, scale=scale)
    sums = np.bincount(month, weights=hourly, minlength=12)
    shaped: NDArray[np.float64] = hourly * (target / sums)[month]
    return shaped


def _weather(seed: DemandSeed, days: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """Return a lognormal AR(1) daily factor of mean about 1 for ``days`` days."""
    phi, sigma = seed.daily_autocorrelation, seed.daily_sigma
    shocks = rng.normal(0.0, sigma, days)
    log_factor = np.empty(days)
    log_factor[0] = shocks[0]
    innovation = np.sqrt(1.0 - phi**2)
    for i in range(1, days):
        log_factor[i] = phi * log_factor[i - 1] + innovation * shocks[i]
    return np.exp(log_factor - sigma**2 / 2)


def _spell_lifts(
    hourly: NDArray[np.float64],
    in_month: NDArray[np.bool_],
    spell_days: list[NDArray[np.bool_]],
    ratio: float,
) -> list[float]:
    """Return the factors that make each spell day's mean load ``ratio`` x the month's mean.

    With A the load of the month outside the spell, n the month's hours, and
    day i of the spell holding load B_i over s_i hours, lifting it by k_i gives
    a day mean k_i B_i / s_i = ratio M, where the month mean is
    M = (A + sum_i k_i B_i) / n = (A + ratio M S) / n with S = sum_i s_i, so
    M = A / (n - ratio S).  The later monthly scaling keeps every ratio.
    """
    spell = np.logical_or.reduce(spell_days)
    spell_hours = float(spell.sum())
    month_hours = float(in_month.sum())
    if spell_hours == 0.0 or month_hours <= ratio * spell_hours:
        return [1.0] * len(spell_days)
    month_mean = float(hourly[in_month & ~spell].sum()) / (month_hours - ratio * spell_hours)
    return [
        ratio * month_mean * float(day.sum()) / float(hourly[day].sum()) if day.any() else 1.0
        for day in spell_days
    ]
