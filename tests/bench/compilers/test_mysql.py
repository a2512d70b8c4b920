"""MySQL compile table: IR cases -> exact MySQL text; backticks only around reserved words."""

from __future__ import annotations

from momq.bench.compilers import compile_query
from tests.bench.compilers.cases import table_tests
from tests.bench.compilers.sql_expected import MYSQL_ONLY, SQL_EXPECTED

EXPECTED = {**SQL_EXPECTED, **MYSQL_ONLY}


test_every_case_has_an_expectation, test_compile_table = table_tests("mysql", EXPECTED)


def test_reserved_identifiers_get_backticks_and_backslashes_are_escaped():
    from tests.bench.compilers.quoting import QUOTING_DOMAIN, quoting_query

    assert compile_query(quoting_query(), "mysql", QUOTING_DOMAIN) == (
        "SELECT `rank`\nFROM `order`\nWHERE label = 'back\\\\slash ''quoted'''")


def test_aliases_avoid_keywords():
    from tests.bench.compilers.quoting import DEVICE_DOMAIN, device_average

    text = compile_query(device_average(), "mysql", DEVICE_DOMAIN)
    assert "JOIN device_owner AS do2 ON do2.id = d.device_owner_id" in text
    assert "ROUND(AVG(do2.score), 2)" in text
