"""The query IR: validation against itself and the domain, feature labels, difficulty, JSON round-trip."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from momq.bench.ir import Agg, Col, Filter, Func, Having, Hop, Op, Order, PerGroup, Query
from tests.bench.compilers.cases import CASES
from tests.bench.toy_domain import TOY_DOMAIN

NAME = Col(0, "name")


@pytest.mark.parametrize("build, message", [
    (lambda: Query("employee", ()), "at least one item"),
    (lambda: Query("employee", (NAME,), hops=(Hop("works_in"),) * 4), "at most three hops"),
    (lambda: Query("employee", (Col(1, "name"),)), "refers to node 1"),
    (lambda: Query("employee", (NAME, Agg(Func.COUNT)), group_by=(Col(0, "title"),)), "neither grouped"),
    (lambda: Query("employee", (Agg(Func.COUNT),), having=Having(Agg(Func.COUNT), Op.GT, 1)), "HAVING needs"),
    (lambda: Query("employee", (NAME,), distinct=True, order_by=Order(NAME)), "DISTINCT with ORDER BY"),
    (lambda: Query("employee", (NAME,), limit=0), "limit must be positive"),
    (lambda: Query("employee", (NAME,), without=Hop("works_in"), above_average=Col(0, "salary")), "at most one"),
    (lambda: Filter(NAME, Op.BETWEEN, (1,)), "takes 2"),
    (lambda: Filter(NAME, Op.IN, ()), "at least one value"),
    (lambda: Filter(NAME, Op.EQ, (None,)), "IS_NULL"),
    (lambda: Having(Agg(Func.COUNT), Op.IN, 3), "comparisons only"),
    (lambda: Agg(Func.SUM), "needs a column"),
    (lambda: Col(0, "hours", edge=True), "node >= 1"),
    (lambda: Filter(NAME, Op.CONTAINS, ("Ann",)), "lower-case"),
    (lambda: Filter(Col(0, "hire_date"), Op.YEAR, ("2011",)), "integer year"),
    (lambda: Agg(Func.PERCENT), "takes a condition"),
    (lambda: Agg(Func.COUNT, cond=Filter(NAME, Op.NOT_NULL)), "takes no condition"),
    (lambda: Col(0, "hire_date", part="week"), "date part"),
    (lambda: Hop("reports_to", True, 9), "1 to 5 links"),
    (lambda: Hop("reports_to", True, 2, optional=True), "one link"),
    (lambda: Query("employee", (NAME,), either=(Filter(NAME, Op.EQ, ("Ann",)),)), "at least two"),
    (lambda: Query("employee", (NAME,), hops=(Hop("works_in"),),
                   either=(Filter(NAME, Op.EQ, ("Ann",)), Filter(Col(1, "city"), Op.EQ, ("Lyon",)))), "root's own"),
    (lambda: Query("employee", (NAME, Col(1, "name")), hops=(Hop("works_in", optional=True),),
                   filters=(Filter(Col(1, "city"), Op.EQ, ("Lyon",)),)), "filters the root only"),
    (lambda: Query("employee", (NAME, Agg(Func.COUNT)), hops=(Hop("works_on", optional=True),),
                   group_by=(NAME,)), "counts the neighbours' column"),
    (lambda: Query("employee", (Col(1, "name"),), hops=(Hop("reports_to", True, 2),), distinct=True),
     "one root known by its key"),
    (lambda: Query("employee", (Col(1, "name"),), hops=(Hop("reports_to", True, 2),), distinct=False,
                   filters=(Filter(Col(0, "id"), Op.EQ, (1,)),)), "DISTINCT columns"),
    (lambda: Query("employee", (Col(2, "name"),), hops=(Hop("reports_to", True, 2), Hop("works_in")),
                   filters=(Filter(Col(0, "id"), Op.EQ, (1,)),), distinct=True), "only hop"),
    (lambda: Query("employee", (NAME,), filters=(Filter(Col(0, "hire_date", part="year"), Op.EQ, (2011,)),)),
     "only selected, grouped or ordered"),
    (lambda: Query("employee", (Col(1, "hours", edge=True),)), "refers to node 1"),
    (lambda: Query("employee", (Col(2, "hours", edge=True),), hops=(Hop("works_on"), Hop("owned_by")))
     .check(TOY_DOMAIN), "no attribute 'hours'"),
    (lambda: Query("employee", (Col(1, "hours", edge=True), Agg(Func.COUNT)), hops=(Hop("works_on"),),
                   group_by=(Col(1, "hours", edge=True),)), "grouping by an edge attribute"),
    (lambda: Query("employee", (NAME, Col(1, "hours", edge=True)), hops=(Hop("works_on"),),
                   order_by=Order(Col(1, "hours", edge=True)), limit=1), "ordering by an edge attribute"),
])
def test_invalid_queries_are_refused(build, message):
    with pytest.raises((ValueError, KeyError), match=message):
        build()


@pytest.mark.parametrize("query, message", [
    (Query("employee", (Col(0, "nope"),)), "no attribute"),
    (Query("employee", (NAME,), hops=(Hop("owned_by"),)), "does not start at employee"),
    (Query("employee", (Agg(Func.SUM, Col(0, "name")),)), "non-numeric"),
    (Query("department", (NAME,), above_average=Col(0, "city")), "numeric root attribute"),
    (Query("employee", (Col(1, "title"), NAME), per_group=PerGroup(Hop("works_on"), "salary")), "N:1"),
    (Query("employee", (NAME,), filters=(Filter(Col(0, "salary"), Op.YEAR, (2011,)),)), "year of non-date"),
    (Query("employee", (NAME,), filters=(Filter(Col(0, "salary"), Op.CONTAINS, ("1",)),)), "non-text"),
    (Query("employee", (Col(0, "name", part="year"),)), "year of non-date"),
    (Query("employee", (Col(1, "name"),), hops=(Hop("works_in", True, 2),), distinct=True,
           filters=(Filter(Col(0, "id"), Op.EQ, (1,)),)), "from an entity to itself"),
    (Query("employee", (Col(1, "name"),), hops=(Hop("reports_to", True, 2),), distinct=True,
           filters=(Filter(Col(0, "title"), Op.EQ, ("Analyst",)),)), "known by its key"),
])
def test_check_against_the_domain(query, message):
    with pytest.raises((ValueError, KeyError), match=message):
        query.check(TOY_DOMAIN)


@pytest.mark.parametrize("name, features, difficulty", [
    ("compare", ("filter", "comparison"), "easy"),
    ("by_key", ("filter",), "easy"),
    ("join_in", ("filter", "in", "join1"), "easy"),
    ("join2_prefix", ("filter", "like", "distinct", "join2"), "medium"),
    ("group_having_top", ("count", "group_by", "having", "order_limit", "join1"), "hard"),
    ("group_avg", ("aggregate", "group_by", "round"), "medium"),
    ("count_range", ("filter", "range", "count"), "easy"),
    ("anti", ("anti_join",), "medium"),
    ("nested", ("nested",), "medium"),
    ("per_group", ("topk_per_group",), "hard"),
    ("null_test", ("filter", "null"), "easy"),
    ("apostrophe_and_flag", ("filter", "flag"), "easy"),
    ("edge_of_key", ("filter", "comparison", "join1", "edge_filter", "edge_attr"), "medium"),
    ("edge_filter", ("filter", "range", "join1", "edge_filter", "edge_attr"), "medium"),
    ("edge_sum", ("aggregate", "group_by", "order_limit", "join1", "edge_attr"), "hard"),
    ("year_contains", ("filter", "date_part", "contains"), "easy"),
    ("neighbours_contains", ("filter", "contains", "join1"), "medium"),
    ("join_year_count", ("filter", "date_part", "count", "group_by", "join1"), "medium"),
    ("percent_flag", ("flag", "percentage", "round"), "medium"),
    ("percent_grouped", ("date_part", "count", "percentage", "multi_aggregate", "group_by", "round"), "medium"),
    ("by_year", ("date_part", "count", "aggregate", "multi_aggregate", "group_by", "order_limit", "round", "cast"), "medium"),
    ("by_month", ("filter", "date_format", "count", "group_by"), "medium"),
    ("reach_down", ("filter", "distinct", "join1", "variable_length"), "hard"),
    ("per_department", ("filter", "flag", "ratio", "join1", "round", "cast"), "medium"),
    ("join3", ("filter", "distinct", "join3"), "hard"),
    ("optional_names", ("filter", "join1", "optional"), "easy"),
    ("group_two", ("date_part", "count", "group_by", "group_by_multi", "cast"), "medium"),
    ("or_filters", ("filter", "or", "comparison", "flag"), "easy"),
    ("optional_count", ("count", "group_by", "join1", "optional"), "medium"),
    ("reach_up_count", ("filter", "count", "count_distinct", "join1", "variable_length"), "hard"),
    ("set_union", ("filter", "comparison", "join1", "set_op", "union"), "medium"),
    ("set_intersect", ("filter", "comparison", "join1", "set_op", "intersect"), "medium"),
    ("set_except", ("filter", "comparison", "join1", "set_op", "except"), "medium"),
    ("shortest_up", ("filter", "join1", "variable_length", "shortest_path"), "extra"),
    ("nulls_first", ("filter", "order_limit", "null_order"), "medium"),
    ("concat", ("filter", "flag", "concat"), "easy"),
    ("band", ("count", "aggregate", "multi_aggregate", "group_by", "case", "round"), "medium"),
])
def test_features_and_difficulty(name, features, difficulty):
    q = CASES[name]
    assert q.features() == features
    assert q.difficulty() == difficulty


def test_difficulty_grows_with_points():
    small = Query("employee", (NAME,))
    big = Query("employee", (Col(2, "name"),), hops=(Hop("works_on"), Hop("owned_by")), distinct=True,
                filters=(Filter(NAME, Op.PREFIX, ("A",)), Filter(Col(0, "age"), Op.GT, (30,)),
                         Filter(Col(1, "status"), Op.EQ, ("active",))))
    assert small.points() == 0 and small.difficulty() == "easy"
    assert big.points() == 2 + 2 + 1 and big.difficulty() == "hard"


@pytest.mark.parametrize("name", sorted(CASES))
def test_to_dict_is_json_and_round_trips(name):
    q = CASES[name]
    d = json.loads(json.dumps(q.to_dict()))
    assert d["features"] == list(q.features()) and d["difficulty"] == q.difficulty()
    assert Query.from_dict(d) == q


def test_values_keep_their_types_through_json():
    q = Query("employee", (NAME,), filters=(Filter(Col(0, "hire_date"), Op.LT, (dt.date(2020, 1, 2),)),
                                            Filter(Col(0, "salary"), Op.GE, (Decimal("10.50"),))))
    back = Query.from_dict(json.loads(json.dumps(q.to_dict())))
    assert back.filters[0].values == (dt.date(2020, 1, 2),)
    assert back.filters[1].values == (Decimal("10.50"),)


def test_queries_are_hashable_values():
    assert len({CASES["compare"], Query.from_dict(CASES["compare"].to_dict())}) == 1


def test_edge_columns_resolve_to_relationship_attributes_and_serialise_only_when_set():
    q = CASES["edge_of_key"]
    assert q.edge_columns == (Col(1, "hours", edge=True),) * 2
    assert q.attribute(TOY_DOMAIN, Col(1, "hours", edge=True)).phrase == "hours per week"
    assert q.attribute(TOY_DOMAIN, Col(1, "name")).name == "name"
    d = q.to_dict()
    assert d["select"] == [{"node": 1, "attribute": "name"}, {"node": 1, "attribute": "hours", "edge": True}]
    with pytest.raises(ValueError, match="non-numeric"):
        Query("employee", (Agg(Func.SUM, Col(1, "title")),), hops=(Hop("works_on"),)).check(TOY_DOMAIN)
    # reading a relationship attribute costs one point, however many times it is read
    plain = Query("project", (Col(1, "name"),), hops=(Hop("works_on", False),),
                  filters=(Filter(Col(0, "id"), Op.EQ, (3,)), Filter(Col(1, "age"), Op.GE, (8,))))
    assert q.points() == plain.points() + 1
