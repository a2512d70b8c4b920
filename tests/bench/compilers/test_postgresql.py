"""PostgreSQL compile table: IR cases -> exact PostgreSQL text; double quotes only around reserved words."""

from __future__ import annotations

from momq.bench.compilers import compile_query
from tests.bench.compilers.cases import table_tests
from tests.bench.compilers.sql_expected import POSTGRES_ONLY, SQL_EXPECTED

EXPECTED = {**SQL_EXPECTED, **POSTGRES_ONLY}


test_every_case_has_an_expectation, test_compile_table = table_tests("postgresql", EXPECTED)


def test_reserved_identifiers_get_double_quotes_and_backslashes_stay_literal():
    from tests.bench.compilers.quoting import QUOTING_DOMAIN, quoting_query

    # rank is not reserved in PostgreSQL; order is
    assert compile_query(quoting_query(), "postgresql", QUOTING_DOMAIN) == (
        "SELECT rank\nFROM \"order\"\nWHERE label = 'back\\slash ''quoted'''")


def test_average_of_a_double_is_cast_before_rounding_and_aliases_avoid_keywords():
    from tests.bench.compilers.quoting import DEVICE_DOMAIN, device_average

    assert compile_query(device_average(), "postgresql", DEVICE_DOMAIN) == (
        "SELECT do2.label, ROUND(AVG(do2.score)::numeric, 2)\n"
        "FROM device AS d\n"
        "JOIN device_owner AS do2 ON do2.id = d.device_owner_id\n"
        "GROUP BY do2.label")
