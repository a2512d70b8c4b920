"""External suites: databases as SQL dumps or JSON definitions, items as JSONL, gold checked on real engines."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from momq.bench.external import ExternalFormatError, check_suite, load_suite, read_external_items, relational_from_sql
from momq.bench.records import RecordError
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


def test_sql_dump_is_parsed_into_a_relational_database():
    db = relational_from_sql(DUMP, "ext_shop")
    customer, purchase = db.table("customer"), db.table("purchase")
    assert [c.type for c in customer.columns] == [ValueType.INTEGER, ValueType.TEXT, ValueType.TEXT,
                                                  ValueType.BOOLEAN, ValueType.DATE]
    assert customer.primary_key == ("id",) and not customer.column("name").nullable
    assert customer.rows[0] == (1, "Ann O'Neil", "Paris", True, dt.date(2020, 1, 31))
    assert customer.rows[2] == (3, "Cy", None, None, dt.date(2021, 7, 4))
    assert len(purchase.foreign_keys) == 1 and purchase.foreign_keys[0].ref_table == "customer"
    assert purchase.rows[1] == (2, 1, Decimal("-5.00"), None) and purchase.rows[2][3] == 2.0


@pytest.mark.parametrize("sql,message", [
    ("CREATE TABLE t (a int); GRANT ALL ON *.* TO 'x'@'%';", "statement 2: unsupported statement"),
    ("CREATE TABLE t (a datetime);", "not supported"),
    ("CREATE TABLE t (a int); INSERT INTO u VALUES (1);", "not created before"),
    ("CREATE TABLE t (a int, b date); INSERT INTO t VALUES (1, 'soon');", "not a date"),
    ("CREATE TABLE t (a int); INSERT INTO t VALUES (1, 2);", "2 values for 1 columns"),
    ("CREATE TABLE t (a int); INSERT INTO t SELECT 1;", "VALUES"),
    ("INSERT INTO t VALUES (1);", "not created before"),
])
def test_sql_dump_errors_are_clear(sql, message):
    with pytest.raises(ExternalFormatError, match=message):
        relational_from_sql(sql, "bad")


def test_json_round_trips():
    rel = relational_from_sql(DUMP, "ext_shop")
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
    broken = json.loads(text)
    broken["tables"][0]["rows"][0][4] = "31/01/2020"
    with pytest.raises(SchemaFormatError, match="row #0, column joined"):
        relational_from_json(broken)


def write_suite(tmp_path, items):
    (tmp_path / "dbs").mkdir()
    (tmp_path / "dbs" / "ext_shop.sql").write_text(DUMP)
    (tmp_path / "dbs" / "ext_shop.json").write_text(json.dumps(graph_to_json(shop_graph())))
    path = tmp_path / "suite.jsonl"
    path.write_text("".join(json.dumps(it) + "\n" for it in items))
    return path


GOOD = [
    {"question": "How many customers?", "dialect": "mysql", "db_id": "ext_shop", "query": "SELECT COUNT(*) FROM customer"},
    {"question": "Total of Ann's purchases?", "dialect": "postgresql", "db_id": "ext_shop",
     "query": "SELECT SUM(p.amount) FROM purchase p JOIN customer c ON c.id = p.customer_id WHERE c.name LIKE 'Ann%'"},
    {"question": "Who bought a product?", "dialect": "cypher", "db_id": "ext_shop", "id": "c1",
     "query": "MATCH (c:Customer)-[:BOUGHT]->(:Product) RETURN c.name"},
    {"question": "Who bought a product?", "dialect": "ngql", "db_id": "ext_shop", "id": "n1",
     "query": "MATCH (c:Customer)-[:BOUGHT]->(p:Product) RETURN c.Customer.name"},
]
BAD = [
    {"question": "Customers from Rome?", "dialect": "mysql", "db_id": "ext_shop",
     "query": "SELECT name FROM customer WHERE city = 'Rome'"},
    {"question": "Broken", "dialect": "postgresql", "db_id": "ext_shop", "query": "SELECT nope FROM customer"},
]


def test_suite_loads_and_gold_is_checked_on_real_engines(tmp_path, mariadb_engine, postgres_engine,
                                                         falkordb_engine, ngql_engine):
    suite = load_suite(write_suite(tmp_path, GOOD + BAD), tmp_path / "dbs", name="shop-suite")
    assert [it.source for it in suite.items] == ["shop-suite"] * 6
    assert suite.items[0].id == "shop-suite-1" and suite.items[2].id == "c1"
    assert "Table customer" in suite.items[0].schema and "(:Customer)-[:BOUGHT]->(:Product)" in suite.items[2].schema
    engines = {"mysql": mariadb_engine, "postgresql": postgres_engine, "cypher": falkordb_engine,
               "ngql": ngql_engine}
    checks = check_suite(suite, engines)
    by_id = {c.item_id: c for c in checks}
    assert [by_id[it.id].ok for it in suite.items[:4]] == [True] * 4
    assert by_id["shop-suite-1"].rows == 1 and by_id["c1"].rows == 2 and by_id["n1"].rows == 2
    assert by_id["shop-suite-5"].reason == "empty_result"
    assert by_id["shop-suite-6"].reason == "gold_error"
    # the loaded data is the dump's: Ann's purchases sum to 14.99
    assert postgres_engine.execute("ext_shop", GOOD[1]["query"]).rows[0][0] == Decimal("14.99")


def test_item_file_errors(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(GOOD[0]) + "\n" + json.dumps({"question": "q", "dialect": "mysql", "db_id": "x"}) + "\n")
    with pytest.raises(RecordError, match="missing field.*query") as info:
        read_external_items(path, "s")
    assert info.value.line == 2
    path.write_text(json.dumps(GOOD[2]) + "\n")
    (tmp_path / "dbs").mkdir()
    (tmp_path / "dbs" / "ext_shop.sql").write_text(DUMP)
    with pytest.raises(ExternalFormatError, match="needs a graph JSON"):
        load_suite(path, tmp_path / "dbs")
