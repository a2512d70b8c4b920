"""Validation before execution, on the live schemas of real engines: SQL table names and the server's EXPLAIN,
Cypher names and directions (a reversed arrow is corrected only when the schema proves it), nGQL syntax."""

from __future__ import annotations

import re

import pytest

from momq.engines.base import ExecutionLimits, QueryFailed, UnsafeQueryError
from momq.schema import EdgeType, GraphDatabase, NodeType, Property, ValueType
from momq.serve.validate import ValidationError, check_cypher_names, validate

LIMITS = ExecutionLimits(timeout_s=5, max_rows=50)


def test_sql_explain_catches_what_the_parser_lets_through(all_engines, bench, bench_db):
    for dialect in ("mysql", "postgresql"):
        engine = all_engines[dialect]
        spec = engine.schema(bench_db)
        table = spec.tables[0].name
        ok = validate(f"SELECT * FROM {table}", dialect, spec, engine, bench_db, LIMITS)
        assert ok.query == f"SELECT * FROM {table}"
        with pytest.raises(ValidationError, match="unknown table") as info:
            validate("SELECT * FROM no_such_table", dialect, spec, engine, bench_db, LIMITS)
        assert info.value.kind == "names"
        with pytest.raises(ValidationError) as info:  # a column only the server knows is missing
            validate(f"SELECT no_such_column FROM {table}", dialect, spec, engine, bench_db, LIMITS)
        assert info.value.kind == "plan" and "no_such_column" in str(info.value)
        with pytest.raises(UnsafeQueryError):
            validate(f"DELETE FROM {table}", dialect, spec, engine, bench_db, LIMITS)


def test_sql_explain_does_not_run_the_query(all_engines, bench_db):
    engine = all_engines["postgresql"]
    spec = engine.schema(bench_db)
    # planned only: a query that fails at run time (division by zero on every row) passes EXPLAIN
    query = f"SELECT 1 / (id - id) FROM {spec.tables[0].name}"
    validate(query, "postgresql", spec, engine, bench_db, LIMITS)
    with pytest.raises(QueryFailed, match="division by zero"):
        engine.execute(bench_db, query, LIMITS)


GRAPH = GraphDatabase("g", (
    NodeType("Person", (Property("pid", ValueType.INTEGER), Property("name", ValueType.TEXT)), "pid"),
    NodeType("Company", (Property("cid", ValueType.INTEGER), Property("name", ValueType.TEXT)), "cid"),
), (EdgeType("WORKS_AT", "Person", "Company", (Property("since", ValueType.INTEGER),)),
    EdgeType("KNOWS", "Person", "Person")))


def test_cypher_reversed_arrow_is_corrected_when_the_schema_proves_it():
    checked = check_cypher_names("MATCH (c:Company)-[w:WORKS_AT]->(p:Person) RETURN p.name, w.since", GRAPH)
    assert checked.query == "MATCH (c:Company)<-[w:WORKS_AT]-(p:Person) RETURN p.name, w.since"
    assert checked.notes and "WORKS_AT" in checked.notes[0]
    # labels bound earlier in the query count too; the left arrow form is turned round the other way
    checked = check_cypher_names("MATCH (p:Person), (c:Company) MATCH (p)<-[:WORKS_AT]-(c) RETURN c.name", GRAPH)
    assert checked.query == "MATCH (p:Person), (c:Company) MATCH (p)-[:WORKS_AT]->(c) RETURN c.name"


def test_cypher_directions_left_alone_when_nothing_proves_them_wrong():
    for q in ("MATCH (a:Person)-[:KNOWS]->(b:Person) RETURN b.name",  # same label both ends
              "MATCH (a)-[:WORKS_AT]->(b) RETURN b.name",  # labels unknown
              "MATCH (a:Person)-[:WORKS_AT]-(b:Company) RETURN b.name",  # undirected
              "MATCH (a:Person)-[:WORKS_AT]->(b:Company) WHERE a.name = '(c:Company)-[:WORKS_AT]->(p:Person)' "
              "RETURN b.name"):  # a pattern inside a string is not a pattern
        assert check_cypher_names(q, GRAPH).query == q


@pytest.mark.parametrize("query, message", [
    ("MATCH (p:Persn) RETURN p", "unknown label Persn"),
    ("MATCH (p:Person)-[:WORKS_FOR]->(c) RETURN c", "unknown relationship type WORKS_FOR"),
    ("MATCH (p:Person) RETURN p.age", "label Person has no property age"),
    ("MATCH (p:Person)-[w:WORKS_AT]->(c:Company) RETURN w.role", "relationship type WORKS_AT has no property role"),
    ("MATCH (p:Person)-[:WORKS_AT]->(q:Person) RETURN q", "goes from Person to Company"),
])
def test_cypher_names_checked_against_the_schema(query, message):
    with pytest.raises(ValidationError, match=message):
        check_cypher_names(query, GRAPH)


QUOTED_GRAPH = GraphDatabase("q", (
    NodeType("School Type", (Property("Free Meal Count (K-12)", ValueType.INTEGER), Property("name", ValueType.TEXT)),
             "name"),
    NodeType("back`tick", (Property("id", ValueType.INTEGER),), "id"),
), (EdgeType("IN DISTRICT", "School Type", "back`tick"),))


@pytest.mark.parametrize("query, message", [
    ("MATCH (s:`School Type`) RETURN s.`Free Meal Count (K-12)`", None),
    ("MATCH (s:`School Type`)-[:`IN DISTRICT`]->(d:`back``tick`) RETURN s.name, d.id", None),
    ("MATCH (s:`School Type`) RETURN s.`Free Meals`", "label School Type has no property Free Meals"),
    ("MATCH (s:`School Types`) RETURN s", "unknown label School Types"),
    ("MATCH (s)-[:`IN  DISTRICT`]->(d) RETURN d", "unknown relationship type IN  DISTRICT"),
    ("MATCH (d:`back``tick`)-[:`IN DISTRICT`]->(s:`School Type`) RETURN s", None),  # reversed: turned round
])
def test_cypher_names_in_backticks_are_read_as_the_names_they_quote(query, message):
    if message is None:
        fixed = check_cypher_names(query, QUOTED_GRAPH).query
        assert fixed == query.replace("(d:`back``tick`)-[:`IN DISTRICT`]->", "(d:`back``tick`)<-[:`IN DISTRICT`]-")
    else:
        with pytest.raises(ValidationError, match=re.escape(message)):
            check_cypher_names(query, QUOTED_GRAPH)


def test_cypher_writes_refused_and_linter_errors_reported(cypher_linter):
    with pytest.raises(UnsafeQueryError):
        validate("MATCH (p:Person) DETACH DELETE p", "cypher", GRAPH, None, "g", LIMITS)
    with pytest.raises(ValidationError, match="line 1") as info:
        validate("MATCH (p:Person) RETURN q.name", "cypher", GRAPH, None, "g", LIMITS, cypher_linter)
    assert info.value.kind == "syntax"


def test_ngql_parser_and_mutations():
    validate('GO FROM "p1" OVER WORKS_AT YIELD dst(edge)', "ngql", GRAPH, None, "g", LIMITS)
    with pytest.raises(ValidationError, match="syntax error"):
        validate("GO FROM OVER YIELD", "ngql", GRAPH, None, "g", LIMITS)
    with pytest.raises(UnsafeQueryError):
        validate('DELETE VERTEX "p1"', "ngql", GRAPH, None, "g", LIMITS)


@pytest.mark.parametrize("query, message", [
    ('GO FROM "p1" OVER EMPLOYS YIELD dst(edge)', "no edge type 'EMPLOYS'"),
    ('MATCH (p:Employee) RETURN p.Employee.name', "no tag 'Employee'"),
    ('MATCH (p:Person) RETURN p.Person.salary', "tag 'Person' has no property 'salary'"),
    ('GO FROM "p1" OVER WORKS_AT YIELD WORKS_AT.until', "edge type 'WORKS_AT' has no property 'until'"),
])
def test_ngql_names_are_checked_against_the_space(query, message):
    with pytest.raises(ValidationError, match=message):
        validate(query, "ngql", GRAPH, None, "g", LIMITS)
    # the same shapes with the space's own names pass
    validate('MATCH (p:Person) RETURN p.Person.name', "ngql", GRAPH, None, "g", LIMITS)
    validate('GO FROM "p1" OVER WORKS_AT YIELD WORKS_AT.since', "ngql", GRAPH, None, "g", LIMITS)


@pytest.mark.parametrize("query,ok", [
    ("SELECT * FROM sales.busy", True),  # a view
    ("SELECT * FROM busy", False),  # sales is not on the search path
    ("SELECT * FROM region", False),  # region lives in sales and geo only
    ('SELECT * FROM "sales"."busy"', True),
    ('SELECT * FROM "Sales".busy', False),  # a quoted name is exact
    ("SELECT r.code FROM sales.region r JOIN geo.region g ON g.code = r.code", True),  # schema-qualified tables
    ("SELECT * FROM sales.nowhere", False),
])
def test_sql_names_cover_views_and_schema_qualified_tables(query, ok):
    from tests.schema.test_io import real_schema

    if ok:
        assert validate(query, "postgresql", real_schema(), None, "real", LIMITS).query == query
    else:
        with pytest.raises(ValidationError, match="unknown table.*the tables are geo.region, sales.region, sales.busy"):
            validate(query, "postgresql", real_schema(), None, "real", LIMITS)
