"""External suites: databases as SQL dumps or JSON definitions, items as JSONL, gold checked on real engines."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from momq.bench.external import ExternalFormatError, check_suite, load_suite, read_external_items
from momq.engines.base import ExecutionLimits
from momq.schema import Edge, EdgeType, GraphDatabase, Node, NodeType, Property, ValueType
from momq.schema.io import (
    SchemaFormatError,
    database_from_json,
    database_to_json,
    graph_from_json,
    graph_to_json,
    relational_from_json,
    relational_to_json,
)

DUMP = """-- MySQL dump of a small shop
SET NAMES utf8mb4;
DROP TABLE IF EXISTS `customer`;
CREATE TABLE `customer` (
  `id` int NOT NULL AUTO_INCREMENT,
  `name` varchar(60) NOT NULL,
  `city` varchar(40) DEFAULT NULL,
  `vip` tinyint(1) DEFAULT NULL,
  `joined` date DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE `purchase` (
  `id` int NOT NULL,
  `customer_id` int NOT NULL,
  `amount` decimal(10,2) NOT NULL,
  `weight` double,
  PRIMARY KEY (`id`),
  KEY `fk_c` (`customer_id`),
  CONSTRAINT `fk_c` FOREIGN KEY (`customer_id`) REFERENCES `customer` (`id`)
);
LOCK TABLES `customer` WRITE;
INSERT INTO `customer` VALUES (1,'Ann O''Neil','Paris',1,'2020-01-31'),(2,'Bo','Lyon',0,NULL),(3,'Cy',NULL,NULL,'2021-07-04');
UNLOCK TABLES;
INSERT INTO `purchase` (`id`, `customer_id`, `amount`, `weight`) VALUES (1,1,19.99,0.5),(2,1,-5.00,NULL),(3,2,100,2e0);
"""


def shop_graph() -> GraphDatabase:
    customer = NodeType("Customer", (Property("id", ValueType.INTEGER, False), Property("name", ValueType.TEXT),
                                     Property("joined", ValueType.DATE)), key="id")
    product = NodeType("Product", (Property("id", ValueType.INTEGER, False), Property("price", ValueType.DECIMAL)),
                       key="id")
    bought = EdgeType("BOUGHT", "Customer", "Product", (Property("qty", ValueType.INTEGER),))
    nodes = [Node("Customer", "customer_1", {"id": 1, "name": "Ann", "joined": dt.date(2020, 1, 31)}),
             Node("Customer", "customer_2", {"id": 2, "name": "Bo"}),
             Node("Product", "product_1", {"id": 1, "price": Decimal("9.99")})]
    edges = [Edge("BOUGHT", "customer_1", "product_1", {"qty": 2}), Edge("BOUGHT", "customer_2", "product_1", {}, 1)]
    return GraphDatabase("ext_shop", (customer, product), (bought,), nodes, edges, "a shop graph")


PG_DUMP = """-- the same shop as a PostgreSQL dump, its tables in a schema of their own
SET client_encoding = 'UTF8';
CREATE SCHEMA shop;
CREATE TABLE shop.customer (id int PRIMARY KEY, name varchar(60) NOT NULL, city varchar(40), vip boolean,
                            joined date);
CREATE TABLE shop.purchase (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customer (id),
                            amount numeric(10,2) NOT NULL, weight double precision);
COPY shop.customer (id, name, city, vip, joined) FROM stdin;
1\tAnn O'Neil\tParis\tt\t2020-01-31
2\tBo\tLyon\tf\t\\N
3\tCy\t\\N\t\\N\t2021-07-04
\\.
INSERT INTO shop.purchase VALUES (1, 1, 19.99, 0.5), (2, 1, -5.00, NULL), (3, 2, 100, 2e0);
"""


def test_json_round_trips():
    from tests.schema.test_io import real_schema

    rel = real_schema()
    text = json.dumps(relational_to_json(rel))
    assert relational_from_json(json.loads(text)) == rel
    graph = shop_graph()
    gtext = json.dumps(graph_to_json(graph))
    assert graph_from_json(json.loads(gtext)) == graph
    assert database_from_json(json.loads(gtext)) == graph
    assert database_to_json(rel)["kind"] == "relational"
    broken = json.loads(gtext)
    broken["edges"][0]["target_vid"] = "customer_2"
    with pytest.raises(SchemaFormatError, match="does not join a Customer to a Product"):
        graph_from_json(broken)


def write_suite(tmp_path, items, extra_lines=()):
    dbs = tmp_path / "dbs"
    dbs.mkdir()
    (dbs / "ext_shop.mysql.sql").write_text(DUMP)
    (dbs / "ext_shop.postgresql.sql").write_text(PG_DUMP)
    (dbs / "ext_shop.json").write_text(json.dumps(graph_to_json(shop_graph())))
    (dbs / "README.txt").write_text("a stray file that is not a database")
    (dbs / "broken.json").write_text("{not json")
    (dbs / "evil.sql").write_text("CREATE TABLE t (a int);\nGRANT ALL ON *.* TO 'x'@'%';\n")
    path = tmp_path / "suite.jsonl"
    path.write_text("".join(json.dumps(it) + "\n" for it in items) + "".join(extra_lines))
    return path


GOOD = [
    {"question": "How many customers?", "dialect": "mysql", "db_id": "ext_shop", "query": "SELECT COUNT(*) FROM customer"},
    {"question": "Total of Ann's purchases?", "dialect": "postgresql", "db_id": "ext_shop",
     "gold": "SELECT SUM(p.amount) FROM shop.purchase p JOIN shop.customer c ON c.id = p.customer_id "
             "WHERE c.name LIKE 'Ann%'"},
    {"question": "Who bought a product?", "dialect": "cypher", "db_id": "ext_shop", "id": "c1",
     "query": "MATCH (c:Customer)-[:BOUGHT]->(:Product) RETURN c.name"},
    {"question": "Who bought a product?", "dialect": "ngql", "db_id": "ext_shop", "id": "n1",
     "query": "MATCH (c:Customer)-[:BOUGHT]->(p:Product) RETURN c.Customer.name"},
    {"question": "Cities?", "dialect": "mysql", "db_id": "ext_shop", "id": "alt",
     "sql": ["SELECT city FROM customer WHERE city IS NOT NULL", "SELECT DISTINCT city FROM customer"]},
]
BAD = [
    {"question": "Customers from Rome?", "dialect": "mysql", "db_id": "ext_shop",
     "query": "SELECT name FROM customer WHERE city = 'Rome'"},
    {"question": "Broken", "dialect": "postgresql", "db_id": "ext_shop", "query": "SELECT nope FROM shop.customer"},
]
SKIPPED = [
    {"question": "On the refused dump", "dialect": "mysql", "db_id": "evil", "id": "e1", "query": "SELECT 1"},
    {"question": "No such database", "dialect": "postgresql", "db_id": "nowhere", "id": "w1", "query": "SELECT 1"},
    {"question": "No gold", "dialect": "mysql", "db_id": "ext_shop", "id": "g0"},
    {"question": "Two golds", "dialect": "mysql", "db_id": "ext_shop", "query": "SELECT 1", "sql": "SELECT 2"},
    {"question": "Duplicate", "dialect": "cypher", "db_id": "ext_shop", "id": "c1", "query": "RETURN 1"},
]


def test_suite_loads_reports_what_it_skips_and_gold_is_checked_on_real_engines(
        tmp_path, mariadb_engine, postgres_engine, falkordb_engine, ngql_engine):
    engines = {"mysql": mariadb_engine, "postgresql": postgres_engine, "cypher": falkordb_engine,
               "ngql": ngql_engine}
    path = write_suite(tmp_path, GOOD + BAD + SKIPPED, extra_lines=["{oops\n", "\n", "[1, 2]\n"])
    suite = load_suite(path, tmp_path / "dbs", name="shop-suite", engines=engines)
    assert suite.summary()["skipped_by_reason"] == {
        "bad_line": 1, "bad_item": 3, "duplicate_id": 1, "unknown_file": 1, "bad_database_file": 1,
        "dump_refused": 1, "no_database": 2}
    assert [it.id for it in suite.items] == ["shop-suite-1", "shop-suite-2", "c1", "n1", "alt", "shop-suite-6",
                                             "shop-suite-7"]
    assert suite.items[4].query.startswith("SELECT city") and len(suite.items[4].alternatives) == 1
    # the schemas come from the loaded dumps: the PostgreSQL one names its schema, both show example values
    assert "Table customer" in suite.items[0].schema and "e.g. 'Paris'" in suite.items[0].schema
    assert "Table shop.customer" in suite.items[1].schema
    assert "(:Customer)-[:BOUGHT]->(:Product)" in suite.items[2].schema
    checks = check_suite(suite, engines, ExecutionLimits(timeout_s=60))  # generous: a loaded test machine
    by_id = {c.item_id: c for c in checks}
    assert [by_id[i].ok for i in ("shop-suite-1", "shop-suite-2", "c1", "n1", "alt")] == [True] * 5, [str(c) for c in checks if not c.ok]
    assert by_id["shop-suite-1"].rows == 1 and by_id["c1"].rows == 2 and by_id["n1"].rows == 2
    assert by_id["alt"].detail == "2 of 2 gold alternatives return rows"
    assert by_id["shop-suite-6"].reason == "empty_result"
    assert by_id["shop-suite-7"].reason == "gold_error"
    # the loaded data is the dumps': Ann's purchases sum to 14.99 on both engines
    assert postgres_engine.execute("ext_shop", GOOD[1]["gold"]).rows[0][0] == Decimal("14.99")
    assert mariadb_engine.execute("ext_shop", "SELECT SUM(amount) FROM purchase WHERE customer_id = 1"
                                  ).rows[0][0] == Decimal("14.99")
    assert "evil" not in mariadb_engine.databases()


@pytest.mark.parametrize("record,want", [
    ({"query": "SELECT 1"}, ("SELECT 1", [])),
    ({"gold": "SELECT 1"}, ("SELECT 1", [])),
    ({"sql": ["SELECT 1", "SELECT 2", "SELECT 1"]}, ("SELECT 1", ["SELECT 2"])),
    ({"gold": []}, "must be a query or a non-empty list"),
    ({"sql": ["SELECT 1", 3]}, "must be a query or a non-empty list"),
    ({}, "no gold query"),
    ({"query": "SELECT 1", "gold": "SELECT 1"}, "two gold fields"),
])
def test_items_take_their_gold_from_query_gold_or_sql(tmp_path, record, want):
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps({"question": "q", "dialect": "mysql", "db_id": "d", **record}) + "\n")
    items, problems = read_external_items(path, "s")
    if isinstance(want, tuple):
        assert not problems and (items[0].query, items[0].alternatives) == want
    else:
        assert not items and problems[0].reason == "bad_item" and want in problems[0].detail
        assert problems[0].where.endswith("items.jsonl:1")


def test_a_suite_that_cannot_be_read_at_all_is_an_error(tmp_path):
    with pytest.raises(ExternalFormatError, match="no such items file"):
        load_suite(tmp_path / "missing.jsonl", tmp_path)
    (tmp_path / "items.jsonl").write_text(json.dumps(GOOD[0]) + "\n")
    with pytest.raises(ExternalFormatError, match="not a folder"):
        load_suite(tmp_path / "items.jsonl", tmp_path / "nope")
