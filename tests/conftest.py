"""Shared pytest fixtures. Engine fixtures start real servers on loopback in temporary directories."""

pytest_plugins = [
    "tests.fixtures.sql_engines",
    "tests.fixtures.graph_engines",
    "tests.fixtures.ngql_engine",
    "tests.fixtures.bench_build",
    "tests.fixtures.tiny_models",
    "tests.fixtures.cli",
]
