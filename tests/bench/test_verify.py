"""Cross-dialect verification on the four real engines: reasons for failure, and the main agreement test.

The agreement test samples queries on the toy domain and on two real domains, compiles each to MySQL,
PostgreSQL, Cypher and nGQL, runs them on MariaDB, PostgreSQL, FalkorDB and the nGQL emulation, and requires
the four answers to agree (the gold Cypher must also pass Neo4j's linter).
"""

from __future__ import annotations

import logging

import pytest

from momq.bench.compilers import compile_all
from momq.bench.domains import get_domain
from momq.bench.generate import generate
from momq.bench.project import to_graph, to_relational
from momq.bench.sample import sample_queries
from momq.bench.verify import REASONS, Verdict, summarize, verify
from tests.bench.compilers.cases import CASES
from tests.bench.toy_domain import TOY_DOMAIN, toy_data

log = logging.getLogger(__name__)

REAL_DOMAINS = ("company", "movies")


@pytest.fixture(scope="module")
def engines(mariadb_engine, postgres_engine, falkordb_engine, ngql_engine):
    return {"mysql": mariadb_engine, "postgresql": postgres_engine, "cypher": falkordb_engine, "ngql": ngql_engine}


@pytest.fixture(scope="module")
def datasets(engines):
    out = [toy_data()] + [generate(get_domain(name), 3, 0.3) for name in REAL_DOMAINS]
    for data in out:
        rel, graph = to_relational(data), to_graph(data)
        engines["mysql"].load(rel)
        engines["postgresql"].load(rel)
        engines["cypher"].load(graph)
        engines["ngql"].load(graph)
    return out


def _texts(name: str) -> dict[str, str]:
    return compile_all(CASES[name], TOY_DOMAIN)


def test_representative_cases_agree(engines, datasets, cypher_linter):
    for name in CASES:
        verdict = verify(_texts(name), TOY_DOMAIN.name, engines, linter=cypher_linter)
        assert verdict.ok or verdict.reason == "empty_result", (name, verdict)


def test_engine_error_names_the_dialect(engines, datasets):
    texts = _texts("compare")
    texts["postgresql"] = texts["postgresql"].replace("FROM employee", "FROM no_such_table")
    v = verify(texts, TOY_DOMAIN.name, engines)
    assert (v.ok, v.reason, v.failed_dialect) == (False, "engine_error", "postgresql")
    assert v.detail.startswith("postgresql:")


def test_disagreement_is_reported(engines, datasets):
    texts = _texts("compare")
    texts["cypher"] = texts["cypher"].replace("> 50000.5", "> 60000.5")
    v = verify(texts, TOY_DOMAIN.name, engines)
    assert (v.ok, v.reason, v.failed_dialect) == (False, "disagreement", "cypher")
    assert "cypher vs mysql" in v.detail and v.rows > 0


def test_empty_answers_fail_unless_expected(engines, datasets):
    texts = _texts("compare")
    texts = {d: t.replace("50000.5", "99999999.5") for d, t in texts.items()}
    v = verify(texts, TOY_DOMAIN.name, engines)
    assert (v.ok, v.reason, v.rows) == (False, "empty_result", 0)
    assert verify(texts, TOY_DOMAIN.name, engines, expect_empty=True).ok
    v = verify(_texts("compare"), TOY_DOMAIN.name, engines, expect_empty=True)
    assert v.reason == "unexpected_rows"


def test_lint_and_missing_engine(engines, datasets, cypher_linter):
    texts = _texts("compare")
    texts["cypher"] = texts["cypher"].replace("RETURN", "RETRUN")
    v = verify(texts, TOY_DOMAIN.name, engines, linter=cypher_linter)
    assert (v.reason, v.failed_dialect) == ("cypher_lint", "cypher")
    v = verify(_texts("compare"), TOY_DOMAIN.name, {"mysql": engines["mysql"]})
    assert v.reason == "missing_engine"


def test_order_matters_when_the_reference_orders(engines, datasets):
    texts = _texts("top_nullable")
    assert verify(texts, TOY_DOMAIN.name, engines).ok
    reversed_cypher = texts["cypher"].replace("ORDER BY age DESC", "ORDER BY age")
    assert verify({**texts, "cypher": reversed_cypher}, TOY_DOMAIN.name, engines).reason == "disagreement"


def test_verdict_invariants():
    with pytest.raises(ValueError):
        Verdict(False)
    with pytest.raises(ValueError):
        Verdict(False, "bogus")
    assert summarize([Verdict(True), Verdict(False, "timeout", "ngql")]) == {
        "items": 2, "ok": 1, "agreement": 0.5, "by_reason": {"timeout": 1}, "by_dialect": {"ngql": 1}}
    assert "disagreement" in REASONS


def test_sampled_queries_agree_across_four_engines(engines, datasets, cypher_linter):
    verdicts = []
    failures = []
    for data in datasets:
        for q in sample_queries(data, 40, 17):
            v = verify(compile_all(q, data.domain), data.domain.name, engines, linter=cypher_linter)
            verdicts.append(v)
            if not v.ok:
                failures.append((data.domain.name, q.features(), v.reason, v.detail))
    stats = summarize(verdicts)
    log.info("cross-engine agreement: %s", stats)
    assert stats["items"] == 120
    assert stats["agreement"] >= 0.95, (stats, failures[:10])


def test_relationship_attribute_queries_agree_across_four_engines(engines, datasets, cypher_linter):
    """Filters, projections and aggregates over junction columns / edge properties, sampled from every dataset."""
    verdicts, failures, go = [], [], 0
    for data in datasets:
        queries = [q for q in sample_queries(data, 480, 23) if {"edge_filter", "edge_attr"} & set(q.features())]
        for q in queries[:25]:
            texts = compile_all(q, data.domain)
            go += texts["ngql"].startswith("GO ")
            v = verify(texts, data.domain.name, engines, linter=cypher_linter)
            verdicts.append(v)
            if not v.ok:
                failures.append((data.domain.name, q.features(), v.reason, v.detail, texts))
    stats = summarize(verdicts)
    assert stats["items"] >= 40 and go > 0, (stats, go)
    assert stats["agreement"] == 1.0, (stats, failures[:5])


def test_dialect_idiom_queries_agree_across_four_engines(engines, datasets, cypher_linter):
    """The year of a date, case-insensitive substrings, flags, date literals and percentages: each dialect writes its
    own idiom (YEAR / EXTRACT, DATE_FORMAT / to_char / left, LIKE / ILIKE / toLower CONTAINS, = TRUE / bare boolean,
    '...' / DATE '...',
    SUM(cond) / COUNT(*) FILTER / count(CASE ...), COUNT(*) / COUNT(*)::numeric), and the engines agree."""
    idioms = {"date_part", "date_format", "contains", "flag", "percentage", "ratio"}
    verdicts, failures, seen = [], [], set()
    differ = 0
    for data in datasets:
        queries = [q for q in sample_queries(data, 300, 29) if idioms & set(q.features())]
        for q in queries[:30]:
            texts = compile_all(q, data.domain)
            differ += texts["mysql"] != texts["postgresql"]
            seen |= idioms & set(q.features())
            v = verify(texts, data.domain.name, engines, linter=cypher_linter)
            verdicts.append(v)
            if not v.ok:
                failures.append((data.domain.name, q.features(), v.reason, v.detail, texts))
    stats = summarize(verdicts)
    assert seen == idioms and stats["items"] >= 60, (seen, stats)
    assert differ == stats["items"], "every idiom query reads differently in MySQL and PostgreSQL"
    assert stats["agreement"] == 1.0, (stats, failures[:5])


def test_long_path_queries_agree_across_four_engines(engines, datasets, cypher_linter):
    """Entities 1..N links away along a relationship from an entity to itself (a recursive CTE in SQL,
    ``-[:R*1..N]->`` in Cypher, ``GO 1 TO N STEPS`` in nGQL reach the same set, cycles included), three-hop
    chains, and optional hops (LEFT JOIN / OPTIONAL MATCH: NULL neighbours and zero counts)."""
    extra = [generate(get_domain(name), 3, 0.3) for name in ("publishing", "social")]
    for data in extra:
        rel, graph = to_relational(data), to_graph(data)
        engines["mysql"].load(rel)
        engines["postgresql"].load(rel)
        engines["cypher"].load(graph)
        engines["ngql"].load(graph)
    verdicts, failures, forms, three, optional = [], [], 0, 0, 0
    for data in [d for d in datasets if d.domain.name == "company"] + extra:
        sampled = sample_queries(data, 700, 31)
        queries = [q for q in sampled if "variable_length" in q.features()][:15]
        queries += [q for q in sampled if "join3" in q.features()][:8]
        queries += [q for q in sampled if "optional" in q.features()][:8]
        for q in queries:
            texts = compile_all(q, data.domain)
            if "variable_length" in q.features():
                # walks: GO 1 TO N STEPS (from a VID, or piped from a LOOKUP of the name); shortest paths:
                # shortestPath over *1..N in Cypher, the fewest links of a MATCH over *1..N in nGQL
                forms += ("WITH RECURSIVE" in texts["mysql"] and "*1.." in texts["cypher"]
                          and ("GO 1 TO " in texts["ngql"] or "min(length(" in texts["ngql"]))
            elif "optional" in q.features():
                optional += ("LEFT JOIN" in texts["postgresql"] and "OPTIONAL MATCH" in texts["cypher"]
                             and "OPTIONAL MATCH" in texts["ngql"])
            else:
                three += 1
            v = verify(texts, data.domain.name, engines, linter=cypher_linter)
            verdicts.append(v)
            if not v.ok:
                failures.append((data.domain.name, v.reason, v.detail, texts))
    stats = summarize(verdicts)
    assert forms >= 30 and three >= 10 and optional >= 10, (stats, forms, three, optional)
    assert forms + three + optional == stats["items"], (stats, forms, three, optional)
    assert stats["agreement"] == 1.0, (stats, failures[:5])


def test_coverage_shapes_agree_across_four_engines(engines, datasets, cypher_linter):
    """OR conditions, several aggregates in one query and grouping by two columns."""
    shapes = {"or", "multi_aggregate", "group_by_multi"}
    verdicts, failures, seen = [], [], set()
    for data in datasets:
        queries = [q for q in sample_queries(data, 300, 37) if shapes & set(q.features())]
        for q in queries[:20]:
            seen |= shapes & set(q.features())
            v = verify(compile_all(q, data.domain), data.domain.name, engines, linter=cypher_linter)
            verdicts.append(v)
            if not v.ok:
                failures.append((data.domain.name, q.features(), v.reason, v.detail))
    stats = summarize(verdicts)
    assert seen == shapes and stats["items"] >= 40, (seen, stats)
    assert stats["agreement"] == 1.0, (stats, failures[:5])
