"""The comparator against a real FalkorDB: its known quirks must not turn a right answer into a wrong one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from momq.evaluate import compare_results


@pytest.fixture(scope="module")
def graph(falkordb_server):
    g = falkordb_server.client().select_graph("evaluate_compare")
    g.query("CREATE (:P {name: 'a', n: 1, born: '2020-01-02'}), (:P {name: 'b', n: 2, born: '2021-03-04'})")
    yield g
    g.delete()


def test_sum_of_integers_is_a_float_but_matches_the_sql_integer(graph):
    rows = graph.ro_query("MATCH (p:P) RETURN sum(p.n)").result_set
    assert isinstance(rows[0][0], float)  # the quirk itself: 3.0, not 3
    assert compare_results([(3,)], rows, ordered=False).match  # MariaDB would say 3
    assert compare_results([(Decimal("3"),)], rows, ordered=False).match  # PostgreSQL SUM → numeric
    assert not compare_results([(4,)], rows, ordered=False).match


def test_graph_rows_match_sql_rows(graph):
    rows = graph.ro_query("MATCH (p:P) RETURN p.name, p.born, avg(p.n) ORDER BY p.name").result_set
    sql_rows = [("a", dt.date(2020, 1, 2), Decimal("1.0000")), ("b", dt.date(2021, 3, 4), Decimal("2.0000"))]
    assert compare_results(sql_rows, rows, ordered=True).match
    collected = graph.ro_query("MATCH (p:P) WITH p ORDER BY p.name RETURN collect(p.name)").result_set
    assert compare_results([(["a", "b"],)], collected, ordered=False).match
    assert not compare_results([(["b", "a"],)], collected, ordered=False).match
