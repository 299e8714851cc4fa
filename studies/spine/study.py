"""What a study is to the rest of the package: its declaration and its result.

Every study -- seasonal transfer, contingency screening, transfer capability,
indicators, ... -- is a :class:`StudySpec`: a name, a typed config, a run
function, the declared schema of its result and the tables derived from it.
:mod:`casa1000.studies.registry` lists them; :mod:`casa1000.studies.spine.runner`
runs and writes any of them, so the command line, the regression suite, the
dashboards and the sweeps all go through one path.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import pandas as pd
import xarray as xr

from casa1000.profiles.schema import DatasetSchema
from casa1000.studies.spine.scenario import StudyInputs

Progress = Callable[[str, float], None]
"""Callback receiving a stage name and the fraction of the study done (0-1)."""

ConfigT = TypeVar("ConfigT")
"""A study's settings: a frozen keyword-only dataclass whose fields all have defaults."""

RUN_FACT_PREFIX = "run_"
"""Dataset attributes starting with this are run facts (times, memory): the runner
moves them out of the dataset so two runs of one scenario stay ``identical()``."""


@dataclass(frozen=True, kw_only=True)
class StudySummary:
    """What a person reads first about a result: a few lines and the key tables.

    Parameters
    ----------
    headline
        Sentences with the headline figures and their units.
    tables
        Table name -> frame, most important first; values in the units their
        column names state.
    """

    headline: tuple[str, ...]
    tables: Mapping[str, pd.DataFrame]


@dataclass(frozen=True, kw_only=True)
class StudySpec(Generic[ConfigT]):
    """The declaration of one study.

    Parameters
    ----------
    name
        Registry name, also the stem of its files (``seasonal`` ->
        ``seasonal.nc``, ``seasonal_summary.csv``).
    title
        One line saying what it answers.
    config_type
        Its settings dataclass; ``config_type()`` gives the defaults.
    run
        ``run(inputs, config, progress) -> dataset``; deterministic and pure.
    schema
        The declared result.
    tables
        ``tables(dataset) -> {table name: frame}`` written as ``<name>_<table>.csv``.
    table_names
        The keys ``tables`` returns.
    summary
        ``summary(dataset, top) -> StudySummary``: the headline and the tables
        shown on screen (``top`` rows of ranked tables).
    needs
        Studies whose results this one reads (``inputs.results``).
    """

    name: str
    title: str
    config_type: type[ConfigT]
    run: Callable[[StudyInputs, ConfigT, Progress], xr.Dataset]
    schema: DatasetSchema
    tables: Callable[[xr.Dataset], Mapping[str, pd.DataFrame]]
    table_names: tuple[str, ...]
    summary: Callable[[xr.Dataset, int], StudySummary]
    needs: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        """The files a run writes, data first, the manifest last."""
        return (
            f"{self.name}.nc",
            *(f"{self.name}_{t}.csv" for t in self.table_names),
            f"{self.name}.manifest.json",
        )


@dataclass(frozen=True, kw_only=True)
class RunFacts:
    """What differs from one run of a scenario to the next; kept apart from the result.

    Parameters
    ----------
    created
        Start of the run, UTC, ISO 8601.
    wall_time_s
        Wall-clock time of the study [s].
    peak_memory_mb
        Peak resident memory of the process at the end [MB].
    casa1000_version
        Package version.
    extra
        Study-specific facts (solver time, ...).
    """

    created: str
    wall_time_s: float
    peak_memory_mb: float
    casa1000_version: str
    extra: Mapping[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "extra"}
        out.update(self.extra)
        return out


@dataclass(frozen=True, kw_only=True)
class StudyResult:
    """A study's result dataset with the facts of the run that made it."""

    study: str
    dataset: xr.Dataset
    facts: RunFacts


def config_json(config: object) -> str:
    """Render the settings of a study as canonical JSON (recorded in every result).

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class C:
    ...     months: tuple[int, ...] = (5, 6)
    ...     limit: float = 100.0
    >>> config_json(C())
    '{"limit": 100.0, "months": [5, 6]}'
    """
    return json.dumps(_plain(config), sort_keys=True)


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
