"""Turning text and TOML values into the typed fields of the parameter model.

One place decides what a field accepts, so seeds, ``--set`` options and scenario
files all fail the same way: with an :class:`~casa1000.errors.InputError` naming
where the value came from, its key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar, cast

from casa1000.errors import InputError

T = TypeVar("T")


@cache
def field_types(cls: type) -> dict[str, Any]:
    """Return the resolved type hints of the fields of dataclass ``cls``."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _describe(hint: Any) -> str:
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return "one of " + ", ".join(m.value for m in hint)
    if hint is float:
        return "a number"
    if hint is int:
        return "a whole number"
    if hint is bool:
        return "true or false"
    if hint is str:
        return "a text"
    if typing.get_origin(hint) is tuple:
        return "a list of texts (comma-separated on the command line)"
    args = typing.get_args(hint)
    if args and type(None) in args:
        inner = next(a for a in args if a is not type(None))
        return f"{_describe(inner)} or empty"
    return str(hint)


def coerce(value: object, hint: Any, *, where: str, key: str) -> Any:
    """Convert ``value`` to the field type ``hint`` or raise InputError.

    Parameters
    ----------
    value
        Text from a CSV cell or ``--set`` option, or a TOML value.
    hint
        The field's type (float, int, bool, str, a StrEnum, or ``X | None``).
    where, key
        Named in the error message.

    Returns
    -------
    object
        The converted value.

    Raises
    ------
    InputError
        If the value cannot be read as that type.
    """
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        if value is None or (isinstance(value, str) and value.strip().lower() in {"", "none"}):
            return None
        inner = next(a for a in args if a is not type(None))
        return coerce(value, inner, where=where, key=key)
    if typing.get_origin(hint) is tuple:
        # tuple[str, ...]: a TOML list, or comma-separated text from --set
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise InputError(where, key, value, _describe(hint))
        texts = tuple(str(v).strip() for v in items if str(v).strip())
        if not texts or not all(isinstance(v, str) for v in items):
            raise InputError(where, key, value, _describe(hint))
        return texts
    if isinstance(value, str):
        value = value.strip()
    bad = InputError(where, key, value, _describe(hint))
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        try:
            return hint(str(value))
        except ValueError:
            raise bad from None
    if hint is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false"}:
            return value.lower() == "true"
        raise bad
    if hint is int:
        if isinstance(value, bool):
            raise bad
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                raise bad from None
        raise bad
    if hint is float:
        if isinstance(value, bool):
            raise bad
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                raise bad from None
        else:
            raise bad
        if not math.isfinite(number):
            raise bad
        return number
    if hint is str:
        if isinstance(value, str) and value:
            return value
        raise bad
    raise bad


def build_element(cls: type[T], raw: dict[str, object], *, where: str, prefix: str) -> T:
    """Build dataclass ``cls`` from raw values, coercing each field.

    Parameters
    ----------
    cls
        The element dataclass.
    raw
        Field name -> raw value; fields with defaults may be missing.
    where
        File and row (or option) the values came from.
    prefix
        Dotted key prefix of the element, e.g. ``"line.DATKA_SUGHD"``.

    Returns
    -------
    T
        The element.

    Raises
    ------
    InputError
        For a missing required field or a value of the wrong type.
    """
    kwargs: dict[str, object] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        hint = field_types(cast(type, cls))[f.name]
        if f.name in raw:
            kwargs[f.name] = coerce(raw[f.name], hint, where=where, key=f"{prefix}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise InputError(where, f"{prefix}.{f.name}", None, f"{_describe(hint)} (required)")
    return cls(**kwargs)
