"""Real databases whose names need quoting (spaces and brackets, mixed case, reserved words, the quote character
itself, a named schema, a view), in a real PostgreSQL and MariaDB: the dump loads, introspection reads the names
back exactly, sampling and the prompt write them quoted where the dialect needs it, gold queries are accepted by
the constrained grammar, pass live validation and run read-only with the expected rows."""

from __future__ import annotations

import pytest

from momq.constrain.compiled import accepts
from momq.dialects import get_dialect
from momq.engines.base import ExecutionLimits
from momq.serve.live_schema import introspect
from momq.serve.validate import validate

LIMITS = ExecutionLimits(timeout_s=30)

PG_DUMP = '''CREATE SCHEMA "Data Sets";
CREATE TABLE "Schools" ("CDSCode" text PRIMARY KEY, "Free Meal Count (K-12)" integer NOT NULL,
  "order" integer, "say ""hi""" text);
INSERT INTO "Schools" VALUES ('A1', 10, 2, 'x'), ('B2', 25, 1, 'y');
CREATE TABLE "Data Sets"."Region Info" ("Code" text PRIMARY KEY, "School" text REFERENCES "Schools" ("CDSCode"));
INSERT INTO "Data Sets"."Region Info" VALUES ('N', 'B2');
CREATE VIEW "Data Sets"."Big Meals" AS
  SELECT "CDSCode", "Free Meal Count (K-12)" FROM "Schools" WHERE "Free Meal Count (K-12)" > 20;
'''

MYSQL_DUMP = """CREATE TABLE `Schools` (`CDSCode` varchar(10) PRIMARY KEY, `Free Meal Count (K-12)` int NOT NULL,
  `order` int, `say "hi"` text, `back``tick` text);
INSERT INTO `Schools` VALUES ('A1', 10, 2, 'x', 'p'), ('B2', 25, 1, 'y', 'q');
CREATE TABLE `Region Info` (`Code` varchar(5) PRIMARY KEY, `School` varchar(10),
  FOREIGN KEY (`School`) REFERENCES `Schools` (`CDSCode`));
INSERT INTO `Region Info` VALUES ('N', 'B2');
CREATE VIEW `Big Meals` AS SELECT `CDSCode`, `Free Meal Count (K-12)` FROM `Schools` WHERE `Free Meal Count (K-12)` > 20;
"""

CASES = {
    "postgresql": dict(
        dump=PG_DUMP,
        tables={None: {"Schools": ["CDSCode", "Free Meal Count (K-12)", "order", 'say "hi"']},
                "Data Sets": {"Region Info": ["Code", "School"]}},
        views={("Data Sets", "Big Meals")},
        prompt=['Table "Schools"', '  "CDSCode" TEXT, primary key', '  "Free Meal Count (K-12)" BIGINT, not null',
                '  "order" BIGINT', '  "say ""hi""" TEXT', 'Table "Data Sets"."Region Info"',
                'View "Data Sets"."Big Meals"',
                '  "Data Sets"."Region Info"."School" -> "Schools"."CDSCode"'],
        gold=[('SELECT "CDSCode", "Free Meal Count (K-12)" FROM "Schools" ORDER BY "order"',
               [("B2", 25), ("A1", 10)]),
              ('SELECT s."say ""hi""" FROM "Schools" AS s JOIN "Data Sets"."Region Info" AS r '
               'ON r."School" = s."CDSCode"', [("y",)]),
              ('SELECT "CDSCode" FROM "Data Sets"."Big Meals"', [("B2",)]),
              ('SELECT COUNT(*) FROM public."Schools"', [(2,)])],
        refused=['SELECT "CDSCode" FROM Schools', 'SELECT "Code" FROM "Region Info"', "SELECT order FROM \"Schools\""],
    ),
    "mysql": dict(
        dump=MYSQL_DUMP,
        tables={None: {"Schools": ["CDSCode", "Free Meal Count (K-12)", "order", 'say "hi"', "back`tick"],
                       "Region Info": ["Code", "School"]}},
        views={(None, "Big Meals")},
        prompt=["Table Schools", "  CDSCode VARCHAR(255), primary key", "  `Free Meal Count (K-12)` BIGINT, not null",
                "  `order` BIGINT", '  `say "hi"` VARCHAR(255)', "  `back``tick` VARCHAR(255)", "Table `Region Info`",
                "View `Big Meals`",
                "  `Region Info`.School -> Schools.CDSCode"],
        gold=[("SELECT CDSCode, `Free Meal Count (K-12)` FROM Schools ORDER BY `order`", [("B2", 25), ("A1", 10)]),
              ("SELECT s.`back``tick` FROM Schools AS s JOIN `Region Info` AS r ON r.School = s.CDSCode", [("q",)]),
              ("SELECT CDSCode FROM `Big Meals`", [("B2",)])],
        refused=["SELECT `CDSCode` FROM Region Info", "SELECT order FROM Schools", "SELECT `back`tick` FROM Schools"],
    ),
}


@pytest.fixture(scope="module", params=["postgresql", "mysql"])
def loaded(request, mariadb_engine, postgres_engine):
    dialect = request.param
    engine = postgres_engine if dialect == "postgresql" else mariadb_engine
    engine.load_dump("quoted_names", CASES[dialect]["dump"])
    yield dialect, engine, introspect(engine, "quoted_names", dialect, LIMITS)
    engine.drop("quoted_names")


def test_introspection_reads_the_names_back_exactly(loaded):
    dialect, _, spec = loaded
    case = CASES[dialect]
    got = {}
    for t in spec.tables:
        got.setdefault(t.schema, {})[t.name] = list(t.column_names)
    assert got == case["tables"]
    assert {(v.schema, v.name) for v in spec.views} == case["views"]
    schools = spec.table("Schools")
    assert schools.primary_key == ("CDSCode",) and not schools.column("Free Meal Count (K-12)").nullable
    # sampling wrote the quoted names: the sample rows came back
    assert sorted(r[0] for r in schools.rows) == ["A1", "B2"]


def test_the_prompt_writes_names_quoted_where_the_dialect_needs_it(loaded):
    dialect, _, spec = loaded
    text = get_dialect(dialect).render_schema(spec)
    lines = text.splitlines()
    for want in CASES[dialect]["prompt"]:
        assert any(line.startswith(want) for line in lines), (want, text)


def test_gold_queries_are_accepted_validated_and_run_read_only(loaded):
    dialect, engine, spec = loaded
    for query, rows in CASES[dialect]["gold"]:
        ok, error = accepts(dialect, spec, query)
        assert ok, (query, error)
        assert validate(query, dialect, spec, engine, "quoted_names", LIMITS).query == query
        assert engine.execute("quoted_names", query, LIMITS).rows == rows, query


def test_unquoted_or_wrongly_quoted_names_are_refused_by_the_grammar(loaded):
    dialect, _, spec = loaded
    for query in CASES[dialect]["refused"]:
        ok, _ = accepts(dialect, spec, query)
        assert not ok, query


def quoted_graph(district: str = "Order"):
    from momq.schema import Edge, EdgeType, GraphDatabase, Node, NodeType, Property, ValueType as V

    return GraphDatabase("quoted_graph", (
        NodeType("School Type", (Property("name", V.TEXT), Property("Free Meal Count (K-12)", V.INTEGER)), "name"),
        NodeType(district, (Property("id", V.INTEGER), Property("order", V.INTEGER)), "id"),
    ), (EdgeType("IN DISTRICT", "School Type", district, (Property("since year", V.INTEGER),)),),
        [Node("School Type", "s1", {"name": "North", "Free Meal Count (K-12)": 25}),
         Node(district, "d1", {"id": 7, "order": 1})],
        [Edge("IN DISTRICT", "s1", "d1", {"since year": 1999})])


def test_graph_names_that_need_quoting_load_introspect_prompt_and_answer(falkordb_engine, ngql_engine):
    db = quoted_graph()
    falkordb_engine.load(db)
    try:
        spec = introspect(falkordb_engine, "quoted_graph", "cypher", LIMITS)
        assert {nt.label: [p.name for p in nt.properties] for nt in spec.node_types} == {
            "School Type": ["name", "Free Meal Count (K-12)"], "Order": ["id", "order"]}
        assert [(e.type, e.source, e.target) for e in spec.edge_types] == [("IN DISTRICT", "School Type", "Order")]
        text = get_dialect("cypher").render_schema(spec)
        assert "(:`School Type`)" in text and "(:`School Type`)-[:`IN DISTRICT`]->(:`Order`)" in text, text
        assert "  `Free Meal Count (K-12)`: INTEGER" in text and "  name: STRING" in text, text
        query = ("MATCH (s:`School Type`)-[r:`IN DISTRICT`]->(d:`Order`) "
                 "RETURN s.`Free Meal Count (K-12)`, r.`since year`, d.id, d.`order`")
        assert accepts("cypher", spec, query)[0]
        assert validate(query, "cypher", spec, falkordb_engine, "quoted_graph", LIMITS).query == query
        assert falkordb_engine.execute("quoted_graph", query, LIMITS).rows == [(25, 1999, 7, 1)]
    finally:
        falkordb_engine.drop("quoted_graph")
    ngql_engine.load(db)
    try:
        query = 'FETCH PROP ON `School Type` "s1" YIELD `School Type`.`Free Meal Count (K-12)` AS n'
        assert accepts("ngql", db.without_data(), query)[0]
        assert ngql_engine.execute("quoted_graph", query, LIMITS).rows == [(25,)]
        query = 'GO FROM "s1" OVER `IN DISTRICT` YIELD `IN DISTRICT`.`since year` AS y'
        assert ngql_engine.execute("quoted_graph", query, LIMITS).rows == [(1999,)]
    finally:
        ngql_engine.drop("quoted_graph")


@pytest.mark.parametrize("engine", ["falkordb_engine", "ngql_engine"])
def test_a_name_falkordb_cannot_quote_is_refused_before_anything_is_written(engine, request):
    from momq.engines.base import InvalidDatabase

    engine = request.getfixturevalue(engine)
    before = engine.databases()
    with pytest.raises(InvalidDatabase, match="label name 'back`tick' holds a backtick"):
        engine.load(quoted_graph("back`tick"))
    assert engine.databases() == before
