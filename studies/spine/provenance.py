"""What made a result: the parameters and profiles it ran on, identified by hashes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import numpy as np
import xarray as xr

import casa1000
from casa1000.grid.params import GridParams


def hash_dataset(ds: xr.Dataset) -> str:
    """Short SHA-256 over the data variables of ``ds`` (names and values)."""
    digest = hashlib.sha256()
    for name in sorted(str(n) for n in ds.data_vars):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(ds[name].values).tobytes())
    return digest.hexdigest()[:16]


def params_hash(params: GridParams) -> str:
    """Short SHA-256 of the parameters (their repr, without provenance)."""
    text = repr(
        (
            params.variant,
            params.zones,
            params.buses,
            params.line_types,
            params.lines,
            params.trafos,
            params.plants,
            params.loads,
            params.shunts,
            params.externals,
            params.hvdc,
            params.contract,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def provenance(title: str, params: GridParams, profiles: xr.Dataset) -> dict[str, object]:
    """Attributes every study result carries: what made it, from which inputs, when.

    Parameters
    ----------
    title
        The study's title; it starts with ``casa1000``, which
        :func:`~casa1000.studies.spine.results_io.read_results` checks.
    params, profiles
        The inputs, identified by hashes.

    Returns
    -------
    dict
        Title, package version, variant, parameter and profile hashes, profile year
        and hydrology, creation time (UTC) and the HVDC rating.
    """
    return {
        "title": title,
        "casa1000_version": casa1000.__version__,
        "variant": params.variant.value,
        "parameter_hash": params_hash(params),
        "profile_hash": hash_dataset(profiles),
        "profile_year": str(profiles.attrs.get("year", "")),
        "profile_hydrology": str(profiles.attrs.get("hydrology", "")),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "hvdc_rating_mw": params.hvdc.rating_mw,
    }
