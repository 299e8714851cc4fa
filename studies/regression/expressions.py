"""Metric expressions: a small, safe language over a study's result dataset.

A suite names each quantity it compares by an expression written like xarray,
for example ``delivered_mw.sel(offtaker="PK").sum() / 1e3`` (GWh delivered to
Pakistan) or ``secure.all("contingency").sum()`` (N-1 secure hours).  The text
is parsed by :mod:`ast` and turned into a tree of the nodes below; nothing is
ever passed to ``eval``.  What is allowed:

* a variable or coordinate name of the study's declared schema;
* number literals, ``+ - * /``, unary ``-``, one comparison ``< <= > >= == !=``
  and the boolean ``& | ~``;
* ``.sel(dim="label", ...)`` by coordinate label (a label or a list of labels);
* the reductions ``.sum .mean .min .max .std .median .any .all .count`` with
  dimension names as arguments (none: all dimensions), ``.quantile(q)`` and
  ``.abs()``.

The dimensions of an expression are inferred from the schema before anything
runs (:meth:`Expr.dims`), so a typo or a wrong dimension is reported when the
suite is read, not after a long study.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import numpy as np
import xarray as xr

from casa1000.profiles.schema import DatasetSchema

MAX_LENGTH: Final = 400
"""Longest expression accepted [characters]; keeps the parser's recursion shallow."""

Label = str | int | float
Dims = Mapping[str, tuple[str, ...]]
"""Name -> dimensions of every variable and coordinate an expression may use."""


class Reduction(StrEnum):
    """Reductions an expression may apply over dimensions."""

    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"
    STD = "std"
    MEDIAN = "median"
    ANY = "any"
    ALL = "all"
    COUNT = "count"
    QUANTILE = "quantile"


_BINARY: Final[dict[type[ast.AST], tuple[str, Callable[[Any, Any], Any]]]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv),
    ast.BitAnd: ("&", operator.and_),
    ast.BitOr: ("|", operator.or_),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
    ast.Eq: ("==", operator.eq),
    ast.NotEq: ("!=", operator.ne),
}
_UNARY: Final[dict[str, Callable[[xr.DataArray], xr.DataArray]]] = {
    "-": operator.neg,
    "~": operator.invert,
    "abs": abs,
}


class Expr:
    """A parsed expression: its dimensions are known before its value."""

    def dims(self, known: Dims) -> tuple[str, ...]:
        """Return the dimensions of the value, checking every name against ``known``.

        Raises
        ------
        ValueError
            For an unknown name or dimension (the caller adds where it came from).
        """
        raise NotImplementedError

    def evaluate(self, ds: xr.Dataset) -> xr.DataArray:
        """Return the value of the expression on ``ds``."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class Const(Expr):
    """A number literal."""

    value: float

    def dims(self, known: Dims) -> tuple[str, ...]:
        """Return no dimensions: a literal is a scalar."""
        return ()

    def evaluate(self, ds: xr.Dataset) -> xr.DataArray:
        """Return the literal as a 0-d array."""
        return xr.DataArray(self.value)


@dataclass(frozen=True, kw_only=True)
class Var(Expr):
    """A variable or coordinate of the result."""

    name: str

    def dims(self, known: Dims) -> tuple[str, ...]:
        """Return the declared dimensions of the variable."""
        if self.name not in known:
            raise ValueError(
                f"{self.name!r} is not a variable of the result (one of {', '.join(sorted(known))})"
            )
        return known[self.name]

    def evaluate(self, ds: xr.Dataset) -> xr.DataArray:
        """Return the variable."""
        return ds[self.name]


@dataclass(frozen=True, kw_only=True)
class Select(Expr):
    """``base.sel(dim=label, ...)``: a label drops the dimension, a list keeps it."""

    base: Expr
    labels: tuple[tuple[str, Label | tuple[Label, ...]], ...]

    def dims(self, known: Dims) -> tuple[str, ...]:
        """Return the base's dimensions less those selected by a single label."""
        base = self.base.dims(known)
        for dim, _ in self.labels:
            if dim not in base:
                raise ValueError(f"sel({dim}=...) on a value with dimensions {base}")
        dropped = {dim for dim, label in self.labels if not isinstance(label, tuple)}
        return tuple(d for d in base if d not in dropped)

    def evaluate(self, ds: xr.Dataset) -> xr.DataArray:
        """Select by label; a label that is absent raises a one-line error."""
        base = self.base.evaluate(ds)
        indexers = {d: list(v) if isinstance(v, tuple) else v for d, v in self.labels}
        try:
            return base.sel(indexers)
        except KeyError:
            wanted = ", ".join(f"{d}={v!r}" for d, v in self.labels)
            raise ValueError(f"sel({wanted}): a label absent from the result") from None


@dataclass(frozen=True, kw_only=True)
class Reduce(Expr):
    """A reduction over some dimensions (all when ``over`` is empty)."""

    base: Expr
    how: Reduction
    over: tuple[str, ...] = ()
    q: float | None = None

    def dims(self, known: Dims) -> tuple[str, ...]:
        """Return the base's dimensions less the reduced ones."""
        base = self.base.dims(known)
        missing = [d for d in self.over if d not in base]
        if missing:
            raise ValueError(f"{self.how}({missing[0]!r}) on a value with dimensions {base}")
        return tuple(d for d in base if self.over and d not in self.over)

    def evaluate(self, ds: xr.Dataset) -> xr.DataArray:
        """Apply the reduction (NaN skipped, as xarray does for floats)."""
        base = self.base.evaluate(ds)
        dim = list(self.over) if self.over else None
        if self.how is Reduction.QUANTILE:
            out = base.quantile(self.q if self.q is not None else 0.5, dim=dim)
            return out.drop_vars("quantile", errors="ignore")
        reduced: xr.DataArray = getattr(base, self.how.value)(dim=dim)
        return reduced


@dataclass(frozen=True, kw_only=True)
class Unary(Expr):
    """``-x``, ``~x`` or ``x.abs()``."""

    op: str
    operand: Expr

    def dims(self, known: Dims) -> tuple[str, ...]:
        """Return the operand's dimensions."""
        return self.operand.dims(known)

    def evaluate(self, ds: xr.Dataset) -> xr.DataArray:
        """Apply the operator."""
        return _UNARY[self.op](self.operand.evaluate(ds))


@dataclass(frozen=True, kw_only=True)
class Binary(Expr):
    """Arithmetic, one comparison or a boolean combination of two operands."""

    op: str
    left: Expr
    right: Expr

    def dims(self, known: Dims) -> tuple[str, ...]:
        """Return the union of the operands' dimensions, the left's first (as xarray broadcasts)."""
        left, right = self.left.dims(known), self.right.dims(known)
        return (*left, *(d for d in right if d not in left))

    def evaluate(self, ds: xr.Dataset) -> xr.DataArray:
        """Apply the operator with xarray's broadcasting by dimension name."""
        function = next(f for symbol, f in _BINARY.values() if symbol == self.op)
        value = function(self.left.evaluate(ds), self.right.evaluate(ds))
        assert isinstance(value, xr.DataArray)
        return value


def schema_dims(schema: DatasetSchema) -> dict[str, tuple[str, ...]]:
    """Return name -> dimensions of every variable and coordinate of ``schema``."""
    return {name: spec.dims for name, spec in {**schema.coords, **schema.variables}.items()}


def parse_expression(text: str) -> Expr:
    """Parse ``text`` into an expression tree.

    Parameters
    ----------
    text
        The expression, e.g. ``delivered_mw.sel(offtaker="PK").sum() / 1e3``.

    Returns
    -------
    Expr
        The tree; its :meth:`~Expr.dims` checks names against a schema.

    Raises
    ------
    ValueError
        For anything outside the language (the message says what and where).

    Examples
    --------
    >>> import xarray as xr
    >>> ds = xr.Dataset(
    ...     {"delivered_mw": (("time", "offtaker"), [[900.0, 100.0], [1000.0, 0.0]])},
    ...     coords={"offtaker": ["PK", "AF"]},
    ... )
    >>> expr = parse_expression('delivered_mw.sel(offtaker="PK").sum() / 1e3')
    >>> expr.dims({"delivered_mw": ("time", "offtaker"), "offtaker": ("offtaker",)})
    ()
    >>> float(expr.evaluate(ds))
    1.9
    >>> parse_expression("__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: calls other than .sel(), .abs() and the reductions ... are not allowed
    """
    if len(text) > MAX_LENGTH:
        raise ValueError(f"an expression of at most {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"not an expression ({exc.msg})") from None
    return _convert(tree.body)


def _convert(node: ast.AST) -> Expr:
    if isinstance(node, ast.Name):
        return Var(name=node.id)
    if isinstance(node, ast.Constant):
        return Const(value=_number(node))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Invert):
        return Unary(
            op="-" if isinstance(node.op, ast.USub) else "~", operand=_convert(node.operand)
        )
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return Binary(
            op=_BINARY[type(node.op)][0], left=_convert(node.left), right=_convert(node.right)
        )
    if isinstance(node, ast.Compare):
        if len(node.ops) != 1 or type(node.ops[0]) not in _BINARY:
            raise ValueError("one comparison (<, <=, >, >=, ==, !=) at a time")
        return Binary(
            op=_BINARY[type(node.ops[0])][0],
            left=_convert(node.left),
            right=_convert(node.comparators[0]),
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _method(node, node.func.attr, _convert(node.func.value))
    if isinstance(node, ast.Call):
        raise ValueError(
            "calls other than .sel(), .abs() and the reductions "
            f"({', '.join(Reduction)}) are not allowed"
        )
    raise ValueError(f"{type(node).__name__} is not part of the metric language")


def _method(node: ast.Call, name: str, base: Expr) -> Expr:
    if name == "sel":
        if node.args or not node.keywords:
            raise ValueError('sel takes labels by dimension, e.g. sel(offtaker="PK")')
        labels = []
        for kw in node.keywords:
            if kw.arg is None:
                raise ValueError("sel takes dimension=label pairs, not **mappings")
            labels.append((kw.arg, _label(kw.value)))
        return Select(base=base, labels=tuple(labels))
    if name == "abs":
        if node.args or node.keywords:
            raise ValueError("abs() takes no arguments")
        return Unary(op="abs", operand=base)
    try:
        how = Reduction(name)
    except ValueError:
        raise ValueError(
            f"method {name!r}: calls other than .sel(), .abs() and the reductions "
            f"({', '.join(Reduction)}) are not allowed"
        ) from None
    if node.keywords:
        raise ValueError(f"{name}() takes dimension names as plain arguments")
    if how is Reduction.QUANTILE:
        if not node.args:
            raise ValueError("quantile(q, dims...) needs q between 0 and 1")
        q = _number(node.args[0])
        if not 0.0 <= q <= 1.0:
            raise ValueError(f"quantile q = {q} is not between 0 and 1")
        return Reduce(base=base, how=how, over=_dim_names(node.args[1:]), q=q)
    return Reduce(base=base, how=how, over=_dim_names(node.args))


def _dim_names(args: list[ast.expr]) -> tuple[str, ...]:
    names = []
    for arg in args:
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise ValueError('reductions take dimension names in quotes, e.g. sum("time")')
        names.append(arg.value)
    return tuple(names)


def _number(node: ast.AST) -> float:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_number(node.operand)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and np.isfinite(node.value)
    ):
        return float(node.value)
    raise ValueError(f"a finite number where {ast.unparse(node)!r} stands")


def _label(node: ast.AST) -> Label | tuple[Label, ...]:
    if isinstance(node, ast.List | ast.Tuple):
        return tuple(_scalar_label(e) for e in node.elts)
    return _scalar_label(node)


def _scalar_label(node: ast.AST) -> Label:
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    raise ValueError(f"a label in quotes or a number where {ast.unparse(node)!r} stands")
