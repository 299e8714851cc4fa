"""Mapping a suite entry's ``[entry.settings]`` table onto a study's config dataclass.

Every registered study takes a frozen keyword-only dataclass whose fields all
have defaults (:class:`~casa1000.studies.spine.study.StudySpec`).  A suite names
only the fields it changes; their TOML values are converted to the field types
here -- numbers, booleans, text, enumerations, ``tuple[int, ...]`` from a list,
paths relative to the suite file and nested dataclasses (``limits``) from a
sub-table -- and anything else is refused with one line naming the suite file,
the entry and the key.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from casa1000.errors import InputError
from casa1000.grid.coerce import coerce, field_types

ConfigT = TypeVar("ConfigT")


def config_from_settings(
    config_type: type[ConfigT],
    settings: Mapping[str, object],
    *,
    where: str,
    base_dir: Path,
    prefix: str = "settings",
) -> ConfigT:
    """Build ``config_type`` from the fields a suite entry sets.

    Parameters
    ----------
    config_type
        The study's settings dataclass.
    settings
        Field name -> TOML value (a sub-table for a nested dataclass).
    where
        Suite file and entry, named in errors.
    base_dir
        Folder that relative paths are read from (the suite file's).
    prefix
        Dotted key of ``settings`` in the entry, named in errors.

    Returns
    -------
    object
        The config; fields not named keep their defaults.

    Raises
    ------
    InputError
        For an unknown field, a value of the wrong type or one the config refuses.

    Examples
    --------
    >>> from pathlib import Path
    >>> from casa1000.studies.seasonal import SeasonalConfig
    >>> config_from_settings(SeasonalConfig, {"months": [6, 7]}, where="s", base_dir=Path()).months
    (6, 7)
    """
    hints = field_types(cast(type, config_type))
    values: dict[str, object] = {}
    for name, raw in settings.items():
        key = f"{prefix}.{name}"
        if name not in hints:
            raise InputError(where, key, raw, "one of the fields " + ", ".join(hints))
        values[name] = _convert(raw, hints[name], where=where, key=key, base_dir=base_dir)
    try:
        return config_type(**values)
    except InputError as exc:
        # the config's own checks name a command-line option; name the suite key instead
        raise InputError(where, f"{prefix}.{exc.key}", exc.value, exc.allowed) from None


def _convert(value: object, hint: Any, *, where: str, key: str, base_dir: Path) -> object:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or origin is typing.Union:
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return _convert(value, inner[0], where=where, key=key, base_dir=base_dir)
        raise InputError(where, key, value, f"a value of {hint} (not settable from a suite)")
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise InputError(where, key, value, f"a table of {hint.__name__} fields")
        return config_from_settings(hint, value, where=where, base_dir=base_dir, prefix=key)
    if hint is Path:
        if not isinstance(value, str) or not value:
            raise InputError(where, key, value, "a file path (relative to the suite file)")
        path = Path(value)
        return path if path.is_absolute() else base_dir / path
    if origin is tuple:
        if not isinstance(value, list):
            raise InputError(where, key, value, "a list, e.g. [6, 7]")
        item = args[0] if args else Any
        return tuple(
            _convert(v, item, where=where, key=f"{key}[{k}]", base_dir=base_dir)
            for k, v in enumerate(value)
        )
    if isinstance(value, list | Mapping):
        raise InputError(
            where, key, value, f"a single value of type {getattr(hint, '__name__', hint)}"
        )
    return coerce(value, hint, where=where, key=key)
