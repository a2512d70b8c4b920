"""The query sampler and its reference evaluator on the toy domain."""

from __future__ import annotations

import pytest

from momq.bench.ir import ALL_FEATURES, Agg, Col, Filter, Func, Hop, Op, Order, PerGroup, Query
from momq.bench.sample import CYCLE, GENERATORS, WEIGHTS, Rejected, evaluate, sample_queries
from tests.bench.toy_domain import TOY_DOMAIN, toy_data


@pytest.fixture(scope="module")
def data():
    return toy_data()


@pytest.fixture(scope="module")
def sampled(data):
    return sample_queries(data, 200, 4)


def test_deterministic_for_a_seed(data, sampled):
    assert sample_queries(data, 200, 4) == sampled
    assert sample_queries(data, 200, 5) != sampled


def test_no_duplicates_and_all_valid(sampled):
    assert len(sampled) == 200
    assert len(set(sampled)) == len(sampled)
    for q in sampled:
        q.check(TOY_DOMAIN)


def test_covers_every_feature_and_several_entities(sampled):
    seen = {f for q in sampled for f in q.features()}
    assert set(ALL_FEATURES) - {"projection"} <= seen
    assert {q.root for q in sampled} == {"employee", "department", "project"}
    assert {q.difficulty() for q in sampled} >= {"easy", "medium", "hard"}
    # every construct generator contributes
    assert len(GENERATORS) >= 15


def test_weighted_generators_get_more_turns():
    assert set(WEIGHTS) <= set(GENERATORS)
    for name in GENERATORS:
        assert CYCLE.count(name) == WEIGHTS.get(name, 1)
    assert CYCLE[: len(GENERATORS)] == GENERATORS  # every shape comes round once before any comes twice


def test_every_answer_is_non_empty(data, sampled):
    for q in sampled:
        assert evaluate(data, q), q


def test_every_having_drops_a_group(data, sampled):
    """A HAVING that every group passes tests nothing; the sampler must not produce one."""
    with_having = [q for q in sampled if q.having is not None]
    assert with_having
    for q in with_having:
        unfiltered = Query(q.root, q.select, hops=q.hops, filters=q.filters, group_by=q.group_by)
        assert len(evaluate(data, q)) < len(evaluate(data, unfiltered)), q


def test_constants_come_from_the_data(data, sampled):
    values = {(e, k, v) for e, rows in data.rows.items() for r in rows for k, v in r.items()}
    link_values = {(rel, k, v) for rel, links in data.links.items() for _, _, attrs in links for k, v in attrs.items()}
    for q in sampled:
        ents = q.entities(TOY_DOMAIN)
        for f in q.filters:
            if f.op in (Op.EQ, Op.IN):
                for v in f.values:
                    if f.col.edge:  # a relationship attribute: the constant is a value some link has
                        rel = q.hops[f.col.node - 1].relationship
                        assert (rel, f.col.attribute, v) in link_values, (q, v)
                    else:
                        assert (ents[f.col.node].name, f.col.attribute, v) in values, (q, v)


def test_evaluator_counts_and_groups(data):
    n = evaluate(data, Query("employee", (Agg(Func.COUNT),)))
    assert n == [(len(data.rows["employee"]),)]
    per_dept = evaluate(data, Query("employee", (Col(1, "name"), Agg(Func.COUNT)), hops=(Hop("works_in"),),
                                    group_by=(Col(1, "name"),)))
    assert sum(c for _, c in per_dept) == len(data.links["works_in"])
    lonely = evaluate(data, Query("department", (Col(0, "name"),), without=Hop("works_in", False)))
    assert lonely == [("Archive",)]


def test_limit_through_a_tie_is_rejected(data):
    # titles cycle over five values: the 2nd and 3rd largest counts can tie only if equal; force a tie via age
    ages = sorted((r["age"] for r in data.rows["employee"] if r["age"] is not None), reverse=True)
    k = next(i for i in range(1, len(ages)) if ages[i - 1] == ages[i])
    with pytest.raises(Rejected):
        evaluate(data, Query("employee", (Col(0, "name"), Col(0, "age")), order_by=Order(Col(0, "age"), True),
                             limit=k))


def test_case_insensitive_collation_trap_is_rejected(data):
    # 'ann' matches nothing byte-wise but 'Ann ...' under MariaDB's case-insensitive collation
    with pytest.raises(Rejected):
        evaluate(data, Query("employee", (Col(0, "name"),), filters=(Filter(Col(0, "name"), Op.PREFIX, ("ann",)),)))


def test_per_group_top1(data):
    rows = evaluate(data, Query("employee", (Col(1, "name"), Col(0, "name"), Col(0, "salary")),
                                per_group=PerGroup(Hop("works_in"), "salary", True, 1)))
    depts = {d for _, d, _ in data.links["works_in"]}
    assert len(rows) == len(depts)
    best = max(data.rows["employee"], key=lambda r: r["salary"])
    assert any(r[1] == best["name"] for r in rows)


def test_rejections_are_counted_by_reason(data):
    counts: dict[str, int] = {}
    again: dict[str, int] = {"LIMIT cuts through a tie": 1}
    assert sample_queries(data, 120, 4, rejections=counts) == sample_queries(data, 120, 4, rejections=again)
    assert counts and all(n > 0 for n in counts.values())
    assert not any(reason.startswith("invalid: ") for reason in counts)  # messages folded into one reason
    # counts accumulate into what the caller passed
    assert again["LIMIT cuts through a tie"] == counts.get("LIMIT cuts through a tie", 0) + 1


def test_no_count_along_a_link_to_one(data):
    """'How many departments does X work in' is always 0 or 1: counts of a known root's neighbours walk links
    that can lead to several."""
    from momq.bench.er import Cardinality

    counted = [q for q in sample_queries(data, 300, 8) if q.select == (Agg(Func.COUNT),) and len(q.hops) == 1
               and any(f.col.node == 0 for f in q.filters)]
    assert counted
    for q in counted:
        rel = TOY_DOMAIN.relationship(q.hops[0].relationship)
        assert not (q.hops[0].forward and rel.cardinality is Cardinality.MANY_TO_ONE), q


def _walks(data, start: int, end: int, n: int) -> int | None:
    """The fewest links up the reporting line from ``start`` to ``end`` by enumerating walks (no BFS)."""
    manager = {s: t for s, t, _ in data.links["reports_to"]}
    here, steps = start, 0
    while steps < n:
        here, steps = manager.get(here), steps + 1
        if here is None:
            return None
        if here == end:
            return steps
    return None


def test_shortest_path_lengths_match_a_walk(data):
    links = data.links["reports_to"]
    starts = sorted({s for s, _, _ in links})
    checked = 0
    for start in starts:
        for end in {t for _, t, _ in links}:
            want = _walks(data, start, end, 4)
            if want is None or start == end:
                continue
            q = Query("employee", (Agg(Func.HOPS),), hops=(Hop("reports_to", True, 4, shortest=True),),
                      filters=(Filter(Col(0, "id"), Op.EQ, (start,)), Filter(Col(1, "id"), Op.EQ, (end,))))
            assert evaluate(data, q) == [(want,)]
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("kind, combine", [("union", set.__or__), ("intersect", set.__and__), ("except", set.__sub__)])
def test_set_operations_combine_the_sides(data, kind, combine):
    from momq.bench.ir import SetOp
    from momq.bench.sample import Rejected

    hop, name = Hop("works_on"), (Col(0, "name"),)
    found = 0
    for status in ("active", "done", "planned"):
        for other in ("active", "done", "planned"):
            left, right = Filter(Col(1, "status"), Op.EQ, (status,)), Filter(Col(1, "status"), Op.EQ, (other,))
            q = Query("employee", name, hops=(hop,), filters=(left,), setop=SetOp(kind, (right,)))
            sides = [{r for r in evaluate(data, Query("employee", name, hops=(hop,), filters=(f,)))}
                     for f in (left, right)]
            try:
                got = set(evaluate(data, q))
            except Rejected:  # one side decides the answer (e.g. the same condition twice)
                assert combine(*sides) in sides or not combine(*sides)
                continue
            assert got == combine(*sides)
            found += 1
    assert found


@pytest.mark.parametrize("name, unit, summable", [
    ("salary", "USD", True), ("quantity", "units", True), ("hours_per_week", "hours", True),
    ("total_price", "USD", True), ("page_count", "pages", True), ("interest_rate", "percent", False),
    ("review_score", "", False), ("author_order", "", False), ("median_income", "USD", False),
    ("unit_price", "USD", False), ("ticket_price", "USD", False), ("price_per_kg", "USD", False),
    ("age", "", False), ("created_year", "", False),
])
def test_summable_measures(name, unit, summable):
    from momq.bench.er import Attribute, Role
    from momq.schema.types import ValueType

    assert Attribute(name, ValueType.INTEGER, Role.NUMBER, unit=unit).summable is summable
    assert Attribute(name, ValueType.INTEGER, Role.NUMBER, unit=unit, additive=not summable).summable is not summable


def test_sums_only_over_summable_measures():
    from momq.bench.domains import all_domains
    from momq.bench.generate import generate

    sums = 0
    for domain in all_domains():
        for q in sample_queries(generate(domain, 3, 0.5), 40, 11):
            for agg in q.aggregates + ((q.having.agg,) if q.having else ()):
                if agg.func is Func.SUM:
                    sums += 1
                    assert q.attribute(domain, agg.col).summable, (domain.name, q)
    assert sums
