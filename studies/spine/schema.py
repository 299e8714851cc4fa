"""Declared result schemas: how a study declares what its dataset holds.

The types live in :mod:`casa1000.profiles.schema` (the profile contract uses
them too); this module re-exports them for study code.  A study declares

* ``SCHEMA = DatasetSchema(name=..., title=..., version=..., coords={...},
  variables={...})`` with one :class:`VariableSpec` per coordinate and variable
  (dims, dtype, units, long_name, flags for IntEnum codes, ``lookup`` for an
  integer that indexes a coordinate);
* and builds its result with ``SCHEMA.build(coords={name: values},
  data={name: values}, attrs={...})`` -- plain arrays in, a validated dataset
  with CF-style attributes out.

Scenario, settings and package version are stamped by the runner
(:func:`casa1000.studies.spine.runner.execute`); facts that change from run to
run (wall time, solver time, peak memory) go in attributes named ``run_*``,
which the runner moves into the run facts of the manifest.
"""

from casa1000.profiles.schema import CONVENTIONS, DatasetSchema, VariableSpec, decode_lookup

__all__ = ["CONVENTIONS", "DatasetSchema", "VariableSpec", "decode_lookup"]
