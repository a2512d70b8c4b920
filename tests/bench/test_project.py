"""Every domain's generated data projects onto a relational database and a property graph, and a few load
into the real engines with their values intact."""

from __future__ import annotations

import functools
from decimal import Decimal

import pytest

from momq.bench.domains import domain_names, get_domain
from momq.bench.er import Cardinality
from momq.bench.generate import generate
from momq.bench.project import to_graph, to_relational

NAMES = domain_names()
# SQL loads are the slow part (MariaDB ~0.5-1 s a database): a few domains that cover self-relationships, two
# foreign keys to one table, many-to-many with attributes and apostrophes. FalkorDB loads every domain.
SQL_LOADED = ("company", "flights", "social", "university")


@functools.cache
def data_for(name: str):
    return generate(get_domain(name), 0)


@pytest.mark.parametrize("name", NAMES)
def test_relational_projection(name):
    data = data_for(name)
    domain = data.domain
    db = to_relational(data)
    many = [r for r in domain.relationships if r.cardinality is Cardinality.MANY_TO_MANY]
    assert db.name == domain.name
    assert len(db.tables) == len(domain.entities) + len(many)
    tables = {t.name: t for t in db.tables}
    keys = {e.name: {r["id"] for r in data.rows[e.name]} for e in domain.entities}
    for ent in domain.entities:
        table = tables[ent.name]
        assert table.primary_key == ("id",)
        assert len(table.rows) == len(data.rows[ent.name])
        assert all(len(row) == len(table.columns) for row in table.rows)
    for rel in domain.relationships:
        links = {(s, t) for s, t, _ in data.links[rel.name]}
        if rel.cardinality is Cardinality.MANY_TO_ONE:
            table = tables[rel.source]
            col = table.column_names.index(rel.fk_column)
            assert table.column(rel.fk_column).nullable is rel.optional
            fks = {(row[0], row[col]) for row in table.rows if row[col] is not None}
            assert fks == links
            assert all(t in keys[rel.target] for _, t in fks)
            if not rel.optional:
                assert all(row[col] is not None for row in table.rows)
        else:
            table = tables[rel.name]
            assert table.primary_key == (rel.source_column, rel.target_column)
            assert {(row[0], row[1]) for row in table.rows} == links
            assert len(table.rows) == len(links)


@pytest.mark.parametrize("name", NAMES)
def test_graph_projection(name):
    data = data_for(name)
    domain = data.domain
    graph = to_graph(data)
    assert len(graph.node_types) == len(domain.entities)
    assert len(graph.edge_types) == len(domain.relationships)
    assert len(graph.nodes) == sum(len(rows) for rows in data.rows.values())
    vids = {n.vid for n in graph.nodes}
    assert len(vids) == len(graph.nodes)
    assert len(graph.edges) == sum(len(links) for links in data.links.values())
    assert all(e.source_vid in vids and e.target_vid in vids for e in graph.edges)
    for ent in domain.entities:  # NULL attributes become absent properties, the others keep their values
        nodes = {n.vid: n for n in graph.nodes if n.label == ent.label}
        for row in data.rows[ent.name]:
            props = nodes[ent.vid(row["id"])].properties
            assert props == {k: v for k, v in row.items() if v is not None}


def _count(engine, db: str, table: str) -> int:
    return engine.execute(db, f"SELECT COUNT(*) FROM {table}").rows[0][0]


@pytest.mark.parametrize("engine_fixture", ["mariadb_engine", "postgres_engine"])
@pytest.mark.parametrize("name", SQL_LOADED)
def test_loads_into_sql_engines(request, engine_fixture, name):
    engine = request.getfixturevalue(engine_fixture)
    data = data_for(name)
    db = to_relational(data)
    db_name = f"bench_{name}"
    db.name = db_name
    engine.load(db)
    try:
        for table in db.tables:
            assert _count(engine, db_name, table.name) == len(table.rows), table.name
        for ent in data.domain.entities:
            for attr in ent.attributes:
                values = [r[attr.name] for r in data.rows[ent.name] if r[attr.name] is not None]
                if isinstance(values[0], Decimal):
                    got = engine.execute(db_name, f"SELECT SUM({attr.name}) FROM {ent.name}").rows[0][0]
                    assert Decimal(str(got)) == sum(values), (ent.name, attr.name)
                elif isinstance(values[0], str) and any("'" in v for v in values):
                    value = next(v for v in values if "'" in v)
                    literal = "'" + value.replace("'", "''") + "'"
                    query = f"SELECT COUNT(*) FROM {ent.name} WHERE {attr.name} = {literal}"
                    assert engine.execute(db_name, query).rows[0][0] == values.count(value)
                elif attr.nullable:
                    query = f"SELECT COUNT(*) FROM {ent.name} WHERE {attr.name} IS NULL"
                    expected = len(data.rows[ent.name]) - len(values)
                    assert engine.execute(db_name, query).rows[0][0] == expected, (ent.name, attr.name)
    finally:
        engine.drop(db_name)


@pytest.fixture(scope="module")
def falkordb(falkordb_server):
    engine = falkordb_server.connect()
    yield engine
    engine.close()


@pytest.mark.parametrize("name", NAMES)
def test_loads_into_falkordb(falkordb, name):
    engine = falkordb
    graph = to_graph(data_for(name))
    graph.name = f"bench_{name}"
    engine.load(graph)
    try:
        for node_type in graph.node_types:
            got = engine.execute(graph.name, f"MATCH (n:{node_type.label}) RETURN count(n)").rows[0][0]
            assert got == sum(n.label == node_type.label for n in graph.nodes)
        for edge_type in graph.edge_types:
            got = engine.execute(graph.name, f"MATCH ()-[e:{edge_type.type}]->() RETURN count(e)").rows[0][0]
            assert got == sum(e.type == edge_type.type for e in graph.edges)
        named = [n for n in graph.nodes if "'" in str(n.properties.get("name", ""))]
        for node in named[:3]:  # an apostrophe survives loading and matches an escaped literal
            literal = node.properties["name"].replace("'", "\\'")
            query = f"MATCH (n:{node.label}) WHERE n.name = '{literal}' RETURN n.id"
            assert engine.execute(graph.name, query).rows == [(node.properties["id"],)]
    finally:
        engine.drop(graph.name)
