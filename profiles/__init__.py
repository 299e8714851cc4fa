"""Hourly generation, demand and export profiles of a study year.

Build a year with :func:`build_profiles` (or consecutive years whose
reservoirs carry their water over with :func:`build_profiles_years`), check
any dataset with :func:`validate_profiles`, move it through NetCDF or CSV with
the functions of :mod:`casa1000.profiles.io`, and summarise it by month with
:func:`monthly_summary`, :func:`reservoir_summary` (water balance) and
:func:`afghan_security` (Afghanistan's whole supply).  The dataset contract is
documented in :mod:`casa1000.profiles.dataset`.
"""

from casa1000.profiles.afghan_balance import afghan_security
from casa1000.profiles.build import (
    build_profiles,
    build_profiles_from_config,
    build_profiles_years,
)
from casa1000.profiles.config import ExportRule, Hydrology, ProfileConfig
from casa1000.profiles.dataset import validate_profiles
from casa1000.profiles.io import (
    read_profiles_csv,
    read_profiles_netcdf,
    write_profiles_csv,
    write_profiles_netcdf,
)
from casa1000.profiles.summary import (
    format_summary,
    monthly_summary,
    reservoir_summary,
    summary_rows,
)

__all__ = [
    "ExportRule",
    "Hydrology",
    "ProfileConfig",
    "afghan_security",
    "build_profiles",
    "build_profiles_from_config",
    "build_profiles_years",
    "format_summary",
    "monthly_summary",
    "read_profiles_csv",
    "read_profiles_netcdf",
    "reservoir_summary",
    "summary_rows",
    "validate_profiles",
    "write_profiles_csv",
    "write_profiles_netcdf",
]
