"""Fixtures for the analytics tests: books, and the engines every report must agree on.

Loaded as a plugin by the top conftest (a second conftest.py would clash with
it under --doctest-modules, which imports both as `conftest`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from leadlife._adapters.demo import run
from leadlife.analytics import event_table

# CI sets this: there, a Spark that cannot start is a failure, not a skip.
SPARK_REQUIRED = os.environ.get("LEADLIFE_REQUIRE_SPARK") == "1"


def _spark_missing() -> str | None:
    """Why Spark cannot run here, or ``None`` if it can."""
    try:
        import pyspark  # noqa: F401, PLC0415
    except ImportError:
        return "pyspark is not installed (pip install -e '.[test]')"
    if shutil.which("java") is None and "JAVA_HOME" not in os.environ:
        return "no Java found (PySpark needs Java 17): set JAVA_HOME or put java on PATH"
    return None


@pytest.fixture(scope="session")
def spark() -> Any:
    """A local Spark session, one core, UTC: started once for the whole run."""
    missing = _spark_missing()
    if missing is not None:
        if SPARK_REQUIRED:
            pytest.fail(f"Spark is required here (LEADLIFE_REQUIRE_SPARK=1) but {missing}")
        pytest.skip(missing)
    from pyspark.sql import SparkSession  # noqa: PLC0415

    session = (
        SparkSession.builder.master("local[1]")
        .appName("leadlife-tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


ENGINES: dict[str, Callable[[pa.Table, Any], Any]] = {
    "pyarrow": lambda table, _: table,
    "polars": lambda table, _: pl.from_arrow(table),
    "polars-lazy": lambda table, _: pl.from_arrow(table).lazy(),
    "pandas": lambda table, _: table.to_pandas(),
    "pandas-arrow": lambda table, _: table.to_pandas(types_mapper=pd.ArrowDtype),
    "duckdb": lambda table, _: duckdb.connect().from_arrow(table),
    "pyspark": lambda table, spark: spark.createDataFrame(table),
}
"""Each engine's frame of an event table, as a user of that engine would hold it."""


@pytest.fixture(params=list(ENGINES), ids=list(ENGINES))
def engine(request: pytest.FixtureRequest) -> Callable[[pa.Table], Any]:
    """A function turning an event table into a frame of one engine."""
    name = request.param
    spark = request.getfixturevalue("spark") if name == "pyspark" else None
    return lambda table: ENGINES[name](table, spark)


@pytest.fixture(scope="session")
def demo_table() -> pa.Table:
    """The demo book's event table."""
    journeys, _ = run()
    return event_table([history for journey in journeys for history in journey])
