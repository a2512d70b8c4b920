"""Graph scripts into real engines: a Cypher script run by FalkorDB, an nGQL script read into the emulation, the
queries each must answer, and loads that fail (each leaves the existing graph as it was and nothing behind)."""

from __future__ import annotations

import pytest

from momq.engines.falkordb import STAGING_MARK
from momq.ingest.cypher_script import load_cypher_script
from momq.ingest.ngql_script import load_ngql_script, read_ngql_script
from momq.ingest.script import ScriptError, split_script
from tests.ingest.roundtrip import CYPHER_SCRIPT, NGQL_SCRIPT, matches, queries


def _all_graphs(engine) -> list[str]:
    return sorted(g.decode() if isinstance(g, bytes) else g for g in engine._command("GRAPH.LIST"))


@pytest.mark.parametrize("text,dialect,expected", [
    ("CREATE (a {x: ';'});\n\n// c;\nMATCH (n)\nRETURN n", "cypher", [("CREATE (a {x: ';'})", 1), ("MATCH (n)\nRETURN n", 4)]),
    ("/* a; b */ RETURN 1; // only a comment;\n", "cypher", [("RETURN 1", 1)]),
    ('# c;\nUSE s; INSERT VERTEX t(a) VALUES "x;":(1)', "ngql", [("USE s", 2), ('INSERT VERTEX t(a) VALUES "x;":(1)', 2)]),
])
def test_split_script_keeps_lines(text, dialect, expected):
    assert [(s.text, s.line) for s in split_script(text, dialect)] == expected


def test_unterminated_string_is_a_script_error():
    with pytest.raises(ScriptError, match="x.cypher"):
        split_script("CREATE (:A {x: 'oops});", "cypher", "x.cypher")


# ----------------------------------------------------------------------------------------------- Cypher
@pytest.fixture(scope="module")
def movies(falkordb_engine):
    report = load_cypher_script(falkordb_engine, CYPHER_SCRIPT, "ing_movies")
    yield falkordb_engine, report
    falkordb_engine.drop("ing_movies")


def test_cypher_script_loads_with_counts(movies):
    _, report = movies
    assert report.statements == 6 and report.csv_rows == 4
    assert report.counters["nodes_created"] == 10


@pytest.mark.parametrize("case", queries(CYPHER_SCRIPT), ids=lambda c: c["query"][:50])
def test_cypher_script_answers(movies, case):
    engine, _ = movies
    assert matches(case, engine.execute("ing_movies", case["query"]).rows)


def test_cypher_schema_of_the_loaded_script(movies):
    engine, _ = movies
    spec = engine.schema("ing_movies")
    assert set(spec.node_type("Person").with_labels) == {"Actor", "Director"}
    assert spec.node_type("Movie").key == "title"
    assert {p.name: p.type.value for p in spec.node_type("Movie").properties}["genres"] == "list<text>"


def _write(tmp_path, text, name="s.cypher"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text,message", [
    ("CREATE (:A {x: 1});\nCREATE (:B {y: });\n", r"s.cypher:2: statement 2 .*FalkorDB"),
    ("CREATE (:A);\nLOAD CSV FROM 'https://example.com/x.csv' AS r CREATE (:B);", r":2: .*never URLs"),
    ("LOAD CSV FROM 'file:///../outside.csv' AS r CREATE (:B);", r"only files inside"),
    ("LOAD CSV FROM '/etc/passwd' AS r CREATE (:B);", r"only files inside"),
    ("LOAD CSV FROM 'missing.csv' AS r CREATE (:B);", r"no file"),
    ("CREATE (:A);\n:param x => 1\nCREATE (:B);", r":2: .*:param is not supported"),
    ("CREATE (:A);\nMATCH (n:A) SET n.x = 1/0;", r":2: statement 2"),
])
def test_failed_cypher_load_leaves_the_graph_as_it_was(falkordb_engine, tmp_path, text, message):
    (tmp_path.parent / "outside.csv").write_text("a\n1\n")
    load_cypher_script(falkordb_engine, _write(tmp_path, "CREATE (:Old {v: 1});", "old.cypher"), "ing_fail")
    try:
        before = _all_graphs(falkordb_engine)
        with pytest.raises(ScriptError, match=message):
            load_cypher_script(falkordb_engine, _write(tmp_path, text), "ing_fail")
        assert falkordb_engine.execute("ing_fail", "MATCH (n) RETURN labels(n), n.v").rows == [(["Old"], 1)]
        assert _all_graphs(falkordb_engine) == before
        assert not [g for g in before if STAGING_MARK in g]
    finally:
        falkordb_engine.drop("ing_fail")


def test_failed_cypher_load_of_a_new_name_leaves_no_graph(falkordb_engine, tmp_path):
    with pytest.raises(ScriptError):
        load_cypher_script(falkordb_engine, _write(tmp_path, "CREATE (:A);\nCREATE (;"), "ing_new")
    assert not [g for g in _all_graphs(falkordb_engine) if g.startswith("ing_new")]


def test_csv_fields_are_strings_and_empty_is_null(falkordb_engine, tmp_path):
    (tmp_path / "t.csv").write_text("1,,x y\n", encoding="utf-8")
    load_cypher_script(falkordb_engine, _write(tmp_path, "LOAD CSV FROM 't.csv' AS r CREATE (:R {a: r[0], "
                                                         "b: r[1], c: r[2]});"), "ing_csv")
    try:
        assert falkordb_engine.execute("ing_csv", "MATCH (n:R) RETURN n.a, n.b, n.c").rows == [("1", None, "x y")]
    finally:
        falkordb_engine.drop("ing_csv")


# ----------------------------------------------------------------------------------------------- nGQL
@pytest.fixture(scope="module")
def basketball(ngql_engine):
    db = load_ngql_script(ngql_engine, NGQL_SCRIPT, "ing_bball")
    yield ngql_engine, db
    ngql_engine.drop("ing_bball")


def test_ngql_script_reads_multi_tag_vertices_defaults_and_ranks(basketball):
    _, db = basketball
    by_vid = {n.vid: n for n in db.nodes}
    assert by_vid["player100"].labels == ("player", "coach")
    assert by_vid["player101"].labels == ("player", "coach")  # a later INSERT added the tag
    assert by_vid["player104"].properties["age"] == 30  # DEFAULT 30
    assert by_vid["player102"].properties["name"] == "Manu; Ginobili"
    assert sorted(e.rank for e in db.edges if e.source_vid == "player103") == [0, 1]
    assert db.node_type("player").with_labels == ("coach",) and db.node_type("player").key is None
    assert (db.edge_type("serve").source, db.edge_type("serve").target) == ("player", "team")


@pytest.mark.parametrize("case", queries(NGQL_SCRIPT), ids=lambda c: c["query"][:50])
def test_ngql_script_answers(basketball, case):
    engine, _ = basketball
    assert matches(case, engine.execute("ing_bball", case["query"]).rows)


HEAD = "CREATE SPACE s(vid_type=FIXED_STRING(8));\nUSE s;\nCREATE TAG t(a int NOT NULL, b string);\nCREATE TAG u(b int);\n" \
       "CREATE EDGE e(w double);\n"


@pytest.mark.parametrize("body,message", [
    ('INSERT VERTEX t(a) VALUES "x":(1);\nINSERT EDGE e(w) VALUES "x"->"y":(1.5);', r":7: statement 7 .*no INSERT VERTEX created 'y'"),
    ('INSERT VERTEX t(b) VALUES "x":("q");', r":6: .*t.a is NOT NULL"),
    ('INSERT VERTEX t(a) VALUES "x":("one");', r":6: .*'one' is not a valid integer"),
    ('INSERT VERTEX nope(a) VALUES "x":(1);', r"no tag nope"),
    ('INSERT VERTEX t(a, b), u(b) VALUES "x":(1, "s", 2);', r"tags t, u give b two values"),
    ('INSERT VERTEX t(a, b) VALUES "x":(1, "s");\nINSERT VERTEX u(b) VALUES "x":(2);', r"tags t, u give b two values"),
    ('UPDATE VERTEX ON t "x" SET a = 2;', r":6: .*not a statement this loader reads"),
    ('INSERT VERTEX t(a) VALUES 5:(1);', r"string VIDs"),
    ('CREATE TAG g(p geography);', r"geography has no counterpart"),
    (':play basketball\nINSERT VERTEX t(a) VALUES "x":(1);', r":6: .*:play is not supported"),
])
def test_bad_ngql_scripts_name_the_statement(tmp_path, body, message):
    path = tmp_path / "s.ngql"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(ScriptError, match=message):
        read_ngql_script(path)


def test_failed_ngql_load_leaves_the_space_as_it_was(ngql_engine, falkordb_engine, tmp_path):
    from momq.engines.ngql_emulation import GRAPH_PREFIX

    good = tmp_path / "good.ngql"
    good.write_text(HEAD + 'INSERT VERTEX t(a) VALUES "x":(1);', encoding="utf-8")
    load_ngql_script(ngql_engine, good, "ing_space")
    try:
        bad = tmp_path / "bad.ngql"
        bad.write_text(HEAD + 'INSERT VERTEX t(a) VALUES "y":(2);\nINSERT EDGE e(w) VALUES "y"->"z":(1.0);',
                       encoding="utf-8")
        before = _all_graphs(falkordb_engine)
        with pytest.raises(ScriptError, match="no INSERT VERTEX created 'z'"):
            load_ngql_script(ngql_engine, bad, "ing_space")
        assert ngql_engine.execute("ing_space", "MATCH (v:t) RETURN id(v)").rows == [("x",)]
        assert _all_graphs(falkordb_engine) == before
    finally:
        ngql_engine.drop("ing_space")
    assert GRAPH_PREFIX + "ing_space" not in _all_graphs(falkordb_engine)
