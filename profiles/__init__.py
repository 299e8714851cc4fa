"""Hourly generation, demand and export profiles of a study year.

Build a year with :func:`build_profiles`, check any dataset with
:func:`validate_profiles`, move it through NetCDF or CSV with the functions of
:mod:`casa1000.profiles.io`, and summarise it by month with
:func:`monthly_summary`.  The dataset contract is documented in
:mod:`casa1000.profiles.dataset`.
"""

from casa1000.profiles.build import build_profiles, build_profiles_from_config
from casa1000.profiles.config import Hydrology, ProfileConfig
from casa1000.profiles.dataset import validate_profiles
from casa1000.profiles.io import (
    read_profiles_csv,
    read_profiles_netcdf,
    write_profiles_csv,
    write_profiles_netcdf,
)
from casa1000.profiles.summary import format_summary, monthly_summary, summary_rows

__all__ = [
    "Hydrology",
    "ProfileConfig",
    "build_profiles",
    "build_profiles_from_config",
    "format_summary",
    "monthly_summary",
    "read_profiles_csv",
    "read_profiles_netcdf",
    "summary_rows",
    "validate_profiles",
    "write_profiles_csv",
    "write_profiles_netcdf",
]
