"""Declared datasets: every variable's dimensions, dtype, units and meaning, as data.

Profiles and every study result are :class:`xarray.Dataset` objects whose content
is declared once, in a :class:`DatasetSchema`, instead of being spelled out in a
dictionary literal at each place that builds one.  The schema builds the dataset
(attaching CF-style attributes) and validates any dataset claimed to follow it,
for instance one read back from a file.

Conventions (CF 1.10 where it applies):

* ``units`` on every numeric variable (``"1"`` for dimensionless numbers and
  counts); no ``units`` on booleans, strings and flag variables;
* flag variables (an :class:`enum.IntEnum`) carry ``flag_values`` and
  ``flag_meanings``; booleans are flags ``0 1`` / ``false true``;
* an integer variable that indexes a coordinate (``-1`` for none) names it in
  ``lookup`` so readers can decode it (see :func:`decode_lookup`);
* the dataset carries ``Conventions``, ``title``, ``study`` and
  ``schema_version``.

Examples
--------
>>> import numpy as np
>>> schema = DatasetSchema(
...     name="demo", title="casa1000 demo", version=1,
...     coords={"hour": VariableSpec(dims=("hour",), dtype="int64", units="1",
...                                  long_name="hour of the day")},
...     variables={"p_mw": VariableSpec(dims=("hour",), units="MW", long_name="power")},
... )
>>> ds = schema.build(coords={"hour": np.arange(3)}, data={"p_mw": [1.0, 2.0, 3.0]})
>>> ds.p_mw.attrs["units"], ds.attrs["study"], ds.attrs["schema_version"]
('MW', 'demo', 1)
>>> schema.validate(ds)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.errors import InputError

CONVENTIONS: Final = "CF-1.10"

_KINDS: Final[dict[str, str]] = {
    "float64": "f",
    "float32": "f",
    "int64": "i",
    "int32": "i",
    "int16": "i",
    "int8": "i",
    "bool": "b",
    "str": "U",
    "datetime64[ns]": "M",
}
"""Declared dtype -> numpy kind a built or read variable must have."""


@dataclass(frozen=True, kw_only=True)
class VariableSpec:
    """What one variable or coordinate of a dataset holds.

    Parameters
    ----------
    dims
        Dimension names, in order.
    long_name
        What it is, in words (``attrs["long_name"]``).
    units
        CF units string (``"MW"``, ``"pu"``, ``"%"``, ``"1"``); ``None`` for
        booleans, strings, flags and times.
    dtype
        One of ``float64``, ``float32``, ``int64``, ``int32``, ``int16``,
        ``int8``, ``bool``, ``str``, ``datetime64[ns]``.
    flags
        The :class:`~enum.IntEnum` whose members the integer values are.
    lookup
        Name of the coordinate an integer variable indexes (``-1``: none).
    optional
        The variable may be absent (a study adds it only when its inputs have it).
    valid_max
        Largest physically meaningful value (CF ``valid_max``); readers of user
        files refuse larger ones.
    """

    dims: tuple[str, ...]
    long_name: str
    units: str | None = None
    dtype: str = "float64"
    flags: type[IntEnum] | None = None
    lookup: str | None = None
    optional: bool = False
    valid_max: float | None = None

    def __post_init__(self) -> None:
        if self.dtype not in _KINDS:
            raise ValueError(f"dtype {self.dtype!r} is not one of {sorted(_KINDS)}")

    def attrs(self) -> dict[str, object]:
        """Return the attributes a variable of this spec carries."""
        out: dict[str, object] = {"long_name": self.long_name}
        if self.units is not None:
            out["units"] = self.units
        if self.flags is not None:
            out["flag_values"] = [int(m) for m in self.flags]
            out["flag_meanings"] = " ".join(m.name.lower() for m in self.flags)
        elif self.dtype == "bool":
            out["flag_values"] = [0, 1]
            out["flag_meanings"] = "false true"
        if self.lookup is not None:
            out["lookup"] = self.lookup
        if self.valid_max is not None:
            out["valid_max"] = self.valid_max
        return out

    def cast(self, values: npt.ArrayLike) -> npt.NDArray[np.generic]:
        """Return ``values`` as an array of the declared dtype."""
        if self.dtype == "str":
            return np.asarray(values).astype(str)
        return np.asarray(values, dtype=self.dtype)


@dataclass(frozen=True, kw_only=True)
class DatasetSchema:
    """The declared content of one kind of dataset.

    Parameters
    ----------
    name
        Short name of the kind (a study's registry name, or ``profiles``).
    title
        Dataset title; starts with ``casa1000``.
    version
        Schema version; raise it whenever a variable is added, removed or changes meaning.
    coords
        Coordinates: dimension coordinates (``dims == (name,)``) and auxiliary ones.
    variables
        Data variables.
    """

    name: str
    title: str
    version: int
    coords: Mapping[str, VariableSpec] = field(default_factory=dict)
    variables: Mapping[str, VariableSpec] = field(default_factory=dict)

    def build(
        self,
        *,
        coords: Mapping[str, npt.ArrayLike],
        data: Mapping[str, npt.ArrayLike | xr.Variable],
        attrs: Mapping[str, object] | None = None,
    ) -> xr.Dataset:
        """Assemble a dataset from plain arrays, attaching the declared metadata.

        Parameters
        ----------
        coords
            Coordinate name -> values (every declared, non-optional coordinate).
        data
            Variable name -> values (every declared, non-optional variable).  An
            :class:`xarray.Variable` of the declared dims and dtype is taken as it
            is, so one read lazily from a scratch file (:mod:`casa1000.studies.spine.spill`)
            stays on disk.
        attrs
            Further dataset attributes (provenance, settings).

        Returns
        -------
        xarray.Dataset
            The dataset, validated against the schema.

        Raises
        ------
        ValueError
            For an undeclared or missing name, or values of the wrong shape: a
            programming error in the study, not a user error.
        """
        for kind, given, declared in (
            ("coordinate", coords, self.coords),
            ("variable", data, self.variables),
        ):
            extra = sorted(set(given) - set(declared))
            missing = sorted(
                n for n, spec in declared.items() if n not in given and not spec.optional
            )
            if extra or missing:
                raise ValueError(
                    f"{self.name}: undeclared {kind}s {extra}, missing {kind}s {missing}"
                )
        xr_coords = {
            name: (
                self.coords[name].dims,
                self.coords[name].cast(values),
                self.coords[name].attrs(),
            )
            for name, values in coords.items()
        }
        xr_data = {name: self._variable(name, values) for name, values in data.items()}
        ds = xr.Dataset(data_vars=xr_data, coords=xr_coords)
        ds.attrs.update(self.header())
        ds.attrs.update(attrs or {})
        self.validate(ds)
        return ds

    def _variable(
        self, name: str, values: npt.ArrayLike | xr.Variable
    ) -> xr.Variable | tuple[tuple[str, ...], npt.NDArray[np.generic], dict[str, object]]:
        spec = self.variables[name]
        if not isinstance(values, xr.Variable):
            return (spec.dims, spec.cast(values), spec.attrs())
        if values.dims != spec.dims or values.dtype != np.dtype(spec.dtype):
            raise ValueError(
                f"{self.name}: {name} is {values.dims} {values.dtype}, "
                f"declared {spec.dims} {spec.dtype}"
            )
        var = values.copy(deep=False)  # the data stay where they are (in memory or on disk)
        var.attrs = spec.attrs()
        var.encoding = {}
        return var

    def header(self) -> dict[str, object]:
        """Return the dataset attributes that identify the schema."""
        return {
            "Conventions": CONVENTIONS,
            "title": self.title,
            "study": self.name,
            "schema_version": self.version,
        }

    def validate(self, ds: xr.Dataset, *, where: str | None = None) -> None:
        """Check that ``ds`` follows this schema.

        Parameters
        ----------
        ds
            The dataset.
        where
            Where it came from (a file), for the error message.

        Raises
        ------
        InputError
            On the first breach: wrong kind or version, a missing or undeclared
            variable, wrong dimensions or dtype, or missing units.
        """
        origin = where or f"{self.name} result"
        study = ds.attrs.get("study")
        if study != self.name:
            raise InputError(origin, "study", study, f"a {self.name} result")
        version = ds.attrs.get("schema_version")
        if version is None or int(str(version)) != self.version:
            raise InputError(
                origin, "schema_version", version, f"version {self.version} of {self.name}"
            )
        present = {str(n) for n in ds.data_vars}
        undeclared = sorted(present - set(self.variables))
        if undeclared:
            raise InputError(origin, "variables", undeclared[0], "a variable of the schema")
        for group, specs in (("coordinate", self.coords), ("variable", self.variables)):
            for name, spec in specs.items():
                if name not in ds.variables:
                    if spec.optional:
                        continue
                    raise InputError(origin, group, name, f"the {group} {name!r} to be present")
                var = ds[name]
                if var.dims != spec.dims:
                    raise InputError(origin, f"{name} dims", var.dims, str(spec.dims))
                kind = var.dtype.kind
                want = _KINDS[spec.dtype]
                if kind != want and not (want == "U" and kind in "OS"):
                    raise InputError(origin, f"{name} dtype", str(var.dtype), spec.dtype)
                if spec.units is not None and var.attrs.get("units") != spec.units:
                    raise InputError(
                        origin, f"{name} units", var.attrs.get("units"), repr(spec.units)
                    )


def decode_lookup(var: xr.DataArray, ds: xr.Dataset) -> xr.DataArray:
    """Turn an integer variable that indexes a coordinate into the labels it stands for.

    Parameters
    ----------
    var
        A variable with a ``lookup`` attribute naming a coordinate of ``ds``.
    ds
        The dataset holding that coordinate.

    Returns
    -------
    xarray.DataArray
        Labels (strings); ``""`` where the code is ``-1``.

    Examples
    --------
    >>> ds = xr.Dataset(coords={"bus": ["A", "B"]})
    >>> code = xr.DataArray([1, -1, 0], dims="row", attrs={"lookup": "bus"})
    >>> decode_lookup(code, ds).values.tolist()
    ['B', '', 'A']
    """
    labels = np.asarray([*(str(v) for v in ds[str(var.attrs["lookup"])].values), ""], dtype=object)
    codes = np.asarray(var.values)
    picked = labels[np.where(codes >= 0, codes, labels.size - 1)].astype(str)
    return xr.DataArray(picked, dims=var.dims, coords=var.coords)
