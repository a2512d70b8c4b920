"""Representative IR queries over the toy domain, and the table tests each per-dialect file runs on them.

A dialect's test file keeps its own expected texts and gets its tests from :func:`table_tests` (and
:func:`string_literal_test`), so every dialect is checked the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from momq.bench.compilers import compile_query, compiler_for
from momq.bench.ir import Agg, Case, Col, Concat, Filter, Func, Having, Hop, Op, Order, PerGroup, Query, SetOp
from tests.bench.toy_domain import TOY_DOMAIN

CASES: dict[str, Query] = {
    "compare": Query("employee", (Col(0, "name"), Col(0, "salary")),
                     filters=(Filter(Col(0, "salary"), Op.GT, (Decimal("50000.50"),)),)),
    "by_key": Query("employee", (Col(0, "name"), Col(0, "hire_date")),
                    filters=(Filter(Col(0, "id"), Op.EQ, (3,)),)),
    "neighbours_of_key": Query("department", (Col(1, "name"),), hops=(Hop("works_in", False),),
                               filters=(Filter(Col(0, "id"), Op.EQ, (3,)),)),
    "apostrophe_and_flag": Query("employee", (Col(0, "name"),),
                                 filters=(Filter(Col(0, "name"), Op.EQ, ("Ann O'Brien",)),
                                          Filter(Col(0, "is_remote"), Op.IS_TRUE))),
    "join_in": Query("employee", (Col(0, "name"), Col(1, "name")), hops=(Hop("works_in"),),
                     filters=(Filter(Col(1, "city"), Op.IN, ("Lyon", "Osaka")),)),
    "join2_prefix": Query("employee", (Col(2, "name"),), hops=(Hop("works_on"), Hop("owned_by")),
                          filters=(Filter(Col(0, "name"), Op.PREFIX, ("Ann",)),), distinct=True),
    "group_having_top": Query("employee", (Col(1, "name"), Agg(Func.COUNT)), hops=(Hop("works_in"),),
                              group_by=(Col(1, "name"),), having=Having(Agg(Func.COUNT), Op.GT, 5),
                              order_by=Order(Agg(Func.COUNT), True), limit=3),
    "group_avg": Query("employee", (Col(0, "title"), Agg(Func.AVG, Col(0, "salary"))), group_by=(Col(0, "title"),)),
    "top_nullable": Query("employee", (Col(0, "name"), Col(0, "age")), order_by=Order(Col(0, "age"), True),
                          limit=3),
    "count_range": Query("employee", (Agg(Func.COUNT),), filters=(
        Filter(Col(0, "hire_date"), Op.BETWEEN, (dt.date(2011, 1, 1), dt.date(2012, 12, 31))),)),
    "anti": Query("department", (Col(0, "name"),), without=Hop("works_in", False)),
    "nested": Query("employee", (Col(0, "name"), Col(0, "salary")), above_average=Col(0, "salary")),
    "per_group": Query("employee", (Col(1, "name"), Col(0, "name"), Col(0, "salary")),
                       per_group=PerGroup(Hop("works_in"), "salary", True, 2)),
    "null_test": Query("project", (Col(0, "title"),), filters=(Filter(Col(0, "cost"), Op.IS_NULL),)),
    # relationship attributes (works_on.hours): from a known vertex, on a pattern, aggregated per group
    "edge_of_key": Query("project", (Col(1, "name"), Col(1, "hours", edge=True)), hops=(Hop("works_on", False),),
                         filters=(Filter(Col(0, "id"), Op.EQ, (3,)), Filter(Col(1, "hours", edge=True), Op.GE, (8,)))),
    "edge_filter": Query("employee", (Col(0, "name"), Col(1, "title"), Col(1, "hours", edge=True)),
                         hops=(Hop("works_on"),),
                         filters=(Filter(Col(1, "hours", edge=True), Op.BETWEEN, (20, 28)),
                                  Filter(Col(1, "status"), Op.EQ, ("active",)))),
    "edge_sum": Query("project", (Col(0, "title"), Agg(Func.SUM, Col(1, "hours", edge=True))),
                      hops=(Hop("works_on", False),), group_by=(Col(0, "title"),),
                      order_by=Order(Agg(Func.SUM, Col(1, "hours", edge=True))), limit=3),
    # dialect idioms: the year of a date, a case-insensitive substring, a false flag next to a date comparison
    "year_contains": Query("employee", (Col(0, "name"),), filters=(
        Filter(Col(0, "hire_date"), Op.YEAR, (2011,)), Filter(Col(0, "name"), Op.CONTAINS, ("ann",)))),
    "neighbours_contains": Query("department", (Col(1, "name"),), hops=(Hop("works_in", False),),
                                 filters=(Filter(Col(0, "id"), Op.EQ, (3,)), Filter(Col(1, "name"), Op.CONTAINS, ("li",)))),
    "flag_false_date": Query("employee", (Col(0, "name"),), filters=(
        Filter(Col(0, "is_remote"), Op.IS_FALSE), Filter(Col(0, "hire_date"), Op.LT, (dt.date(2012, 1, 1),)))),
    "join_year_count": Query("department", (Col(0, "name"), Agg(Func.COUNT)), hops=(Hop("works_in", False),),
                             filters=(Filter(Col(1, "hire_date"), Op.YEAR, (2012,)),), group_by=(Col(0, "name"),)),
    # a percentage of the rows meeting a condition, overall and per group next to the group's size
    "percent_flag": Query("employee", (Agg(Func.PERCENT, cond=Filter(Col(0, "is_remote"), Op.IS_TRUE)),)),
    "percent_grouped": Query("employee", (Col(0, "title"), Agg(Func.COUNT),
                                          Agg(Func.PERCENT, cond=Filter(Col(0, "hire_date"), Op.YEAR, (2011,)))),
                             group_by=(Col(0, "title"),)),
    # breakdowns by a date's year (in order, with an average) and by its month
    "by_year": Query("employee", (Col(0, "hire_date", part="year"), Agg(Func.COUNT), Agg(Func.AVG, Col(0, "salary"))),
                     group_by=(Col(0, "hire_date", part="year"),), order_by=Order(Col(0, "hire_date", part="year"))),
    "by_month": Query("project", (Col(0, "start_date", part="month"), Agg(Func.COUNT)),
                      filters=(Filter(Col(0, "status"), Op.EQ, ("active",)),),
                      group_by=(Col(0, "start_date", part="month"),)),
    # variable-length hops from a known employee: down the reporting line (names), up it (a count)
    "reach_down": Query("employee", (Col(1, "name"),), hops=(Hop("reports_to", False, 3),),
                        filters=(Filter(Col(0, "id"), Op.EQ, (1,)),), distinct=True),
    "reach_up_count": Query("employee", (Agg(Func.COUNT_DISTINCT, Col(1, "id")),), hops=(Hop("reports_to", True, 2),),
                            filters=(Filter(Col(0, "id"), Op.EQ, (40,)),)),
    # employees per department (those with any), where a division of counts truncates in PostgreSQL
    "per_department": Query("employee", (Agg(Func.PER, Col(1, "id")),), hops=(Hop("works_in"),),
                            filters=(Filter(Col(0, "is_remote"), Op.IS_TRUE),)),
    # three hops: the departments owning a project that someone in a given department works on
    "join3": Query("department", (Col(3, "name"),), hops=(Hop("works_in", False), Hop("works_on"), Hop("owned_by")),
                   filters=(Filter(Col(0, "name"), Op.EQ, ("Research",)),), distinct=True),
    # optional hops: every department in Lyon with its employees' names (NULL for none), and how many (0 for none)
    "optional_names": Query("department", (Col(0, "name"), Col(1, "name")), hops=(Hop("works_in", False, optional=True),),
                            filters=(Filter(Col(0, "city"), Op.EQ, ("Lyon",)),)),
    "optional_count": Query("project", (Col(0, "title"), Agg(Func.COUNT, Col(1, "id"))),
                            hops=(Hop("works_on", False, optional=True),), group_by=(Col(0, "title"),)),
    # grouping by two columns: a category and a date's year
    "group_two": Query("employee", (Col(0, "title"), Col(0, "hire_date", part="year"), Agg(Func.COUNT)),
                       group_by=(Col(0, "title"), Col(0, "hire_date", part="year"))),
    # an OR of two root conditions next to an AND filter
    "or_filters": Query("employee", (Col(0, "name"),), filters=(Filter(Col(0, "is_remote"), Op.IS_TRUE),),
                        either=(Filter(Col(0, "title"), Op.EQ, ("Analyst",)), Filter(Col(0, "salary"), Op.GT, (90000,)))),
    # set operations: employees working on an active project and (or / but not) on one started before 2012
    **{f"set_{kind}": Query("employee", (Col(0, "name"),), hops=(Hop("works_on"),),
                            filters=(Filter(Col(1, "status"), Op.EQ, ("active",)),),
                            setop=SetOp(kind, (Filter(Col(1, "start_date"), Op.LT, (dt.date(2012, 1, 1),)),)))
       for kind in ("union", "intersect", "except")},
    # the fewest reporting links from one employee up to another
    "shortest_up": Query("employee", (Agg(Func.HOPS),), hops=(Hop("reports_to", True, 4, shortest=True),),
                         filters=(Filter(Col(0, "id"), Op.EQ, (40,)), Filter(Col(1, "id"), Op.EQ, (1,)))),
    # a ranking that keeps the unknown values, placed first
    "nulls_first": Query("project", (Col(0, "title"), Col(0, "cost")), filters=(Filter(Col(0, "status"), Op.EQ, ("active",)),),
                         order_by=Order(Col(0, "cost"), True, "first")),
    # walks from a named employee (one link, a condition on the project) and from a known one (two links)
    "walk_named": Query("employee", (Col(1, "title"),), hops=(Hop("works_on"),),
                        filters=(Filter(Col(0, "name"), Op.EQ, ("Ann O'Brien",)),
                                 Filter(Col(1, "status"), Op.EQ, ("active",)))),
    "walk2_key": Query("employee", (Col(2, "name"),), hops=(Hop("works_on"), Hop("owned_by")),
                       filters=(Filter(Col(0, "id"), Op.EQ, (3,)),), distinct=True),
    # salaries in two bands, with each band's size and average age
    "band": Query("employee", (Case(Col(0, "salary"), Decimal("60000.50"), "high", "low"), Agg(Func.COUNT),
                               Agg(Func.AVG, Col(0, "age"))),
                  group_by=(Case(Col(0, "salary"), Decimal("60000.50"), "high", "low"),)),
    # a name and a category written as one text
    "concat": Query("employee", (Concat(Col(0, "name"), Col(0, "title")),), filters=(Filter(Col(0, "is_remote"), Op.IS_TRUE),)),
}


def table_tests(dialect: str, expected: dict[str, str]):
    """The compile-table tests of one dialect: every case has an expected text, and each case compiles to it."""

    def test_every_case_has_an_expectation():
        assert set(expected) == set(CASES)

    @pytest.mark.parametrize("name", sorted(expected))
    def test_compile_table(name):
        assert compile_query(CASES[name], dialect, TOY_DOMAIN) == expected[name]

    return test_every_case_has_an_expectation, test_compile_table


def string_literal_test(dialect: str, table: list[tuple[str, str]]):
    """A test that the dialect's compiler writes each string of ``table`` as the literal next to it."""

    @pytest.mark.parametrize("value, literal", table)
    def test_string_literals(value, literal):
        assert compiler_for(dialect, TOY_DOMAIN).literal(value) == literal

    return test_string_literals
