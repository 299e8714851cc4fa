"""The metric language: values against numpy, dimensions from the schema, nothing unsafe."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from casa1000.studies.contingency import SCHEMA as CONTINGENCY
from casa1000.studies.regression.expressions import parse_expression, schema_dims
from casa1000.studies.seasonal import SCHEMA as SEASONAL

RNG = np.random.default_rng(7)
DELIVERED = RNG.uniform(0, 1000, (24, 2))
SECURE = RNG.uniform(size=(24, 3)) > 0.2
DS = xr.Dataset(
    {
        "delivered_mw": (("time", "offtaker"), DELIVERED),
        "secure": (("time", "contingency"), SECURE),
        "loss_mw": ("time", np.r_[np.nan, np.arange(23.0)]),
    },
    coords={
        "time": pd.date_range("2027-07-01", periods=24, freq="h"),
        "offtaker": ["PK", "AF"],
        "contingency": ["a", "b", "c"],
    },
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('delivered_mw.sel(offtaker="PK").sum() / 1e3', DELIVERED[:, 0].sum() / 1e3),
        ("delivered_mw.sum()", DELIVERED.sum()),
        ('delivered_mw.sum("offtaker").max()', DELIVERED.sum(axis=1).max()),
        ('delivered_mw.sel(offtaker=["PK", "AF"]).mean()', DELIVERED.mean()),
        ('secure.all("contingency").sum()', SECURE.all(axis=1).sum()),
        ("(~secure).sum()", (~SECURE).sum()),
        ("(delivered_mw > 500).sum()", (DELIVERED > 500).sum()),
        (
            '(delivered_mw.sel(offtaker="AF") - 500).abs().max()',
            np.abs(DELIVERED[:, 1] - 500).max(),
        ),
        ("-delivered_mw.min() * 2 + 1", -DELIVERED.min() * 2 + 1),
        ("delivered_mw.quantile(0.95)", np.quantile(DELIVERED, 0.95)),
        ("loss_mw.sum()", np.nansum(DS.loss_mw.values)),  # NaN skipped, as xarray does
        ("loss_mw.count()", 23),
        ("(secure & (delivered_mw.sum('offtaker') > 900)).sum()", None),
    ],
)
def test_values_match_numpy(text: str, expected: float | None) -> None:
    expr = parse_expression(text)
    value = expr.evaluate(DS)
    assert value.dims == ()
    if expected is not None:
        assert float(value) == pytest.approx(float(expected), rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=50))
def test_reductions_are_numpy_reductions(values: list[float]) -> None:
    ds = xr.Dataset({"x": ("time", np.array(values))})
    for name, oracle in (("sum", np.sum), ("mean", np.mean), ("max", np.max), ("min", np.min)):
        got = float(parse_expression(f"x.{name}()").evaluate(ds))
        assert got == pytest.approx(float(oracle(values)), rel=1e-9, abs=1e-6)


def test_dimensions_come_from_the_declared_schema() -> None:
    seasonal = schema_dims(SEASONAL)
    assert parse_expression('delivered_mw.sel(offtaker="PK")').dims(seasonal) == ("time",)
    assert parse_expression("vm_pu.min('bus')").dims(seasonal) == ("time",)
    assert parse_expression("vm_pu.min()").dims(seasonal) == ()
    assert parse_expression("datka_sughd_mw + ac_losses_mw").dims(seasonal) == ("time", "area")
    contingency = schema_dims(CONTINGENCY)
    assert parse_expression('secure.all("contingency")').dims(contingency) == ("time",)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("delivered_mv.sum()", "'delivered_mv' is not a variable of the result"),
        ('delivered_mw.sel(bus="X")', "sel(bus=...) on a value with dimensions"),
        ('vm_pu.sum("offtaker")', "sum('offtaker') on a value with dimensions"),
    ],
)
def test_unknown_names_and_dimensions_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        parse_expression(text).dims(schema_dims(SEASONAL))


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "open('/etc/passwd')",
        "delivered_mw.__class__",
        "delivered_mw.values",
        "delivered_mw.to_netcdf('x.nc')",
        "delivered_mw[0]",
        "lambda: 1",
        "[x for x in delivered_mw]",
        "delivered_mw ** 2",
        "'text'",
        "1 < delivered_mw < 2",
        "delivered_mw.sum(dim='time')",
        "delivered_mw.sel(**{'offtaker': 'PK'})",
        "delivered_mw.quantile(2)",
        "delivered_mw.sum(time)",
        "x = 1",
        "a" * 401,
    ],
)
def test_anything_outside_the_language_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_expression(text).dims(schema_dims(SEASONAL))


def test_an_absent_label_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="a label absent from the result"):
        parse_expression('delivered_mw.sel(offtaker="KABUL")').evaluate(DS)
